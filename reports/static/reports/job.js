// Background export page: poll the job's status (JSON, owner only), show the download link when done, reload the
// page when the job failed (it then offers to run it again).
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-job-label]");
  var rows = box.querySelector("[data-job-rows]");
  var link = box.querySelector("[data-job-download]");
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        label.textContent = data.status_label;
        rows.textContent = data.rows_done.toLocaleString("vi-VN");
        if (data.status === "done" && data.download_url) {
          link.href = data.download_url;
          link.classList.remove("d-none");
        } else if (data.status === "failed") {
          // The page itself says why and offers to run it again.
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  var status = box.getAttribute("data-status");
  if (status === "queued" || status === "running") { poll(); }
})();
