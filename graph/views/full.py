"""The ``"full"`` view: every triple of a graph in a :class:`networkx.MultiDiGraph`, and back.

A triple whose object is a resource becomes an edge keyed by the predicate IRI; a triple whose
object is a literal becomes a node attribute named by the predicate IRI (the ``Literal``, or a
sorted tuple of them when there are several), so literals never turn into nodes (rdflib's own
converter makes every literal a node, and ``rdf:type`` classes giant hubs among them).

Speed matters here (a million triples is an ordinary corpus), so the loop works on plain
``str`` keys (comparing rdflib terms runs Python code) and shares one string object per
distinct IRI. It also pauses Python's cyclic garbage collector while it builds: the
build makes no reference cycles, yet each of the collections that its hundreds of thousands of
new dicts would trigger walks every object of the loaded graph, which measured here was two
thirds of the time. ``benchmarks/bench_projection.py`` measures it against rdflib's converter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..collector import paused_gc
from ..errors import ProjectionError
from .labels import LABEL_PREDICATES, best_text, category, local_name

_RESOURCE, _BLANK, _LITERAL = 0, 1, 2
_RDF_TYPE = str(RDF.type)
_LABEL_ORDER = tuple(str(p) for p in LABEL_PREDICATES)


def _kind_of(term_type: type, cache: dict[type, int]) -> int:
    kind = cache.get(term_type)
    if kind is None:
        if issubclass(term_type, Literal):
            kind = _LITERAL
        elif issubclass(term_type, BNode):
            kind = _BLANK
        elif issubclass(term_type, URIRef):
            kind = _RESOURCE
        else:
            raise ProjectionError(f"cannot project a {term_type.__name__} term: the full view "
                                  "takes IRIs, blank nodes and literals")
        cache[term_type] = kind
    return kind


def full_view(triples: Iterable[tuple[Node, Node, Node]]) -> nx.MultiDiGraph:
    """Build the ``"full"`` view of ``triples``; see the module documentation.

    Example:
        >>> from rdflib import Literal, URIRef
        >>> a, b = URIRef("https://e/a"), URIRef("https://e/b")
        >>> name = URIRef("https://schema.org/name")
        >>> g = full_view([(a, URIRef("https://e/knows"), b), (a, name, Literal("Ada"))])
        >>> list(g.edges(keys=True))
        [('https://e/a', 'https://e/b', 'https://e/knows')]
        >>> g.nodes["https://e/a"]["label"], g.nodes["https://e/a"][str(name)]
        ('Ada', rdflib.term.Literal('Ada'))
    """
    with paused_gc():
        return _build(triples)


def _build(triples: Iterable[tuple[Node, Node, Node]]) -> nx.MultiDiGraph:
    g: nx.MultiDiGraph = nx.MultiDiGraph(view="full")
    add_edge = g.add_edge
    shared: dict[str, str] = {}  # one string object per distinct IRI, however often it occurs
    kinds: dict[type, int] = {}
    literals: dict[str, list[tuple[str, Node]]] = {}  # the objects are literals
    classes: dict[str, list[str]] = {}

    for s, p, o in triples:
        s_key = str(s)
        if _kind_of(type(s), kinds) == _BLANK:
            s_key = "_:" + s_key
        s_key = shared.setdefault(s_key, s_key)
        p_key = str(p)
        p_key = shared.setdefault(p_key, p_key)
        o_kind = _kind_of(type(o), kinds)
        if o_kind == _LITERAL:
            found = literals.get(s_key)
            if found is None:
                literals[s_key] = [(p_key, o)]
            else:
                found.append((p_key, o))
            continue
        o_key = "_:" + str(o) if o_kind == _BLANK else str(o)
        o_key = shared.setdefault(o_key, o_key)
        add_edge(s_key, o_key, p_key)
        if p_key == _RDF_TYPE:
            known = classes.get(s_key)
            if known is None:
                classes[s_key] = [o_key]
            else:
                known.append(o_key)

    # Subjects with literals only have no edge yet; they are nodes all the same.
    g.add_nodes_from(key for key in literals if key not in g)
    for key, attrs in g.nodes(data=True):
        by_predicate: dict[str, list[Any]] = {}
        for p_key, literal in literals.get(key, ()):
            by_predicate.setdefault(p_key, []).append(literal)
        for p_key, values in by_predicate.items():
            attrs[p_key] = values[0] if len(values) == 1 else tuple(sorted(values))
        label = None
        for p_key in _LABEL_ORDER:
            if p_key in by_predicate:
                label = best_text(by_predicate[p_key])
                break
        attrs["label"] = label if label is not None else local_name(key)
        attrs["type"] = category(classes.get(key, ()))
    return g


def _term(key: str) -> URIRef | BNode:
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key)


def _is_iri(name: object) -> bool:
    if not isinstance(name, str):
        return False
    scheme, colon, rest = name.partition(":")
    return bool(colon and rest and scheme[:1].isalpha()
                and all(c.isalnum() or c in "+-." for c in scheme))


def to_rdf(g: nx.MultiDiGraph) -> Graph:
    """Turn a ``"full"`` view back into the rdflib graph it came from (isomorphic to it).

    Node attributes whose name is an IRI become literal triples; others (``label``, ``type``,
    or what an algorithm added, such as a PageRank score) are not RDF and are left out.

    Raises:
        HerGraphError: ``g`` is not a directed multigraph, or an edge key is not a predicate
            IRI (the message names the edge).

    Example:
        >>> import graph
        >>> from rdflib.compare import isomorphic
        >>> kg = graph.load()
        >>> isomorphic(to_rdf(kg.to_networkx("full")), kg.rdf)
        True
    """
    if not (g.is_directed() and g.is_multigraph()):
        raise ProjectionError(
            f"to_rdf needs the 'full' view (a MultiDiGraph keyed by predicate IRI), not a "
            f"{type(g).__name__} (view {g.graph.get('view', '?')!r}); use "
            "kg.to_networkx('full')")
    out = Graph()
    for key, attrs in g.nodes(data=True):
        subject = _term(key)
        for attribute, value in attrs.items():
            if not _is_iri(attribute):
                continue
            for literal in value if isinstance(value, tuple) else (value,):
                out.add((subject, URIRef(attribute),
                         literal if isinstance(literal, Literal) else Literal(literal)))
    for source, target, predicate in g.edges(keys=True):
        if not _is_iri(predicate):
            raise ProjectionError(
                f"edge {source} -> {target} has key {predicate!r}, not a predicate IRI; "
                "to_rdf turns back only edges keyed by predicate, as in the 'full' view")
        out.add((_term(source), URIRef(predicate), _term(target)))
    return out
