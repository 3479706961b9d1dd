"""Canonical blank node labels: deterministic, isomorphic, and fast on the shapes stories use."""

from __future__ import annotations

import random

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph.errors import ExportError
from graph.export.canonical import MAX_SHARED_BLANK_NODES, canonical_quads, nesting_depth
from graph.export.registry import stable_graph

P, Q = URIRef("https://e/p"), URIRef("https://e/q")


def _relabelled(graph: Graph, seed: int) -> Graph:
    """The same graph with fresh blank node ids, its triples added in another order."""
    fresh: dict[BNode, BNode] = {}
    triples = sorted(graph, key=str)
    random.Random(seed).shuffle(triples)
    out = Graph()
    for triple in triples:
        out.add(tuple(fresh.setdefault(t, BNode()) if isinstance(t, BNode) else t  # type: ignore[arg-type]
                      for t in triple))
    return out


def _story_with_blank_nodes() -> Graph:
    g = Graph()
    for n in range(30):
        claim = URIRef(f"https://e/claim{n % 7}")
        evidence, selector = BNode(), BNode()
        g.add((claim, P, evidence))
        g.add((evidence, Q, selector))
        g.add((selector, Q, Literal("the same quote" if n % 3 else f"quote {n}")))
    for n in range(100):  # a hundred identical [ :q "x" ] under different subjects
        node = BNode()
        g.add((URIRef(f"https://e/s{n}"), P, node))
        g.add((node, Q, Literal("x")))
    chain = URIRef("https://e/a")
    for _ in range(3_000):  # nested 3,000 deep
        nxt = BNode()
        g.add((chain, P, nxt))
        chain = nxt  # type: ignore[assignment]
    return g


def test_canonical_labels_do_not_depend_on_ids_or_order() -> None:
    g = _story_with_blank_nodes()
    first = sorted(stable_graph(_relabelled(g, 1)))
    second = sorted(stable_graph(_relabelled(g, 2)))
    assert first == second
    assert len(first) == len(g)


def test_the_canonical_graph_is_isomorphic_to_the_source() -> None:
    g = Graph()
    for _ in range(4):  # identical siblings, each with a nested node
        outer, inner = BNode(), BNode()
        g.add((URIRef("https://e/a"), P, outer))
        g.add((outer, Q, inner))
        g.add((inner, Q, Literal("x")))
    ring = [BNode() for _ in range(5)]
    for n, node in enumerate(ring):
        g.add((node, P, ring[(n + 1) % 5]))
    assert isomorphic(stable_graph(g), g)
    tree = Graph()
    for triple in g:
        if not any(t in ring for t in triple):
            tree.add(triple)
    assert isomorphic(stable_graph(tree), tree)


def test_a_ring_of_shared_blank_nodes_is_labelled_by_rdfc() -> None:
    ring = [BNode() for _ in range(40)]
    g = Graph()
    for n, node in enumerate(ring):
        g.add((node, P, ring[(n + 1) % len(ring)]))
        g.add((node, Q, Literal(n % 2)))
    assert sorted(stable_graph(_relabelled(g, 1))) == sorted(stable_graph(_relabelled(g, 2)))


def test_too_many_shared_blank_nodes_is_a_clear_error() -> None:
    shared = BNode()
    quads = [(BNode(), P, shared, None) for _ in range(3)]
    quads += [(s, P, o, None) for s, o in
              ((BNode(), BNode()) for _ in range(MAX_SHARED_BLANK_NODES))]
    nodes = [BNode() for _ in range(MAX_SHARED_BLANK_NODES + 1)]
    quads += [(URIRef("https://e/a"), P, node, None) for node in nodes]
    quads += [(URIRef("https://e/b"), P, node, None) for node in nodes]
    with pytest.raises(ExportError, match=r"blank nodes that are shared by several triples"):
        canonical_quads(quads)


def test_nesting_depth_is_counted_without_recursion() -> None:
    g = _story_with_blank_nodes()
    assert nesting_depth(g) == 3_000
