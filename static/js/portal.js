// Small behaviours shared by every page. No inline scripts (Content-Security-Policy).
(function () {
  "use strict";
  // The server validates every form with Vietnamese messages; the browser's own "required" bubbles would
  // speak the browser's language (English on many office PCs), so they are switched off.
  function serverValidates(root) {
    var forms = (root || document).querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) { forms[i].noValidate = true; }
  }
  serverValidates();
  // Forms with data-confirm ask before submitting (merges, approvals, unlocks).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // The button pressed may ask its own question ("Lưu và nộp"), else the form asks.
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Selects with data-autosubmit submit their form on change (filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  // Buttons with data-print print the page.
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-print]") : null;
    if (el) { event.preventDefault(); window.print(); }
  });
})();
