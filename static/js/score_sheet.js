// The score sheet's running totals: per group, overall, and the rating the thresholds give (the same rule
// as evaluations.services.rating_for). The server renders the same figures; this keeps them live as the
// user types. No inline script (Content-Security-Policy).
(function () {
  "use strict";
  function parse(value) {
    if (value === null || value === undefined) { return null; }
    var text = String(value).trim().replace(",", ".");
    if (text === "") { return null; }
    var number = Number(text);
    return isFinite(number) ? number : null;
  }
  function shown(number) {
    var rounded = Math.round(number * 100) / 100;
    return String(rounded).replace(".", ",");
  }
  function update(form) {
    var rule = JSON.parse(form.getAttribute("data-thresholds") || "{}");
    var groups = {};
    var total = 0;
    var empty = 0;
    form.querySelectorAll("input[data-points]").forEach(function (input) {
      var group = input.getAttribute("data-group");
      var points = parse(input.value);
      var max = parse(input.getAttribute("max"));
      if (!(group in groups)) { groups[group] = 0; }
      if (points === null) { empty += 1; return; }
      if (points < 0 || (max !== null && points > max)) { return; }
      groups[group] += points;
      total += points;
    });
    Object.keys(groups).forEach(function (group) {
      var cell = form.querySelector('[data-group-total="' + group + '"]');
      if (cell) { cell.textContent = shown(groups[group]); }
    });
    var rating = rule.fallback || "";
    (rule.thresholds || []).some(function (t) {
      if (total + 1e-9 < t.min) { return false; }
      var ok = Object.keys(t.groups).every(function (g) { return (groups[g] || 0) + 1e-9 >= t.groups[g]; });
      if (ok) { rating = t.label; }
      return ok;
    });
    var totalCell = form.querySelector("[data-sheet-total]");
    if (totalCell) { totalCell.textContent = shown(total); }
    var ratingCell = form.querySelector("[data-sheet-rating]");
    if (ratingCell) { ratingCell.textContent = rating; }
    var emptyCell = form.querySelector("[data-sheet-empty]");
    if (emptyCell) { emptyCell.textContent = String(empty); }
    var emptyLine = form.querySelector("[data-sheet-empty-line]");
    if (emptyLine) { emptyLine.hidden = empty === 0; }
  }
  document.querySelectorAll("form[data-score-sheet]").forEach(function (form) {
    form.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("input[data-points]")) { update(form); }
    });
  });
})();
