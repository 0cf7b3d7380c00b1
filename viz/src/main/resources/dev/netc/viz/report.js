(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var DATA = JSON.parse(document.getElementById('netc-data').textContent);
  var tip = document.getElementById('tip');

  function human(v) {
    if (v === null || v === undefined) return '';
    if (Math.abs(v) < 1000) return String(Math.round(v * 100) / 100);
    var units = ['', 'K', 'M', 'G', 'T', 'P', 'E'], i = 0;
    while (Math.abs(v) >= 999.995 && i < units.length - 1) { v /= 1000; i++; }
    return v.toFixed(2).replace(/\.00$/, '') + units[i];
  }
  function bytes(v) {
    if (Math.abs(v) < 1024) return v + ' B';
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (Math.abs(v) >= 1023.995 && i < units.length - 1) { v /= 1024; i++; }
    return v.toFixed(2).replace(/\.00$/, '') + ' ' + units[i];
  }
  function grouped(v) { return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function ms(ns) { return ns === undefined || ns === null ? '' : (ns / 1e6).toFixed(3) + ' ms'; }
  function shape(s) { return s ? '[' + s.join(', ') + ']' : ''; }
  function rf(v) { return v ? (v.every(function (x) { return x === v[0]; }) ? String(v[0]) : v.join('x')) : ''; }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function showTip(text, ev) {
    tip.textContent = text;
    tip.style.display = 'block';
    var x = ev.clientX + 14, y = ev.clientY + 14;
    if (x + tip.offsetWidth > window.innerWidth) x = ev.clientX - tip.offsetWidth - 8;
    if (y + tip.offsetHeight > window.innerHeight) y = ev.clientY - tip.offsetHeight - 8;
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }
  function hideTip() { tip.style.display = 'none'; }
  function hover(node, textFn) {
    node.addEventListener('mousemove', function (ev) { showTip(textFn(), ev); });
    node.addEventListener('mouseleave', hideTip);
  }

  var METRICS = {
    macs: { label: 'MACs', fmt: human },
    params: { label: 'parameters', fmt: human },
    activation_bytes: { label: 'activation bytes', fmt: bytes },
    time_ns: { label: 'measured time', fmt: ms }
  };

  /** The layers as a tree of path prefixes, with sums per prefix. */
  function tree(layers) {
    var root = { path: '', children: [], map: {}, layer: null, level: -1, order: -1 };
    layers.forEach(function (l, idx) {
      var segs = l.path.split('.'), node = root;
      for (var k = 1; k <= segs.length; k++) {
        var p = segs.slice(0, k).join('.');
        var c = node.map[p];
        if (!c) {
          c = { path: p, children: [], map: {}, layer: null, level: k - 1, order: idx, parent: node };
          node.map[p] = c;
          node.children.push(c);
        }
        node = c;
      }
      node.layer = l;
    });
    (function sum(n) {
      var s = { params: 0, macs: 0, other_ops: 0, activation_bytes: 0, time_ns: 0, layers: 0, last: null };
      if (n.layer) add(s, n.layer);
      n.children.forEach(function (c) {
        sum(c);
        ['params', 'macs', 'other_ops', 'activation_bytes', 'time_ns', 'layers'].forEach(function (k) { s[k] += c.sums[k]; });
        s.last = c.sums.last;
      });
      n.sums = s;
    })(root);
    return root;
  }
  function add(s, l) {
    s.params += l.params; s.macs += l.macs; s.other_ops += l.other_ops; s.activation_bytes += l.activation_bytes;
    s.time_ns += l.time_ns || 0; s.layers += 1; s.last = l;
  }
  function describe(n) {
    var s = n.sums, l = n.layer && n.children.length === 0 ? n.layer : null;
    var lines = [n.path, l ? (l.op + (l.detail ? ' ' + l.detail : '')) : s.layers + ' layers',
      'output ' + shape(s.last.output_shape), 'params ' + grouped(s.params), 'MACs ' + grouped(s.macs),
      'other ops ' + grouped(s.other_ops), 'activations ' + bytes(s.activation_bytes)];
    if (s.last.receptive_field) lines.push('receptive field ' + rf(s.last.receptive_field) + ', stride ' + rf(s.last.stride));
    if (s.time_ns) lines.push('time ' + ms(s.time_ns) + (l && l.gflops ? ', ' + l.gflops.toFixed(1) + ' GFLOP/s' : ''));
    return lines.join('\n');
  }

  function card(parent, k, v, x) {
    var c = el('div', { 'class': 'card' });
    c.appendChild(el('div', { 'class': 'k' }, k));
    c.appendChild(el('div', { 'class': 'v' }, v));
    if (x) c.appendChild(el('div', { 'class': 'x' }, x));
    parent.appendChild(c);
  }
  function summary(net, box) {
    card(box, 'parameters', human(net.params), grouped(net.params) + (net.buffers ? ' + ' + grouped(net.buffers) + ' buffers' : ''));
    card(box, 'MACs', human(net.macs), grouped(net.flops) + ' FLOPs');
    card(box, 'weights', bytes(net.weight_bytes), 'float32');
    card(box, 'peak activations (naive)', bytes(net.peak_activation_bytes), 'at ' + net.peak_at);
    if (net.planned_arena_bytes !== undefined) card(box, 'planned arena', bytes(net.planned_arena_bytes), 'lower bound ' + bytes(net.arena_lower_bound_bytes));
    card(box, 'layers', grouped(net.layers.length), 'batch ' + net.batch);
    card(box, 'inputs', net.inputs.map(function (t) { return t.name + ' ' + shape(t.shape); }).join(', '));
    card(box, 'outputs', net.outputs.map(function (t) { return t.name + ' ' + shape(t.shape); }).join(', '));
    if (net.profile) card(box, 'measured', ms(net.profile.total_ns), net.profile.gflops.toFixed(1) + ' GFLOP/s, ' + net.profile.threads + ' thread(s)');
  }

  /** Vertical bars, one per item, in order. */
  function bars(box, items, fmt, onHover) {
    var W = 1100, H = 220, L = 60, B = 24, T = 10;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, 'class': 'bars', role: 'img' });
    var max = Math.max.apply(null, items.map(function (i) { return i.value; }).concat([1]));
    axisY(s, L, T, W - 8, H - B, max, fmt);
    var w = (W - 8 - L) / Math.max(items.length, 1);
    items.forEach(function (it, i) {
      var h = (H - B - T) * it.value / max;
      var r = svg('rect', { 'class': 'bar', x: L + i * w, y: H - B - h, width: Math.max(w - (w > 3 ? 1 : 0), 0.5), height: Math.max(h, 0) });
      r.setAttribute('data-path', it.path);
      hover(r, function () { return it.tip; });
      if (onHover) r.addEventListener('mouseenter', function () { onHover(it.path); });
      s.appendChild(r);
    });
    s.appendChild(svg('text', { x: L, y: H - 6 }, items.length + ' items, in execution order'));
    box.appendChild(s);
  }

  /** Horizontal bars with labels. */
  function hbars(box, items, fmt) {
    var W = 1100, row = 18, L = 200, T = 6, H = T * 2 + row * items.length + 16;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, 'class': 'hbars', role: 'img' });
    var max = Math.max.apply(null, items.map(function (i) { return i.value; }).concat([1]));
    items.forEach(function (it, i) {
      var y = T + i * row, w = (W - L - 120) * it.value / max;
      s.appendChild(svg('text', { x: L - 6, y: y + 13, 'text-anchor': 'end' }, it.label));
      var r = svg('rect', { 'class': 'bar', x: L, y: y + 2, width: Math.max(w, 0.5), height: row - 4 });
      hover(r, function () { return it.tip; });
      s.appendChild(r);
      s.appendChild(svg('text', { x: L + w + 6, y: y + 13 }, fmt(it.value)));
    });
    box.appendChild(s);
  }

  function axisY(s, L, T, R, Bot, max, fmt) {
    for (var k = 0; k <= 4; k++) {
      var y = Bot - (Bot - T) * k / 4;
      s.appendChild(svg('line', { 'class': k ? 'grid' : 'axis', x1: L, x2: R, y1: y, y2: y }));
      s.appendChild(svg('text', { x: L - 4, y: y + 4, 'text-anchor': 'end' }, fmt(max * k / 4)));
    }
  }

  /** Lines over x in [x0, x1]; series: {name, color, points: [[x, y]]}; marks: horizontal lines. */
  function lines(box, series, opts) {
    var W = 540, H = 260, L = 64, B = 34, T = 26, R = W - 10;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, 'class': 'lines', role: 'img' });
    var all = [];
    series.forEach(function (se) { se.points.forEach(function (p) { all.push(p); }); });
    var xs = all.map(function (p) { return p[0]; }), ys = all.map(function (p) { return p[1]; });
    (opts.marks || []).forEach(function (m) { ys.push(m.y); });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), max = Math.max.apply(null, ys.concat([1]));
    if (x1 === x0) x1 = x0 + 1;
    function px(x) { return L + (R - L) * (x - x0) / (x1 - x0); }
    function py(y) { return H - B - (H - B - T) * y / max; }
    axisY(s, L, T, R, H - B, max, opts.fmt);
    s.appendChild(svg('text', { x: (L + R) / 2, y: H - 6, 'text-anchor': 'middle' }, opts.xLabel));
    s.appendChild(svg('text', { x: L, y: H - B + 14 }, opts.xFmt(x0)));
    s.appendChild(svg('text', { x: R, y: H - B + 14, 'text-anchor': 'end' }, opts.xFmt(x1)));
    (opts.marks || []).forEach(function (m) {
      s.appendChild(svg('line', { x1: L, x2: R, y1: py(m.y), y2: py(m.y), stroke: m.color, 'stroke-dasharray': '5,3' }));
    });
    var legend = svg('g', { 'class': 'legend' }), lx = L;
    series.concat(opts.marks || []).forEach(function (se) {
      legend.appendChild(svg('rect', { x: lx, y: 8, width: 10, height: 10, fill: se.color }));
      var t = svg('text', { x: lx + 14, y: 17 }, se.name);
      legend.appendChild(t);
      lx += 24 + 6.2 * se.name.length;
    });
    s.appendChild(legend);
    series.forEach(function (se) {
      var d = se.points.map(function (p, i) { return (i ? 'L' : 'M') + px(p[0]).toFixed(1) + ',' + py(p[1]).toFixed(1); }).join('');
      s.appendChild(svg('path', { 'class': 'line', d: d, fill: 'none', stroke: se.color, 'stroke-width': 1.6 }));
      if (se.points.length <= 40) {
        se.points.forEach(function (p) {
          var c = svg('circle', { cx: px(p[0]), cy: py(p[1]), r: 3, fill: se.color });
          hover(c, function () { return se.name + '\n' + opts.xFmt(p[0]) + ': ' + opts.fmt(p[1]); });
          s.appendChild(c);
        });
      }
    });
    box.appendChild(s);
  }

  function renderNetwork(net, sec) {
    var timeByPath = {};
    if (net.profile) net.profile.layers.forEach(function (p) { timeByPath[p.path] = p; });
    net.layers.forEach(function (l) {
      var p = timeByPath[l.path];
      if (p) { l.time_ns = p.time_ns; l.gflops = p.gflops; l.peak_fraction = p.peak_fraction; }
    });
    var root = tree(net.layers);
    var nodes = {};
    (function index(n) { n.children.forEach(function (c) { nodes[c.path] = c; index(c); }); })(root);
    summary(net, sec.querySelector('.summary'));
    var graph = sec.querySelector('.graph');
    function highlight(path) {
      if (!graph) return;
      var old = graph.querySelectorAll('g.box.hl');
      for (var i = 0; i < old.length; i++) old[i].classList.remove('hl');
      var boxes = graph.querySelectorAll('g.box');
      for (var j = 0; j < boxes.length; j++) {
        var bp = boxes[j].getAttribute('data-path');
        if (bp === path || path.indexOf(bp + '.') === 0) boxes[j].classList.add('hl');
      }
    }
    var metricSel = sec.querySelector('select.metric');
    function drawCosts() {
      var m = metricSel.value, fmt = METRICS[m].fmt;
      var layersBox = sec.querySelector('[data-chart=layers]'), stagesBox = sec.querySelector('[data-chart=stages]');
      layersBox.textContent = '';
      stagesBox.textContent = '';
      bars(layersBox, net.layers.map(function (l) {
        return { path: l.path, value: l[m] || 0, tip: l.path + '\n' + l.op + ' ' + l.detail + '\n' + METRICS[m].label + ' ' + fmt(l[m] || 0) };
      }), fmt, highlight);
      hbars(stagesBox, root.children.map(function (c) {
        return { label: c.path + (c.sums.layers > 1 ? ' (' + c.sums.layers + ')' : ''), value: c.sums[m] || 0, tip: describe(c) };
      }), fmt);
    }
    metricSel.addEventListener('change', drawCosts);
    drawCosts();
    if (net.timeline) {
      var tl = net.timeline;
      var nv = tl.naive.map(function (v, i) { return [tl.naive.length > 1 ? 100 * i / (tl.naive.length - 1) : 0, v]; });
      var pl = tl.planned.map(function (v, i) { return [tl.planned.length > 1 ? 100 * i / (tl.planned.length - 1) : 0, v]; });
      lines(sec.querySelector('[data-chart=timeline]'), [
        { name: 'naive (' + tl.naive.length + ' layers)', color: '#6baed6', points: nv },
        { name: 'plan (' + tl.planned.length + ' steps)', color: '#e6550d', points: pl }
      ], { fmt: bytes, xLabel: 'progress through the network (%)', xFmt: function (x) { return Math.round(x) + '%'; },
        marks: [{ name: 'planned arena', color: '#a63603', y: tl.planned_arena_bytes }] });
    }
    var rfPts = [];
    net.layers.forEach(function (l, i) { if (l.receptive_field) rfPts.push([i, Math.max.apply(null, l.receptive_field)]); });
    var rfBox = sec.querySelector('[data-chart=rf]');
    if (rfPts.length) {
      lines(rfBox, [{ name: 'receptive field (pixels)', color: '#31a354', points: rfPts }],
        { fmt: function (v) { return human(Math.round(v)); }, xLabel: 'layer (execution order)', xFmt: function (x) { return 'layer ' + x; } });
    } else {
      rfBox.appendChild(el('p', { 'class': 'controls' }, 'No spatial layers: no receptive field.'));
    }
    var sweepBox = sec.querySelector('[data-chart=sweep]');
    if (sweepBox && net.sweep) {
      var pts = net.sweep.points;
      var x = function (p) { return p.shape[p.shape.length - 1]; };
      var row = el('div', { 'class': 'row' }), a = el('div', { 'class': 'col' }), b = el('div', { 'class': 'col' });
      row.appendChild(a); row.appendChild(b); sweepBox.appendChild(row);
      lines(a, [{ name: 'MACs', color: '#e6550d', points: pts.map(function (p) { return [x(p), p.macs]; }) }],
        { fmt: human, xLabel: net.sweep.input + ' width (pixels)', xFmt: String });
      lines(b, [{ name: 'peak activations', color: '#3182bd', points: pts.map(function (p) { return [x(p), p.peak_activation_bytes]; }) }],
        { fmt: bytes, xLabel: net.sweep.input + ' width (pixels)', xFmt: String });
    }
    var profBox = sec.querySelector('[data-chart=profile]');
    if (profBox && net.profile) {
      hbars(profBox, root.children.map(function (c) {
        return { label: c.path, value: c.sums.time_ns, tip: describe(c) };
      }), ms);
    }
    table(net, sec, root, highlight);
    if (graph) {
      var boxes = graph.querySelectorAll('g.box');
      for (var i = 0; i < boxes.length; i++) {
        (function (g) {
          var t = g.querySelector('title'), text = t ? t.textContent : '';
          if (t) t.parentNode.removeChild(t);
          var n = nodes[g.getAttribute('data-path')];
          hover(g, function () { return n ? describe(n) : text; });
        })(boxes[i]);
      }
    }
  }

  function table(net, sec, root, highlight) {
    var cols = [
      { key: 'path', label: 'layer' }, { key: 'op', label: 'op' }, { key: 'shape', label: 'output' },
      { key: 'params', label: 'params', num: true, fmt: grouped }, { key: 'macs', label: 'MACs', num: true, fmt: grouped },
      { key: 'other_ops', label: 'other ops', num: true, fmt: grouped },
      { key: 'activation_bytes', label: 'activations', num: true, fmt: bytes },
      { key: 'rf', label: 'RF', num: true }, { key: 'stride', label: 'stride', num: true }
    ];
    if (net.profile) {
      cols.push({ key: 'time_ns', label: 'time', num: true, fmt: ms });
      cols.push({ key: 'gflops', label: 'GFLOP/s', num: true });
      cols.push({ key: 'peak_fraction', label: '% of peak', num: true });
    }
    var thead = sec.querySelector('table.layers thead'), tbody = sec.querySelector('table.layers tbody');
    var filter = sec.querySelector('input.filter'), depthSel = sec.querySelector('select.depth');
    var count = sec.querySelector('.count');
    var maxLevel = 0;
    (function lv(n) { n.children.forEach(function (c) { maxLevel = Math.max(maxLevel, c.level + 1); lv(c); }); })(root);
    for (var d = 1; d <= maxLevel; d++) depthSel.appendChild(el('option', { value: d }, d === maxLevel ? d + ' (all)' : String(d)));
    depthSel.value = String(Math.min(net.depth || maxLevel, maxLevel));
    var expanded = {}, sortKey = null, asc = false;
    function resetExpansion() {
      expanded = {};
      var limit = Number(depthSel.value);
      (function walk(n) { n.children.forEach(function (c) { if (c.level + 1 < limit) expanded[c.path] = true; walk(c); }); })(root);
    }
    var tr = el('tr');
    cols.forEach(function (c) {
      var th = el('th', { 'class': c.num ? 'num' : '', 'data-key': c.key }, c.label);
      th.addEventListener('click', function () {
        if (sortKey === c.key) asc = !asc; else { sortKey = c.key; asc = !c.num; }
        var ths = thead.querySelectorAll('th');
        for (var i = 0; i < ths.length; i++) ths[i].classList.remove('sorted', 'asc');
        th.classList.add('sorted');
        if (asc) th.classList.add('asc');
        draw();
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    function value(n, key) {
      var s = n.sums, leaf = n.children.length === 0 && n.layer;
      switch (key) {
        case 'path': return n.path;
        case 'op': return leaf ? n.layer.op + (n.layer.detail ? ' ' + n.layer.detail : '') : '(' + s.layers + ' layers)';
        case 'shape': return shape(s.last.output_shape);
        case 'rf': return s.last.receptive_field ? Math.max.apply(null, s.last.receptive_field) : -1;
        case 'stride': return s.last.stride ? Math.max.apply(null, s.last.stride) : -1;
        case 'gflops': return leaf ? (n.layer.gflops || 0) : (s.time_ns ? 2 * s.macs / s.time_ns : 0);
        case 'peak_fraction': return leaf ? (n.layer.peak_fraction || 0) : -1;
        default: return s[key];
      }
    }
    function text(n, c) {
      var s = n.sums, leaf = n.children.length === 0 && n.layer;
      if (c.key === 'rf') return rf(s.last.receptive_field);
      if (c.key === 'stride') return rf(s.last.stride);
      if (c.key === 'gflops') { var g = value(n, 'gflops'); return g ? g.toFixed(1) : ''; }
      if (c.key === 'peak_fraction') return leaf && n.layer.peak_fraction ? (100 * n.layer.peak_fraction).toFixed(1) + '%' : '';
      var v = value(n, c.key);
      return c.fmt ? c.fmt(v) : String(v);
    }
    function sorted(children) {
      if (!sortKey) return children;
      return children.slice().sort(function (a, b) {
        var x = value(a, sortKey), y = value(b, sortKey);
        var r = typeof x === 'string' ? x.localeCompare(y) : x - y;
        return asc ? r : -r;
      });
    }
    function row(n, indent) {
      var group = n.children.length > 0;
      var r = el('tr', { 'class': group ? 'group' : 'layer', 'data-path': n.path });
      cols.forEach(function (c, i) {
        var td = el('td', { 'class': c.num ? 'num' : '' });
        if (i === 0) {
          td.style.paddingLeft = (8 + 14 * indent) + 'px';
          var t = el('span', { 'class': 'tog' }, group ? (expanded[n.path] ? '\u25BE' : '\u25B8') : '');
          td.appendChild(t);
          td.appendChild(document.createTextNode(n.path));
          if (group) {
            td.addEventListener('click', function () { expanded[n.path] = !expanded[n.path]; draw(); });
          }
        } else {
          td.textContent = text(n, c);
        }
        r.appendChild(td);
      });
      r.addEventListener('mouseenter', function () { highlight(n.path); });
      return r;
    }
    function draw() {
      tbody.textContent = '';
      var q = filter.value.trim().toLowerCase(), shown = 0;
      var frag = document.createDocumentFragment();
      if (q) {
        var leaves = [];
        (function walk(n) { n.children.forEach(function (c) { if (c.children.length === 0) leaves.push(c); walk(c); }); })(root);
        sorted(leaves).forEach(function (n) {
          var hay = (n.path + ' ' + n.layer.op + ' ' + n.layer.detail).toLowerCase();
          if (hay.indexOf(q) >= 0) { frag.appendChild(row(n, 0)); shown++; }
        });
      } else {
        (function walk(n, indent) {
          sorted(n.children).forEach(function (c) {
            frag.appendChild(row(c, indent));
            shown++;
            if (c.children.length && expanded[c.path]) walk(c, indent + 1);
          });
        })(root, 0);
      }
      tbody.appendChild(frag);
      count.textContent = shown + ' rows of ' + net.layers.length + ' layers';
    }
    filter.addEventListener('input', draw);
    depthSel.addEventListener('change', function () { resetExpansion(); draw(); });
    resetExpansion();
    draw();
  }

  DATA.forEach(function (net, i) { renderNetwork(net, document.getElementById('net-' + i)); });
  document.body.setAttribute('data-rendered', String(DATA.length));
})();
