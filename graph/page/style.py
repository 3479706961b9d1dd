"""How the page looks: colours and shapes by node type, line styles by link kind, physics.

Kept apart from :mod:`graph.page.html` (which assembles and writes the page) so the look can be
changed in one place. Every value here is plain data that goes into the page as vis-network
options.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .layout import MAX_DESIGNED_NODES
from .model import PageModel

#: Pages with more nodes and links than this draw cheaply (see :func:`is_large`).
LARGE = 3000

#: Node type -> (legend name, fill, border, vis shape, size). Legend order is this order.
NODE_STYLES: dict[str, tuple[str, str, str, str, int]] = {
    "human_character": ("Human character", "#4f7fe0", "#2b55b0", "dot", 24),
    "ai_character": ("AI character", "#e0457b", "#a8204f", "diamond", 26),
    "character": ("Character", "#7fa4ea", "#4a70bd", "dot", 20),
    "group": ("Group of characters", "#9a6ee0", "#6a3fb5", "triangle", 18),
    "person": ("Actor", "#7b8597", "#4c5566", "square", 11),
    "event": ("Event (in story order)", "#fbe3b0", "#d08a16", "box", 14),
    "act": ("Act", "#f3d27a", "#b38214", "box", 14),
    "theme": ("Theme", "#3fb8a6", "#1f8a7a", "dot", 11),
    "place": ("Place", "#8dbd4a", "#5d8a22", "star", 14),
    "work": ("Film", "#2f3645", "#11151d", "star", 22),
    "source": ("Source text", "#c9b79c", "#8c7a5d", "box", 12),
    "relationship": ("Relationship", "#c4a8f0", "#7c52c7", "dot", 9),
    "influence": ("Influence", "#f0a0a0", "#c73a3a", "dot", 9),
    "theme_attribution": ("Theme attribution", "#a6e3d8", "#3fa493", "dot", 7),
    "role": ("Role", "#b8c0cc", "#6e7887", "dot", 8),
    "occupation": ("Occupation", "#d9c7a3", "#9c8556", "dot", 9),
    "evidence": ("Evidence", "#dfe3e8", "#9aa3af", "dot", 6),
    "quote": ("Quote", "#eef0f3", "#a3abb6", "dot", 6),
    "scheme": ("Concept scheme", "#7fd1c4", "#2f8f80", "hexagon", 12),
    "concept": ("Concept", "#b9e6de", "#58a99b", "dot", 9),
    "class": ("Class", "#e5e7eb", "#6b7280", "hexagon", 10),
    "property": ("Property", "#f1f2f4", "#8b93a1", "dot", 7),
    "ontology": ("Ontology", "#d1d5db", "#4b5563", "hexagon", 12),
    "resource": ("Other resource", "#e8eaee", "#8b93a1", "dot", 7),
}
#: Types the full view hides until ticked in the legend (their text is in the tooltips).
HIDDEN_IN_FULL = frozenset({"quote", "evidence", "theme_attribution", "class", "property",
                             "ontology"})


def _edge_style(color: str, width: float, *, dashes: list[int] | None = None, font: int = 11,
                label_threshold: int = 5) -> dict[str, Any]:
    style: dict[str, Any] = {
        "color": {"color": color, "highlight": color, "hover": color, "opacity": 1.0},
        "width": width,
        "font": {"size": font, "color": color, "strokeWidth": 3, "strokeColor": "#fbfaf7",
                 "align": "horizontal"},
        "scaling": {"label": {"drawThreshold": label_threshold}},
    }
    if dashes:
        style["dashes"] = dashes
    return style


#: Edge kind -> (legend name, vis edge options). Influence is thick and red; minor links are
#: thin, and their labels appear once zoomed in.
EDGE_KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    "influence": ("Influence (who shaped whom)", _edge_style("#d1343f", 4.5, font=19)),
    "relationship": ("Relationship", _edge_style("#7c52c7", 2.5, font=17)),
    "cooccurrence": ("Take part in the same events", _edge_style("#4a70bd", 2, font=12)),
    "sequence": ("Story order", _edge_style("#c27a0e", 2.2, font=11)),
    "participation": ("Takes part in", _edge_style("#9aa4b5", 1, font=10, label_threshold=8)),
    "portrayal": ("Plays / voices", _edge_style("#5f6b7e", 1.5, font=10, label_threshold=7)),
    "membership": ("Member of", _edge_style("#9a6ee0", 1.5, dashes=[6, 4], font=10,
                                            label_threshold=7)),
    "theme": ("Carries the theme", _edge_style("#3fb8a6", 1, dashes=[3, 4], font=10,
                                               label_threshold=8)),
    "broader": ("Broader theme", _edge_style("#8fd3c8", 1, dashes=[1, 4], font=10,
                                                        label_threshold=8)),
    "place": ("Takes place in", _edge_style("#8dbd4a", 1.2, font=10, label_threshold=7)),
    "link": ("Link (predicate)", _edge_style("#9aa4b5", 1, font=10, label_threshold=9)),
}


def curves(model: PageModel) -> list[float]:
    """Bend parallel edges apart: the k-th edge between two nodes gets its own curve.

    Example:
        >>> import graph
        >>> from graph.page.model import page_model
        >>> model = page_model(graph.load(), view="relationships")
        >>> len(curves(model)) == len(model.edges)
        True
    """
    seen: Counter[frozenset[str]] = Counter()
    totals = Counter(frozenset((e.source, e.target)) for e in model.edges)
    curves = []
    for edge in model.edges:
        pair = frozenset((edge.source, edge.target))
        index = seen[pair]
        seen[pair] += 1
        if totals[pair] == 1:
            curves.append(0.0)
            continue
        # 0, +0.2, -0.2, +0.4, ... relative to a fixed direction (smaller id first).
        magnitude = 0.3 * ((index + 1) // 2) if totals[pair] % 2 else 0.15 + 0.3 * (index // 2)
        sign = 1 if index % 2 else -1
        if edge.source > edge.target:
            sign = -sign
        curves.append(round(sign * magnitude, 2))
    return curves


def node_sizes(model: PageModel) -> dict[str, int]:
    """Characters grow with the number of events they take part in.

    Example:
        >>> import graph
        >>> from graph.page.model import page_model
        >>> sizes = node_sizes(page_model(graph.load()))
        >>> H = "https://w3id.org/her-graph/her/"
        >>> sizes[H + "Theodore"] > sizes[H + "Amy"]
        True
    """
    events: defaultdict[str, int] = defaultdict(int)
    for edge in model.edges:
        if edge.kind == "participation":
            events[edge.source] += 1
    sizes = {}
    for node in model.nodes:
        if node.type in ("human_character", "ai_character", "character") and events[node.id]:
            sizes[node.id] = min(44, NODE_STYLES[node.type][4] + 2 * events[node.id])
    return sizes


def is_large(model: PageModel) -> bool:
    """Large pages draw cheaply: dots instead of text boxes, no dashes, no curves.

    Example:
        >>> import graph
        >>> from graph.page.model import page_model
        >>> is_large(page_model(graph.load()))
        False
    """
    return len(model.nodes) + len(model.edges) > LARGE


def vis_options(model: PageModel, positioned: bool) -> dict[str, Any]:
    """The vis-network options of the page: node groups by type, edges, physics and interaction.

    Example:
        >>> import graph
        >>> from graph.page.model import page_model
        >>> options = vis_options(page_model(graph.load()), positioned=True)
        >>> sorted(options)[:3], options["groups"]["ai_character"]["shape"]
        (..., 'diamond')
    """
    size = len(model.nodes) + len(model.edges)
    large = is_large(model)
    groups = {}
    for type, (_, fill, border, shape, node_size) in NODE_STYLES.items():
        group: dict[str, Any] = {
            "shape": shape, "size": node_size, "borderWidth": 1.5,
            "color": {"background": fill, "border": border,
                      "highlight": {"background": fill, "border": "#1f2430"},
                      "hover": {"background": fill, "border": "#1f2430"}},
            "font": {"size": 19, "color": "#1f2430", "face": "system-ui, sans-serif",
                     "strokeWidth": 3, "strokeColor": "#fbfaf7"},
        }
        if large:
            # Thousands of labels cost more than the dots: draw them once zoomed in.
            group["scaling"] = {"label": {"drawThreshold": 12}}
        if shape == "box" and large:
            group["shape"] = "dot"
        elif shape == "box":
            group["font"] = {"size": 19, "color": "#3b2a07", "face": "system-ui, sans-serif"}
            group["widthConstraint"] = {"maximum": 220}
            group["margin"] = 7
            group["shapeProperties"] = {"borderRadius": 5}
        if type in ("human_character", "ai_character", "character"):
            group["font"] = {**group["font"], "size": 27}
        groups[type] = group
    if positioned and len(model.nodes) <= MAX_DESIGNED_NODES:
        # The designed layout only needs tidying: short, capped, no springs, no pull to the
        # centre; nodes closer than nodeDistance push each other apart, the rest stay put.
        physics = {"enabled": True, "solver": "repulsion",
                   "repulsion": {"nodeDistance": 170, "centralGravity": 0.0,
                                 "springLength": 200, "springConstant": 0.0,
                                 "damping": 0.5},
                   "stabilization": {"enabled": True, "iterations": 120, "updateInterval": 20,
                                     "fit": True},
                   "minVelocity": 1.0, "maxVelocity": 30}
    elif positioned and large:
        # A large designed layout is drawn as laid out: the few rounds of repulsion below moved
        # its thousands of nodes by a few pixels and cost the browser a second or more.
        physics = {"enabled": False}
    elif positioned:
        # A large designed layout: a few rounds of Barnes-Hut repulsion (n log n), no springs.
        physics = {"enabled": True, "solver": "barnesHut",
                   "barnesHut": {"gravitationalConstant": -800, "centralGravity": 0.0,
                                 "springLength": 150, "springConstant": 0.0, "damping": 0.6,
                                 "avoidOverlap": 0.0},
                   "stabilization": {"enabled": True, "iterations": 25, "updateInterval": 5,
                                     "fit": True},
                   "minVelocity": 2.0, "maxVelocity": 20}
    else:
        # Iterations are capped by size, so a page of thousands of nodes settles in bounded time.
        iterations = 600 if size < 500 else 300 if size < 3000 else 60
        physics = {"enabled": True, "solver": "barnesHut",
                   "barnesHut": {"gravitationalConstant": -5000 if size < 500 else -3000,
                                 "centralGravity": 0.25, "springLength": 150,
                                 "springConstant": 0.03, "damping": 0.25,
                                 "avoidOverlap": 0.2 if size < 3000 else 0.0},
                   "stabilization": {"enabled": True, "iterations": iterations,
                                     "updateInterval": 25, "fit": True},
                   "minVelocity": 0.75}
    return {
        "autoResize": True,
        "groups": groups,
        "nodes": {"shape": "dot", "borderWidth": 1.5},
        "edges": {"smooth": False if large else {"enabled": True, "type": "continuous",
                                                 "roundness": 0.3},
                  "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}},
                  "selectionWidth": 2, "hoverWidth": 1.5},
        "layout": {"randomSeed": 20131218, "improvedLayout": len(model.nodes) <= 100},
        "physics": physics,
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False},
                        "multiselect": False, "zoomSpeed": 0.6},
    }
