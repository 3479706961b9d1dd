"""The story order of a graph: its events, the partial order ``hg:precedes`` and its acts.

:class:`StoryOrder` reads the events (``hg:StoryEvent``), the ``hg:precedes`` links between
them, their derived ``hg:storyPosition`` and their act (``hg:inAct`` / ``hg:actNumber``), and
puts the events in one *linear extension* of the partial order: Kahn's topological sort that,
among the events ready to come next, takes the one with the smallest ``hg:storyPosition``
(then the smallest IRI). Where the positions agree with ``hg:precedes`` (they do in a valid
graph) this is the order of the positions; where a graph has no ``hg:precedes`` at all, the
positions alone order the events.

What is *certainly before* an event is what precedes it through ``hg:precedes+``: the
ancestors, kept for each event as a Python ``int`` used as a bitset over the linear order and
computed once, in that order (each event ORs its predecessors' sets), so the work grows with the
number of links, not with the number of pairs of events.

Example:
    >>> import graph
    >>> order = StoryOrder(graph.load().rdf)
    >>> her = "https://w3id.org/her-graph/her/"
    >>> [order.label(e) for e in order.before(her + "event-heart-expands")]
    ['Theodore mourns his lost love with Catherine', 'Theodore encounters Samantha', \
'Samantha: the heart expands the more you love']
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib import BNode, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..errors import ProjectionError, UnknownNameError
from ..namespaces import HG
from .labels import TermReader, first_integer, node_key

if TYPE_CHECKING:
    from rdflib import Graph

    from ..stores.backend import TriplePatterns

_PRECEDES = str(HG.precedes)
_POSITION = str(HG.storyPosition)
_IN_ACT = str(HG.inAct)
_ACT_NUMBER = str(HG.actNumber)
_FAR = 1 << 62


def iter_bits(mask: int) -> Iterator[int]:
    """The indexes of the bits set in ``mask``, lowest first.

    >>> list(iter_bits(0b10110))
    [1, 2, 4]
    """
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low




class StoryOrder:
    """The events of a story in a linear extension of ``hg:precedes``, with ancestor sets.

    Attributes:
        events: the event keys (IRIs) in the linear order.
        index: event key -> its place in :attr:`events`.
        reader: the :class:`~graph.views.labels.TermReader` the order was read with.

    Raises:
        ProjectionError: ``hg:precedes`` has a cycle (the message names an event on it).

    Example:
        >>> import graph
        >>> order = StoryOrder(graph.load().rdf)
        >>> len(order.events), order.position(order.events[0])
        (14, 1)
    """

    def __init__(self, rdf: Graph | TriplePatterns, *, reader: TermReader | None = None):
        self.reader = reader if reader is not None else TermReader(rdf)
        read = self.reader
        terms: dict[str, Node] = {}
        for event in read.subjects(RDF.type, HG.StoryEvent):
            if isinstance(event, URIRef | BNode):
                terms[node_key(event)] = event
        self.terms = terms
        positions: dict[str, int] = {}
        successors: dict[str, list[str]] = {key: [] for key in terms}
        indegree = dict.fromkeys(terms, 0)
        for key, term in terms.items():
            position = first_integer(read.values(term, _POSITION))
            positions[key] = _FAR if position is None else position
            for later in sorted({node_key(v) for v in read.values(term, _PRECEDES)}):
                if later in terms and later != key:
                    successors[key].append(later)
                    indegree[later] += 1
        self._positions = positions
        ready = [(positions[k], k) for k, d in indegree.items() if d == 0]
        heapq.heapify(ready)
        events: list[str] = []
        while ready:
            _, key = heapq.heappop(ready)
            events.append(key)
            for later in successors[key]:
                indegree[later] -= 1
                if indegree[later] == 0:
                    heapq.heappush(ready, (positions[later], later))
        if len(events) < len(terms):
            stuck = min(k for k, d in indegree.items() if d > 0)
            raise ProjectionError(f"hg:precedes has a cycle through {stuck}; the story order "
                                "must be a partial order: remove one of the links")
        self.events: tuple[str, ...] = tuple(events)
        self.index = {key: i for i, key in enumerate(events)}
        self.predecessors: dict[str, tuple[str, ...]] = {key: () for key in events}
        for key, laters in successors.items():
            for later in laters:
                self.predecessors[later] += (key,)
        ancestors: list[int] = []
        for i, key in enumerate(events):
            mask = 1 << i
            for earlier in self.predecessors[key]:
                mask |= ancestors[self.index[earlier]]
            ancestors.append(mask)
        self._ancestors = ancestors
        self._acts = self._read_acts()

    def _read_acts(self) -> dict[str, tuple[int, str, str]]:
        """event key -> (act number, act key, act label); events with no act are left out."""
        acts: dict[str, tuple[int, str, str]] = {}
        for key, term in self.terms.items():
            placed = sorted((v for v in self.reader.values(term, _IN_ACT)
                             if isinstance(v, URIRef | BNode)), key=node_key)
            if not placed:
                continue
            act = placed[0]
            number = first_integer(self.reader.values(act, _ACT_NUMBER))
            label = self.reader.describe(act)["label"]
            acts[key] = (_FAR if number is None else number, node_key(act), label)
        return acts

    def __len__(self) -> int:
        return len(self.events)

    def position(self, event: str) -> int | None:
        """The derived ``hg:storyPosition`` of ``event``, or ``None``."""
        position = self._positions.get(event, _FAR)
        return None if position == _FAR else position

    def label(self, key: str) -> str:
        """The label of an event, act or character."""
        return self.reader.describe(URIRef(key) if not key.startswith("_:")
                                    else BNode(key[2:]))["label"]

    def act(self, event: str) -> tuple[int, str, str] | None:
        """``(number, act key, act label)`` of the act ``event`` is in, or ``None``."""
        return self._acts.get(event)

    def acts(self) -> list[tuple[int, str, str]]:
        """Every act that holds an event, ``(number, key, label)``, in act order."""
        return sorted(set(self._acts.values()))

    def ancestors(self, event: str) -> int:
        """The bitset of the events that are ``event`` or certainly before it."""
        return self._ancestors[self.index[event]]

    def before(self, event: str) -> list[str]:
        """The events that are ``event`` or certainly before it, in the linear order.

        Example:
            >>> import graph
            >>> order = StoryOrder(graph.load().rdf)
            >>> last = order.events[-1]  # the sunrise: the heart-expands scene is unordered to it
            >>> len(order.before(last)), len(order)
            (13, 14)
        """
        return [self.events[i] for i in iter_bits(self.ancestors(event))]

    def act_mask(self, number: int) -> int:
        """The bitset of the events in acts numbered up to ``number`` and what precedes them."""
        mask = 0
        for key, (act_number, _, _) in self._acts.items():
            if act_number <= number:
                mask |= self._ancestors[self.index[key]]
        return mask

    def event_at(self, position: int) -> str:
        """The event whose derived story position is ``position``.

        Raises:
            UnknownNameError: no event has it (the message lists the positions).
        """
        for key in self.events:
            if self._positions[key] == position:
                return key
        known = sorted(p for p in self._positions.values() if p != _FAR)
        raise UnknownNameError(str(position), "story position", map(str, known))
