// Glue only: the server renders everything.
(function () {
  "use strict";
  function token() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }
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
  // Enter in a search box searches (htmx listens for it) instead of submitting the surrounding form and losing the results.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.matches && e.target.matches("input[type=search][hx-get]") && e.target.form) {
      e.preventDefault();
      e.target.dispatchEvent(new Event("search", { bubbles: true }));
    }
  });
  // A submit button marked data-once is disabled after the first press (the server also de-duplicates).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset.submitted === "1") { e.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () {
      form.querySelectorAll("button[data-once]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();
