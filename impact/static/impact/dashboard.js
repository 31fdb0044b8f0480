// Draws the dashboard charts from the JSON written by json_script (no inline script: strict CSP).
(function () {
  "use strict";
  var source = document.getElementById("impact-chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var locale = document.documentElement.lang || "fr";
  var euros = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });

  new Chart(document.getElementById("chart-arrivals"), {
    type: "bar",
    data: {
      labels: data.years,
      datasets: [
        { label: data.labels.entrepreneurs, data: data.entrepreneurs, backgroundColor: "#1d4f7a" },
        { label: data.labels.people, data: data.people, backgroundColor: "#b35c00" }
      ]
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });

  new Chart(document.getElementById("chart-money"), {
    type: "bar",
    data: {
      labels: data.years,
      datasets: [
        { label: data.labels.cost, data: data.cost, backgroundColor: "#6c2c7a" },
        { label: data.labels.reinjected, data: data.reinjected, backgroundColor: "#2e6b3a" }
      ]
    },
    options: {
      scales: { y: { beginAtZero: true, ticks: { callback: function (value) { return euros.format(value); } } } },
      plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + " : " + euros.format(ctx.parsed.y); } } } }
    }
  });
})();
