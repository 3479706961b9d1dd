"""RDF to NetworkX: typed, labelled projections of a story graph.

Four views, each a graph any networkx algorithm can use. Nodes are keyed by IRI (a plain ``str``;
a blank node by ``"_:label"``) and carry ``label`` (a readable name) and ``type`` (a category
such as ``"human_character"``, see :data:`NODE_TYPES`).

``"influence"`` (:class:`networkx.DiGraph`)
    An edge *influencer -> influenced* for each ``prov:wasInfluencedBy``. Edge attributes:
    ``how`` (str), ``event`` (label of the first event it went through, or ``""``), ``events``
    (tuple of event IRIs in story order), ``quote`` (the first supporting quote, or ``""``),
    ``evidence`` (tuple of every supporting quote), ``influences`` (tuple of the qualified
    ``prov:Influence`` IRIs).
``"relationships"`` (:class:`networkx.MultiGraph`)
    An edge between two parties of each ``hg:Relationship``, keyed by the relationship's IRI.
    Edge attributes: ``kind`` (label), ``kind_iri``, ``label``, ``status``, ``starts``, ``ends``
    (event IRIs or ``""``), ``quote`` and ``evidence``.
``"timeline"`` (:class:`networkx.DiGraph`)
    One node per event, an edge to the event that follows it (``hg:precedes``, or else the next
    story position). Node attributes: ``position``, ``act``, ``act_number``, ``event_type``,
    ``participants`` (tuple of IRIs) and ``participant_names``.
``"full"`` (:class:`networkx.MultiDiGraph`)
    Every triple whose object is a resource, as an edge keyed by the predicate IRI; each literal
    as a node attribute named by its predicate IRI (an rdflib ``Literal``, or a tuple of them
    when there are several). :func:`to_rdf` turns it back into an isomorphic rdflib graph.

Example:
    >>> import graph
    >>> g = graph.load().to_networkx("influence")
    >>> sorted(g.nodes[n]["label"] for n in g.predecessors("https://w3id.org/her-graph/her/Theodore"))
    ['Catherine', 'Samantha']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS
from rdflib.term import Node

from .errors import HerGraphError
from .namespaces import HG, OA, SEM
from .results import BlankNode

if TYPE_CHECKING:
    from .knowledge_graph import KnowledgeGraph

__all__ = ["NODE_TYPES", "VIEWS", "from_networkx", "node_key", "to_networkx", "to_rdf"]

#: rdf:type -> node category, most specific first: a node takes the first category that matches.
NODE_TYPES: tuple[tuple[URIRef, str], ...] = (
    (HG.AICharacter, "ai_character"),
    (HG.HumanCharacter, "human_character"),
    (HG.Character, "character"),
    (HG.CharacterGroup, "group"),
    (HG.StoryEvent, "event"),
    (SEM.Event, "event"),
    (HG.Act, "act"),
    (HG.Theme, "theme"),
    (HG.Relationship, "relationship"),
    (PROV.Influence, "influence"),
    (HG.ThemeAttribution, "theme_attribution"),
    (SDO.PerformanceRole, "role"),
    (SDO.Person, "person"),
    (SDO.Movie, "work"),
    (SDO.CreativeWork, "work"),
    (SDO.Article, "source"),
    (OA.SpecificResource, "evidence"),
    (OA.TextQuoteSelector, "quote"),
    (SDO.Place, "place"),
    (SDO.Occupation, "occupation"),
    (SKOS.ConceptScheme, "scheme"),
    (SKOS.Concept, "concept"),
    (OWL.Class, "class"),
    (OWL.ObjectProperty, "property"),
    (OWL.DatatypeProperty, "property"),
    (OWL.Ontology, "ontology"),
)
_TYPE_RANK = {iri: (rank, name) for rank, (iri, name) in enumerate(NODE_TYPES)}

#: Predicates whose value names a node, best first.
LABEL_PREDICATES: tuple[URIRef, ...] = (SDO.name, RDFS.label, SKOS.prefLabel, OA.exact)

VIEWS = ("influence", "relationships", "timeline", "full")

_PREFIXES = """
PREFIX hg: <https://w3id.org/her-graph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

# Labels and types of the nodes a view is about: the pattern in {} selects them.
_NODE_INFO = _PREFIXES + """
SELECT ?node ?class ?name ?label ?pref WHERE {{
    {{ {pattern} }}
    OPTIONAL {{ ?node a ?class }}
    OPTIONAL {{ ?node schema:name ?name }}
    OPTIONAL {{ ?node rdfs:label ?label }}
    OPTIONAL {{ ?node skos:prefLabel ?pref }}
}}"""

_INFLUENCE_PARTIES = ("{ ?node prov:wasInfluencedBy ?x } UNION { ?x prov:wasInfluencedBy ?node }")
_RELATIONSHIP_PARTIES = "?r a hg:Relationship ; hg:participant ?node"
_EVENTS = "?node a hg:StoryEvent"

_INFLUENCE_EDGES = _PREFIXES + """
SELECT ?influenced ?influencer ?influence ?how ?event ?position ?quote WHERE {
    ?influenced prov:wasInfluencedBy ?influencer .
    OPTIONAL {
        ?influenced prov:qualifiedInfluence ?influence .
        ?influence prov:influencer ?influencer .
        OPTIONAL { ?influence hg:how ?how }
        OPTIONAL { ?influence hg:throughEvent ?event .
                   OPTIONAL { ?event hg:storyPosition ?position } }
        OPTIONAL { ?influence hg:evidence/oa:hasSelector/oa:exact ?quote }
    }
}"""

_RELATIONSHIP_EDGES = _PREFIXES + """
SELECT ?relationship ?participant ?kind_iri ?kind ?label ?status ?starts ?ends ?quote WHERE {
    ?relationship a hg:Relationship ;
                  hg:participant ?participant .
    OPTIONAL { ?relationship hg:relationshipKind ?kind_iri .
               OPTIONAL { ?kind_iri skos:prefLabel ?kind } }
    OPTIONAL { ?relationship rdfs:label ?label }
    OPTIONAL { ?relationship hg:status/skos:prefLabel ?status }
    OPTIONAL { ?relationship hg:startsWith ?starts }
    OPTIONAL { ?relationship hg:endsWith ?ends }
    OPTIONAL { ?relationship hg:evidence/oa:hasSelector/oa:exact ?quote }
}"""

_TIMELINE = _PREFIXES + """
SELECT ?node ?position ?act ?act_number ?event_type ?participant ?participant_name ?next WHERE {
    ?node a hg:StoryEvent .
    OPTIONAL { ?node hg:storyPosition ?position }
    OPTIONAL { ?node hg:inAct ?act_node .
               OPTIONAL { ?act_node rdfs:label ?act }
               OPTIONAL { ?act_node hg:actNumber ?act_number } }
    OPTIONAL { ?node sem:eventType/skos:prefLabel ?event_type }
    OPTIONAL { ?node sem:hasActor ?participant .
               OPTIONAL { ?participant schema:name ?participant_name } }
    OPTIONAL { ?node hg:precedes ?next }
}"""


def node_key(term: Node) -> str:
    """The networkx node key of an RDF resource: the IRI, or ``"_:label"`` for a blank node."""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _term_of_key(key: str) -> URIRef | BNode:
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key)


def _local_name(key: str) -> str:
    tail = key.rstrip("/#")
    for separator in ("#", "/", ":"):
        if separator in tail:
            tail = tail.rsplit(separator, 1)[1]
            break
    return tail or key


def _category(classes: Iterable[Any]) -> str:
    best = None
    for cls in classes:
        ranked = _TYPE_RANK.get(URIRef(str(cls)))
        if ranked is not None and (best is None or ranked < best):
            best = ranked
    return best[1] if best else "resource"


def node_key_of(value: Any) -> str:
    """The node key of a query-result value (an :class:`~graph.IRI` or a blank node)."""
    if isinstance(value, BlankNode):
        return f"_:{value}"
    return str(value)


def _node_info(kg: KnowledgeGraph, pattern: str) -> dict[str, dict[str, Any]]:
    """Label and category of every node matched by ``pattern`` (a SPARQL group on ``?node``)."""
    classes: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in kg.query(_NODE_INFO.format(pattern=pattern)):
        key = node_key_of(row["node"])
        if row["class"] is not None:
            classes[key].add(str(row["class"]))
        for column in ("name", "label", "pref"):
            if row[column] is not None:
                labels[key][column].add(str(row[column]))
        classes.setdefault(key, set())
    info = {}
    for key, node_classes in classes.items():
        found = labels.get(key, {})
        label = next((min(found[c]) for c in ("name", "label", "pref") if found.get(c)),
                     _local_name(key))
        info[key] = {"label": label, "type": _category(node_classes)}
    return info


def _influence_view(kg: KnowledgeGraph) -> nx.DiGraph:
    info = _node_info(kg, _INFLUENCE_PARTIES)
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    event_positions: dict[str, int] = {}
    for row in kg.query(_INFLUENCE_EDGES):
        pair = (node_key_of(row["influencer"]), node_key_of(row["influenced"]))
        data = edges.setdefault(pair, {"how": set(), "events": set(), "evidence": set(),
                                       "influences": set()})
        if row["influence"] is not None:
            data["influences"].add(node_key_of(row["influence"]))
        if row["how"] is not None:
            data["how"].add(str(row["how"]))
        if row["event"] is not None:
            event = node_key_of(row["event"])
            data["events"].add(event)
            if isinstance(row["position"], int):
                event_positions[event] = row["position"]
        if row["quote"] is not None:
            data["evidence"].add(str(row["quote"]))
    event_info = _node_info(kg, _EVENTS) if event_positions or any(
        d["events"] for d in edges.values()) else {}
    g = nx.DiGraph(view="influence")
    for key in sorted(info):
        g.add_node(key, **info[key])
    for (source, target), data in sorted(edges.items()):
        events = tuple(sorted(data["events"], key=lambda e: (event_positions.get(e, 1 << 62), e)))
        evidence = tuple(sorted(data["evidence"]))
        g.add_edge(
            source,
            target,
            label="influenced",
            how="; ".join(sorted(data["how"])),
            event=event_info.get(events[0], {}).get("label", "") if events else "",
            events=events,
            quote=evidence[0] if evidence else "",
            evidence=evidence,
            influences=tuple(sorted(data["influences"])),
        )
    return g


def _relationships_view(kg: KnowledgeGraph) -> nx.MultiGraph:
    info = _node_info(kg, _RELATIONSHIP_PARTIES)
    relationships: dict[str, dict[str, Any]] = {}
    for row in kg.query(_RELATIONSHIP_EDGES):
        key = node_key_of(row["relationship"])
        data = relationships.setdefault(key, {"participants": set(), "evidence": set(),
                                              "kind": set(), "kind_iri": set(), "label": set(),
                                              "status": set(), "starts": set(), "ends": set()})
        data["participants"].add(node_key_of(row["participant"]))
        for column in ("kind", "label", "status"):
            if row[column] is not None:
                data[column].add(str(row[column]))
        for column in ("kind_iri", "starts", "ends"):
            if row[column] is not None:
                data[column].add(node_key_of(row[column]))
        if row["quote"] is not None:
            data["evidence"].add(str(row["quote"]))
    g = nx.MultiGraph(view="relationships")
    for key in sorted(info):
        g.add_node(key, **info[key])
    for key, data in sorted(relationships.items()):
        parties = sorted(data["participants"])
        evidence = tuple(sorted(data["evidence"]))
        attributes = {
            "kind": min(data["kind"]) if data["kind"] else (
                _local_name(min(data["kind_iri"])) if data["kind_iri"] else ""),
            "kind_iri": min(data["kind_iri"]) if data["kind_iri"] else "",
            "label": min(data["label"]) if data["label"] else _local_name(key),
            "status": min(data["status"]) if data["status"] else "",
            "starts": min(data["starts"]) if data["starts"] else "",
            "ends": min(data["ends"]) if data["ends"] else "",
            "quote": evidence[0] if evidence else "",
            "evidence": evidence,
            "relationship": key,
        }
        for i, a in enumerate(parties):
            for b in parties[i + 1:]:
                g.add_edge(a, b, key=key, **attributes)
    return g


def _timeline_view(kg: KnowledgeGraph) -> nx.DiGraph:
    info = _node_info(kg, _EVENTS)
    events: dict[str, dict[str, Any]] = {}
    for row in kg.query(_TIMELINE):
        key = node_key_of(row["node"])
        data = events.setdefault(key, {"position": None, "act": "", "act_number": None,
                                       "event_type": set(), "participants": {}, "next": set()})
        if isinstance(row["position"], int):
            data["position"] = row["position"]
        if row["act"] is not None:
            data["act"] = str(row["act"])
        if isinstance(row["act_number"], int):
            data["act_number"] = row["act_number"]
        if row["event_type"] is not None:
            data["event_type"].add(str(row["event_type"]))
        if row["participant"] is not None:
            participant = node_key_of(row["participant"])
            name = str(row["participant_name"]) if row["participant_name"] is not None else None
            known = data["participants"].get(participant)
            data["participants"][participant] = min(filter(None, (known, name)),
                                                    default=_local_name(participant))
        if row["next"] is not None:
            data["next"].add(node_key_of(row["next"]))

    def order(key: str) -> tuple[int, str]:
        position = events[key]["position"]
        return (position if position is not None else 1 << 62, key)

    g = nx.DiGraph(view="timeline")
    ordered = sorted(events, key=order)
    for key in ordered:
        data = events[key]
        participants = tuple(sorted(data["participants"]))
        g.add_node(
            key,
            **info.get(key, {"label": _local_name(key), "type": "event"}),
            position=data["position"],
            act=data["act"],
            act_number=data["act_number"],
            event_type=", ".join(sorted(data["event_type"])),
            participants=participants,
            participant_names=tuple(data["participants"][p] for p in participants),
        )
    has_links = any(events[k]["next"] for k in ordered)
    for i, key in enumerate(ordered):
        if has_links:
            for nxt in sorted(events[key]["next"]):
                g.add_edge(key, nxt, label="precedes")
        elif i + 1 < len(ordered):
            g.add_edge(key, ordered[i + 1], label="precedes")
    return g


def _full_view(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(view="full")
    add_edge = g.add_edge
    succ = g._succ
    literals: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    classes: dict[str, list[Node]] = defaultdict(list)
    labels: dict[str, dict[URIRef, str]] = defaultdict(dict)
    label_rank = {p: i for i, p in enumerate(LABEL_PREDICATES)}
    rdf_type = RDF.type
    for s, p, o in kg.backend.triples():
        s_key = f"_:{s}" if isinstance(s, BNode) else str(s)
        if isinstance(o, Literal):
            literals[s_key][str(p)].append(o)
            if p in label_rank:
                labels[s_key][p] = str(o)
            if s_key not in succ:
                g.add_node(s_key)
            continue
        o_key = f"_:{o}" if isinstance(o, BNode) else str(o)
        add_edge(s_key, o_key, key=str(p))
        if p == rdf_type:
            classes[s_key].append(o)
    for key in list(g.nodes):
        attrs = g.nodes[key]
        for predicate, values in literals.get(key, {}).items():
            attrs[predicate] = values[0] if len(values) == 1 else tuple(sorted(values))
        found = labels.get(key)
        attrs["label"] = (found[min(found, key=label_rank.__getitem__)] if found
                          else _local_name(key))
        attrs["type"] = _category(classes.get(key, ()))
    return g


_BUILDERS = {
    "influence": _influence_view,
    "relationships": _relationships_view,
    "timeline": _timeline_view,
    "full": _full_view,
}


def to_networkx(kg: KnowledgeGraph, *, view: str = "influence") -> nx.Graph:
    """Project ``kg`` into a networkx graph; see the module documentation for the views.

    Args:
        kg: the story graph.
        view: ``"influence"``, ``"relationships"``, ``"timeline"`` or ``"full"``.

    Raises:
        HerGraphError: for an unknown view (the message lists the views).
    """
    try:
        builder = _BUILDERS[view]
    except KeyError:
        raise HerGraphError(f"unknown view {view!r}; views: {', '.join(VIEWS)}") from None
    return builder(kg)


def to_rdf(g: nx.MultiDiGraph) -> Graph:
    """Turn a ``"full"`` view back into the rdflib graph it came from (isomorphic to it).

    Example:
        >>> import graph
        >>> from rdflib.compare import isomorphic
        >>> kg = graph.load()
        >>> isomorphic(to_rdf(kg.to_networkx("full")), kg.rdf)
        True
    """
    out = Graph()
    for key, attrs in g.nodes(data=True):
        subject = _term_of_key(key)
        for attribute, value in attrs.items():
            if attribute in ("label", "type"):
                continue
            values = value if isinstance(value, tuple) else (value,)
            for literal in values:
                if not isinstance(literal, Literal):
                    literal = Literal(literal)
                out.add((subject, URIRef(attribute), literal))
    for source, target, predicate in g.edges(keys=True):
        out.add((_term_of_key(source), URIRef(predicate), _term_of_key(target)))
    return out


from_networkx = to_rdf
