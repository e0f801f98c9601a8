// Draws the report's charts from the JSON in #perf-data with uPlot (embedded above). Each chart's element gets
// data-points: how many values it drew, so a reader (or a test) can tell an empty chart from a drawn one.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("perf-data").textContent);
  var drawn = [];
  window.perfCharts = drawn;

  function percentileLabel(v) {
    if (!(v > 1)) { return "0%"; }
    var q = (1 - 1 / v) * 100;
    return (Math.round(q * 1000) / 1000) + "%";
  }

  // x = 1/(1-q): ticks at 0%, 90%, 99%, 99.9%, ... as far as the data goes.
  function percentileSplits(u, axis, min, max) {
    var splits = [1];
    for (var v = 10; v <= max * 1.0001; v *= 10) { splits.push(v); }
    return splits.filter(function (v) { return v >= 1 && v >= min / 1.0001; });
  }

  function seriesOptions(s, kind) {
    var options = { label: s.label, stroke: s.color, width: 1.5, scale: s.secondAxis ? "y2" : "y", spanGaps: false };
    if (s.style === "dashed") {
      options.dash = [6, 4];
    }
    if (s.style === "points") {
      options.paths = function () { return null; };
      options.points = { show: true, size: 7, fill: s.color, stroke: s.color };
    } else {
      options.points = { show: kind === "trials" };
    }
    return options;
  }

  function fromZero(u, min, max) {
    return [0, max > 0 ? max * 1.08 : 1];
  }

  function draw(spec) {
    var element = document.getElementById(spec.id);
    var width = Math.max(360, Math.floor(element.getBoundingClientRect().width) || 720);
    var log = spec.kind === "percentiles";
    var scales = {
      x: log ? { time: false, distr: 3 } : { time: false },
      y: log ? { distr: 3 } : { range: fromZero }
    };
    var axes = [
      log
        ? { label: spec.xLabel, splits: percentileSplits, values: function (u, splits) { return splits.map(percentileLabel); } }
        : { label: spec.xLabel },
      { label: spec.yLabel, size: 60 }
    ];
    if (spec.y2Label) {
      scales.y2 = { range: fromZero };
      axes.push({ label: spec.y2Label, scale: "y2", side: 1, size: 60, grid: { show: false } });
    }
    var options = {
      width: width,
      height: 260,
      scales: scales,
      axes: axes,
      legend: { live: true },
      series: [{ label: spec.xLabel, value: log ? function (u, v) { return v == null ? "" : percentileLabel(v); } : undefined }]
        .concat(spec.series.map(function (s) { return seriesOptions(s, spec.kind); }))
    };
    var columns = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    var chart = new uPlot(options, columns, element);
    var points = 0;
    spec.series.forEach(function (s) {
      s.values.forEach(function (v) { if (v !== null && isFinite(v)) { points++; } });
    });
    element.dataset.points = String(points);
    drawn.push(chart);
  }

  data.charts.forEach(draw);
  document.body.dataset.chartsDrawn = String(drawn.length);
})();
