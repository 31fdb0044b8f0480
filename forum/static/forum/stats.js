// Forum statistics: bar charts from the figures the page also shows as tables.
(function () {
  "use strict";
  var source = document.getElementById("forum-chart-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var blue = "#1d4f7a";
  var green = "#2e6b3a";

  function bars(id, labels, datasets) {
    var canvas = document.getElementById(id);
    if (!canvas || !labels.length) { return; }
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: { responsive: true, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  bars("chart-profiles", data.profiles.labels, [
    { label: data.legend.registered, data: data.profiles.registered, backgroundColor: blue },
    { label: data.legend.came, data: data.profiles.came, backgroundColor: green }
  ]);
  bars("chart-origins", data.origins.labels, [
    { label: data.legend.people, data: data.origins.people, backgroundColor: blue }
  ]);
  bars("chart-workshops", data.workshops.labels, [
    { label: data.legend.registered, data: data.workshops.booked, backgroundColor: blue },
    { label: data.legend.came, data: data.workshops.came, backgroundColor: green }
  ]);
})();
