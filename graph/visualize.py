"""The interactive HTML page: one self-contained file that opens from disk with no network.

:func:`render_html` turns a story graph into the page: the nodes coloured and shaped by type with
a legend that filters, directed and labelled links (influence drawn apart from the rest), a
search box, and tooltips with each description and the evidence quoted from the source. The
drawing library is vis-network, as bundled with pyvis, inlined into the page with the data and
the page's own script: nothing is fetched, and the Content-Security-Policy forbids fetching
anything, or running any script but those three.

Safety: every text from the graph goes into the page as JSON (with ``<``, ``>``, ``&`` and the
JavaScript line separators escaped, so no label can close the ``<script>`` it sits in) and from
there into the document only through ``textContent`` or the canvas; the title and caption go
through Jinja's autoescape.

Determinism: nodes and edges are sorted, the layout is computed without randomness and the
physics seed is fixed, so the same graph gives the same bytes and the same drawing.

Example:
    >>> import graph
    >>> page = render_html(graph.load(), view="influence")
    >>> page.startswith("<!DOCTYPE html>") and "Samantha" in page
    True
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ExportError
from .page_layout import MAX_DESIGNED_NODES, layout
from .page_model import PAGE_VIEWS, PageModel, page_model

if TYPE_CHECKING:
    from .knowledge_graph import KnowledgeGraph

__all__ = ["EDGE_KINDS", "NODE_STYLES", "PAGE_VIEWS", "VIEW_PAGES", "render_html", "write_html",
           "write_view_pages"]

_TEMPLATES = Path(__file__).parent / "templates"
_VIS_VERSION = "9.1.2"

#: The file name suffix of each view's page (``her.html``, ``her-influence.html``, ...).
VIEW_PAGES: dict[str, str] = {"story": "", "influence": "-influence",
                              "relationships": "-relationships", "timeline": "-timeline",
                              "full": "-full"}

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
_HIDDEN_IN_FULL = frozenset({"quote", "evidence", "theme_attribution", "class", "property",
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
    "influence": ("Influence (who shaped whom)", _edge_style("#d1343f", 4.5, font=16)),
    "relationship": ("Relationship", _edge_style("#7c52c7", 2.5, font=15)),
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

_MAX_CANVAS_LABEL = 44
_LARGE = 3000


# ---------------------------------------------------------------------------------------------
# Assets


@lru_cache(maxsize=1)
def _vis_network_js() -> str:
    """vis-network as bundled in pyvis, found without importing pyvis (which imports IPython)."""
    spec = importlib.util.find_spec("pyvis")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "templates" / "lib" / f"vis-{_VIS_VERSION}" / "vis-network.min.js"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if f"@version {_VIS_VERSION}" in text:
                return text
    raise ExportError(f"vis-network {_VIS_VERSION} was not found in pyvis "
                      "(pyvis/templates/lib); reinstall it: pip install 'pyvis>=0.3.2'")


def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _inline_script(text: str) -> str:
    """Text that can sit inside ``<script>...</script>`` unchanged, or an error."""
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ExportError("a script to inline contains '</script' or '<!--'; it cannot be "
                          "inlined safely")
    return text


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# ---------------------------------------------------------------------------------------------
# Page data


def _canvas_label(model: PageModel, label: str, order: int | None, type: str) -> str:
    if model.view in ("story", "timeline") and type == "event" and order is not None:
        label = f"{order}. {label}"
    if len(label) > _MAX_CANVAS_LABEL:
        label = label[:_MAX_CANVAS_LABEL - 1].rstrip() + "…"
    return label


def _curves(model: PageModel) -> list[float]:
    """Bend parallel edges apart: the k-th edge between two nodes gets its own curve."""
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


def _node_sizes(model: PageModel) -> dict[str, int]:
    """Characters grow with the number of events they take part in."""
    events: defaultdict[str, int] = defaultdict(int)
    for edge in model.edges:
        if edge.kind == "participation":
            events[edge.source] += 1
    sizes = {}
    for node in model.nodes:
        if node.type in ("human_character", "ai_character", "character") and events[node.id]:
            sizes[node.id] = min(44, NODE_STYLES[node.type][4] + 2 * events[node.id])
    return sizes


def _is_large(model: PageModel) -> bool:
    """Large pages draw cheaply: dots instead of text boxes, no dashes, no curves."""
    return len(model.nodes) + len(model.edges) > _LARGE


def _options(model: PageModel, positioned: bool) -> dict[str, Any]:
    size = len(model.nodes) + len(model.edges)
    large = _is_large(model)
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


def page_data(model: PageModel) -> dict[str, Any]:
    """The JSON the page script reads: nodes, edges, their styles and the vis options."""
    hidden = _HIDDEN_IN_FULL if model.view == "full" else frozenset()
    positions = layout(model, hidden=hidden)
    sizes = _node_sizes(model)
    nodes = []
    for node in model.nodes:
        item: dict[str, Any] = {
            "id": node.id, "name": node.label, "type": node.type,
            "label": _canvas_label(model, node.label, node.order, node.type),
            "description": node.description, "quotes": list(node.quotes),
            "facts": [list(fact) for fact in node.facts],
        }
        if node.id in positions:
            item["x"], item["y"] = positions[node.id]
        if node.id in sizes:
            item["size"] = sizes[node.id]
        nodes.append(item)
    edges = []
    for index, (edge, curve) in enumerate(zip(model.edges, _curves(model), strict=True)):
        item = {"id": f"e{index}", "from": edge.source, "to": edge.target, "kind": edge.kind,
                "label": edge.label, "description": edge.description,
                "quotes": list(edge.quotes), "directed": edge.directed}
        if curve:
            item["curve"] = curve
        edges.append(item)
    present = {node.type for node in model.nodes}
    # Lists, not objects: the legend keeps this order (JSON objects are written sorted).
    node_types = []
    for type in [*NODE_STYLES, *sorted(present - set(NODE_STYLES))]:
        if type in present:
            name, fill, border, shape, _ = NODE_STYLES.get(type, NODE_STYLES["resource"])
            if type not in NODE_STYLES:
                name = type.replace("_", " ").capitalize()
            node_types.append({"type": type, "name": name, "color": fill, "border": border,
                               "shape": "dot" if shape == "box" and _is_large(model) else shape,
                               "hidden": type in hidden})
    kinds = {edge.kind for edge in model.edges}
    # Dashes cost a canvas segment every few pixels of a line: none on large pages.
    edge_kinds = [{"kind": kind, "name": name,
                   "style": {k: v for k, v in style.items()
                             if not (k == "dashes" and _is_large(model))}}
                  for kind, (name, style) in EDGE_KINDS.items() if kind in kinds]
    return {
        "view": model.view, "source": "; ".join(model.sources),
        "nodes": nodes, "edges": edges, "nodeTypes": node_types, "edgeKinds": edge_kinds,
        "options": _options(model, positioned=bool(positions)),
    }


# ---------------------------------------------------------------------------------------------
# Rendering


@lru_cache(maxsize=1)
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("page.html")


def _caption(model: PageModel) -> str:
    if model.sources:
        cited = " and ".join(f"“{source}”" for source in model.sources)
        return (f"Every claim cites a quote from {cited}. Hover a node or a link to read the "
                "description and the evidence.")
    return "Hover a node or a link to read its description."


def render_html(kg: KnowledgeGraph, *, view: str = "story", title: str | None = None) -> str:
    """The interactive page of ``kg`` as one self-contained HTML document.

    Args:
        kg: the story graph.
        view: ``"story"`` (characters, events in story order, themes, relationships and
            influence), or one of the projections ``"influence"``, ``"relationships"``,
            ``"timeline"`` and ``"full"``; see :mod:`graph.page_model`.
        title: the heading; by default the film's name and year.

    Returns:
        The page, deterministic: the same graph and arguments give the same text.

    Raises:
        HerGraphError: for an unknown view.
        ExportError: vis-network is missing from the pyvis installation.
    """
    from . import __version__

    model = page_model(kg, view=view)
    data = page_data(model)
    vis_js = _inline_script(_vis_network_js())
    page_js = _inline_script(_asset("page.js"))
    css = _asset("page.css")
    csp = ("default-src 'none'; "
           # No inline script runs but these two (so markup injected through the data could
           # not run either). 'unsafe-eval' only lets tools such as Playwright's
           # wait_for_function poll the page; neither script evaluates strings.
           f"script-src {_sha256(vis_js)} {_sha256(page_js)} 'unsafe-eval'; "
           f"style-src {_sha256(css)}; img-src data:; font-src 'none'; "
           "connect-src 'none'; form-action 'none'; base-uri 'none'")
    from markupsafe import Markup

    counts = f"{len(model.nodes):,} nodes · {len(model.edges):,} links"
    example = next((n.label for n in model.nodes
                    if n.type in ("human_character", "ai_character", "character")),
                   model.nodes[0].label if model.nodes else "")
    return _template().render(
        title=title or model.title, subtitle=model.subtitle, caption=_caption(model),
        view=model.view, version=__version__, csp=csp, counts=counts, example=example,
        css=Markup(css), data=Markup(_json_for_script(data)),
        vis_js=Markup(vis_js), page_js=Markup(page_js),
    )


def write_html(kg: KnowledgeGraph, path: str | os.PathLike[str], *, view: str = "story",
               title: str | None = None) -> Path:
    """Write the page of ``kg`` to ``path`` atomically (UTF-8); see :func:`render_html`.

    Example:
        >>> import graph, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> write_html(graph.load(), folder / "her.html").stat().st_size > 100_000
        True
    """
    from .export import write_atomic

    return write_atomic(path, render_html(kg, view=view, title=title).encode("utf-8"))


def write_view_pages(kg: KnowledgeGraph, folder: str | os.PathLike[str], stem: str = "her",
                     *, views: tuple[str, ...] = tuple(VIEW_PAGES)) -> list[Path]:
    """Write one page per view into ``folder``: ``her.html``, ``her-influence.html``, ..."""
    return [write_html(kg, Path(folder) / f"{stem}{VIEW_PAGES[view]}.html", view=view)
            for view in views]
