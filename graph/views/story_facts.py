"""What story time needs of a graph, read once: who takes part where, stages and influences.

:class:`Facts` indexes, by event, what each event brings to the state of the story (see
:mod:`graph.views.story_time`): the characters who take part (``sem:hasActor``) and who are
only mentioned (``hg:role`` nodes of type ``hg:SpokenOf`` or ``hg:Addressee`` without
``sem:hasActor``), the relationships that begin, the stages reached, the influences exerted.
Every claim keeps its ``hg:basis`` and its evidence quotes.

Example:
    >>> import graph
    >>> facts = Facts(graph.load().rdf)
    >>> her = "https://w3id.org/her-graph/her/"
    >>> facts.mentions[her + "event-lament"]
    [('https://w3id.org/her-graph/her/Catherine', 'SpokenOf')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import BNode, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from .labels import (
    DESCRIBED,
    QUOTES,
    Nodes,
    TermReader,
    basis_name,
    best_text,
    local_name,
    node_key,
)
from .story_items import Appearance
from .story_order import StoryOrder

if TYPE_CHECKING:
    from rdflib import Graph

    from ..stores.backend import TriplePatterns

_HG = "https://w3id.org/her-graph/ontology#"
_SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
_HAS_ACTOR, _ROLE_TYPE = _SEM + "hasActor", _SEM + "roleType"
_ROLE, _BASIS = _HG + "role", _HG + "basis"
_STAGE, _STAGE_TYPE, _AT_EVENT = _HG + "stage", _HG + "stageType", _HG + "atEvent"
_PARTICIPANT, _KIND, _STARTS = _HG + "participant", _HG + "relationshipKind", _HG + "startsWith"
_THROUGH, _HOW = _HG + "throughEvent", _HG + "how"
_VALUE, _INFLUENCER = str(RDF.value), str(PROV.influencer)
_TYPE, _STORY_EVENT, _RELATIONSHIP = str(RDF.type), _HG + "StoryEvent", _HG + "Relationship"
_QUALIFIED, _WAS_INFLUENCED_BY = str(PROV.qualifiedInfluence), str(PROV.wasInfluencedBy)
_POSITION, _PRECEDES, _IN_ACT, _ACT_NUMBER = (
    _HG + "storyPosition", _HG + "precedes", _HG + "inAct", _HG + "actNumber")
_CLAIM = (_BASIS, QUOTES)
_EVENT = f"?e <{_TYPE}> <{_STORY_EVENT}> ."
_RELATIONSHIP_OF = f"?r <{_TYPE}> <{_RELATIONSHIP}> ;"

# What story time reads (the story order, then the facts below), for a store that answers it
# in one query (TermReader.read_ahead); read by pattern where it cannot, with the same result.
_READS = (
    Nodes(f"?s <{_TYPE}> <{_STORY_EVENT}>",
          (_POSITION, _PRECEDES, _IN_ACT, _HAS_ACTOR, _ROLE, *_CLAIM, *DESCRIBED),
          answers=((_TYPE, _STORY_EVENT),)),
    Nodes(f"{_EVENT} ?e <{_IN_ACT}> ?s", (_ACT_NUMBER, *DESCRIBED)),
    Nodes(f"{_EVENT} ?e <{_ROLE}> ?s", (_VALUE, _ROLE_TYPE, *_CLAIM)),
    Nodes(f"{_EVENT} {{ ?e <{_HAS_ACTOR}> ?s }} UNION {{ ?e <{_ROLE}>/<{_VALUE}> ?s }}",
          DESCRIBED),
    Nodes(f"?s <{_TYPE}> <{_RELATIONSHIP}>",
          (_PARTICIPANT, _STAGE, _KIND, _STARTS, *_CLAIM, *DESCRIBED),
          answers=((_TYPE, _RELATIONSHIP),)),
    Nodes(f"{_RELATIONSHIP_OF} <{_STAGE}> ?s", (_STAGE_TYPE, _AT_EVENT, *_CLAIM, *DESCRIBED)),
    Nodes(f"{_RELATIONSHIP_OF} <{_PARTICIPANT}>|<{_KIND}> ?s", DESCRIBED),
    Nodes(f"?s <{_WAS_INFLUENCED_BY}>|<{_QUALIFIED}> []",
          (_WAS_INFLUENCED_BY, _QUALIFIED, *DESCRIBED),
          answers=((_WAS_INFLUENCED_BY, None), (_QUALIFIED, None))),
    Nodes(f"[] <{_QUALIFIED}> ?s", (_INFLUENCER, _THROUGH, _HOW, *_CLAIM)),
    Nodes(f"{{ [] <{_WAS_INFLUENCED_BY}> ?s }} UNION {{ [] <{_QUALIFIED}>/<{_INFLUENCER}> ?s }}",
          DESCRIBED),
)

#: The stage types in the order that breaks a tie between two stages at the same event.
STAGE_RANK = {name: rank for rank, name in enumerate(
    ("Begins", "TurningPoint", "Climax", "Ends", "Closure", "Reconciles"))}


def _resources(values: list[Node]) -> list[Node]:
    return sorted((v for v in values if isinstance(v, URIRef | BNode)), key=node_key)


@dataclass(frozen=True)
class Relationship:
    """A relationship: ``undated`` when it has no Begins stage (it holds from the first event).

    Example:
        >>> import graph
        >>> facts = Facts(graph.load().rdf)
        >>> [r.label for r in facts.relationships if not r.undated][:1]
        ["Samantha's love for 641 other people"]
    """

    key: str
    label: str
    kind: str
    parties: tuple[str, ...]
    basis: str
    evidence: tuple[str, ...]
    undated: bool


@dataclass(frozen=True)
class Stage:
    """A stage of a relationship: its type's local name, event, basis and evidence.

    Example:
        >>> import graph
        >>> stage = Facts(graph.load().rdf).stages[
        ...     "https://w3id.org/her-graph/her/stage-romance-climax"]
        >>> stage.type, stage.basis
        ('Climax', 'stated')
    """

    key: str
    type: str
    label: str
    event: str
    basis: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Influence:
    """An influence: ``iri`` is ``""`` for a plain ``prov:wasInfluencedBy``; ``undated`` when
    no through-event dates it.

    Example:
        >>> import graph
        >>> [f.undated for f in Facts(graph.load().rdf).influences][:2]
        [False, False]
    """

    key: str
    iri: str
    influencer: str
    influenced: str
    how: str
    basis: str
    evidence: tuple[str, ...]
    undated: bool


class Facts:
    """Everything story time reads from a graph, indexed by event (see the module docs).

    Example:
        >>> import graph
        >>> facts = Facts(graph.load().rdf)
        >>> facts.actors["https://w3id.org/her-graph/her/event-encounter"][0][1]
        'Agent'
    """

    def __init__(self, rdf: Graph | TriplePatterns, *, reader: TermReader | None = None):
        read = self.reader = reader if reader is not None else TermReader(rdf)
        read.read_ahead(_READS)
        self.order = order = StoryOrder(rdf, reader=read)
        self._quotes: dict[str, tuple[str, ...]] = {}
        self.actors: dict[str, list[tuple[str, str]]] = {}
        self.mentions: dict[str, list[tuple[str, str]]] = {}
        self._roles: dict[tuple[str, str], Node] = {}
        for event in order.events:
            term = order.terms[event]
            actors = {node_key(a) for a in _resources(read.values(term, _HAS_ACTOR))}
            roles: dict[str, str] = {}
            for role in _resources(read.values(term, _ROLE)):
                for who in _resources(read.values(role, _VALUE)):
                    kinds = _resources(read.values(role, _ROLE_TYPE))
                    roles.setdefault(node_key(who), local_name(node_key(kinds[0]))
                                     if kinds else "")
                    self._roles.setdefault((event, node_key(who)), role)
            self.actors[event] = [(a, roles.get(a, "")) for a in sorted(actors)]
            self.mentions[event] = [(c, r) for c, r in sorted(roles.items())
                                    if c not in actors and r in ("SpokenOf", "Addressee")]
        self._read_relationships(rdf)
        self._read_influences(rdf)

    # -- claims ----------------------------------------------------------------------------

    def label(self, term: Node | str) -> str:
        if isinstance(term, str):
            term = BNode(term[2:]) if term.startswith("_:") else URIRef(term)
        return self.reader.describe(term)["label"]

    def basis(self, term: Node) -> str:
        values = _resources(self.reader.values(term, _BASIS))
        return basis_name(values[0]) if values else ""

    def quotes(self, term: Node) -> tuple[str, ...]:
        key = node_key(term)
        found = self._quotes.get(key)
        if found is None:
            found = self._quotes[key] = tuple(sorted(self.reader.quotes(term)))
        return found

    def appearance(self, character: str, event: str, role: str, *,
                   mentioned: bool = False) -> Appearance:
        """The :class:`~graph.views.story_time.Appearance` of ``character`` at ``event``."""
        claim = self._roles.get((event, character), self.order.terms[event])
        return Appearance(character, self.label(character), event, role, self.basis(claim),
                          self.quotes(claim))

    def _read_relationships(self, rdf: Graph | TriplePatterns) -> None:
        read, order = self.reader, self.order
        self.relationships: list[Relationship] = []
        self.stages: dict[str, Stage] = {}
        self.begins: dict[str, list[str]] = {}
        self.stages_at: dict[str, list[tuple[str, int, str]]] = {}
        terms = {node_key(r): r for r in read.subjects(RDF.type, URIRef(_RELATIONSHIP))
                 if isinstance(r, URIRef | BNode)}
        for key, term in sorted(terms.items()):
            parties = tuple(node_key(p) for p in _resources(read.values(term, _PARTICIPANT)))
            if len(parties) < 2:
                continue
            begin_events: list[str] = []
            stages = _resources(read.values(term, _STAGE))
            for stage in stages:
                types = _resources(read.values(stage, _STAGE_TYPE))
                kind = local_name(node_key(types[0])) if types else ""
                events = [node_key(e) for e in _resources(read.values(stage, _AT_EVENT))
                          if node_key(e) in order.index]
                if not events:
                    continue
                event = min(events, key=order.index.__getitem__)
                record = Stage(node_key(stage), kind, self.label(stage), event,
                               self.basis(stage), self.quotes(stage))
                self.stages[record.key] = record
                self.stages_at.setdefault(event, []).append(
                    (key, STAGE_RANK.get(kind, len(STAGE_RANK)), record.key))
                if kind == "Begins":
                    begin_events.append(event)
            if not stages:  # no stages: hg:startsWith, where given, dates the beginning
                begin_events = [node_key(e) for e in _resources(read.values(term, _STARTS))
                                if node_key(e) in order.index]
            for event in begin_events:
                self.begins.setdefault(event, []).append(key)
            kinds = _resources(read.values(term, _KIND))
            self.relationships.append(Relationship(
                key, self.label(term), self.label(kinds[0]) if kinds else "", parties,
                self.basis(term), self.quotes(term), not begin_events))

    def _read_influences(self, rdf: Graph | TriplePatterns) -> None:
        read, order = self.reader, self.order
        self.influences: list[Influence] = []
        self.through: dict[str, list[str]] = {}
        qualified: set[tuple[str, str]] = set()
        for influenced, influence in read.subject_objects(PROV.qualifiedInfluence):
            if not isinstance(influence, URIRef | BNode):
                continue
            for influencer in _resources(read.values(influence, _INFLUENCER)):
                pair = (node_key(influencer), node_key(influenced))
                qualified.add(pair)
                key = node_key(influence)
                events = [node_key(e) for e in _resources(read.values(influence, _THROUGH))
                          if node_key(e) in order.index]
                for event in events:
                    self.through.setdefault(event, []).append(key)
                how = best_text(read.values(influence, _HOW)) or ""
                self.influences.append(Influence(key, key, *pair, how, self.basis(influence),
                                                 self.quotes(influence), not events))
        for influenced, influencer in read.subject_objects(PROV.wasInfluencedBy):
            pair = (node_key(influencer), node_key(influenced))
            if pair in qualified or not isinstance(influencer, URIRef | BNode):
                continue
            qualified.add(pair)
            self.influences.append(Influence(f"{pair[0]} {pair[1]}", "", *pair, "", "", (),
                                             True))
        self.influences.sort(key=lambda f: (f.influencer, f.influenced, f.key))
