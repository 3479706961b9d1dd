/* her-graph interactive page. Every text that comes from the graph is put into the page with
   textContent or drawn on the canvas: nothing from the data is ever parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("her-graph-data").textContent);
  var nodeTypes = Object.create(null), edgeKinds = Object.create(null);
  data.nodeTypes.forEach(function (t) { nodeTypes[t.type] = t; });
  data.edgeKinds.forEach(function (k) { edgeKinds[k.kind] = k; });
  var nodeInfo = Object.create(null), edgeInfo = Object.create(null);
  var hiddenTypes = Object.create(null), hiddenKinds = Object.create(null);
  var placed = Object.create(null);  // nodes that have a place on the canvas
  var api = { data: data, ready: false, iterations: 0, timings: { parsed: performance.now() } };
  window.herGraph = api;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function typeName(type) {
    return nodeTypes[type] ? nodeTypes[type].name : type;
  }

  /* Texts from the graph can be of any length: shown up to a limit, with the count of what is
     left out. The full text stays in the data (herGraph.data) and in the exports. */
  var TIP = { head: 200, text: 600, quote: 400, fact: 200 };  // a tooltip, per text
  var PANEL = { head: 2000, text: 20000, quote: 5000, fact: 2000 };  // the details panel
  function clip(text, limit) {
    text = String(text);
    if (text.length <= limit) { return text; }
    var end = limit - 1;
    var code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) { end -= 1; }  // never half a surrogate pair
    return text.slice(0, end) + "\u2026 (" + (text.length - end).toLocaleString("en") +
      " more characters)";
  }
  api.clip = clip;

  /* The content of a tooltip or of the details panel, as DOM nodes built from text. */
  function describe(item, kind, limits) {
    var box = element("div", "tip");
    box.appendChild(element("div", "tip-head", clip(item.heading, limits.head)));
    box.appendChild(element("div", "tip-type", kind));
    clip(item.description || "", limits.text).split("\n").forEach(function (line) {
      if (line) { box.appendChild(element("div", "tip-text", line)); }
    });
    if (item.facts && item.facts.length) {
      var list = element("dl", "tip-facts");
      item.facts.forEach(function (fact) {
        list.appendChild(element("dt", null, clip(fact[0], limits.fact)));
        list.appendChild(element("dd", null, clip(fact[1], limits.fact)));
      });
      box.appendChild(list);
    }
    (item.quotes || []).forEach(function (quote) {
      box.appendChild(element("blockquote", "tip-quote",
                              "\u201c" + clip(quote, limits.quote) + "\u201d"));
    });
    if (item.quotes && item.quotes.length && data.source) {
      box.appendChild(element("div", "tip-source",
                              "Quoted from " + clip(data.source, limits.head)));
    }
    return box;
  }

  /* The nodes and edges are pyvis's (Network.nodes / Network.edges): vis-network's fields plus
     the texts this page shows. A node or edge added with pyvis's own methods may lack those
     texts: it gets them from its label, title and group. */
  var TEXT_FIELDS = { name: 1, type: 1, description: 1, quotes: 1, facts: 1, heading: 1,
                      searchName: 1, kind: 1, directed: 1, title: 1 };
  function visFields(item) {
    var copy = {};
    Object.keys(item).forEach(function (key) { if (!TEXT_FIELDS[key]) { copy[key] = item[key]; } });
    return copy;
  }
  data.nodes.forEach(function (node) {
    if (node.name === undefined) { node.name = String(node.label === undefined ? node.id : node.label); }
    if (node.type === undefined) { node.type = String(node.group || "resource"); }
    if (node.description === undefined && typeof node.title === "string") { node.description = node.title; }
    if (!nodeTypes[node.type]) {
      nodeTypes[node.type] = { type: node.type, name: node.type, color: "#e8eaee", border: "#5b6473",
                               shape: "dot", hidden: false };
      data.nodeTypes.push(nodeTypes[node.type]);
    }
    node.heading = node.name;
    node.searchName = node.name.toLocaleLowerCase();  // once, not on every key press
    nodeInfo[node.id] = node;
  });
  data.edges.forEach(function (edge, index) {
    if (edge.id === undefined) { edge.id = "edge-" + index; }
    if (edge.kind === undefined) { edge.kind = "link"; }
    if (edge.label === undefined) { edge.label = ""; }
    if (edge.directed === undefined) { edge.directed = !!edge.arrows; }
    if (edge.description === undefined && typeof edge.title === "string") { edge.description = edge.title; }
    if (!edgeKinds[edge.kind]) {
      edgeKinds[edge.kind] = { kind: edge.kind, name: edge.kind, style: { color: { color: "#5b6473" } } };
      data.edgeKinds.push(edgeKinds[edge.kind]);
    }
    var from = nodeInfo[edge.from], to = nodeInfo[edge.to];
    edge.heading = clip(from ? from.name : edge.from, 200) +
      (edge.directed ? " \u2192 " : " \u2014 ") + clip(to ? to.name : edge.to, 200);
    edgeInfo[edge.id] = edge;
  });
  Object.keys(nodeTypes).forEach(function (type) {
    if (nodeTypes[type].hidden) { hiddenTypes[type] = true; }
  });

  var nodes = new vis.DataSet(data.nodes.map(function (node) {
    return Object.assign(visFields(node), {
      group: node.group === undefined ? node.type : node.group,
      title: describe(node, typeName(node.type), TIP), hidden: !!hiddenTypes[node.type]
    });
  }));
  var edges = new vis.DataSet(data.edges.map(function (edge) {
    var kind = edgeKinds[edge.kind] || {};
    var item = Object.assign({}, kind.style || {}, visFields(edge), {
      label: clip(edge.label, 44),
      title: describe(edge, (kind.name || edge.kind) + " \u00b7 " + clip(edge.label, 80), TIP)
    });
    item.hidden = !!hiddenKinds[edge.kind] || !!hiddenTypes[nodeInfo[edge.from].type] ||
      !!hiddenTypes[nodeInfo[edge.to].type];
    return item;
  }));
  if (data.options.configure && data.options.configure.enabled) {
    // pyvis's show_buttons(): vis-network's configurator, in the page's own box.
    data.options.configure.container = document.getElementById("config");
  }

  api.timings.dataSets = performance.now();
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  api.timings.network = performance.now();
  // vis-network hides its tooltip only on moves over the canvas: hide it on leaving too.
  container.addEventListener("mouseleave", function () {
    var tip = container.querySelector("div.vis-tooltip");
    if (tip) { tip.style.visibility = "hidden"; }
  });
  api.network = network; api.nodes = nodes; api.edges = edges;
  // The names pyvis pages use, so scripts written for those work here too.
  window.network = network; window.nodes = nodes; window.edges = edges;

  function visibleNodes() {
    return nodes.getIds({ filter: function (node) { return !node.hidden; } });
  }

  /* ---- Physics: tidy the layout once, then stop for good (no endless jiggle). ---- */
  var progress = document.getElementById("progress");
  function settled() {
    if (api.ready) { return; }
    api.timings.stabilized = performance.now();
    api.iterations = network.physics.stabilizationIterations || api.iterations;
    // Setting an option redraws at once: on a page drawn without physics (a large designed
    // layout), that would be a whole extra drawing of thousands of nodes before the first frame.
    if (network.physics.options.enabled) { network.setOptions({ physics: { enabled: false } }); }
    markPlaced();
    separateParallel();
    network.fit({ animation: false, nodes: visibleNodes() });
    // A little room around the drawing, so labels at the edge are not cut off.
    network.moveTo({ scale: network.getScale() * 0.94 });
    progress.hidden = true;
    api.ready = true;
    document.body.setAttribute("data-ready", "true");
  }
  /* ---- Parallel links: bend them apart until their labels do not overlap ----
     Once the nodes stand still, each group of links between the same two nodes gets curves of
     growing roundness (0, +s, -s, +2s, ... from the smaller id's side) until the boxes of their
     labels, measured with vis-network's own label module, are clear of each other. */
  function labelBox(edge, ctx) {
    var size = edge.labelModule.getTextSize(ctx, false, false);
    var point = edge.edgeType.getPoint(0.5);
    return { left: point.x - size.width / 2, top: point.y - size.height / 2,
             width: size.width, height: size.height };
  }
  function overlap(a, b) {
    return a.left < b.left + b.width && b.left < a.left + a.width &&
      a.top < b.top + b.height && b.top < a.top + a.height;
  }
  api.labelBox = function (id) { return labelBox(network.body.edges[id], network.canvas.getContext()); };
  api.labelsOverlap = overlap;
  function separateParallel() {
    if (data.edges.length > 3000) { return; }  // large pages: labels show only zoomed in
    var groups = Object.create(null), grouped = Object.create(null);
    edges.forEach(function (edge) {
      if (edge.hidden || edge.from === edge.to || !edge.label) { return; }
      var key = edge.from < edge.to ? edge.from + "\u0000" + edge.to : edge.to + "\u0000" + edge.from;
      (groups[key] = groups[key] || []).push(edge.id);
    });
    Object.keys(groups).forEach(function (key) {
      if (groups[key].length > 1) { groups[key].forEach(function (id) { grouped[id] = true; }); }
    });
    var ctx = network.canvas.getContext();
    // Other labels are obstacles too (on pages small enough to check them all).
    var others = [];
    if (data.edges.length <= 3000) {
      edges.forEach(function (edge) {
        if (!edge.hidden && edge.label && !grouped[edge.id] && network.body.edges[edge.id]) {
          others.push(labelBox(network.body.edges[edge.id], ctx));
        }
      });
    }
    function clashes(boxes) {
      var count = 0;
      boxes.forEach(function (box, i) {
        for (var j = i + 1; j < boxes.length; j++) { if (overlap(box, boxes[j])) { count += 100; } }
        others.forEach(function (other) { if (overlap(box, other)) { count += 1; } });
      });
      return count;
    }
    function curvesFor(ids, step, flip) {
      return ids.map(function (id, index) {
        var edge = edgeInfo[id];
        var magnitude = ids.length % 2 ? step * Math.ceil(index / 2) : step * (Math.floor(index / 2) + 0.5);
        var sign = (index % 2 ? 1 : -1) * (flip ? -1 : 1);
        if (edge.from > edge.to) { sign = -sign; }
        return magnitude === 0 ? { id: id, smooth: { enabled: false } } :
          { id: id, smooth: { enabled: true, type: sign > 0 ? "curvedCW" : "curvedCCW",
                              roundness: Math.min(1, magnitude) } };
      });
    }
    Object.keys(groups).sort().forEach(function (key) {
      var ids = groups[key].sort();
      if (ids.length < 2) { return; }
      var best = null;
      for (var step = 0.2; step <= 1.0001 && (!best || best.clashes); step += 0.1) {
        for (var flip = 0; flip < 2 && (!best || best.clashes); flip++) {
          var changes = curvesFor(ids, step, flip);
          edges.update(changes);
          var count = clashes(ids.map(function (id) { return labelBox(network.body.edges[id], ctx); }));
          if (!best || count < best.clashes) { best = { clashes: count, changes: changes }; }
        }
      }
      edges.update(best.changes);
      ids.forEach(function (id) { others.push(labelBox(network.body.edges[id], ctx)); });
    });
  }

  network.on("stabilizationProgress", function (params) {
    api.iterations = params.iterations;
    if (params.total > 200) {
      progress.hidden = false;
      progress.querySelector(".bar").style.width = Math.round(100 * params.iterations / params.total) + "%";
    }
  });
  network.once("stabilizationIterationsDone", function () { settled(); });
  if (!data.options.physics || data.options.physics.enabled === false) { settled(); }

  /* ---- Legend and filters ---- */
  function swatchForType(style) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 26 18");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("aria-hidden", "true");
    var shape, fill = style.color, stroke = style.border;
    var kinds = {
      dot: ["circle", { cx: 13, cy: 9, r: 7 }],
      diamond: ["polygon", { points: "13,1 21,9 13,17 5,9" }],
      triangle: ["polygon", { points: "13,2 21,16 5,16" }],
      square: ["rect", { x: 6, y: 2, width: 14, height: 14 }],
      star: ["polygon", { points: "13,1 15.4,6.6 21.5,7 16.8,11 18.3,17 13,13.8 7.7,17 9.2,11 4.5,7 10.6,6.6" }],
      box: ["rect", { x: 2, y: 3, width: 22, height: 12, rx: 3 }],
      ellipse: ["ellipse", { cx: 13, cy: 9, rx: 11, ry: 6 }],
      hexagon: ["polygon", { points: "9,2 17,2 21,9 17,16 9,16 5,9" }]
    };
    var spec = kinds[style.shape] || kinds.dot;
    shape = document.createElementNS(ns, spec[0]);
    Object.keys(spec[1]).forEach(function (key) { shape.setAttribute(key, spec[1][key]); });
    shape.setAttribute("fill", fill);
    shape.setAttribute("stroke", stroke);
    shape.setAttribute("stroke-width", "1.5");
    svg.appendChild(shape);
    return svg;
  }

  function swatchForKind(kind) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 26 18");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("aria-hidden", "true");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "9");
    line.setAttribute("x2", "25"); line.setAttribute("y2", "9");
    line.setAttribute("stroke", kind.style.color.color);
    line.setAttribute("stroke-width", String(Math.min(4, kind.style.width || 1)));
    if (kind.style.dashes) { line.setAttribute("stroke-dasharray", kind.style.dashes.join(" ")); }
    svg.appendChild(line);
    return svg;
  }

  function legendItem(list, key, name, count, swatch, hidden, onToggle) {
    var item = element("li");
    item.setAttribute("data-key", key);
    var label = element("label");
    var box = element("input");
    box.type = "checkbox";
    box.setAttribute("aria-label", name);
    box.checked = !hidden;
    box.addEventListener("change", function () { onToggle(key, box.checked); });
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(element("span", "name", name));
    label.appendChild(element("span", "count", count));
    item.appendChild(label);
    if (hidden) { item.classList.add("off"); }
    list.appendChild(item);
  }

  /* Nodes hidden while the layout settled have no place yet: put each beside a neighbour that
     has one, so ticking a type in the legend does not throw nodes at random spots. */
  function markPlaced() {
    nodes.forEach(function (node) { if (!node.hidden) { placed[node.id] = true; } });
  }
  function placeNewcomers(ids) {
    var positions = network.getPositions();
    var changes = [];
    ids.forEach(function (id, index) {
      if (placed[id]) { return; }
      var anchor = network.getConnectedNodes(id).filter(function (other) { return placed[other]; })[0];
      if (anchor !== undefined) {
        var angle = index * 2.399963;  // the golden angle: neighbours fan out evenly
        var p = positions[anchor];
        changes.push({ id: id, x: p.x + 90 * Math.cos(angle), y: p.y + 90 * Math.sin(angle) });
      }
      placed[id] = true;
    });
    nodes.update(changes);
  }

  /* Story time (story_time.js): the nodes and links that hold at the slider's event, or null
     for the whole story. */
  var timeNodes = null, timeEdges = null;
  api.setTimeVisible = function (nodeIds, edgeIds) {
    timeNodes = nodeIds; timeEdges = edgeIds;
    applyFilters();
  };

  function applyFilters() {
    var nodeChanges = [], edgeChanges = [], shown = [];
    nodes.forEach(function (node) {
      var hide = !!hiddenTypes[node.group] || (timeNodes !== null && !timeNodes[node.id]);
      if (!!node.hidden !== hide) { nodeChanges.push({ id: node.id, hidden: hide }); }
      if (!hide && !placed[node.id]) { shown.push(node.id); }
    });
    if (api.ready) { placeNewcomers(shown); }
    nodes.update(nodeChanges);
    if (api.ready) { separateParallel(); }
    edges.forEach(function (edge) {
      var info = edgeInfo[edge.id];
      var hide = !!hiddenKinds[info.kind] || !!hiddenTypes[nodeInfo[info.from].type] ||
        !!hiddenTypes[nodeInfo[info.to].type] || (timeEdges !== null && !timeEdges[edge.id]);
      if (!!edge.hidden !== hide) { edgeChanges.push({ id: edge.id, hidden: hide }); }
    });
    edges.update(edgeChanges);
    document.querySelectorAll("#legend-nodes li").forEach(function (li) {
      li.classList.toggle("off", !!hiddenTypes[li.getAttribute("data-key")]);
    });
    document.querySelectorAll("#legend-edges li").forEach(function (li) {
      li.classList.toggle("off", !!hiddenKinds[li.getAttribute("data-key")]);
    });
  }

  api.setTypeVisible = function (type, visible) {
    if (visible) { delete hiddenTypes[type]; } else { hiddenTypes[type] = true; }
    var box = document.querySelector('#legend-nodes li[data-key="' + CSS.escape(type) + '"] input');
    if (box) { box.checked = !!visible; }
    applyFilters();
  };
  api.setKindVisible = function (kind, visible) {
    if (visible) { delete hiddenKinds[kind]; } else { hiddenKinds[kind] = true; }
    var box = document.querySelector('#legend-edges li[data-key="' + CSS.escape(kind) + '"] input');
    if (box) { box.checked = !!visible; }
    applyFilters();
  };

  var typeCounts = Object.create(null), kindCounts = Object.create(null);
  data.nodes.forEach(function (n) { typeCounts[n.type] = (typeCounts[n.type] || 0) + 1; });
  data.edges.forEach(function (e) { kindCounts[e.kind] = (kindCounts[e.kind] || 0) + 1; });
  var nodeList = document.getElementById("legend-nodes");
  data.nodeTypes.forEach(function (t) {
    var type = t.type;
    legendItem(nodeList, type, nodeTypes[type].name, typeCounts[type] || 0,
               swatchForType(nodeTypes[type]), !!hiddenTypes[type], api.setTypeVisible);
  });
  var edgeList = document.getElementById("legend-edges");
  data.edgeKinds.forEach(function (k) {
    var kind = k.kind;
    legendItem(edgeList, kind, edgeKinds[kind].name, kindCounts[kind] || 0,
               swatchForKind(edgeKinds[kind]), !!hiddenKinds[kind], api.setKindVisible);
  });

  /* ---- Details panel (click) ---- */
  var details = document.getElementById("details");
  function closeDetails() {
    details.hidden = true;
    details.textContent = "";
    if (api.highlight) { api.highlight(null); }
  }
  function showNode(id) {
    var node = nodeInfo[id];
    if (!node) { return; }
    details.textContent = "";
    var close = element("button", "close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", closeDetails);
    details.appendChild(close);
    details.appendChild(describe(node, typeName(node.type), PANEL));
    var links = network.getConnectedEdges(id).map(function (edgeId) { return edgeInfo[edgeId]; });
    if (links.length) {
      details.appendChild(element("div", "tip-type", "Links (" + links.length + ")"));
      var list = element("ul", "links");
      links.sort(function (a, b) { return a.id < b.id ? -1 : 1; }).slice(0, 200).forEach(function (edge) {
        var other = edge.from === id ? edge.to : edge.from;
        var otherNode = nodeInfo[other];
        var label = clip(edge.label, 80), name = clip(otherNode.name, 120);
        var text = edge.from === id ? label + " \u2192 " + name : name + " \u2192 " + label;
        if (!edge.directed) { text = label + " \u2014 " + name; }
        var li = element("li");
        var go = element("button", "link", text);
        go.type = "button";
        go.addEventListener("click", function () { api.focus(other); details.focus(); });
        li.appendChild(go);
        list.appendChild(li);
      });
      details.appendChild(list);
    }
    details.appendChild(element("div", "iri", node.id));
    details.hidden = false;
  }
  function showEdge(id) {
    var edge = edgeInfo[id];
    if (!edge) { return; }
    details.textContent = "";
    var close = element("button", "close", "\u00d7");
    close.type = "button";
    close.addEventListener("click", closeDetails);
    details.appendChild(close);
    var kind = edgeKinds[edge.kind] || {};
    details.appendChild(describe(edge, (kind.name || edge.kind) + " \u00b7 " + clip(edge.label, 200),
                                 PANEL));
    details.hidden = false;
  }
  /* Selecting a node dims everything but it, its links and its neighbours. */
  var dimmed = false;
  api.highlight = function (id) {
    if (data.nodes.length > 3000 || (!dimmed && id === null)) { return; }
    var keep = Object.create(null), keepEdges = Object.create(null);
    if (id !== null) {
      keep[id] = true;
      network.getConnectedEdges(id).forEach(function (edgeId) {
        keepEdges[edgeId] = true;
        keep[edgeInfo[edgeId].from] = true;
        keep[edgeInfo[edgeId].to] = true;
      });
    }
    nodes.update(data.nodes.map(function (node) {
      return { id: node.id, opacity: id === null || keep[node.id] ? 1 : 0.15 };
    }));
    edges.update(data.edges.map(function (edge) {
      var style = (edgeKinds[edge.kind] || {}).style || {};
      var faint = id !== null && !keepEdges[edge.id];
      return { id: edge.id,
               color: Object.assign({}, style.color, { opacity: faint ? 0.08 : 1 }),
               font: Object.assign({}, style.font, { color: faint ? "rgba(0,0,0,0)" : (style.font || {}).color }) };
    }));
    dimmed = id !== null;
  };
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); api.highlight(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); api.highlight(null); }
    else { closeDetails(); api.highlight(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeDetails(); }
  });

  api.focus = function (id) {
    if (!nodeInfo[id]) { return false; }
    if (hiddenTypes[nodeInfo[id].type]) { api.setTypeVisible(nodeInfo[id].type, true); }
    network.selectNodes([id], true);
    api.highlight(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 350 } });
    showNode(id);
    return true;
  };

  /* ---- Search ---- */
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  var defaultStatus = status.textContent;
  api.search = function (text) {
    var query = String(text || "").trim().toLocaleLowerCase();
    if (!query) { network.unselectAll(); status.textContent = defaultStatus; return []; }
    var found = [];
    data.nodes.forEach(function (node) {
      var name = node.searchName;
      var rank = name === query ? 0 : name.indexOf(query) === 0 ? 1 :
        name.indexOf(query) > 0 ? 2 : node.id.toLocaleLowerCase().indexOf(query) >= 0 ? 3 : -1;
      if (rank >= 0) { found.push([rank, node.name.length, node.id]); }
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1); });
    var ids = found.map(function (f) { return f[2]; });
    network.selectNodes(ids.filter(function (id) { return !hiddenTypes[nodeInfo[id].type]; }), false);
    status.textContent = ids.length ? ids.length + (ids.length === 1 ? " match" : " matches") +
      " \u00b7 press Enter to go to " + clip(nodeInfo[ids[0]].name, 120) : "No node matches";
    return ids;
  };
  search.addEventListener("input", function () { api.search(search.value); });
  search.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var ids = api.search(search.value);
    // Keyboard readers go on into the details: Tab reaches its links next.
    if (ids.length) { api.focus(ids[0]); details.focus(); }
  });

  /* ---- Buttons ---- */
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) { return; }
    var action = target.getAttribute("data-action");
    if (action === "panel") {
      var open = document.querySelector("main").classList.toggle("panel-open");
      target.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { search.focus(); }
    }
    if (action === "fit") { network.fit({ nodes: visibleNodes(), animation: { duration: 350 } }); }
    if (action === "all-types") { Object.keys(hiddenTypes).forEach(function (t) { api.setTypeVisible(t, true); }); }
    if (action === "all-kinds") { Object.keys(hiddenKinds).forEach(function (k) { api.setKindVisible(k, true); }); }
  });
})();
