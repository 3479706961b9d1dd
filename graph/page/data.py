"""What goes into the page: its data (nodes, edges, legend, options) and its assets.

:func:`page_data` turns a :class:`~graph.page.model.PageModel` into plain data: every node and
edge as the dict vis-network (and pyvis's ``Network.nodes`` / ``Network.edges``) reads, with
label, shape, colour, size, a plain-text title, positions and curves, plus the texts the page's
own script shows (description, quotes, facts). The assets are vis-network, as bundled with pyvis
(read from pyvis's install folder and inlined, so the page needs no network), the page's script
and its style sheet, with the SHA-256 hashes its Content-Security-Policy names.

Example:
    >>> import graph
    >>> from graph.page.model import page_model
    >>> data = page_data(page_model(graph.load(), view="influence"))
    >>> samantha = next(n for n in data["nodes"] if n["name"] == "Samantha")
    >>> samantha["shape"], samantha["color"]["background"], samantha["title"].splitlines()[:2]
    ('diamond', '#e0457b', ['Samantha', 'AI character'])
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ExportError
from .layout import layout
from .model import PageModel
from .style import (
    EDGE_KINDS,
    HIDDEN_IN_FULL,
    NODE_STYLES,
    curves,
    is_large,
    node_sizes,
    vis_options,
)

TEMPLATES = Path(__file__).parent / "templates"
_VIS_VERSION = "9.1.2"

MAX_CANVAS_LABEL = 44
# The page's heading and caption show a title and source names up to this many characters
# (a graph may name its work with any text; the full names stay in the data).
MAX_HEADING = 200


# ---------------------------------------------------------------------------------------------
# Assets


@lru_cache(maxsize=1)
def vis_network_js() -> str:
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


def asset(name: str) -> str:
    """A file of the page's templates folder, as text.

    Example:
        >>> "vis.Network" in asset("page.js")
        True
    """
    return (TEMPLATES / name).read_text(encoding="utf-8")


def inline_script(text: str) -> str:
    """Text that can sit inside ``<script>...</script>`` unchanged, or an error.

    Example:
        >>> inline_script("var a = 1;")
        'var a = 1;'
    """
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ExportError("a script to inline contains '</script' or '<!--'; it cannot be "
                          "inlined safely")
    return text


def sha256(text: str) -> str:
    """The CSP source expression naming ``text`` by its SHA-256.

    Example:
        >>> sha256("")
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def json_for_script(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``.

    Example:
        >>> "<" in json_for_script({"a": "</script>"})
        False
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# ---------------------------------------------------------------------------------------------
# Page data


def clip(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis if it is longer.

    Example:
        >>> clip("Theodore Twombly", 9)
        'Theodore…'
    """
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _canvas_label(model: PageModel, label: str, order: int | None, type: str) -> str:
    if model.view in ("story", "timeline") and type == "event" and order is not None:
        label = f"{order}. {label}"
    return clip(label, MAX_CANVAS_LABEL)


def page_data(model: PageModel) -> dict[str, Any]:
    """The JSON the page script reads: nodes, edges, their styles and the vis options.

    Example:
        >>> import graph
        >>> from graph.page.model import page_model
        >>> sorted(page_data(page_model(graph.load(), view="timeline")))
        ['edgeKinds', 'edges', 'nodeTypes', 'nodes', 'options', 'source', 'view']
    """
    hidden = HIDDEN_IN_FULL if model.view == "full" else frozenset()
    positions = layout(model, hidden=hidden)
    sizes = node_sizes(model)
    options = vis_options(model, positioned=bool(positions))
    groups = options["groups"]
    nodes = []
    for node in model.nodes:
        group = groups.get(node.type, groups["resource"])
        name = type_name(node.type)
        item: dict[str, Any] = {
            # What vis-network (and pyvis) read: label, shape, colour and size by type, and a
            # plain-text title (vis-network shows a string with innerText, never as HTML).
            "id": node.id, "group": node.type, "shape": group["shape"],
            # Fill and border; the group adds the highlight and hover colours.
            "color": {"background": group["color"]["background"],
                      "border": group["color"]["border"]},
            "size": sizes.get(node.id, group["size"]),
            "label": _canvas_label(model, node.label, node.order, node.type),
            "title": plain_title(node.label, name, node.description, node.facts, node.quotes),
            # What the page's script reads for its tooltips, details, legend and search.
            "name": node.label, "type": node.type,
            "description": node.description, "quotes": list(node.quotes),
            "facts": [list(fact) for fact in node.facts],
        }
        if node.id in positions:
            item["x"], item["y"] = positions[node.id]
        nodes.append(item)
    labels = {node.id: node.label for node in model.nodes}
    edges = []
    for index, (edge, curve) in enumerate(zip(model.edges, curves(model), strict=True)):
        kind_name, style = EDGE_KINDS.get(edge.kind, EDGE_KINDS["link"])
        arrow = " \u2192 " if edge.directed else " \u2014 "
        item = {"id": f"e{index}", "from": edge.source, "to": edge.target, "label": edge.label,
                "arrows": "to" if edge.directed else "", "color": style["color"]["color"],
                "width": style["width"],
                "title": plain_title(clip(labels.get(edge.source, edge.source), 200) + arrow
                                     + clip(labels.get(edge.target, edge.target), 200),
                                     f"{kind_name} · {clip(edge.label, 80)}",
                                     edge.description, (), edge.quotes),
                "kind": edge.kind, "description": edge.description,
                "quotes": list(edge.quotes), "directed": edge.directed}
        if curve:
            item["smooth"] = {"enabled": True, "type": "curvedCW" if curve > 0 else "curvedCCW",
                              "roundness": abs(curve)}
        edges.append(item)
    present = {node.type for node in model.nodes}
    # Lists, not objects: the legend keeps this order (JSON objects are written sorted).
    node_types = []
    for type in [*NODE_STYLES, *sorted(present - set(NODE_STYLES))]:
        if type in present:
            _, fill, border, shape, _ = NODE_STYLES.get(type, NODE_STYLES["resource"])
            name = type_name(type)
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
        "options": options,
    }


def type_name(type: str) -> str:
    """The legend's name of a node type.

    Example:
        >>> type_name("ai_character"), type_name("my_type")
        ('AI character', 'My type')
    """
    if type in NODE_STYLES:
        return NODE_STYLES[type][0]
    return type.replace("_", " ").capitalize()


def plain_title(heading: str, kind: str, description: str, facts: Iterable[Sequence[str]],
                quotes: Sequence[str]) -> str:
    """A tooltip as plain text (for pyvis users and any vis-network page; never HTML).

    Example:
        >>> plain_title("Amy", "Human character", "<b>a friend</b>", [("Act", "1")],
        ...             ["hi"]).splitlines()
        ['Amy', 'Human character', '<b>a friend</b>', 'Act: 1', '“hi”']
    """
    lines = [clip(heading, 200), kind, clip(description, 300)]
    lines += [f"{clip(name, 60)}: {clip(value, 100)}" for name, value in facts]
    lines += [f"“{clip(quote, 200)}”" for quote in quotes[:1]]
    return "\n".join(line for line in lines if line)


def content_policy(scripts: Iterable[str], css: str) -> str:
    """The page's Content-Security-Policy: nothing fetched, only the named inline scripts run.

    Example:
        >>> content_policy(["x"], "y").startswith("default-src 'none'; script-src 'sha256-")
        True
    """
    hashes = " ".join(sha256(script) for script in scripts)
    # No inline script runs but these (so markup injected through the data could not run
    # either). 'unsafe-eval' only lets tools such as Playwright's wait_for_function poll the
    # page; none of the scripts evaluates strings.
    return (f"default-src 'none'; script-src {hashes} 'unsafe-eval'; "
            f"style-src {sha256(css)}; img-src data:; font-src 'none'; "
            "connect-src 'none'; form-action 'none'; base-uri 'none'")
