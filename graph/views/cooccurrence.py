"""The co-occurrence view, and any view cut at a point of story time.

``"cooccurrence"`` (:class:`networkx.Graph`)
    A node per character who takes part (``sem:hasActor``) in an event, an edge between two
    characters who take part in the same event, with ``weight`` (the number of events they
    share), ``events`` (those events' IRIs, in story order, the evidence of the edge),
    ``event_labels`` and ``evidence`` (the quotes of those events, the one that names both
    characters first: :func:`~graph.views.labels.most_telling`). As DraCor builds a
    network per segment, :func:`cooccurrence_graph` builds it over any set of events: the whole
    story, one act (``events=`` the act's events) or the story so far (the events that hold at a
    point: the cumulative network).

:func:`view_at` cuts a projection at a :class:`~graph.views.story_time.StoryState`: it keeps the
edges that hold then (an influence once exerted, a relationship once it exists, with its
current ``stage`` and ``stage_type``; an event of the timeline once it holds) and the nodes that
hold (see :attr:`StoryState.nodes <graph.views.story_time.StoryState.nodes>`).

Example:
    >>> import graph
    >>> from graph.views.story_time import story_time
    >>> time = story_time(graph.load().rdf)
    >>> G = cooccurrence_graph(time.facts)
    >>> her = "https://w3id.org/her-graph/her/"
    >>> G.edges[her + "Theodore", her + "Samantha"]["weight"]
    7
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import networkx as nx
from rdflib import BNode, URIRef

from ..errors import UsageError
from .labels import most_telling
from .timed import TIMED_VIEWS

if TYPE_CHECKING:
    from .story_facts import Facts
    from .story_time import StoryState

def cooccurrence_graph(facts: Facts, *, events: Iterable[str] | None = None) -> nx.Graph:
    """Characters linked by the events they take part in together, weighted by their number.

    Args:
        facts: the story's :class:`~graph.views.story_facts.Facts`.
        events: the events to count (IRIs); every event of the story by default.

    Example:
        >>> import graph
        >>> from graph.views.story_facts import Facts
        >>> facts = Facts(graph.load().rdf)
        >>> first_two = facts.order.events[:2]
        >>> G = cooccurrence_graph(facts, events=first_two)
        >>> [(G.nodes[a]["label"], G.nodes[b]["label"], d["weight"])
        ...  for a, b, d in G.edges(data=True)]
        [('Samantha', 'Theodore', 1)]
    """
    order = facts.order
    chosen = order.events if events is None else sorted(
        (e for e in set(events) if e in order.index), key=order.index.__getitem__)
    g: nx.Graph = nx.Graph(view="cooccurrence")
    shared: dict[tuple[str, str], list[str]] = {}
    for event in chosen:
        actors = [a for a, _ in facts.actors.get(event, ())]
        for a in actors:
            if a not in g:
                g.add_node(a, label=facts.label(a), type=_type(facts, a))
        for i, a in enumerate(actors):
            for b in actors[i + 1:]:
                shared.setdefault((a, b), []).append(event)
    for (a, b), evs in sorted(shared.items()):
        quotes = most_telling({q for e in evs for q in facts.quotes(order.terms[e])},
                              (g.nodes[a]["label"], g.nodes[b]["label"]))
        g.add_edge(a, b, weight=len(evs), events=tuple(evs),
                   event_labels=tuple(order.label(e) for e in evs), evidence=tuple(quotes),
                   label=f"{len(evs)} shared event{'s' if len(evs) != 1 else ''}")
    return _sorted(g)


def _type(facts: Facts, key: str) -> str:
    term = BNode(key[2:]) if key.startswith("_:") else URIRef(key)
    return facts.reader.describe(term)["type"]


def _sorted(g: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges inserted in sorted order (deterministic output)."""
    out = g.__class__(**g.graph)
    out.add_nodes_from(sorted(g.nodes(data=True)))
    out.add_edges_from(sorted(g.edges(data=True), key=lambda e: (e[0], e[1])))
    return out


def view_at(g: nx.Graph, state: StoryState, *, facts: Facts | None = None) -> nx.Graph:
    """The projection ``g`` (its ``view`` is in ``g.graph["view"]``) as it is at ``state``.

    Raises:
        UsageError: the view has no story time (``"full"``).

    Example:
        >>> import graph
        >>> from graph.views.story_time import story_time
        >>> from graph.views.projection import to_networkx
        >>> kg = graph.load()
        >>> state = story_time(kg.rdf).at(2)
        >>> G = view_at(to_networkx(kg, view="relationships"), state)
        >>> sorted(d["label"] for _, _, d in G.edges(data=True))[:2]
        ["Amy's connection to her operating system", 'Theodore and Catherine grew up together']
    """
    view = g.graph.get("view")
    if view not in TIMED_VIEWS:
        raise UsageError(f"the {view!r} view has no story time; views with one: "
                            f"{', '.join(TIMED_VIEWS)}")
    nodes = state.nodes
    out = g.__class__(**g.graph)
    edges: list[tuple[Any, ...]]
    if view == "influence":
        held = {(i.influencer, i.influenced) for i in state.influences}
        edges = [(s, t, d) for s, t, d in g.edges(data=True) if (s, t) in held]
    elif view == "relationships":
        current = {r.relationship: r for r in state.relationships}
        edges = []
        for s, t, k, d in cast("nx.MultiGraph", g).edges(keys=True, data=True):
            if k in current:
                r = current[k]
                edges.append((s, t, k, {**d, "stage": r.stage, "stage_type": r.stage_type}))
    elif view == "timeline":
        edges = [(s, t, d) for s, t, d in g.edges(data=True) if state.holds(s)
                 and state.holds(t)]
        nodes = frozenset(n for n in g if state.holds(n))
    else:
        if facts is None:
            raise UsageError("the cooccurrence view at a point needs the story's facts")
        return cooccurrence_graph(facts, events=state.events)
    keep = {n for n in g if n in nodes}
    for edge in edges:
        keep.update(edge[:2])
    out.add_nodes_from((n, g.nodes[n]) for n in sorted(keep) if n in g)
    out.add_edges_from(edges)
    return out
