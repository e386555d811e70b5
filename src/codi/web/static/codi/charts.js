/* Home-page charts (Chart.js), fed by the JSON block the page renders; no inline script. */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  function compact(value) {
    var lang = document.documentElement.lang || "th";
    try { return new Intl.NumberFormat(lang === "th" ? "th-TH" : "en-GB", { notation: "compact", maximumFractionDigits: 2 }).format(value); }
    catch (e) { return String(value); }
  }
  ready(function () {
    var node = document.getElementById("chart-data");
    if (!node || typeof Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    Chart.defaults.font.family = "Sarabun, 'Noto Sans Thai', sans-serif";
    Chart.defaults.font.size = 13;
    var regions = document.getElementById("chart-regions");
    if (regions && data.regions) {
      new Chart(regions, {
        type: "bar",
        data: { labels: data.regions.labels, datasets: [
          { label: data.regions.approved_label, data: data.regions.approved, backgroundColor: "#0b5d3b" },
          { label: data.regions.disbursed_label, data: data.regions.disbursed, backgroundColor: "#f2a900" }
        ] },
        options: { indexAxis: "y", responsive: true, maintainAspectRatio: false,
          plugins: { title: { display: true, text: data.regions.title } },
          scales: { x: { ticks: { callback: compact } }, y: { ticks: { autoSkip: false } } } }
      });
    }
    var status = document.getElementById("chart-status");
    if (status && data.status) {
      new Chart(status, {
        type: "doughnut",
        data: { labels: data.status.labels, datasets: [{ data: data.status.values,
          backgroundColor: ["#0b5d3b", "#f2a900", "#3a7ca5", "#a4161a", "#6a994e", "#8e7dbe", "#bc6c25", "#5b6660", "#2a9d8f", "#e76f51"] }] },
        options: { responsive: true, maintainAspectRatio: false,
          plugins: { title: { display: true, text: data.status.title }, legend: { position: "bottom" } } }
      });
    }
  });
})();
