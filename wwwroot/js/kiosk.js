// Kiosk glue: a badge reader types the code and Enter into an always-focused input; an on-screen keypad
// for number + PIN; the session ends after a minute without a touch (countdown in the last 10 s).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body;
    var scan = document.getElementById("scan");
    var pinPanel = document.getElementById("pin-panel");
    var target = null;

    // Idle screen: keep the hidden scan input focused unless the person is typing elsewhere.
    if (scan) {
      var refocus = function () {
        var a = document.activeElement;
        if (a && a !== document.body && a !== scan && (a.tagName === "INPUT" || a.tagName === "TEXTAREA")) return;
        scan.focus({ preventScroll: true });
      };
      refocus();
      setInterval(refocus, 1000);
      document.addEventListener("click", function () { setTimeout(refocus, 0); });
    }
    if (pinPanel) {
      document.querySelectorAll("#pin-no, #pin-pin").forEach(function (i) { i.addEventListener("focus", function () { target = i; }); });
      pinPanel.addEventListener("toggle", function () { if (pinPanel.open) { target = document.getElementById("pin-no"); target.focus(); } });
      document.getElementById("keypad").addEventListener("click", function (e) {
        var key = e.target.closest("[data-key]");
        if (!key) return;
        target = target || document.getElementById("pin-no");
        var k = key.dataset.key;
        if (k === "⌫") target.value = target.value.slice(0, -1);
        else target.value += k;
        if (target.id === "pin-pin" && target.value.length === 6) document.getElementById("pin-form").requestSubmit();
        target.focus();
      });
    }

    // Any other form with an on-screen keyboard (first-time activation): keys type into the field last touched; a field
    // that is full moves on to the next (data-next), and the last one sends the form (data-submit).
    document.querySelectorAll("[data-keypad-for]").forEach(function (pad) {
      var form = document.getElementById(pad.dataset.keypadFor);
      var fields = form.querySelectorAll("input:not([type=hidden])");
      var current = fields[0];
      fields.forEach(function (i) { i.addEventListener("focus", function () { current = i; }); });
      pad.addEventListener("click", function (e) {
        var key = e.target.closest("[data-key]");
        if (!key) return;
        var k = key.dataset.key;
        var max = Number(current.getAttribute("maxlength") || 64);
        if (k === "⌫") current.value = current.value.slice(0, -1);
        else if (current.value.length < max) current.value += k;
        var full = current.dataset.length && current.value.length >= Number(current.dataset.length);
        if (full && current.dataset.submit) { form.requestSubmit(); return; }
        if (full && current.dataset.next) current = document.getElementById(current.dataset.next);
        current.focus({ preventScroll: true });
      });
    });

    // Recognise in four steps, one screen each: a choice moves on to the next step, the strip sums up what is chosen and
    // takes the person back to any step, and Send says what will be sent. A suggested phrase fills the words box (so
    // the counter counts it and the person can add to it).
    var flow = document.querySelector("form.kflow");
    if (flow) {
      flow.classList.add("kflow-on");
      var panels = flow.querySelectorAll(".kpanel");
      var message = document.getElementById("kiosk-message");
      var lastPhrase = "";
      var show = function (n) {
        panels.forEach(function (p) { p.classList.toggle("kactive", p.dataset.step === String(n)); });
        flow.querySelectorAll(".kstripbtn").forEach(function (b) { b.classList.toggle("kcurrent", b.dataset.goto === String(n)); });
        window.scrollTo(0, 0);
      };
      var picked = function (name) {
        var labels = [];
        flow.querySelectorAll("input[name=" + name + "]:checked").forEach(function (i) { labels.push(i.dataset.label || i.value); });
        return labels.join("、");
      };
      var summary = function () {
        var who = [picked("WholeTeam"), picked("RecipientIds")].filter(Boolean).join(" + "), badge = picked("BadgeId"), points = picked("PointsEach");
        var words = message ? message.value.trim() : "";
        document.getElementById("sum-who").textContent = who || "—";
        document.getElementById("sum-badge").textContent = badge || "—";
        document.getElementById("sum-words").textContent = words || "—";
        document.getElementById("sum-points").textContent = points || "—";
        var text = document.getElementById("kiosk-confirm-text");
        if (who) text.textContent = flow.dataset.summary.replace("{0}", who).replace("{1}", badge || "—").replace("{2}", points || "0");
      };
      flow.addEventListener("change", function (e) {
        var name = e.target.name;
        if (name === "Phrase" && message && (message.value.trim() === "" || message.value === lastPhrase)) {
          message.value = lastPhrase = e.target.value;
          message.dispatchEvent(new Event("input", { bubbles: true }));
        }
        summary();
        if (name === "BadgeId") show(3);
      });
      // Several colleagues: a search replaces the list, so the people already checked move up into the picked row first
      // (they stay in the form), and a search result already picked is not shown twice.
      var pickedRow = document.getElementById("kiosk-picked"), people = document.getElementById("kiosk-people");
      if (pickedRow && people) {
        people.addEventListener("htmx:beforeSwap", function () {
          people.querySelectorAll("label.kperson").forEach(function (l) { if (l.querySelector("input:checked")) pickedRow.appendChild(l); });
        });
        people.addEventListener("htmx:afterSwap", function () {
          people.querySelectorAll("label.kperson").forEach(function (l) {
            if (pickedRow.querySelector("[data-person-id='" + l.dataset.personId + "']")) l.remove();
          });
        });
      }
      if (message) message.addEventListener("input", summary);
      flow.addEventListener("click", function (e) {
        var go = e.target.closest("[data-goto]");
        if (go) { e.preventDefault(); show(go.dataset.goto); }
      });
      show(flow.dataset.start || 1);
      summary();
    }

    // A search field's own on-screen keyboard (kiosks show no system keyboard): keys type into the field and search as typing does.
    document.querySelectorAll("[data-toggle]").forEach(function (b) {
      b.addEventListener("click", function () {
        var panel = document.getElementById(b.dataset.toggle);
        panel.hidden = !panel.hidden;
        b.setAttribute("aria-expanded", String(!panel.hidden));
      });
    });
    document.querySelectorAll("[data-keys-for]").forEach(function (pad) {
      var field = document.getElementById(pad.dataset.keysFor);
      pad.addEventListener("click", function (e) {
        var key = e.target.closest("[data-key]");
        if (!key) return;
        var k = key.dataset.key;
        if (k === "⌫") field.value = field.value.slice(0, -1);
        else if (k === "clear") field.value = "";
        else if (field.value.length < 40) field.value += k;
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });

    // Live idle feed: a new public recognition arrives as its rendered card and goes on top; a revoked one leaves. Nothing
    // is fetched per event — only when the pushed card is in another language than the screen shows (the idle screen's
    // language was switched for a while), and every 5 minutes to re-sync.
    var feed = document.getElementById("kiosk-feed");
    var live = window.recognitionLive;
    if (feed && live && typeof signalR !== "undefined") {
      // Returns true when the screen's language differs from the pushed one (then the feed is fetched once per frame).
      var take = function (m) {
        if (m.kind === "revoked") { live.removeCard(document, m.id); return false; }
        if (m.kind === "reactions") { live.setReactions(document, m.id, m.counts); return false; } // in place, in the screen's language
        if (m.kind !== "card") return false;
        if (!m.html || feed.dataset.pushLang !== feed.lang) return true;
        var empty = feed.querySelector(".kempty");
        if (empty) empty.remove(); // the first card replaces the "what will appear here" sentence
        live.insertCard(feed, live.fromHtml(document, m.html).firstElementChild, Number(feed.dataset.max || 6));
        return false;
      };
      var link = live.connect({
        signalR: signalR, hub: "/hubs/wall",
        query: live.deviceQuery(document.body.dataset.version, window.innerWidth, window.innerHeight),
        on: {
          Events: function (list) {
            var fetchFeed = false;
            list.forEach(function (m) { fetchFeed = take(m) || fetchFeed; });
            if (fetchFeed) htmx.trigger(feed, "refresh");
          },
          Boards: function () { }, // the side panel is the walls'; the idle screen shows no boards
          Unpaired: function () { location.href = "/pair"; },
          Reload: function () { location.reload(); } // the admin asked (Admin › Displays and kiosks)
        }
      });
      link.start().catch(function () { });
      window.recognitionKiosk = { connected: link.connected };
    }

    // A person's session: sign out after the idle time; show the last 10 seconds.
    if (body.dataset.session === "1") {
      var limit = Number(body.dataset.idleSeconds || 60) * 1000;
      var last = Date.now();
      var box = document.getElementById("kiosk-countdown");
      var secs = document.getElementById("kiosk-seconds");
      // The server ends the session the idle time after its last request, so the clock here restarts only when the
      // server has heard "still here" (sent on a touch or key, at most every 5 seconds).
      var token = document.querySelector("meta[name=csrf-token]");
      var pinging = false;
      var alive = function () {
        if (pinging || Date.now() - last < 5000) return;
        pinging = true;
        var sent = Date.now();
        fetch("/kiosk/home?handler=Alive", {
          method: "POST", credentials: "same-origin", redirect: "manual",
          headers: token ? { "RequestVerificationToken": token.content } : {}
        }).then(function (r) {
          if (r.status === 204) { last = sent; box.hidden = true; } else { location.href = "/kiosk?timeout=1"; }
        }).catch(function () { }).finally(function () { pinging = false; });
      };
      ["pointerdown", "keydown", "input", "touchstart"].forEach(function (ev) {
        document.addEventListener(ev, alive, true);
      });
      setInterval(function () {
        var left = Math.ceil((limit - (Date.now() - last)) / 1000);
        if (left <= 0) { location.href = "/kiosk?timeout=1"; return; }
        if (left <= 10) { secs.textContent = String(left); box.hidden = false; }
      }, 250);
    }
  });
})();
