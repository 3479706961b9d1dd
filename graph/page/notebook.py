"""Notebook display: the interactive graph inline, and a summary of a story graph.

:func:`show` (``kg.show()``) returns an :class:`InlineGraph`, which a notebook (Jupyter,
JupyterLab, VS Code, ...) displays as the interactive page of :mod:`graph.page.html` inside an
``<iframe>`` whose ``srcdoc`` attribute holds the whole page. Nothing is written to disk and
nothing is served or fetched: the page, its data and its JavaScript travel inside the notebook's
output, so it draws offline and still does when the notebook is opened elsewhere.

The frame is sandboxed with ``allow-scripts allow-forms`` only: the page's own scripts run
(its Content-Security-Policy still allows no others) and its search box answers Enter (the
browser fires no ``submit`` event in a sandbox without ``allow-forms``; the page's
``form-action 'none'`` still forbids sending a form anywhere). Without ``allow-same-origin`` the
frame has an opaque origin, so nothing in it can read or change the notebook around it, its
cookies or its storage, and it cannot navigate the notebook or open windows. The page is
written into the attribute HTML-escaped (``&``, ``<``, ``>``, ``"`` and ``'``), so no text from
the graph can end the attribute or the frame.

:func:`summary_html` is what ``kg`` itself shows in a notebook: counts by type and the most
influential parties.

Example:
    >>> import graph
    >>> inline = graph.load().show(view="influence", height=500)
    >>> inline
    <InlineGraph: influence view of Her (2013), 7 nodes, 10 links>
    >>> inline._repr_html_()[:73]
    '<iframe sandbox="allow-scripts allow-forms" srcdoc="&lt;!DOCTYPE html&gt;'

"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any, Protocol

from ..atomic import write_atomic
from ..errors import HerGraphError, UsageError
from ..namespaces import HG, OA, PROV, SDO
from ..stores.handle import StoryGraph
from .data import MAX_HEADING, clip
from .model import page_model
from .network import render_page
from .style import NODE_STYLES

#: The iframe's sandbox: the page's scripts and its search form work, in an opaque origin.
SANDBOX = "allow-scripts allow-forms"


#: What the summary counts: (name, class), in the order shown.
SUMMARY_TYPES: tuple[tuple[str, str], ...] = (
    ("human characters", str(HG.HumanCharacter)),
    ("AI characters", str(HG.AICharacter)),
    ("groups of characters", str(HG.CharacterGroup)),
    ("events", str(HG.StoryEvent)),
    ("acts", str(HG.Act)),
    ("themes", str(HG.Theme)),
    ("relationships", str(HG.Relationship)),
    ("influences", str(PROV.Influence)),
    ("theme attributions", str(HG.ThemeAttribution)),
    ("roles (cast)", str(SDO.PerformanceRole)),
    ("evidence quotes", str(OA.TextQuoteSelector)),
)

_TYPE_COUNTS_QUERY = (
    "SELECT ?class (COUNT(DISTINCT ?node) AS ?count) WHERE { VALUES ?class { "
    + " ".join(f"<{iri}>" for _, iri in SUMMARY_TYPES)
    + " } ?node a ?class } GROUP BY ?class"
)

_TABLE_STYLE = "border-collapse:collapse;margin:0 24px 8px 0;font-size:13px"
_CELL = "padding:2px 8px;text-align:left;border-bottom:1px solid #e2e4e9"


def _check_height(height: object) -> None:
    if isinstance(height, bool) or not isinstance(height, int) or height < 100:
        raise UsageError(f"height is a whole number of CSS pixels, 100 or more; "
                         f"got {height!r}")


class InlineGraph:
    """The interactive page of a story graph, to display inline in a notebook.

    A notebook shows it as a sandboxed ``<iframe srcdoc=...>`` (see the module); in a terminal
    it prints a one-line description. :attr:`page` is the page itself, and :meth:`save` writes
    it to a file to open in a browser.

    Args:
        page: the self-contained HTML page (from :func:`graph.page.html.render_html`).
        view: the view it draws, for the description.
        height: the height of the frame, in CSS pixels.
        title: the page's title, for the frame and the description.
        nodes, links: how many the page draws, for the description (``None``: not said).

    Example:
        >>> import graph
        >>> from graph.page.html import render_html
        >>> kg = graph.load()
        >>> InlineGraph(render_html(kg, view="timeline"), view="timeline", height=400,
        ...             title="Her (2013)", nodes=14, links=13)
        <InlineGraph: timeline view of Her (2013), 14 nodes, 13 links>
    """

    def __init__(self, page: str, *, view: str = "story", height: int = 600,
                 title: str = "her-graph", nodes: int | None = None,
                 links: int | None = None):
        _check_height(height)
        self.page = page
        self.view = view
        self.height = height
        self.title = title
        self.nodes = nodes
        self.links = links

    def iframe(self) -> str:
        """The ``<iframe>`` element that shows the page: what a notebook displays.

        Example:
            >>> import graph
            >>> frame = graph.load().show(view="timeline").iframe()
            >>> 'sandbox="allow-scripts allow-forms"' in frame and "<script" not in frame
            True
        """
        return (f'<iframe sandbox="{SANDBOX}" srcdoc="{html.escape(self.page, quote=True)}"'
                f' title="{html.escape(self.title, quote=True)}" width="100%"'
                f' height="{self.height}" loading="eager" referrerpolicy="no-referrer"'
                ' style="border:1px solid #d5d8de;border-radius:4px;display:block"></iframe>')

    def _repr_html_(self) -> str:
        return self.iframe()

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (atomically, UTF-8) to open in any browser.

        Example:
            >>> import graph, pathlib, tempfile
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "influence.html"
            >>> graph.load().show(view="influence").save(path).read_text(encoding="utf-8")[:15]
            '<!DOCTYPE html>'
        """

        return write_atomic(path, self.page.encode("utf-8"))

    def __repr__(self) -> str:
        counts = (f", {self.nodes:,} nodes, {self.links:,} links"
                  if self.nodes is not None and self.links is not None else "")
        return f"<InlineGraph: {self.view} view of {self.title}{counts}>"


def show(kg: StoryGraph, *, view: str = "story", height: int = 600,
         title: str | None = None) -> InlineGraph:
    """The interactive page of ``kg``, to display inline in a notebook.

    Args:
        kg: the story graph.
        view: ``"story"`` (the default), ``"influence"``, ``"relationships"``, ``"timeline"``
            or ``"full"``, as for :func:`graph.page.html.render_html`.
        height: the height of the frame in the notebook, in CSS pixels (100 or more).
        title: the page's heading; by default the film's name and year.

    Raises:
        HerGraphError: an unknown view, or a height that is not a whole number of 100 or more.

    Example:
        >>> import graph
        >>> show(graph.load(), view="relationships").height
        600
    """

    _check_height(height)
    model = page_model(kg, view=view)
    page = render_page(kg, view=view, title=title, model=model)
    return InlineGraph(page, view=view, height=height,
                       title=clip(title or model.title, MAX_HEADING),
                       nodes=len(model.nodes), links=len(model.edges))


class SummarisedGraph(StoryGraph, Protocol):
    """What :func:`summary_html` reads of a story graph besides :class:`StoryGraph`: its size,
    where it came from and its influence analysis (duck-typed: the page layer does not import
    the analysis layer)."""

    def __len__(self) -> int:
        """The number of triples."""

    def _origin(self) -> str:
        """Where the graph came from, for people."""

    @property
    def influence(self) -> Any:
        """The influence analysis (:class:`graph.analysis.InfluenceAnalysis`)."""


def _table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th style='{_CELL}'>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='{_CELL}'>{html.escape(c)}</td>" for c in row)
                   + "</tr>" for row in rows)
    return (f"<table style='{_TABLE_STYLE}'><caption style='text-align:left;font-weight:600'>"
            f"{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _type_name(type: str) -> str:

    style = NODE_STYLES.get(type)
    return style[0].lower().replace("ai ", "AI ") if style else type.replace("_", " ")


def summary_html(kg: SummarisedGraph, *, top: int = 5) -> str:
    """A compact HTML summary of ``kg``: counts by type and the most influential parties.

    Two small tables: how many resources of each type of :data:`SUMMARY_TYPES` the graph holds
    (characters by kind, events, themes, ...) and how many triples; and the ``top`` parties by
    PageRank over the influence graph (see :func:`graph.analysis.influence.rank_influence`), left
    out
    when the graph records no influence. Every text from the graph is escaped.

    Example:
        >>> import graph
        >>> page = summary_html(graph.load())
        >>> "Most influential" in page and "Samantha" in page
        True
    """
    found = {str(row["class"]): int(str(row["count"])) for row in kg.query(_TYPE_COUNTS_QUERY)}
    counts = [[name, f"{found.get(iri, 0):,}"] for name, iri in SUMMARY_TYPES]
    parts = [_table("Counts by type", ["", "count"], [*counts, ["triples", f"{len(kg):,}"]])]
    try:
        ranking = kg.influence.rank_influence()
    except HerGraphError:
        ranking = None
    if ranking:
        parts.append(_table(
            "Most influential (PageRank)", ["rank", "name", "type", "PageRank", "influenced",
                                             "influenced by"],
            [[str(r.rank), r.label, _type_name(r.type), f"{r.pagerank:.3f}",
              str(r.out_degree), str(r.in_degree)] for r in ranking[:top]]))
    origin = html.escape(f"KnowledgeGraph ({kg._origin()}, {kg.store} store)")
    return (f"<div><p style='margin:0 0 6px'><b>{origin}</b></p>"
            f"<div style='display:flex;flex-wrap:wrap;align-items:flex-start'>"
            f"{''.join(parts)}</div></div>")
