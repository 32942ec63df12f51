// A signed-in person's live channel: a toast when someone recognises them or a reward is ready, and the unread count goes up.
(function () {
  "use strict";
  function backoff(n) { return Math.min(30000, 1000 * Math.pow(2, Math.min(n, 5))) * (0.5 + Math.random()); }
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof signalR === "undefined") return;
    var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
    var conn = new signalR.HubConnectionBuilder().withUrl("/hubs/me")
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: function (c) { return backoff(c.previousRetryCount); } }).build();
    conn.on("Toast", function (m) {
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
    });
    var attempt = 0;
    function start() { conn.start().then(function () { attempt = 0; }).catch(function () { setTimeout(start, backoff(attempt++)); }); }
    conn.onclose(function () { setTimeout(start, backoff(attempt++)); });
    start();
    window.recognitionPersonal = { connected: function () { return conn.state === "Connected"; } };
  });
})();
