"""Points of story time given as users write them, and the projections at a point.

A point is an event (its name or label, IRI, prefixed name, or its derived story position as an
``int`` or a string of digits) or an act (its IRI, prefixed name, label such as ``"Act II"``, or
``"act 2"``).

Example:
    >>> import graph
    >>> kg = graph.load()
    >>> from graph.views.story_time import story_time
    >>> time = story_time(kg.backend.patterns())
    >>> point_key(kg, time, "act 3"), point_key(kg, time, "12")
    ('https://w3id.org/her-graph/her/act-3', 'https://w3id.org/her-graph/her/event-letter')
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import UnknownNameError, UsageError
from ..sparql.resolve import normalize_name
from .cooccurrence import cooccurrence_graph, view_at
from .projection import to_networkx
from .story_time import StoryTime

if TYPE_CHECKING:
    import networkx as nx

    from ..stores.handle import StoryGraph

_ACT = re.compile(r"^act\s*(\d+)$", re.IGNORECASE)


def point_key(kg: StoryGraph, time: StoryTime, point: str | int) -> str:
    """The IRI of the event or act ``point`` designates.

    Raises:
        UnknownNameError: nothing in the story matches (the message lists the points).

    Example:
        >>> import graph
        >>> from graph.views.story_time import story_time
        >>> kg = graph.load()
        >>> point_key(kg, story_time(kg.rdf), "Act I")
        'https://w3id.org/her-graph/her/act-1'
    """
    order = time.order
    if isinstance(point, int) and not isinstance(point, bool):
        return order.event_at(point)
    text = str(point).strip()
    if text.isdigit():
        return order.event_at(int(text))
    wanted = normalize_name(text)
    match = _ACT.match(text)
    for number, key, label in order.acts():
        if (match and int(match.group(1)) == number) or wanted in (
                normalize_name(label), normalize_name(key), normalize_name(kg.short(key))):
            return key
    try:
        return str(kg.resolve(text, kind="event"))
    except UnknownNameError as error:
        if "ambiguous" in str(error):
            raise
        known = [order.label(e) for e in order.events] + [f"act {n}" for n, _, _ in order.acts()]
        raise UnknownNameError(text, "point", known) from None


def network_at(kg: StoryGraph, time: StoryTime, view: str, point: str | int | None, *,
               cumulative: bool = True) -> nx.Graph:
    """The ``view`` projection of ``kg`` at ``point`` (the whole story when ``None``).

    With ``cumulative=False`` the cooccurrence view counts only the events *of* the point (the
    events of an act, or the one event), as DraCor builds a network per segment.

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> from graph.views.story_time import story_time
        >>> time = story_time(kg.backend.patterns())
        >>> G = network_at(kg, time, "cooccurrence", "act 1", cumulative=False)
        >>> sorted(G.nodes[n]["label"] for n in G)
        ['Samantha', 'Theodore']
    """
    if point is None:
        return to_networkx(kg, view=view)
    key = point_key(kg, time, point)
    state = time.at(key)
    if view == "cooccurrence":
        if cumulative:
            return cooccurrence_graph(time.facts, events=state.events)
        events = [e for e in time.order.events
                  if (time.order.act(e) or (0, "", ""))[1] == key] if state.kind == "act" else [key]
        return cooccurrence_graph(time.facts, events=events)
    if not cumulative:
        raise UsageError("cumulative=False is for the cooccurrence view only")
    return view_at(to_networkx(kg, view=view), state, facts=time.facts)
