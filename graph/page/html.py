"""The interactive HTML page: one self-contained file that opens from disk with no network.

:func:`render_html` turns a story graph into the page: the nodes coloured and shaped by type with
a legend that filters, directed and labelled links (influence drawn apart from the rest), a
search box, and tooltips with each description and the evidence quoted from the source. The page
is rendered by pyvis: the ``Network`` of :func:`graph.page.network.to_pyvis`, through pyvis's
template mechanism (``generate_html``) with the project's own template, which inlines
vis-network (as bundled with pyvis), the data and the page's own script: nothing is fetched, and
the page's Content-Security-Policy forbids fetching anything and running any inline script but
those two (named by their SHA-256). :mod:`graph.page.network` says which parts of pyvis are used
and which are not, and why.

Safety: every text from the graph goes into the page as JSON (with ``<``, ``>``, ``&`` and the
JavaScript line separators escaped, so no label can close the ``<script>`` it sits in) and from
there into the document only through ``textContent`` or the canvas; the title and caption go
through Jinja's autoescape.

Determinism: nodes and edges are sorted, the starting layout is computed in Python without
randomness or with a fixed seed, and so is the browser's physics, so the same graph gives the
same bytes and the same drawing.

Example:
    >>> import graph
    >>> page = render_html(graph.load(), view="influence")
    >>> page.startswith("<!DOCTYPE html>") and "Samantha" in page
    True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import write_atomic
from ..collector import paused_gc
from .model import PAGE_VIEWS
from .network import render_network, to_pyvis

if TYPE_CHECKING:
    from ..stores.handle import StoryGraph

#: The file name suffix of each view's page (``her.html``, ``her-influence.html``, ...).
VIEW_PAGES: dict[str, str] = {view: f"-{view}" if view != "story" else ""
                              for view in PAGE_VIEWS}


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
    with paused_gc():
        return render_network(to_pyvis(kg, view=view, title=title))


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
