// Bar charts by year for the library and resources overviews (Chart.js, served locally). The figures come from
// a json_script block ("year-bars-data": years, series, stacked); the same figures are in the table beside it.
(function () {
  "use strict";
  var source = document.getElementById("year-bars-data");
  var canvas = document.getElementById("year-bars");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var number = new Intl.NumberFormat(document.documentElement.lang || "vi");
  var colours = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#d63384"];
  var phone = window.matchMedia("(max-width: 575.98px)").matches;
  Chart.defaults.font.family = "system-ui, sans-serif";
  Chart.defaults.animation = false;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.years,
      datasets: data.series.map(function (series, i) {
        return { label: series.label, data: series.values, backgroundColor: colours[i % colours.length] };
      })
    },
    options: {
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom", labels: { boxWidth: 10, padding: phone ? 6 : 10, font: { size: phone ? 11 : 12 } } },
                 tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + number.format(c.parsed.y); } } } },
      scales: { x: { stacked: !!data.stacked },
                y: { stacked: !!data.stacked, beginAtZero: true, ticks: { callback: function (v) { return number.format(v); } } } }
    }
  });
})();
