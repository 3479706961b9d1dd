"""Network metrics through story time: the whole story, each act, or each event, as rows.

A *window* is the network at one point of story time: with ``by=None`` the whole story, with
``by="act"`` the network as it stands at the end of each act, with ``by="event"`` as it stands at
each event (cumulative, as :func:`graph.views.story_points.network_at` gives it: what is
certainly before the point). Each row starts with ``window`` (the point's label, or
``"whole story"``) and ``position`` (the act number or the event's story position).

Example:
    >>> import graph
    >>> kg = graph.load()
    >>> rows = metrics_rows(kg, view="cooccurrence", by="act")
    >>> [(r["window"], r["nodes"], r["edges"]) for r in rows]
    [('Act I', 2, 1), ('Act II', 3, 2), ('Act III', 4, 3)]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..sparql.results import Rows
from ..sparql.values import IRI, BlankNode
from ..views.projection import to_networkx
from ..views.story_points import network_at
from ..views.story_time import story_time
from .measures import MEASURES
from .metrics import character_metrics, network_metrics, removal_impact

if TYPE_CHECKING:
    import networkx as nx

    from ..stores.handle import StoryGraph

#: The windows ``by=`` accepts.
BY = (None, "act", "event")
#: What ``of=`` measures: the network, each character, or the removal of each character.
OF: dict[str, Callable[[nx.Graph], Any]] = dict(zip(
    MEASURES, (network_metrics, character_metrics, removal_impact), strict=True))


def _node(value: Any) -> Any:
    if isinstance(value, str):
        return BlankNode(value[2:]) if value.startswith("_:") else IRI(value)
    return value


def metrics_rows(kg: StoryGraph, *, view: str = "cooccurrence", by: str | None = None,
                 of: str = "network") -> Rows:
    """The metrics of ``view`` for the whole story or per window, as :class:`Rows`.

    Args:
        kg: the story graph.
        view: a view with story time: ``"cooccurrence"`` (default), ``"influence"``,
            ``"relationships"`` or ``"timeline"``.
        by: ``None`` (the whole story), ``"act"`` or ``"event"``.
        of: ``"network"`` (one row per window, see
            :func:`~graph.analysis.metrics.network_metrics`), ``"characters"`` (a row per node
            and window, :func:`~graph.analysis.metrics.character_metrics`) or ``"removal"``
            (:func:`~graph.analysis.metrics.removal_impact`).

    Raises:
        UsageError: an unknown ``by`` or ``of``, or a view without story time.

    Example:
        >>> import graph
        >>> rows = metrics_rows(graph.load(), view="influence", of="characters")
        >>> max(rows, key=lambda r: r["betweenness"])["label"]
        'Theodore'
    """
    if by not in BY:
        raise UsageError(f"unknown window {by!r}; use by=None, 'act' or 'event'")
    if of not in OF:
        raise UsageError(f"unknown measure {of!r}; use of={', '.join(map(repr, OF))}")
    time = None if by is None else story_time(kg.backend.patterns())
    windows: list[tuple[str, int | None, str | None]] = [("whole story", None, None)]
    if time is not None and by == "act":
        windows = [(label, number, key) for number, key, label in time.order.acts()]
    elif time is not None:
        windows = [(time.order.label(e), time.order.position(e), e) for e in time.order.events]
    measure = OF[of]
    columns: list[str] = []
    rows: list[dict[str, Any]] = []
    for label, position, point in windows:
        g = (to_networkx(kg, view=view) if time is None or point is None
             else network_at(kg, time, view, point))
        found = measure(g)
        for row in found if isinstance(found, list) else [found]:
            record = {"window": label, "position": position, **row}
            if "node" in record:
                record["node"] = _node(record["node"])
            rows.append(record)
            if not columns:
                columns = list(record)
    if not columns:
        columns = ["window", "position", *(["node", "label"] if of != "network" else [])]
    return Rows(columns, rows, namespaces=kg.backend.namespace_manager)
