// A signed-in person's live channel (live.js): a toast when someone recognises them or a reward is ready, and the unread
// count goes up.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var live = window.recognitionLive;
    if (typeof signalR === "undefined" || !live) return;
    var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
    function toast(m) {
      var box = document.getElementById("toasts");
      var t = document.createElement("a");
      t.className = "toast";
      t.href = m.href || "/Me";
      t.textContent = zh ? m.zh : m.en;
      box.appendChild(t);
      setTimeout(function () { t.remove(); }, 8000);
      var count = document.getElementById("unread-count");
      if (count) { count.textContent = String(Number(count.textContent) + 1); }
      else {
        var me = document.querySelector('.topbar nav a[href="/Me"]');
        if (me) { var pill = document.createElement("span"); pill.className = "pill"; pill.id = "unread-count"; pill.textContent = "1"; me.appendChild(document.createTextNode(" ")); me.appendChild(pill); }
      }
    }
    // The feed page is live: told that something may be new (FeedChanged carries nothing), and after every (re)connect, it
    // asks for the cards after its top one through its own scoped request and puts them on top, each id once, in order.
    // More than a page missed (a long time offline) reloads the page.
    var feed = document.querySelector("[data-live-feed]");
    var busy = false, again = false, fetched = 0;
    function refresh() {
      if (!feed) return;
      if (busy) { again = true; return; }
      busy = true;
      var top = feed.querySelector("article.rcard[data-id]");
      var after = top ? top.dataset.id : "0";
      fetch("/Feed?scope=" + encodeURIComponent(feed.dataset.liveFeed) + "&after=" + after, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (r) { return r.status === 200 ? r.text() : ""; })
        .then(function (html) {
          fetched++;
          if (!html) return;
          var cards = Array.prototype.slice.call(live.fromHtml(document, html).querySelectorAll("article.rcard"));
          if (cards.length >= 20) { location.reload(); return; }
          var empty = feed.querySelector(".empty");
          if (empty) empty.remove();
          cards.reverse().forEach(function (c) { live.insertCard(feed, c, 500); if (window.htmx) window.htmx.process(c); });
        })
        .catch(function () { })
        .then(function () { busy = false; if (again) { again = false; refresh(); } });
    }
    // Reaction counts: told which cards changed, the page asks for the bars of those it shows (its own scoped request) and
    // swaps them in place. Changes that arrive while a request is out are gathered into the next one.
    var changed = {}, reacting = false, bars = 0;
    function reactions(ids) {
      if (!feed) return;
      ids.forEach(function (id) { if (document.getElementById("reacts-" + id)) changed[id] = true; });
      if (reacting) return;
      var list = Object.keys(changed);
      if (!list.length) return;
      changed = {};
      reacting = true;
      fetch("/Feed?handler=Reactions&ids=" + list.join(","), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (r) { return r.status === 200 ? r.text() : ""; })
        .then(function (html) {
          bars++;
          if (!html) return;
          Array.prototype.forEach.call(live.fromHtml(document, html).querySelectorAll("[data-reacts]"), function (bar) {
            var old = document.getElementById(bar.id);
            if (!old) return;
            old.replaceWith(bar);
            if (window.htmx) window.htmx.process(bar);
          });
        })
        .catch(function () { })
        .then(function () { reacting = false; reactions([]); });
    }
    var link = live.connect({
      signalR: signalR, hub: "/hubs/me", on: { Toast: toast, FeedChanged: refresh, ReactionsChanged: reactions },
      catchUp: function () {
        if (!feed || !link || !link.connected()) return;
        link.invoke("WatchFeed").then(refresh, function () { });
      }
    });
    link.start().catch(function () { });
    window.recognitionPersonal = { connected: link.connected, feedFetches: function () { return fetched; }, barFetches: function () { return bars; } };
  });
})();
