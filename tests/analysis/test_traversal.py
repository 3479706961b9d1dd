"""Influence answers in linear time: the same answers as the quadratic definitions."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Hashable

import networkx as nx
import pytest

from graph.analysis.influence import (
    influence_paths,
    iter_influence_paths,
    who_influenced,
    whom_influenced,
)
from graph.analysis.ranking import reach
from graph.analysis.results import InfluencePath
from graph.analysis.traversal import hop
from graph.errors import AnalysisError
from graph.sparql.prefixes import PrefixIndex
from graph.sparql.values import short_iri


def _naive_reach(successors: dict[int, list[int]]) -> dict[int, int]:
    counts = {}
    for start in successors:
        seen, queue = {start}, deque([start])
        while queue:
            for nxt in successors[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        counts[start] = len(seen) - 1
    return counts


@pytest.mark.parametrize("seed", range(40))
def test_reach_counts_what_one_search_per_node_counts(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 25)
    successors = {u: [v for v in range(n) if rng.random() < 0.12] for u in range(n)}
    assert reach(successors) == _naive_reach(successors)


def test_a_long_chain_answers_without_building_every_chain() -> None:
    G = nx.path_graph(20_000, nx.DiGraph)
    found = who_influenced(G, 19_999, depth=None)
    assert len(found) == 19_999
    assert found[0].depth == 1 and found[-1].depth == 19_999
    assert found[-1].path.nodes[0] == 0 and len(found[-1].path) == 19_999
    assert reach({u: list(G.successors(u)) for u in G})[0] == 19_999


@pytest.mark.parametrize("seed", range(10))
def test_paths_read_from_the_tree_are_shortest_chains(seed: int) -> None:
    G = nx.gnm_random_graph(30, 70, seed=seed, directed=True)
    for source in (0, 1):
        for r in whom_influenced(G, source, depth=None):
            assert r.depth == nx.shortest_path_length(G, source, r.party) == len(r.path)
            assert r.path.nodes[0] == source and r.path.nodes[-1] == r.party
            explicit = InfluencePath(tuple(hop(G, a, b) for a, b in nx.utils.pairwise(
                r.path.nodes)))
            assert r.path == explicit and explicit == r.path
            assert hash(r.path) == hash(explicit)


@pytest.mark.parametrize("seed", range(10))
def test_the_path_generator_yields_every_simple_path(seed: int) -> None:
    G = nx.gnm_random_graph(9, 25, seed=seed, directed=True)
    for max_hops in (None, 2, 3):
        expected = sorted(tuple(p) for p in nx.all_simple_paths(G, 0, 8, cutoff=max_hops))
        got = sorted(p.nodes for p in iter_influence_paths(G, 0, 8, max_hops=max_hops))
        assert got == expected
        listed = influence_paths(G, 0, 8, max_hops=max_hops)
        assert [len(p) for p in listed] == sorted(len(p) for p in listed)


def test_influence_paths_refuses_more_than_its_limit() -> None:
    G = nx.complete_graph(9, nx.DiGraph)
    with pytest.raises(AnalysisError, match="more than 100 chains"):
        influence_paths(G, 0, 1, limit=100)
    assert len(influence_paths(G, 0, 1, max_hops=2)) == 8


def test_the_prefix_index_names_what_short_iri_names() -> None:
    pairs: list[tuple[str, Hashable]] = [
        ("her", "https://w3id.org/her-graph/her/"), ("h", "https://w3id.org/her-graph/"),
        ("dup", "https://w3id.org/her-graph/her/"), ("x", "http://e/a#"), ("e", "http://e/")]
    index = PrefixIndex(pairs)
    for iri in ("https://w3id.org/her-graph/her/Amy", "https://w3id.org/her-graph/her/a/b",
                "https://w3id.org/her-graph/x", "http://e/a#b", "http://e/a#", "http://e/",
                "http://e/1a", "urn:x", ""):
        assert index.short(iri) == short_iri(iri, pairs)
