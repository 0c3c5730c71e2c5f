// Attendance grids: arrow keys move between checkboxes, column buttons mark everyone present or absent.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-grid]"), function (grid) {
    function boxes() { return Array.prototype.slice.call(grid.querySelectorAll("input[type=checkbox]:not([disabled])")); }
    grid.addEventListener("keydown", function (event) {
      var box = event.target;
      if (!box.matches || !box.matches("input[type=checkbox]")) { return; }
      var cell = box.closest("td");
      var row = cell.parentElement;
      var col = Array.prototype.indexOf.call(row.children, cell);
      var target = null;
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        var all = Array.prototype.slice.call(row.querySelectorAll("input[type=checkbox]:not([disabled])"));
        var i = all.indexOf(box) + (event.key === "ArrowRight" ? 1 : -1);
        target = all[i];
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp" || event.key === "Enter") {
        var next = (event.key === "ArrowUp") ? row.previousElementSibling : row.nextElementSibling;
        while (next && !target) {
          target = next.children[col] && next.children[col].querySelector("input[type=checkbox]:not([disabled])");
          next = (event.key === "ArrowUp") ? next.previousElementSibling : next.nextElementSibling;
        }
      } else { return; }
      event.preventDefault();
      if (target) { target.focus(); }
    });
    grid.addEventListener("click", function (event) {
      var button = event.target.closest("[data-column-set]");
      if (!button) { return; }
      var value = button.getAttribute("data-value") === "1";
      boxes().forEach(function (box) {
        if (box.getAttribute("data-col") === button.getAttribute("data-column-set")) { box.checked = value; }
      });
    });
  });
})();
