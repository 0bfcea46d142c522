// Draws the page's charts with uPlot from the JSON in #fedklpr-charts, and records on <body> how many
// were drawn (data-charts-drawn, data-charts-expected) and what failed (data-chart-errors), so that a
// headless browser can tell a broken page from a good one.
(function () {
  var body = document.body;
  var errors = [];
  var specs = [];
  var drawn = 0;
  try {
    specs = JSON.parse(document.getElementById('fedklpr-charts').textContent);
  } catch (e) {
    errors.push('chart data: ' + e.message);
  }
  // A chart with nothing to draw would come out blank: it counts as an error, not as drawn.
  function check(spec) {
    if (!Array.isArray(spec.x) || spec.x.length === 0) {
      throw new Error('no x values');
    }
    var values = 0;
    spec.series.forEach(function (s) {
      if (!Array.isArray(s.values) || s.values.length !== spec.x.length) {
        throw new Error(s.label + ' has not one value per x');
      }
      values += s.values.filter(function (v) { return v != null; }).length;
    });
    if (values === 0) {
      throw new Error('no value to draw');
    }
  }
  specs.forEach(function (spec) {
    try {
      check(spec);
      var series = [{label: spec.xLabel, value: function (u, v) { return v == null ? '–' : +v.toFixed(2); }}];
      var data = [spec.x];
      spec.series.forEach(function (s) {
        var one = {
          label: s.label,
          stroke: s.color,
          width: s.emphasised ? 2.5 : 1.25,
          spanGaps: true,
          points: {show: true, size: 6, fill: s.color, stroke: s.color},
          value: function (u, v) { return v == null ? '–' : v.toFixed(spec.decimals); }
        };
        series.push(one);
        data.push(s.values);
      });
      var element = document.getElementById(spec.id);
      new uPlot({
        title: spec.title,
        width: Math.min(640, Math.max(360, element.clientWidth || 640)),
        height: 320,
        scales: {x: {time: false}},
        // Rounds are whole numbers: no tick between two of them.
        axes: [spec.wholeX ? {label: spec.xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]}
          : {label: spec.xLabel}, {label: spec.yLabel}],
        series: series
      }, data, element);
      drawn++;
    } catch (e) {
      errors.push(spec.id + ': ' + e.message);
    }
  });
  body.setAttribute('data-charts-expected', String(specs.length));
  body.setAttribute('data-charts-drawn', String(drawn));
  if (errors.length > 0) {
    body.setAttribute('data-chart-errors', errors.join('; '));
    var note = document.createElement('p');
    note.className = 'error';
    note.textContent = 'Charts that could not be drawn: ' + errors.join('; ');
    body.insertBefore(note, body.firstChild);
  }
})();
