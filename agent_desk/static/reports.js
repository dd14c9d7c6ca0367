// The dashboard's charts: bar charts in SVG drawn from the same JSON the API serves
// (/reports/data.json); each bar links to the list of complaints it counts.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var charts = document.getElementById("charts");
  if (!charts) { return; }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function listUrl(measure, key) {
    var url = new URL(charts.dataset.list, window.location.href);
    url.searchParams.set("measure", measure);
    url.searchParams.set("key", key);
    return url.pathname + url.search;
  }

  // counts: {key: n}; labels: {key: text}. One bar per key, the tallest filling the height.
  function bars(figure, counts, labels) {
    // The JSON's keys come sorted by name; a figure may give its own order (data-order).
    var keys = figure.dataset.order ? figure.dataset.order.split(" ") : Object.keys(counts);
    var width = 320, slanted = keys.length > 4;
    var base = 140, height = slanted ? 230 : 170;
    var max = Math.max.apply(null, keys.map(function (k) { return counts[k]; }).concat([1]));
    var step = width / keys.length;
    var svg = el("svg", {viewBox: "0 0 " + width + " " + height, role: "img", "class": "bars",
                         "aria-label": figure.dataset.title});
    keys.forEach(function (key, i) {
      var n = counts[key], h = Math.round((base - 20) * n / max), x = i * step + step * 0.15;
      var link = el("a", {href: listUrl(figure.dataset.measure, key), "data-key": key, "data-count": n});
      link.appendChild(el("rect", {x: x, y: base - h, width: step * 0.7, height: Math.max(h, 1), "class": "bar"}));
      link.appendChild(el("text", {x: x + step * 0.35, y: base - h - 4, "text-anchor": "middle"}, String(n)));
      svg.appendChild(link);
      var lx = x + step * 0.35, ly = base + 16;  // long names are slanted so they do not overlap
      svg.appendChild(el("text", slanted ? {x: lx, y: ly, "text-anchor": "end", "class": "label",
                                            transform: "rotate(-35 " + lx + " " + ly + ")"}
                                         : {x: lx, y: ly, "text-anchor": "middle", "class": "label"},
                         labels[key] || key));
    });
    var caption = document.createElement("figcaption");
    caption.textContent = figure.dataset.title;
    figure.replaceChildren(caption, svg);
  }

  fetch(charts.dataset.source, {headers: {Accept: "application/json"}, credentials: "same-origin"})
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) {
      bars(document.getElementById("chart-resolved"), data.resolved, {});
      bars(document.getElementById("chart-open"), data.open, {});
      bars(document.getElementById("chart-overdue"), data.overdue, {});
      var closures = document.getElementById("chart-closures");
      bars(closures, data.closures, JSON.parse(closures.dataset.labels || "{}"));
      charts.dataset.drawn = "yes";
    })
    .catch(function (error) { charts.dataset.drawn = "failed: " + error; });
}());
