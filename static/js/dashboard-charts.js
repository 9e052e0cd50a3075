/* Draw the dashboards' charts (Chart.js, vendored) from the JSON each page puts in a
 * <script type="application/json"> element beside the canvas (json_script): no inline
 * script, so the strict CSP holds. Every chart's numbers are also in the table under it.
 *
 * Readable in greyscale: bar series are filled with patterns (solid, stripes, dots,
 * cross-hatch) in dark colours, line and radar series differ by dash and point shape,
 * and every series is named in the legend. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var COLOURS = ["#1d3557", "#6c3483", "#0b6e4f", "#7a4b00", "#5d6d7e", "#922b21"];
  var FILLS = ["solid", "stripes", "dots", "cross"];
  var DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4]];
  var POINTS = ["circle", "triangle", "rect", "rectRot", "crossRot", "star"];

  function pattern(kind, colour) {
    var tile = document.createElement("canvas");
    tile.width = 10;
    tile.height = 10;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, 10, 10);
    ctx.fillStyle = colour;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    if (kind === "solid") {
      ctx.fillRect(0, 0, 10, 10);
    } else if (kind === "stripes") {
      ctx.beginPath();
      ctx.moveTo(0, 10);
      ctx.lineTo(10, 0);
      ctx.moveTo(-5, 5);
      ctx.lineTo(5, -5);
      ctx.moveTo(5, 15);
      ctx.lineTo(15, 5);
      ctx.stroke();
    } else if (kind === "dots") {
      ctx.beginPath();
      ctx.arc(5, 5, 2.2, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.beginPath();
      ctx.moveTo(0, 5);
      ctx.lineTo(10, 5);
      ctx.moveTo(5, 0);
      ctx.lineTo(5, 10);
      ctx.stroke();
    }
    return ctx.createPattern(tile, "repeat");
  }

  function dataset(spec, index, type) {
    var colour = COLOURS[index % COLOURS.length];
    var base = { label: spec.label, data: spec.data, borderColor: colour, borderWidth: 2 };
    if (type === "bar") {
      base.backgroundColor = pattern(FILLS[index % FILLS.length], colour);
      if (spec.range) {
        base.borderSkipped = false;
      }
      return base;
    }
    base.backgroundColor = type === "radar" ? "rgba(0, 0, 0, 0)" : colour;
    base.borderDash = DASHES[index % DASHES.length];
    base.pointStyle = POINTS[index % POINTS.length];
    base.pointRadius = 5;
    base.pointBackgroundColor = colour;
    base.spanGaps = false;
    return base;
  }

  function options(spec) {
    var common = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom", labels: { usePointStyle: spec.type !== "bar" } } }
    };
    if (spec.type === "radar") {
      common.scales = { r: { min: 0, max: spec.max || 4, ticks: { stepSize: 1 } } };
    } else {
      common.scales = {
        y: { beginAtZero: true, title: { display: Boolean(spec.yTitle), text: spec.yTitle || "" } }
      };
    }
    return common;
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var chart = new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          return dataset(d, i, spec.type);
        })
      },
      options: options(spec)
    });
    canvas.setAttribute("data-rendered", chart ? "true" : "false");
  });
})();
