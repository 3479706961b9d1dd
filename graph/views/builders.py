"""The influence, relationships and timeline views (see :mod:`graph.views.projection`).

Each reads only the triples it shows, so its cost grows with the size of what it shows, not of
the graph. A store that runs SPARQL itself (Oxigraph, a SPARQL server) is asked for all of it in
one query, built from the view's declaration of what it reads (``_INFLUENCE_READS`` and the
others: groups of nodes and the predicates read of each, see
:meth:`graph.views.labels.TermReader.read_ahead`); on the memory store, and for anything that
query did not answer, the view reads by pattern (one lookup per predicate it starts from, then
one per node it touches), through rdflib's indexes. Either way the same builder below makes the
graph from the same values, so the graph is the same. A SPARQL query with OPTIONAL joins for
every field was ten times slower on rdflib, which is why the memory store reads by pattern.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from ..collector import paused_gc
from ..namespaces import HG, SEM
from .labels import (
    DESCRIBED,
    QUOTES,
    Nodes,
    TermReader,
    basis_name,
    best_text,
    first_integer,
    most_telling,
    node_key,
)

if TYPE_CHECKING:
    from ..stores.handle import StoryGraph

# Predicate IRIs as plain strings: TermReader.props keys, and no DefinedNamespace lookups in
# the loops.
_INFLUENCER = str(PROV.influencer)
_HOW = str(HG.how)
_THROUGH_EVENT = str(HG.throughEvent)
_STORY_POSITION = str(HG.storyPosition)
_PARTICIPANT = str(HG.participant)
_KIND = str(HG.relationshipKind)
_STATUS = str(HG.status)
_STARTS = str(HG.startsWith)
_ENDS = str(HG.endsWith)
_BASIS = str(HG.basis)
_BASIS_NOTE = str(HG.basisNote)
_IN_ACT = str(HG.inAct)
_ACT_NUMBER = str(HG.actNumber)
_EVENT_TYPE = str(SEM.eventType)
_HAS_ACTOR = str(SEM.hasActor)
_PRECEDES = str(HG.precedes)
_RDFS_LABEL = str(RDFS.label)

_UNKNOWN_POSITION = 1 << 62

_WAS_INFLUENCED_BY = str(PROV.wasInfluencedBy)
_QUALIFIED_INFLUENCE = str(PROV.qualifiedInfluence)
_TYPE = str(RDF.type)


# What each view reads, for a store that answers it in one query (TermReader.read_ahead); the
# builders below read the same nodes by pattern where it cannot, and give the same graph.
_INFLUENCE_READS = (
    Nodes(f"?s <{_WAS_INFLUENCED_BY}>|<{_QUALIFIED_INFLUENCE}> []",
          (_WAS_INFLUENCED_BY, _QUALIFIED_INFLUENCE),
          answers=((_WAS_INFLUENCED_BY, None), (_QUALIFIED_INFLUENCE, None))),
    Nodes(f"[] <{_QUALIFIED_INFLUENCE}> ?s",
          (_INFLUENCER, _HOW, _THROUGH_EVENT, QUOTES, _BASIS, _BASIS_NOTE)),
    # Every party once, influenced or influencer (most are both).
    Nodes(f"{{ ?s <{_WAS_INFLUENCED_BY}>|<{_QUALIFIED_INFLUENCE}> [] }} UNION "
          f"{{ [] <{_WAS_INFLUENCED_BY}> ?s }} UNION "
          f"{{ [] <{_QUALIFIED_INFLUENCE}>/<{_INFLUENCER}> ?s }}", DESCRIBED),
    Nodes(f"[] <{_QUALIFIED_INFLUENCE}>/<{_THROUGH_EVENT}> ?s", (*DESCRIBED, _STORY_POSITION)),
)
_INFLUENCE_FIELDS = (_INFLUENCER, _HOW, _THROUGH_EVENT, _BASIS, _BASIS_NOTE)
_RELATIONSHIP = str(HG.Relationship)
_RELATIONSHIPS_READS = (
    Nodes(f"?s <{_TYPE}> <{_RELATIONSHIP}>",
          (_PARTICIPANT, _KIND, _STATUS, _STARTS, _ENDS, QUOTES, _BASIS, _BASIS_NOTE,
           *DESCRIBED),
          answers=((_TYPE, _RELATIONSHIP),)),
    Nodes(f"?r <{_TYPE}> <{_RELATIONSHIP}> ; <{_PARTICIPANT}>|<{_KIND}>|<{_STATUS}> ?s",
          DESCRIBED),
)
_STORY_EVENT = str(HG.StoryEvent)
_TIMELINE_READS = (
    Nodes(f"?s <{_TYPE}> <{_STORY_EVENT}>",
          (_IN_ACT, _HAS_ACTOR, _EVENT_TYPE, _STORY_POSITION, _PRECEDES, *DESCRIBED),
          answers=((_TYPE, _STORY_EVENT),)),
    Nodes(f"?e <{_TYPE}> <{_STORY_EVENT}> ; <{_IN_ACT}> ?s",
          (_RDFS_LABEL, _ACT_NUMBER, *DESCRIBED)),
    Nodes(f"?e <{_TYPE}> <{_STORY_EVENT}> ; <{_HAS_ACTOR}>|<{_EVENT_TYPE}> ?s", DESCRIBED),
)


def _resources(values: Iterable[Node]) -> list[Node]:
    return [v for v in values if isinstance(v, URIRef | BNode)]


def _texts(values: Iterable[Node]) -> list[str]:
    return [str(v) for v in values if isinstance(v, Literal)]




def _position(read: TermReader, event: Node) -> int:
    position = first_integer(read.values(event, _STORY_POSITION))
    return _UNKNOWN_POSITION if position is None else position


def _first_label(read: TermReader, terms: list[Node]) -> tuple[str, str]:
    """(label, key) of the first of ``terms`` by key, or ``("", "")``."""
    if not terms:
        return "", ""
    first = min(terms, key=node_key)
    return read.describe(first)["label"], node_key(first)


def _reader(kg: StoryGraph, reader: TermReader | None, reads: tuple[Nodes, ...]) -> TermReader:
    """``reader`` (shared by several views), or a reader of its own; asked to read ahead."""
    read = reader if reader is not None else TermReader(kg.backend.patterns())
    read.read_ahead(reads)
    return read


def influence_view(kg: StoryGraph, *, reader: TermReader | None = None) -> nx.DiGraph:
    """The ``"influence"`` view: a DiGraph influencer -> influenced, with the evidence.

    Example:
        >>> import graph
        >>> G = influence_view(graph.load())
        >>> G.number_of_edges(), sorted(G.nodes[n]["label"] for n in G)[:2]
        (10, ['Amy', "Amy's operating system"])
    """
    with paused_gc():
        return _influence_view(_reader(kg, reader, _INFLUENCE_READS))


def _influence_view(read: TermReader) -> nx.DiGraph:
    edges: dict[tuple[str, str], dict[str, Any]] = {}

    def edge(influencer: Node, influenced: Node) -> dict[str, Any]:
        pair = (node_key(influencer), node_key(influenced))
        data = edges.get(pair)
        if data is None:
            data = {"terms": (influencer, influenced), "how": set(), "events": {},
                    "evidence": set(), "influences": set(), "basis": set(), "notes": set()}
            edges[pair] = data
        return data

    for influenced, influencer in read.subject_objects(PROV.wasInfluencedBy):
        if isinstance(influencer, URIRef | BNode) and isinstance(influenced, URIRef | BNode):
            edge(influencer, influenced)
    for influenced, influence in read.subject_objects(PROV.qualifiedInfluence):
        if not isinstance(influence, URIRef | BNode):
            continue
        influencers, how, through, bases, notes = read.values_of(influence, _INFLUENCE_FIELDS)
        for influencer in _resources(influencers):
            data = edge(influencer, influenced)
            data["influences"].add(node_key(influence))
            data["how"].update(_texts(how))
            for event in _resources(through):
                data["events"][node_key(event)] = event
            data["evidence"] |= read.quotes(influence)
            data["basis"].update(basis_name(b) for b in bases)
            data["notes"].update(_texts(notes))

    g: nx.DiGraph = nx.DiGraph(view="influence")
    parties = {node_key(term): term for pair in edges for term in edges[pair]["terms"]}
    for key in sorted(parties):
        g.add_node(key, **read.describe(parties[key]))
    for (source, target), data in sorted(edges.items()):
        events = sorted(data["events"].items(),
                        key=lambda item: (_position(read, item[1]), item[0]))
        event_labels = tuple(read.describe(term)["label"] for _, term in events)
        names = (g.nodes[source]["label"], g.nodes[target]["label"])
        evidence = most_telling(data["evidence"], names)
        g.add_edge(
            source,
            target,
            label="influenced",
            how="; ".join(sorted(data["how"])),
            event=event_labels[0] if event_labels else "",
            events=tuple(key for key, _ in events),
            event_labels=event_labels,
            quote=evidence[0] if evidence else "",
            evidence=evidence,
            influences=tuple(sorted(data["influences"])),
            basis="; ".join(sorted(data["basis"])),
            basis_note=" ".join(sorted(data["notes"])),
        )
    return g


def relationships_view(kg: StoryGraph, *, reader: TermReader | None = None) -> nx.MultiGraph:
    """The ``"relationships"`` view: a MultiGraph with an edge per pair of parties.

    Example:
        >>> import graph
        >>> G = relationships_view(graph.load())
        >>> G.is_multigraph(), G.number_of_edges() >= 8
        (True, True)
    """
    with paused_gc():
        return _relationships_view(_reader(kg, reader, _RELATIONSHIPS_READS))


def _relationships_view(read: TermReader) -> nx.MultiGraph:
    found: list[tuple[str, Node, list[tuple[str, Node]]]] = []
    relationships = {node_key(r): r for r in
                     _resources(read.subjects(RDF.type, HG.Relationship))}
    everyone: dict[str, Node] = {}
    for key, relationship in sorted(relationships.items()):
        parties = {node_key(p): p for p in _resources(read.values(relationship, _PARTICIPANT))}
        if parties:
            found.append((key, relationship, sorted(parties.items())))
            everyone.update(parties)
    g: nx.MultiGraph = nx.MultiGraph(view="relationships")
    for key in sorted(everyone):
        g.add_node(key, **read.describe(everyone[key]))
    for key, relationship, members in found:
        kind, kind_iri = _first_label(read, _resources(read.values(relationship, _KIND)))
        status, _ = _first_label(read, _resources(read.values(relationship, _STATUS)))
        names = [g.nodes[k]["label"] for k, _ in members]
        evidence = most_telling(read.quotes(relationship), names)
        starts = sorted(node_key(e) for e in _resources(read.values(relationship, _STARTS)))
        ends = sorted(node_key(e) for e in _resources(read.values(relationship, _ENDS)))
        attributes = {
            "kind": kind,
            "kind_iri": kind_iri,
            "label": read.describe(relationship)["label"],
            "status": status,
            "starts": starts[0] if starts else "",
            "ends": ends[0] if ends else "",
            "quote": evidence[0] if evidence else "",
            "evidence": evidence,
            "relationship": key,
            "basis": "; ".join(sorted(basis_name(b) for b in read.values(relationship, _BASIS))),
            "basis_note": " ".join(sorted(_texts(read.values(relationship, _BASIS_NOTE)))),
        }
        for i, (a, _) in enumerate(members):
            for b, _ in members[i + 1:]:
                g.add_edge(a, b, key=key, **attributes)
    return g


def timeline_view(kg: StoryGraph, *, reader: TermReader | None = None) -> nx.DiGraph:
    """The ``"timeline"`` view: events in story order, with their act and participants.

    Example:
        >>> import graph
        >>> G = timeline_view(graph.load())
        >>> first = min(G, key=lambda n: G.nodes[n]["position"])
        >>> G.nodes[first]["label"]
        'Theodore mourns his lost love with Catherine'
    """
    with paused_gc():
        return _timeline_view(_reader(kg, reader, _TIMELINE_READS))


def _timeline_view(read: TermReader) -> nx.DiGraph:
    events: dict[str, dict[str, Any]] = {}
    for event in _resources(read.subjects(RDF.type, HG.StoryEvent)):
        key = node_key(event)
        if key in events:
            continue
        acts = sorted(_resources(read.values(event, _IN_ACT)), key=node_key)
        act, act_number = "", None
        if acts:
            act = best_text(read.values(acts[0], _RDFS_LABEL)) or read.describe(acts[0])["label"]
            act_number = first_integer(read.values(acts[0], _ACT_NUMBER))
        participants = {node_key(p): read.describe(p)["label"]
                        for p in _resources(read.values(event, _HAS_ACTOR))}
        event_types = {read.describe(t)["label"]
                       for t in _resources(read.values(event, _EVENT_TYPE))}
        position = _position(read, event)
        events[key] = {
            **read.describe(event),
            "position": None if position == _UNKNOWN_POSITION else position,
            "act": act,
            "act_number": act_number,
            "event_type": ", ".join(sorted(event_types)),
            "participants": participants,
            "next": sorted(node_key(n) for n in _resources(read.values(event, _PRECEDES))),
        }

    def order(key: str) -> tuple[int, str]:
        position = events[key]["position"]
        return (position if position is not None else _UNKNOWN_POSITION, key)

    g: nx.DiGraph = nx.DiGraph(view="timeline")
    ordered = sorted(events, key=order)
    for key in ordered:
        data = events[key]
        keys = tuple(sorted(data["participants"]))
        g.add_node(
            key,
            label=data["label"],
            type=data["type"] if data["type"] != "resource" else "event",
            position=data["position"],
            act=data["act"],
            act_number=data["act_number"],
            event_type=data["event_type"],
            participants=keys,
            participant_names=tuple(data["participants"][p] for p in keys),
        )
    has_links = any(events[k]["next"] for k in ordered)
    for i, key in enumerate(ordered):
        if has_links:
            for following in events[key]["next"]:
                if following in g:  # hg:precedes to something that is not an event: skip it
                    g.add_edge(key, following, label="precedes")
        elif i + 1 < len(ordered):
            g.add_edge(key, ordered[i + 1], label="precedes")
    return g
