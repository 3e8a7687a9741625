/**
 * The script of the HTML graph view, as text: plain browser JavaScript with
 * no dependencies (the page must work offline). It reads the graph from the
 * page's JSON block, lays it out with a small force simulation (nodes of a
 * file pulled together), draws SVG, and handles pan (drag the background),
 * zoom (wheel), dragging nodes, search, and a details panel on click.
 */
export const htmlClientScript = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("view");
  var viewport = document.getElementById("viewport");
  var panel = document.getElementById("details");
  var search = document.getElementById("search");
  var status = document.getElementById("status");
  var nodes = data.nodes, edges = data.edges, byId = {};
  nodes.forEach(function (n, i) { n.index = i; byId[n.id] = n; n.out = []; n.inc = []; });
  edges = edges.filter(function (e) { return byId[e.from] && byId[e.to]; });
  edges.forEach(function (e) { byId[e.from].out.push(e); byId[e.to].inc.push(e); });

  // Layout: files on a circle, nodes of a file around its centre, then forces.
  var files = {}, fileList = [];
  nodes.forEach(function (n) { if (!files[n.file]) { files[n.file] = []; fileList.push(n.file); } files[n.file].push(n); });
  var R = 60 * Math.sqrt(nodes.length + 1);
  fileList.forEach(function (f, i) {
    var a = (2 * Math.PI * i) / fileList.length, cx = R * Math.cos(a), cy = R * Math.sin(a), list = files[f];
    list.forEach(function (n, j) {
      var b = (2 * Math.PI * j) / list.length, r = 14 * Math.sqrt(list.length);
      n.x = cx + r * Math.cos(b); n.y = cy + r * Math.sin(b); n.vx = 0; n.vy = 0;
    });
  });
  var N = nodes.length;
  var iterations = Math.max(15, Math.min(300, Math.floor(4e7 / Math.max(1, N * N))));
  for (var it = 0; it < iterations; it++) {
    var t = 1 - it / iterations;
    for (var i = 0; i < N; i++) {
      var a = nodes[i];
      for (var j = i + 1; j < N; j++) {
        var b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
        if (d2 > 250000) continue;
        var f = 4000 / d2, d = Math.sqrt(d2);
        a.vx += (dx / d) * f; a.vy += (dy / d) * f; b.vx -= (dx / d) * f; b.vy -= (dy / d) * f;
      }
    }
    edges.forEach(function (e) {
      var s = byId[e.from], u = byId[e.to];
      if (s === u) return;
      var dx = u.x - s.x, dy = u.y - s.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01, k = (d - 140) * 0.02;
      s.vx += (dx / d) * k; s.vy += (dy / d) * k; u.vx -= (dx / d) * k; u.vy -= (dy / d) * k;
    });
    fileList.forEach(function (fname) {
      var list = files[fname], cx = 0, cy = 0;
      list.forEach(function (n) { cx += n.x; cy += n.y; });
      cx /= list.length; cy /= list.length;
      list.forEach(function (n) { n.vx += (cx - n.x) * 0.03; n.vy += (cy - n.y) * 0.03; });
    });
    nodes.forEach(function (n) {
      n.vx -= n.x * 0.002; n.vy -= n.y * 0.002;
      var v = Math.sqrt(n.vx * n.vx + n.vy * n.vy), max = 40 * t + 1;
      if (v > max) { n.vx *= max / v; n.vy *= max / v; }
      n.x += n.vx; n.y += n.vy; n.vx *= 0.5; n.vy *= 0.5;
    });
  }

  // Remove overlaps: push apart boxes that intersect, along the axis of least overlap.
  nodes.forEach(function (n) { n.w = Math.max(40, n.label.length * 6.6 + 16); n.h = 22; });
  for (var pass = 0; pass < 60 && N <= 2000; pass++) {
    var moved = false;
    for (var i = 0; i < N; i++) {
      var a = nodes[i];
      for (var j = i + 1; j < N; j++) {
        var b = nodes[j], ox = (a.w + b.w) / 2 + 10 - Math.abs(a.x - b.x), oy = (a.h + b.h) / 2 + 8 - Math.abs(a.y - b.y);
        if (ox <= 0 || oy <= 0) continue;
        moved = true;
        if (ox < oy) { var sx = (a.x < b.x ? -1 : 1) * ox / 2; a.x += sx; b.x -= sx; }
        else { var sy = (a.y < b.y ? -1 : 1) * oy / 2; a.y += sy; b.y -= sy; }
      }
    }
    if (!moved) break;
  }

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  var edgeLayer = el("g", { "class": "edges" }, viewport);
  var nodeLayer = el("g", { "class": "nodes" }, viewport);
  edges.forEach(function (e) {
    e.line = el("line", { "class": "edge " + e.kind, "marker-end": "url(#arrow-" + e.kind + ")" }, edgeLayer);
  });
  nodes.forEach(function (n) {
    var g = el("g", { "class": "node kind-" + n.kind + (n.constraints && n.constraints.length ? " constrained" : ""), "data-id": n.id }, nodeLayer);
    var label = n.label, w = n.w;
    el("rect", { x: -w / 2, y: -11, width: w, height: 22, rx: 6 }, g);
    var text = el("text", { "text-anchor": "middle", y: 4 }, g);
    text.textContent = label;
    var title = el("title", {}, g);
    title.textContent = n.id;
    n.g = g;
    g.addEventListener("mousedown", function (ev) { ev.stopPropagation(); dragNode = n; dragMoved = false; last = point(ev); });
    g.addEventListener("click", function (ev) { ev.stopPropagation(); if (!dragMoved) select(n); });
  });

  function clip(s, u) {
    var dx = u.x - s.x, dy = u.y - s.y, sx = Math.abs(dx) / (u.w / 2 + 3), sy = Math.abs(dy) / (u.h / 2 + 3), k = Math.max(sx, sy, 1);
    return { x: u.x - dx / k, y: u.y - dy / k };
  }
  function place() {
    nodes.forEach(function (n) { n.g.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"); });
    edges.forEach(function (e) {
      var s = byId[e.from], u = byId[e.to];
      if (s === u) { e.line.setAttribute("x1", s.x + s.w / 2); e.line.setAttribute("y1", s.y); e.line.setAttribute("x2", s.x + s.w / 2 + 12); e.line.setAttribute("y2", s.y - 14); return; }
      var end = clip(s, u);
      e.line.setAttribute("x1", s.x.toFixed(1)); e.line.setAttribute("y1", s.y.toFixed(1));
      e.line.setAttribute("x2", end.x.toFixed(1)); e.line.setAttribute("y2", end.y.toFixed(1));
    });
  }

  // Pan and zoom.
  var view = { x: 0, y: 0, k: 1 }, panning = false, dragNode = null, dragMoved = false, last = null;
  function apply() { viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")"); }
  function point(ev) { var r = svg.getBoundingClientRect(); return { x: ev.clientX - r.left, y: ev.clientY - r.top }; }
  function fit() {
    if (N === 0) return;
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    nodes.forEach(function (n) { minX = Math.min(minX, n.x - n.w / 2); maxX = Math.max(maxX, n.x + n.w / 2); minY = Math.min(minY, n.y - 11); maxY = Math.max(maxY, n.y + 11); });
    var r = svg.getBoundingClientRect(), k = Math.min(2, 0.92 * Math.min(r.width / (maxX - minX + 1), r.height / (maxY - minY + 1)));
    view.k = k; view.x = r.width / 2 - k * (minX + maxX) / 2; view.y = r.height / 2 - k * (minY + maxY) / 2; apply();
  }
  function centerOn(n) { var r = svg.getBoundingClientRect(); view.x = r.width / 2 - view.k * n.x; view.y = r.height / 2 - view.k * n.y; apply(); }
  svg.addEventListener("mousedown", function (ev) { panning = true; last = point(ev); });
  window.addEventListener("mousemove", function (ev) {
    if (!last) return;
    var p = point(ev), dx = p.x - last.x, dy = p.y - last.y;
    if (dragNode) { dragNode.x += dx / view.k; dragNode.y += dy / view.k; dragMoved = dragMoved || Math.abs(dx) + Math.abs(dy) > 0; place(); }
    else if (panning) { view.x += dx; view.y += dy; apply(); }
    last = p;
  });
  window.addEventListener("mouseup", function () { panning = false; dragNode = null; last = null; });
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = point(ev), k = Math.min(8, Math.max(0.05, view.k * Math.exp(-ev.deltaY * 0.0015)));
    view.x = p.x - ((p.x - view.x) * k) / view.k; view.y = p.y - ((p.y - view.y) * k) / view.k; view.k = k; apply();
  }, { passive: false });
  svg.addEventListener("click", function () { select(null); });

  // Details panel.
  function text(tag, content, parent, cls) { var e = document.createElement(tag); e.textContent = content; if (cls) e.className = cls; parent.appendChild(e); return e; }
  function link(id, parent) {
    var a = text("a", byId[id] ? byId[id].label : id, parent); a.href = "#"; a.title = id;
    a.addEventListener("click", function (ev) { ev.preventDefault(); if (byId[id]) { select(byId[id]); centerOn(byId[id]); } });
    return a;
  }
  var selected = null;
  function select(n) {
    if (selected) selected.g.classList.remove("selected");
    edges.forEach(function (e) { e.line.classList.remove("active"); });
    selected = n;
    panel.innerHTML = "";
    if (!n) { text("p", "Click a node to see its constraints and metrics.", panel, "hint"); return; }
    n.g.classList.add("selected");
    n.out.concat(n.inc).forEach(function (e) { e.line.classList.add("active"); });
    text("h2", n.name, panel);
    text("div", n.id, panel, "id");
    text("div", n.kind + " \u00b7 " + n.file + ":" + n.line, panel, "meta");
    text("h3", "Constraints", panel);
    if (!n.constraints || n.constraints.length === 0) text("p", "none", panel, "hint");
    (n.constraints || []).forEach(function (c) {
      var box = text("div", "", panel, "constraint");
      text("div", c.selector + "  (" + c.source + ")", box, "meta");
      var ul = text("ul", "", box);
      c.bounds.forEach(function (b) { text("li", b, ul); });
      if (c.algorithm.length) text("div", "algorithm: " + c.algorithm.join(", "), box);
      text("div", "mutations: " + c.mutations + " \u00b7 severity: " + c.severity, box, "meta");
    });
    text("h3", "Metrics", panel);
    // Rows come formatted ([label, text]), measured or recorded: the first says which.
    var rows = n.metrics || [];
    if (rows.length === 0) text("p", "not measured yet", panel, "hint");
    else { var tb = text("table", "", panel); rows.forEach(function (r) { var tr = text("tr", "", tb); text("td", r[0], tr); text("td", r[1], tr); }); }
    text("h3", "Calls (" + n.out.length + ")", panel);
    var ul1 = text("ul", "", panel);
    n.out.forEach(function (e) {
      var li = text("li", "", ul1); link(e.to, li); text("span", " " + e.kind + ", line " + e.lines.join(", "), li, "meta");
      (e.metrics || []).forEach(function (r) { text("div", r[0] + ": " + r[1], li, "meta edge-metrics"); });
    });
    text("h3", "Called by (" + n.inc.length + ")", panel);
    var ul2 = text("ul", "", panel);
    n.inc.forEach(function (e) {
      var li = text("li", "", ul2); link(e.from, li); text("span", " " + e.kind, li, "meta");
      (e.metrics || []).forEach(function (r) { text("div", r[0] + ": " + r[1], li, "meta edge-metrics"); });
    });
  }

  // Search: highlight matches, Enter jumps to the first.
  function runSearch() {
    var q = search.value.trim().toLowerCase(), hits = [];
    nodes.forEach(function (n) {
      var hit = q !== "" && n.id.toLowerCase().indexOf(q) >= 0;
      n.g.classList.toggle("match", hit);
      n.g.classList.toggle("dim", q !== "" && !hit);
      if (hit) hits.push(n);
    });
    status.textContent = q === "" ? N + " nodes, " + edges.length + " edges" : hits.length + " match" + (hits.length === 1 ? "" : "es");
    return hits;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { var h = runSearch(); if (h.length) { select(h[0]); centerOn(h[0]); } } });
  document.getElementById("fit").addEventListener("click", fit);

  place(); fit(); runSearch(); select(null);
  document.body.setAttribute("data-ready", "true");
})();
`;
