// Dashboard trend charts (Chart.js, served locally). The figures come from a JSON data block rendered by
// Django's json_script; every chart has the same figures in the table beside it. Lines differ by dash
// pattern and point shape as well as colour, so they read without colour.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // Separators follow the interface language, as the tables beside the charts do.
  var number = new Intl.NumberFormat(document.documentElement.lang || "vi");
  var colours = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#d63384", "#0dcaf0", "#212529"];
  var dashes = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4]];
  var points = ["circle", "rect", "triangle", "rectRot", "cross", "star", "crossRot", "line"];
  Chart.defaults.font.family = "system-ui, sans-serif";
  Chart.defaults.animation = false;
  var phone = window.matchMedia("(max-width: 575.98px)").matches;

  var participation = document.getElementById("chart-participation");
  if (participation) {
    new Chart(participation, {
      type: "line",
      data: {
        labels: data.years,
        datasets: data.participation.map(function (series, i) {
          return {
            label: series.label, data: series.values,
            borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length],
            borderDash: dashes[i % dashes.length], pointStyle: points[i % points.length], pointRadius: 4
          };
        })
      },
      options: {
        maintainAspectRatio: false,
        // At most ten series (the largest and "Khác", reports.dashboard.CHART_SERIES); on a phone the legend's
        // small markers and type keep it to a few lines under the chart.
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 8, padding: phone ? 6 : 10,
                                                            font: { size: phone ? 11 : 12 } } },
                   tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + number.format(c.parsed.y); } } } },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return number.format(v); } } } }
      }
    });
  }
  var tot = document.getElementById("chart-tot");
  if (tot) {
    new Chart(tot, {
      type: "bar",
      data: { labels: data.years, datasets: [{ label: data.tot_label, data: data.tot_share, backgroundColor: "#198754" }] },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: false },
                   tooltip: { callbacks: { label: function (c) { return number.format(c.parsed.y) + "%"; } } } },
        scales: { y: { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + "%"; } } } }
      }
    });
  }
})();
