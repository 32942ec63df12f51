// One live connection for every screen that listens: walls, idle kiosks, personal pages, and the benchmark's walls,
// which load this file in Node so they do what the screens do. It reconnects forever with jittered back-off, catches
// up after every (re)connect (and while the hub is unreachable), and inserts pushed cards by id, so one that arrives
// twice is shown once. A client must handle every message its hub sends; connect() refuses one that does not.
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.recognitionLive = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // What each hub sends (IWallClient, IPersonalClient).
  var MESSAGES = { "/hubs/wall": ["Events", "Boards", "Unpaired", "Reload"], "/hubs/me": ["Toast", "FeedChanged", "ReactionsChanged"] };

  function backoff(attempt) { return Math.min(30000, 1000 * Math.pow(2, Math.min(attempt, 5))) * (0.5 + Math.random()); }

  function noop() { }

  // opts: signalR, hub ("/hubs/wall" or "/hubs/me"), on { Message: handler } for every message of the hub, and optionally
  // base (an origin, outside a browser), query (deviceQuery's), transport (withUrl's options), quiet, online(), offline(), catchUp().
  function connect(opts) {
    var names = MESSAGES[opts.hub];
    if (!names) throw new Error("unknown hub " + opts.hub);
    names.forEach(function (n) { if (typeof opts.on[n] !== "function") throw new Error(opts.hub + " sends " + n + "; handle it"); });
    var signalR = opts.signalR;
    var builder = new signalR.HubConnectionBuilder().withUrl((opts.base || "") + opts.hub + (opts.query ? "?" + opts.query : ""), opts.transport || {})
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: function (c) { return backoff(c.previousRetryCount); } });
    if (opts.quiet) builder = builder.configureLogging(signalR.LogLevel.None);
    var conn = builder.build();
    names.forEach(function (n) { conn.on(n, opts.on[n]); });
    var online = opts.online || noop, offline = opts.offline || noop, catchUp = opts.catchUp || noop;
    var stopped = false, attempt = 0;

    // Resolves when connected, rejects when this attempt failed; either way the connection keeps trying.
    function start() {
      if (stopped) return Promise.resolve();
      return conn.start().then(function () { attempt = 0; online(); catchUp(); },
        function (e) { offline(); catchUp(); setTimeout(function () { start().catch(noop); }, backoff(attempt++)); throw e; });
    }
    conn.onreconnecting(function () { offline(); });
    conn.onreconnected(function () { online(); catchUp(); });
    conn.onclose(function () { if (!stopped) { offline(); setTimeout(function () { start().catch(noop); }, backoff(attempt++)); } });
    return {
      start: start,
      stop: function () { stopped = true; return conn.stop(); },
      connected: function () { return conn.state === "Connected"; },
      invoke: function () { return conn.invoke.apply(conn, arguments); }
    };
  }

  // What a wall or kiosk tells the server when it connects, for the admin's device list: its page's app version and its size.
  function deviceQuery(version, width, height) {
    return "v=" + encodeURIComponent(version || "") + "&screen=" + Math.round(width) + "x" + Math.round(height);
  }

  // The catch-up request of a wall: every card and revocation after event <after>, and the side panel.
  function catchUpUrl(slug, after) { return "/walls/" + encodeURIComponent(slug) + "?handler=Since&after=" + after; }

  // Badge colours come as data-color (the CSP allows no inline style attributes; setting a style from script is allowed).
  function paint(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.dataset && root.dataset.color) root.style.backgroundColor = root.dataset.color;
    root.querySelectorAll("[data-color]").forEach(function (e) { e.style.backgroundColor = e.dataset.color; });
  }

  // Puts a card on top unless one with its id is shown; keeps at most max cards. Returns the card, or null.
  function insertCard(list, card, max) {
    if (!card || !card.id || list.ownerDocument.getElementById(card.id)) return null;
    list.insertBefore(card, list.firstElementChild);
    while (list.children.length > max) list.lastElementChild.remove();
    paint(card);
    return card;
  }

  function removeCard(doc, id) {
    var card = doc.getElementById("w-" + id);
    if (card) card.remove();
    return !!card;
  }

  // Reaction counts arrive as numbers (kind -> count); the page draws them with its own #wreact-kinds template (every kind
  // once, in the page's language), on every copy of the card (the list and the spotlight). Returns true if a card was there.
  function setReactions(doc, id, counts) {
    var tpl = doc.getElementById("wreact-kinds"), hit = false;
    if (!tpl) return false;
    doc.querySelectorAll('.wcard[data-id="' + id + '"] .wreacts').forEach(function (strip) {
      strip.textContent = "";
      Array.prototype.forEach.call(tpl.content.querySelectorAll(".wreact"), function (kind) {
        var n = counts ? Number(counts[kind.dataset.kind]) : 0;
        if (!(n > 0)) return;
        var copy = kind.cloneNode(true);
        copy.querySelector("b").textContent = String(n);
        strip.appendChild(copy);
      });
      hit = true;
    });
    return hit;
  }

  function fromHtml(doc, html) { var t = doc.createElement("template"); t.innerHTML = html.trim(); return t.content; }

  return { MESSAGES: MESSAGES, backoff: backoff, connect: connect, deviceQuery: deviceQuery, catchUpUrl: catchUpUrl, paint: paint, insertCard: insertCard, removeCard: removeCard, setReactions: setReactions, fromHtml: fromHtml };
});
