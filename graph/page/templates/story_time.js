/* her-graph story-time slider: from the first event to the last, the page shows what holds
   when the story reaches each event (what is certainly before it), then the whole story.
   Self-contained: it reads herGraph.data.storyTime and drives the page through
   herGraph.setTimeVisible. Texts are put in with textContent only. */
(function () {
  "use strict";
  var api = window.herGraph;
  var time = api && api.data.storyTime;
  var box = document.getElementById("story-time");
  if (!api || !time || !box) { return; }
  var steps = time.steps, whole = steps.length;  // the last stop: the whole story
  var slider = document.getElementById("story-time-slider");
  var label = document.getElementById("story-time-label");
  var data = api.data, stageStyles = {
    Begins: {}, TurningPoint: { color: "#d97706" }, Climax: { width: 5 },
    Ends: { dashes: [8, 6], color: "#9ca3af" }, Closure: { dashes: [2, 5], color: "#9ca3af" },
    Reconciles: { color: "#059669" }
  };
  var stageNames = { TurningPoint: "turning point" };
  var kinds = Object.create(null);
  data.edgeKinds.forEach(function (k) { kinds[k.kind] = k.style || {}; });
  var borderWidth = (data.options.nodes && data.options.nodes.borderWidth) || 1;
  var styled = [], current = null;

  function baseStyle(index) {
    var edge = data.edges[index], style = kinds[edge.kind] || {};
    return { id: edge.id, label: api.clip(edge.label, 44), dashes: style.dashes || false,
             width: style.width || 1, color: Object.assign({}, style.color) };
  }

  api.storyTime = function (step) {
    step = Math.max(0, Math.min(whole, Number(step) || 0));
    slider.value = String(step);
    api.edges.update(styled.map(baseStyle));
    styled = [];
    if (current !== null) { api.nodes.update({ id: current, borderWidth: borderWidth }); }
    current = null;
    if (step === whole) {
      api.setTimeVisible(null, null);
      label.textContent = "The whole story (" + whole + " events)";
      slider.setAttribute("aria-valuetext", label.textContent);
      document.body.setAttribute("data-story-step", String(step));
      return step;
    }
    var at = steps[step], nodes = Object.create(null), edges = Object.create(null);
    at.nodes.forEach(function (i) { nodes[data.nodes[i].id] = true; });
    at.edges.forEach(function (i) { edges[data.edges[i].id] = true; });
    api.setTimeVisible(nodes, edges);
    var changes = [];
    Object.keys(at.stages).forEach(function (key) {
      var index = Number(key), stage = at.stages[key], base = baseStyle(index);
      var style = stageStyles[stage] || {};
      styled.push(index);
      changes.push({ id: base.id,
                     label: base.label + " \u00b7 " + (stageNames[stage] || stage.toLowerCase()),
                     dashes: style.dashes || base.dashes, width: style.width || base.width,
                     color: style.color ? Object.assign({}, base.color, { color: style.color })
                                        : base.color });
    });
    api.edges.update(changes);
    if (at.node >= 0) {
      current = data.nodes[at.node].id;
      api.nodes.update({ id: current, borderWidth: 5 });
    }
    label.textContent = "Event " + (step + 1) + " of " + whole + ": " + at.label;
    slider.setAttribute("aria-valuetext", label.textContent);
    document.body.setAttribute("data-story-step", String(step));
    return step;
  };

  slider.min = "0";
  slider.max = String(whole);
  slider.step = "1";
  slider.value = String(whole);
  slider.addEventListener("input", function () { api.storyTime(slider.value); });
  box.hidden = false;
  api.storyTime(whole);
})();
