"""The interactive HTML page: one self-contained file that opens from disk with no network.

:func:`render_html` turns a story graph into the page: the nodes coloured and shaped by type with
a legend that filters, directed and labelled links (influence drawn apart from the rest), a
search box, and tooltips with each description and the evidence quoted from the source. The
drawing library is vis-network, as bundled with pyvis, inlined into the page with the data and
the page's own script: nothing is fetched, and the page's Content-Security-Policy forbids
fetching anything and running any inline script but those two (named by their SHA-256).

Safety: every text from the graph goes into the page as JSON (with ``<``, ``>``, ``&`` and the
JavaScript line separators escaped, so no label can close the ``<script>`` it sits in) and from
there into the document only through ``textContent`` or the canvas; the title and caption go
through Jinja's autoescape.

Determinism: nodes and edges are sorted, the starting layout is computed in Python without
randomness or with a fixed seed, and so is the browser's physics, so the same graph gives the
same bytes and the same drawing.

Only vis-network is taken from pyvis, not its ``Network`` page builder: that one links Bootstrap
from a CDN even "in line", inserts its heading unescaped, switches to HTML tooltips for titles
containing "href", and has no layout seed.

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
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..atomic import write_atomic
from ..errors import ExportError
from .layout import layout
from .model import PAGE_VIEWS, PageModel, page_model
from .story_slider import story_steps
from .style import (
    EDGE_KINDS,
    HIDDEN_IN_FULL,
    NODE_STYLES,
    curves,
    is_large,
    node_sizes,
    vis_options,
)

if TYPE_CHECKING:
    import jinja2

    from ..stores.handle import StoryGraph

__all__ = ["EDGE_KINDS", "NODE_STYLES", "PAGE_VIEWS", "VIEW_PAGES", "render_html", "write_html"]

_TEMPLATES = Path(__file__).parent / "templates"
_VIS_VERSION = "9.1.2"

#: The file name suffix of each view's page (``her.html``, ``her-influence.html``, ...).
VIEW_PAGES: dict[str, str] = {view: f"-{view}" if view != "story" else ""
                              for view in PAGE_VIEWS}

_MAX_CANVAS_LABEL = 44
# The page's heading and caption show a title and source names up to this many characters
# (a graph may name its work with any text; the full names stay in the data).
_MAX_HEADING = 200


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


def _clip(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis if it is longer."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _canvas_label(model: PageModel, label: str, order: int | None, type: str) -> str:
    if model.view in ("story", "timeline") and type == "event" and order is not None:
        label = f"{order}. {label}"
    return _clip(label, _MAX_CANVAS_LABEL)


def page_data(model: PageModel) -> dict[str, Any]:
    """The JSON the page script reads: nodes, edges, their styles and the vis options."""
    hidden = HIDDEN_IN_FULL if model.view == "full" else frozenset()
    positions = layout(model, hidden=hidden)
    sizes = node_sizes(model)
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
    for index, (edge, curve) in enumerate(zip(model.edges, curves(model), strict=True)):
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
                               "shape": "dot" if shape == "box" and is_large(model) else shape,
                               "hidden": type in hidden})
    kinds = {edge.kind for edge in model.edges}
    # Dashes cost a canvas segment every few pixels of a line: none on large pages.
    edge_kinds = [{"kind": kind, "name": name,
                   "style": {k: v for k, v in style.items()
                             if not (k == "dashes" and is_large(model))}}
                  for kind, (name, style) in EDGE_KINDS.items() if kind in kinds]
    return {
        "view": model.view, "source": "; ".join(model.sources),
        "nodes": nodes, "edges": edges, "nodeTypes": node_types, "edgeKinds": edge_kinds,
        "options": vis_options(model, positioned=bool(positions)),
    }


# ---------------------------------------------------------------------------------------------
# Rendering


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("page.html")


def _caption(model: PageModel) -> str:
    if model.sources:
        cited = " and ".join(f"“{_clip(source, _MAX_HEADING)}”" for source in model.sources[:5])
        if len(model.sources) > 5:
            cited += f" and {len(model.sources) - 5:,} other sources"
        return (f"Every claim cites a quote from {cited}. Hover a node or a link to read the "
                "description and the evidence.")
    return "Hover a node or a link to read its description."


def render_html(kg: StoryGraph, *, view: str = "story", title: str | None = None) -> str:
    """The interactive page of ``kg`` as one self-contained HTML document.

    Args:
        kg: the story graph.
        view: ``"story"`` (characters, events in story order, themes, relationships and
            influence), or one of the projections ``"influence"``, ``"relationships"``,
            ``"timeline"`` and ``"full"``; see :mod:`graph.page.model`.
        title: the heading; by default the film's name and year.

    Returns:
        The page, deterministic: the same graph and arguments give the same text.

    Raises:
        HerGraphError: for an unknown view.
        ExportError: vis-network is missing from the pyvis installation.

    Example:
        >>> import graph
        >>> page = render_html(graph.load(), view="timeline")
        >>> page.startswith("<!DOCTYPE html>"), "https://" in page.split("<script")[0]
        (True, False)
    """

    model = page_model(kg, view=view)
    data = page_data(model)
    steps = story_steps(kg, model)
    if steps is not None:
        data["storyTime"] = steps
    vis_js = _inline_script(_vis_network_js())
    # The slider's script is its own file (it drives the page through herGraph's API only),
    # delivered in the same <script> as the page's.
    page_js = _inline_script(_asset("page.js") + "\n" + _asset("story_time.js"))
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
    degree: Counter[str] = Counter()
    for edge in model.edges:
        degree.update((edge.source, edge.target))
    characters = [n for n in model.nodes
                  if n.type in ("human_character", "ai_character", "character")]
    example = min(characters or model.nodes, key=lambda n: (-degree[n.id], n.id),
                  default=None)
    return _template().render(
        title=_clip(title or model.title, _MAX_HEADING),
        subtitle=_clip(model.subtitle, _MAX_HEADING), caption=_caption(model),
        view=model.view, version=__version__, csp=csp, counts=counts,
        example=_clip(example.label, _MAX_CANVAS_LABEL) if example else "",
        css=Markup(css), data=Markup(_json_for_script(data)),
        vis_js=Markup(vis_js), page_js=Markup(page_js),
    )


def write_html(kg: StoryGraph, path: str | os.PathLike[str], *, view: str = "story",
               title: str | None = None) -> Path:
    """Write the page of ``kg`` to ``path`` atomically (UTF-8); see :func:`render_html`.

    Example:
        >>> import graph, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> write_html(graph.load(), folder / "her.html").stat().st_size > 100_000
        True
    """

    return write_atomic(path, render_html(kg, view=view, title=title).encode("utf-8"))
