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
    var link = live.connect({ signalR: signalR, hub: "/hubs/me", on: { Toast: toast } });
    link.start().catch(function () { });
    window.recognitionPersonal = { connected: link.connected };
  });
})();
