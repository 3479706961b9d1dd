"""The state of a story at a point: what holds once the story has reached an event or an act.

A *point* is an event or an act. What holds at an event P is what the story has certainly told
by then: P and every event that precedes P through ``hg:precedes+`` (see
:mod:`graph.views.story_order`). Where the story order is partial, an event that is not ordered
with P does **not** hold at P, even if its derived ``hg:storyPosition`` is smaller: a point holds
only what is *certainly* before it. At an act N, what holds is the state at the end of that act:
the events placed in acts 1..N and everything that certainly precedes them.

Given the events that hold, a :class:`StoryState` says:

``characters``
    who has *appeared*: takes part (``sem:hasActor``) in an event that holds, with the first such
    event in story order and the evidence and basis of that participation (its ``hg:Role``
    node; the event's when there is none).
``mentioned``
    who is only spoken of or addressed (an ``hg:Role`` of type ``hg:SpokenOf`` or
    ``hg:Addressee`` without ``sem:hasActor``) in an event that holds, and has not appeared.
    They are reported, but they are not characters of the network at that point.
``relationships``
    every relationship that exists: one with an ``hg:Begins`` stage (or, with no stages,
    an ``hg:startsWith`` event) exists once that event holds; one with neither exists from the
    first event. Its *current stage* is the latest of its stages whose event holds, "latest" in
    the linear order of :class:`~graph.views.story_order.StoryOrder` (ties between stages
    the partial order leaves unordered are broken by the derived ``hg:storyPosition``, then by
    the stage type in the order Begins, TurningPoint, Climax, Ends, Closure, Reconciles).
``influences``
    every influence exerted so far: a qualified ``prov:Influence`` is exerted once any of its
    ``hg:throughEvent`` events holds (in a total order: once the first one does); one with no
    through-event, and a plain ``prov:wasInfluencedBy`` with no qualified influence, is not
    dated by the source and is taken to hold from the first event, like a relationship with no
    Begins stage (``event`` is then ``""``).

Every item carries its evidence quotes and its ``hg:basis`` as the projections and pages name it
(:func:`graph.views.labels.basis_name`: ``"stated"``, ``"interpreted"``, ``"inferred"``, or
``""`` when the graph gives none).

:func:`story_time` reads a graph once; ``.at(point)`` gives one state and ``.timeline()`` every
event's state in story order, each computed from its predecessors' (the work grows with the
number of events and ``hg:precedes`` links, not with their square).

Example:
    >>> import graph
    >>> time = story_time(graph.load().rdf)
    >>> her = "https://w3id.org/her-graph/her/"
    >>> state = time.at(her + "event-letter")
    >>> sorted(c.label for c in state.characters)
    ['Catherine', 'Samantha', 'Theodore']
    >>> [(r.label, r.stage_type) for r in state.relationships if r.stage_type][-2:]
    [("Theodore and Catherine's marriage", 'Closure'), ("Theodore and Samantha's virtual \
romance", 'Ends')]
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from ..errors import UsageError
from .labels import TermReader
from .story_facts import Facts, Influence, Relationship
from .story_items import Appearance, InfluenceState, RelationshipState
from .story_order import StoryOrder, iter_bits

if TYPE_CHECKING:
    from rdflib import Graph

    from ..stores.backend import TriplePatterns
    from ..stores.handle import StoryGraph

_Contents = tuple[tuple[Appearance, ...], tuple[Appearance, ...], tuple[RelationshipState, ...],
                  tuple[InfluenceState, ...]]

class StoryState:
    """What holds at one point of the story (see the module documentation).

    ``point`` is the event's or act's IRI, ``label`` its label, ``position`` the event's derived
    story position (for an act: its number), ``kind`` ``"event"`` or ``"act"``. The items
    (``characters``, ``mentioned``, ``relationships``, ``influences``) are tuples, built the
    first time one of them is read, so going through a timeline costs only what is read.

    Example:
        >>> import graph
        >>> state = story_time(graph.load().rdf).at("https://w3id.org/her-graph/her/act-1")
        >>> state.kind, state.position, len(state.events), len(state.nodes)
        ('act', 1, 3, 8)
    """

    def __init__(self, point: str, kind: str, label: str, position: int | None, mask: int,
                 order: StoryOrder, build: Callable[[], _Contents]):
        self.point, self.kind, self.label, self.position = point, kind, label, position
        self.mask, self.order = mask, order
        self._build: Callable[[], _Contents] | None = build
        self._built: _Contents | None = None

    def _contents(self) -> _Contents:
        if self._built is None:
            assert self._build is not None
            self._built, self._build = self._build(), None
        return self._built

    @property
    def characters(self) -> tuple[Appearance, ...]:
        """Who has appeared (taken part in an event that holds), by IRI."""
        return self._contents()[0]

    @property
    def mentioned(self) -> tuple[Appearance, ...]:
        """Who is only spoken of or addressed so far, by IRI."""
        return self._contents()[1]

    @property
    def relationships(self) -> tuple[RelationshipState, ...]:
        """The relationships that exist, with their current stage, by IRI."""
        return self._contents()[2]

    @property
    def influences(self) -> tuple[InfluenceState, ...]:
        """The influences exerted so far, by influencer and influenced."""
        return self._contents()[3]

    @property
    def events(self) -> tuple[str, ...]:
        """The events that hold, in story order."""
        return tuple(self.order.events[i] for i in iter_bits(self.mask))

    def holds(self, event: str) -> bool:
        """Whether ``event`` is the point or certainly before it."""
        index = self.order.index.get(event)
        return index is not None and bool(self.mask >> index & 1)

    @property
    def nodes(self) -> frozenset[str]:
        """The nodes of the network at this point: characters who appeared, the parties of
        every relationship and influence that holds, and the events that hold."""
        found = {a.character for a in self.characters} | set(self.events)
        for r in self.relationships:
            found.update(r.parties)
        for i in self.influences:
            found.update((i.influencer, i.influenced))
        return frozenset(found)

    def __repr__(self) -> str:
        return (f"<StoryState at {self.label!r}: {len(self.events)} events, "
                f"{len(self.characters)} characters, {len(self.relationships)} relationships, "
                f"{len(self.influences)} influences>")


class _Acc:
    """What the events seen so far give: item -> the linear index of the event that gave it.

    The timeline hands one accumulator down a chain of events without copying it; a state
    reads it as it was at its own event through :meth:`view` (every entry carries the index of
    the event that set it, and a stage keeps its history), so a step costs what the event adds.
    """

    __slots__ = ("appeared", "begun", "influences", "mentioned", "stages")

    def __init__(self) -> None:
        self.appeared: dict[str, tuple[int, str]] = {}
        self.mentioned: dict[str, tuple[int, str]] = {}
        self.begun: dict[str, int] = {}
        self.stages: dict[str, list[tuple[int, int, str]]] = {}  # increasing: the last is current
        self.influences: dict[str, int] = {}

    def copy(self) -> _Acc:
        new = _Acc()
        new.appeared, new.mentioned = dict(self.appeared), dict(self.mentioned)
        new.begun, new.influences = dict(self.begun), dict(self.influences)
        new.stages = {key: [history[-1]] for key, history in self.stages.items()}
        return new

    def view(self, limit: int) -> _Acc:
        """The accumulator as it was once the event of linear index ``limit`` was added."""
        new = _Acc()
        new.appeared = {k: v for k, v in self.appeared.items() if v[0] <= limit}
        new.mentioned = {k: v for k, v in self.mentioned.items() if v[0] <= limit}
        new.begun = {k: v for k, v in self.begun.items() if v <= limit}
        new.influences = {k: v for k, v in self.influences.items() if v <= limit}
        for key, history in self.stages.items():
            for stage in reversed(history):
                if stage[0] <= limit:
                    new.stages[key] = [stage]
                    break
        return new

    def merge(self, other: _Acc) -> None:
        for mine, theirs in ((self.appeared, other.appeared), (self.mentioned, other.mentioned)):
            for key, seen in theirs.items():
                if key not in mine or seen < mine[key]:
                    mine[key] = seen
        for firsts, others in ((self.begun, other.begun), (self.influences, other.influences)):
            for key, index in others.items():
                if key not in firsts or index < firsts[key]:
                    firsts[key] = index
        for key, history in other.stages.items():
            if key not in self.stages or history[-1] > self.stages[key][-1]:
                self.stages[key] = [history[-1]]

    def add_event(self, facts: Facts, i: int, event: str) -> None:
        for character, role in facts.actors.get(event, ()):
            self.appeared.setdefault(character, (i, role))
        for character, role in facts.mentions.get(event, ()):
            self.mentioned.setdefault(character, (i, role))
        for relationship in facts.begins.get(event, ()):
            self.begun.setdefault(relationship, i)
        for relationship, rank, stage in facts.stages_at.get(event, ()):
            candidate = (i, rank, stage)
            history = self.stages.setdefault(relationship, [])
            if not history or candidate > history[-1]:
                history.append(candidate)
        for influence in facts.through.get(event, ()):
            self.influences.setdefault(influence, i)


class StoryTime:
    """States of one story graph; made by :func:`story_time`.

    Example:
        >>> import graph
        >>> time = story_time(graph.load().rdf)
        >>> [state.label for state in time.acts()]
        ['Act I', 'Act II', 'Act III']
    """

    def __init__(self, facts: Facts):
        self.facts = facts
        self.order = facts.order
        self._items: dict[tuple[Any, ...], Any] = {}  # each item made once, shared by states

    def _state(self, point: str, kind: str, label: str, position: int | None, mask: int,
               acc: _Acc, limit: int | None = None) -> StoryState:
        return StoryState(point, kind, label, position, mask, self.order,
                          partial(self._contents, acc, limit))

    def _contents(self, shared: _Acc, limit: int | None) -> _Contents:
        acc = shared if limit is None else shared.view(limit)
        facts, events = self.facts, self.order.events
        characters = tuple(self._appearance(c, events[i], role, False)
                           for c, (i, role) in sorted(acc.appeared.items()))
        mentioned = tuple(self._appearance(c, events[i], role, True)
                          for c, (i, role) in sorted(acc.mentioned.items())
                          if c not in acc.appeared)
        relationships = tuple(self._relationship(r, acc) for r in facts.relationships
                              if r.undated or r.key in acc.begun)
        influences = tuple(self._influence(f, acc) for f in facts.influences
                           if f.undated or f.key in acc.influences)
        return characters, mentioned, relationships, influences

    def _item(self, key: tuple[str, ...] | tuple[Any, ...], make: Callable[[], Any]) -> Any:
        found = self._items.get(key)
        if found is None:
            found = self._items[key] = make()
        return found

    def _appearance(self, character: str, event: str, role: str, mentioned: bool) -> Appearance:
        key = ("m" if mentioned else "a", character, event, role)
        found = self._items.get(key)
        if found is None:
            found = self._items[key] = self.facts.appearance(character, event, role,
                                                             mentioned=mentioned)
        return cast("Appearance", found)

    def _relationship(self, r: Relationship, acc: _Acc) -> RelationshipState:
        history = acc.stages.get(r.key)
        current = history[-1] if history else None

        def make() -> RelationshipState:
            if current is None:
                return RelationshipState(r.key, r.label, r.kind, r.parties, r.basis, r.evidence)
            stage = self.facts.stages[current[2]]
            return RelationshipState(r.key, r.label, r.kind, r.parties, r.basis, r.evidence,
                                     stage.key, stage.type, stage.label, stage.event,
                                     stage.basis, stage.evidence)

        return cast("RelationshipState",
                    self._item(("r", r.key, current[2] if current else ""), make))

    def _influence(self, f: Influence, acc: _Acc) -> InfluenceState:
        index = acc.influences.get(f.key)

        def make() -> InfluenceState:
            event = "" if index is None else self.order.events[index]
            return InfluenceState(f.iri, f.influencer, f.influenced, f.how, event, f.basis,
                                  f.evidence)

        return cast("InfluenceState", self._item(("i", f.key, -1 if index is None else index),
                                                 make))

    def _acc_of(self, mask: int) -> _Acc:
        acc = _Acc()
        for i in iter_bits(mask):
            acc.add_event(self.facts, i, self.order.events[i])
        return acc

    def at(self, point: str | int) -> StoryState:
        """The state at an event or act (its IRI) or at a derived story position (an ``int``).

        Raises:
            UsageError: the point is neither an event nor an act of the graph.

        Example:
            >>> import graph
            >>> time = story_time(graph.load().rdf)
            >>> time.at(2).label, [c.label for c in time.at(2).characters]
            ('Theodore encounters Samantha', ['Samantha', 'Theodore'])
            >>> time.at("https://w3id.org/her-graph/her/act-1").label
            'Act I'
        """
        order = self.order
        if isinstance(point, int) and not isinstance(point, bool):
            point = order.event_at(point)
        if point in order.index:
            mask = order.ancestors(point)
            return self._state(point, "event", order.label(point), order.position(point), mask,
                               self._acc_of(mask))
        for number, key, label in order.acts():
            if key == point:
                mask = order.act_mask(number)
                return self._state(key, "act", label, number, mask, self._acc_of(mask))
        raise UsageError(f"{point!r} is neither an event nor an act of the story; give an "
                         "event (IRI or story position) or an act IRI")

    def acts(self) -> list[StoryState]:
        """The state at the end of each act, in act order."""
        return [self.at(key) for _, key, _ in self.order.acts()]

    def timeline(self) -> Iterator[StoryState]:
        """The state at every event, in story order.

        Each event's state is its predecessors' states merged, plus what the event adds. Along
        a chain of ``hg:precedes`` the same accumulator is handed on, not copied (each state
        reads it as it was at its event), so a step costs what the event adds; where the
        order forks or joins, the accumulator is copied. Each state's tuples are built when
        first read, so reading a state costs what holds at it.

        Example:
            >>> import graph
            >>> states = list(story_time(graph.load().rdf).timeline())
            >>> [len(s.characters) for s in states][:3]
            [1, 2, 2]
        """
        order, facts = self.order, self.facts
        waiting: dict[str, int] = dict.fromkeys(order.events, 0)
        for key in order.events:
            for earlier in order.predecessors[key]:
                waiting[earlier] += 1
        kept: dict[str, _Acc] = {}
        for i, key in enumerate(order.events):
            preds = order.predecessors[key]
            if len(preds) == 1 and waiting[preds[0]] == 1:
                acc = kept.pop(preds[0])  # the only user: take it over, no copy
            else:
                acc = kept[preds[0]].copy() if preds else _Acc()
                for earlier in preds[1:]:
                    acc.merge(kept[earlier])
            for earlier in preds:
                waiting[earlier] -= 1
                if waiting[earlier] == 0:
                    kept.pop(earlier, None)
            acc.add_event(facts, i, key)
            state = self._state(key, "event", order.label(key), order.position(key),
                                order.ancestors(key), acc, i)
            if waiting[key]:
                kept[key] = acc  # successors copy it, or the last one takes it over
            yield state


def story_time(rdf: Graph | TriplePatterns, *, reader: TermReader | None = None) -> StoryTime:
    """Read the story order, participations, stages and influences of ``rdf`` once.

    Args:
        rdf: an :class:`rdflib.Graph`, or a store's pattern lookups
            (``backend.patterns()``).
        reader: the :class:`~graph.views.labels.TermReader` of ``rdf`` to read through, when
            it is shared with other views; by default a reader of its own.

    Raises:
        ProjectionError: ``hg:precedes`` has a cycle.

    Example:
        >>> import graph
        >>> time = story_time(graph.load().rdf)
        >>> time.at(1)
        <StoryState at 'Theodore mourns his lost love with Catherine': 1 events, 1 characters, \
3 relationships, 1 influences>
    """
    return StoryTime(Facts(rdf, reader=reader))


#: The last story time read of each graph, with the revision of its store it was read at.
#: Keyed by the graph, not its store: a story time holds the store (it reads labels lazily).
_KEPT_TIMES: weakref.WeakKeyDictionary[StoryGraph, tuple[Hashable, StoryTime]] = (
    weakref.WeakKeyDictionary())


def shared_story_time(kg: StoryGraph) -> StoryTime:
    """:func:`story_time` of ``kg``, read once (through the reader the views of its pages share,
    :meth:`TermReader.of <graph.views.labels.TermReader.of>`) and shared (by every page of a
    build, each with its story-time slider) until the triples change (see
    :attr:`graph.stores.Backend.revision`); read afresh each time for a store that cannot tell.

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> shared_story_time(kg) is shared_story_time(kg)
        True
    """
    revision = kg.backend.revision
    kept = _KEPT_TIMES.get(kg)
    if revision is not None and kept is not None and kept[0] == revision:
        return kept[1]
    time = story_time(kg.backend.patterns(), reader=TermReader.of(kg))
    if revision is not None:
        _KEPT_TIMES[kg] = (revision, time)
    return time
