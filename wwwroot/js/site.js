// Glue only: the server renders everything.
(function () {
  "use strict";
  function token() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }
  // Catalogue colours (live.js's paint); new content swapped in by htmx is painted as it arrives.
  var paint = window.recognitionLive.paint;
  document.addEventListener("DOMContentLoaded", function () {
    paint(document);
    // A refused form comes back open with its reason inside: bring it into view.
    var refused = document.querySelector(".form-error");
    if (refused) refused.scrollIntoView({ block: "center" });
  });
  document.addEventListener("htmx:load", function (e) { paint(e.detail.elt); });
  // htmx sends the antiforgery token as a header on every request.
  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["RequestVerificationToken"] = token();
  });
  document.addEventListener("click", function (e) {
    var remove = e.target.closest(".chip-remove");
    if (remove) { remove.closest(".chip").remove(); }
    var person = e.target.closest("[data-person-id]");
    if (person) {
      var chosen = document.getElementById("chosen");
      if (chosen && chosen.querySelector('[data-chip="' + person.dataset.personId + '"]')) { e.preventDefault(); e.stopImmediatePropagation(); }
    }
  }, true);
  // "Everyone in a team" appends the team's chips: someone already chosen is kept once.
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target.id !== "chosen") return;
    var seen = {};
    e.detail.target.querySelectorAll(".chip[data-chip]").forEach(function (c) {
      if (seen[c.dataset.chip]) c.remove(); else seen[c.dataset.chip] = true;
    });
  });
  // The top bar: on a phone the menu button opens the sections as a list (the leaders' and HR's groups open in it); on a
  // wide screen a group is a small menu that closes when another opens or on a click elsewhere. The current page is marked.
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("menu-toggle");
    var bar = toggle && toggle.closest(".topbar");
    var groups = document.querySelectorAll(".navgroup");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = !bar.classList.contains("open");
        bar.classList.toggle("open", open);
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        groups.forEach(function (g) { g.open = open; });
      });
    }
    groups.forEach(function (g) {
      g.addEventListener("toggle", function () {
        if (g.open && !(bar && bar.classList.contains("open"))) groups.forEach(function (o) { if (o !== g) o.open = false; });
      });
    });
    document.querySelectorAll(".topbar nav a").forEach(function (a) {
      if (a.getAttribute("href") === location.pathname) {
        a.setAttribute("aria-current", "page");
        var g = a.closest(".navgroup");
        if (g) g.classList.add("current");
      }
    });
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest(".navgroup") || document.querySelector(".topbar.open")) return;
    document.querySelectorAll(".navgroup[open]").forEach(function (g) { g.open = false; });
  });
  // Enter in a search box searches (htmx listens for it) instead of submitting the surrounding form and losing the results.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.matches && e.target.matches("input[type=search][hx-get]") && e.target.form) {
      e.preventDefault();
      e.target.dispatchEvent(new Event("search", { bubbles: true }));
    }
  });
  // A live counter that counts as the server does (MessageRules): length in characters as people see them (grapheme
  // clusters, so an emoji or a rare CJK character is one), and toward the minimum a CJK character counts double.
  function isCjk(cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2EBEF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF);
  }
  function graphemes(text) {
    if (window.Intl && Intl.Segmenter) return Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), function (s) { return s.segment; });
    return Array.from(text);
  }
  // As MessageRules.Clean: no control characters but line breaks, no zero-width or bidi controls (Unicode format
  // characters, BMP), except a zero-width joiner between two visible characters (it joins an emoji).
  var FORMAT = "\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB";
  var FORMAT_RE = new RegExp("[" + FORMAT + "]");
  var INVISIBLE = new RegExp("[\\s\\u0000-\\u001F\\u007F-\\u009F" + FORMAT + "]");
  function clean(value) {
    var s = value.replace(/\r/g, ""), out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      if (/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.test(c)) continue;
      if (FORMAT_RE.test(c)) {
        var joins = c === "\u200D" && out.length > 0 && !INVISIBLE.test(out[out.length - 1]) && i + 1 < s.length && !INVISIBLE.test(s[i + 1]);
        if (!joins) continue;
      }
      out += c;
    }
    return out.trim();
  }
  function format(t, args) { return t.replace(/\{(\d)\}/g, function (_, i) { return args[+i]; }); }
  function count(area) {
    var out = document.getElementById(area.getAttribute("aria-describedby").split(" ").pop());
    if (!out) return;
    var text = clean(area.value);
    var parts = graphemes(text), weight = +area.dataset.countWeight || 2, min = +area.dataset.countMin, max = +area.dataset.countMax, weighted = 0;
    parts.forEach(function (g) { weighted += isCjk(g.codePointAt(0)) ? weight : 1; });
    var tooLong = parts.length > max, tooShort = weighted < min;
    out.textContent = tooLong ? format(out.dataset.long, [parts.length, max]) : tooShort ? format(out.dataset.short, [weighted, min]) : format(out.dataset.ok, [weighted, min, max]);
    // Too short is shown in red only once the person has left the box (or tried to send): never before they typed.
    out.classList.toggle("bad", tooLong || (tooShort && area.dataset.touched === "1"));
  }
  document.addEventListener("input", function (e) { if (e.target.matches && e.target.matches("textarea[data-count-min]")) count(e.target); });
  document.addEventListener("focusout", function (e) {
    if (e.target.matches && e.target.matches("textarea[data-count-min]") && e.target.value.length > 0) { e.target.dataset.touched = "1"; count(e.target); }
  });
  document.addEventListener("submit", function (e) {
    e.target.querySelectorAll && e.target.querySelectorAll("textarea[data-count-min]").forEach(function (a) { a.dataset.touched = "1"; count(a); });
  }, true);
  document.addEventListener("DOMContentLoaded", function () { document.querySelectorAll("textarea[data-count-min]").forEach(count); });
  // Our file picker shows the chosen file's name (the native input is hidden: its texts follow the OS, not the reader).
  document.addEventListener("change", function (e) {
    if (!e.target.matches || !e.target.matches(".file-picker input[type=file]")) return;
    var name = e.target.parentNode.querySelector(".file-name");
    if (name) name.textContent = e.target.files.length ? e.target.files[0].name : name.dataset.empty || name.textContent;
  });
  // Print buttons (the pickup slip): no inline handlers under the CSP.
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
  // A submit button marked data-once is disabled after the first press (the server also de-duplicates).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    // Destructive forms ask first (data-confirm holds the question, already in the reader's language).
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { e.preventDefault(); return; }
    if (form.dataset.submitted === "1") { e.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () {
      form.querySelectorAll("button[data-once]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();
