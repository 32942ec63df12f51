// The live honor wall, on the shared live connection (live.js). Cards are keyed by recognition id, so applying one twice
// is harmless; every message carries its event's sequence and the site's previous one, so a gap is noticed and filled
// from the catch-up endpoint.
(function () {
  "use strict";
  var live = window.recognitionLive;
  var MAX_CARDS = 30, LONG_OUTAGE_MS = 10 * 60 * 1000;
  var body, slug, team, version, lastSeq, cardsEl, link;
  var queue = [], catching = false, offlineSince = null, boardsSeq = 0, stopped = false;

  function el(id) { return document.getElementById(id); }
  function fromHtml(html) { return live.fromHtml(document, html); }
  var paint = live.paint;

  // "today 21:40" / "yesterday 21:40" / the date, counted in the site's time zone, relabelled every minute.
  function dayNumber(date, tz) {
    var p = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(date).split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000;
  }
  function relabel() {
    document.querySelectorAll("time.wtime").forEach(function (t) {
      var tz = t.dataset.tz || undefined, at = new Date(t.getAttribute("datetime"));
      if (!t.dataset.full) t.dataset.full = t.textContent;
      var hm = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false }).format(at);
      var days = dayNumber(new Date(), tz) - dayNumber(at, tz);
      t.textContent = days === 0 ? body.dataset.today + " " + hm : days === 1 ? body.dataset.yesterday + " " + hm : t.dataset.full;
    });
  }

  // Nothing is cut: a card or a leaderboard row that doesn't fit whole is not shown.
  function fit() {
    var feed = cardsEl.parentElement.getBoundingClientRect();
    Array.prototype.forEach.call(cardsEl.children, function (c) { c.hidden = false; });
    Array.prototype.forEach.call(cardsEl.children, function (c) { c.hidden = c.getBoundingClientRect().bottom > feed.bottom; });
    var boards = el("wall-boards"), limit = boards.getBoundingClientRect().bottom;
    boards.querySelectorAll(".board, .board li").forEach(function (r) { r.hidden = false; });
    boards.querySelectorAll(".board").forEach(function (b) {
      var own = Math.min(limit, b.getBoundingClientRect().bottom); // each board has its share of the panel
      b.querySelectorAll("li").forEach(function (li) { li.hidden = li.getBoundingClientRect().bottom > own; });
      b.hidden = b.querySelector("h2").getBoundingClientRect().bottom > limit;
    });
  }
  function refresh(root) { paint(root || document); relabel(); fit(); }

  function addCard(node) {
    if (node) node.classList.add("fresh");
    if (live.insertCard(cardsEl, node, MAX_CARDS)) { relabel(); fit(); }
  }
  function removeCard(id) { if (live.removeCard(document, id)) fit(); }

  // The server pushes the side panel, rendered once for all walls of the group, whenever it changes: no fetching.
  function boards(seq, html) {
    if (seq < boardsSeq) return;
    boardsSeq = seq;
    el("wall-boards").innerHTML = html;
    fit();
  }

  // Reaction counts change in place on the card (and on its copy in the spotlight); nothing is fetched.
  function setReactions(id, counts) {
    if (live.setReactions(document, id, counts)) fit();
  }

  // Today's celebrations: a line arrives live (once, by id); at the site's midnight yesterday's lines go.
  function addCelebration(html) {
    var node = fromHtml(html).firstElementChild, list = el("wall-celebration-list");
    if (!node || !list || list.querySelector('[data-id="' + node.dataset.id + '"]')) return;
    list.appendChild(node);
    el("wall-celebrations").hidden = false;
    fit();
  }
  function dropPastCelebrations() {
    var section = el("wall-celebrations");
    if (!section) return;
    var p = new Intl.DateTimeFormat("en-CA", { timeZone: section.dataset.dayTz || undefined, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date()).split("-");
    var today = p[0] + p[1] + p[2], left = 0;
    section.querySelectorAll("li.wcel").forEach(function (li) { if (li.dataset.day !== today) li.remove(); else left++; });
    if (!left && !section.hidden) { section.hidden = true; fit(); }
  }

  function apply(m) {
    if (m.kind === "card" && (!team || m.teams.indexOf(team) >= 0)) addCard(fromHtml(m.html).firstElementChild);
    else if (m.kind === "celebration" && (!team || m.teams.indexOf(team) >= 0)) addCelebration(m.html);
    else if (m.kind === "revoked") removeCard(m.id);
    else if (m.kind === "reactions") setReactions(m.id, m.counts);
  }

  function onEvent(m) {
    if (stopped) return;
    if (catching) { queue.push(m); return; }
    if (m.seq <= lastSeq) return;                       // already applied
    if (m.prev !== lastSeq) { queue.push(m); catchUp(); return; } // missed something
    apply(m);
    lastSeq = m.seq;
  }

  function catchUp() {
    if (catching || stopped) return;
    catching = true;
    fetch(live.catchUpUrl(slug, lastSeq), { credentials: "same-origin", cache: "no-store" })
      .then(function (res) {
        if (res.status === 401 || res.redirected) { unpaired(); throw new Error("unpaired"); }
        if (!res.ok) throw new Error("catch-up " + res.status);
        var v = res.headers.get("X-App-Version");
        if (v && v !== version) { location.reload(); throw new Error("new version"); }
        return res.text();
      })
      .then(function (html) {
        var frag = fromHtml(html), since = frag.getElementById("since"), panel = frag.getElementById("since-boards");
        if (panel) boards(Number(panel.dataset.seq), panel.innerHTML);
        (since.dataset.revoked || "").split(",").filter(Boolean).forEach(removeCard);
        Array.prototype.slice.call(since.children).forEach(addCard);
        Array.prototype.forEach.call(frag.querySelectorAll("template.since-reacts"), function (t) { setReactions(t.dataset.id, JSON.parse(t.dataset.counts || "{}")); });
        lastSeq = Math.max(lastSeq, Number(since.dataset.lastSeq));
        catching = false;
        var pending = queue; queue = [];
        pending.sort(function (a, b) { return a.seq - b.seq; }).forEach(onEvent);
      })
      .catch(function () { catching = false; setTimeout(catchUp, live.backoff(2)); });
  }

  function offline() {
    if (offlineSince) return;
    offlineSince = new Date();
    el("offline-since").textContent = offlineSince.toTimeString().slice(0, 5);
    el("wall-status").hidden = false;
  }
  function online() {
    if (offlineSince && Date.now() - offlineSince.getTime() > LONG_OUTAGE_MS) { location.reload(); return; }
    offlineSince = null;
    el("wall-status").hidden = true;
  }

  function unpaired() {
    stopped = true;
    el("unpaired").hidden = false;
    document.querySelector(".wall-grid").hidden = true;
    if (link) link.stop();
    setTimeout(function () { location.href = "/pair"; }, 15000);
  }

  // The spotlight brings back an earlier recognition that no longer fits the list — never one already on screen.
  function spotlight() {
    var spot = el("spotlight");
    var shown = spot.firstElementChild ? spot.firstElementChild.dataset.id : null;
    spot.innerHTML = "";
    fit();
    var hidden = Array.prototype.filter.call(cardsEl.children, function (c) { return c.hidden && c.dataset.id !== shown; });
    if (!hidden.length) { fit(); return; }
    var copy = hidden[Math.floor(Math.random() * hidden.length)].cloneNode(true);
    copy.removeAttribute("id");
    copy.hidden = false;
    copy.classList.remove("fresh");
    spot.appendChild(copy);
    paint(spot);
    relabel();
    fit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    body = document.body;
    slug = body.dataset.slug;
    team = body.dataset.team ? Number(body.dataset.team) : null;
    version = body.dataset.version;
    lastSeq = Number(body.dataset.lastSeq);
    boardsSeq = lastSeq;
    cardsEl = el("wall-cards");
    link = live.connect({
      signalR: signalR, hub: "/hubs/wall", online: online, offline: offline, catchUp: catchUp,
      query: live.deviceQuery(version, window.innerWidth, window.innerHeight),
      on: {
        Events: function (list) { list.forEach(onEvent); }, // what arrived together comes as one frame, in order
        Boards: function (m) { if (!stopped) boards(m.seq, m.html); },
        Unpaired: unpaired,
        Reload: function () { location.reload(); } // the admin asked (Admin › Displays and kiosks)
      }
    });
    link.start().catch(function () { });
    refresh(document);
    spotlight();
    setInterval(spotlight, 9000);
    setInterval(function () { relabel(); dropPastCelebrations(); }, 60 * 1000);
    // The clock in the site's time zone (the header's data-tz), to the minute.
    var clockEl = el("wall-clock");
    var tick = function () {
      if (clockEl) clockEl.textContent = new Intl.DateTimeFormat("en-GB", { timeZone: clockEl.dataset.tz || undefined, hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date());
    };
    tick();
    setInterval(tick, 1000);
    window.addEventListener("resize", fit);
    window.recognitionWall = {
      lastSeq: function () { return lastSeq; }, connected: link.connected, stopped: function () { return stopped; },
      spotlight: function () { spotlight(); var s = el("spotlight").firstElementChild; return s ? s.dataset.id : null; }
    };
  });
})();
