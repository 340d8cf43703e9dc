/* Horizontal bars for every <canvas data-chart="id">, data in <script id="id" type="application/json">. */
(function () {
  "use strict";
  var ROW_HEIGHT = 34;  // pixels per bar; the box is at least 180px high (css/app.css)
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var chart = JSON.parse(source.textContent);
    var box = canvas.parentElement;
    // Set through the CSSOM, which the Content-Security-Policy allows (style attributes it does not).
    box.style.height = (chart.values.length * ROW_HEIGHT) + "px";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{ label: chart.series_label, data: chart.values, backgroundColor: "#1f4e79" }]
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,  // figures appear at once (and for people who prefer reduced motion)
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  });
})();
