"""Benchmark: network metrics against the same networkx calls, and the story timeline's growth.

Run from the repository root (pass smaller --sizes for a quick look):

    python benchmarks/bench_story_time.py
    python benchmarks/bench_story_time.py --sizes 10000,100000

Part 1, metrics. For each size a story is generated (``graph.generate.generate_story``, seed 0)
and loaded into the Oxigraph store; its co-occurrence projection is made once. Then, on that same
networkx graph, it times her-graph's :func:`graph.analysis.metrics.network_metrics` plus
:func:`~graph.analysis.metrics.character_metrics` against the networkx calls they make, called
directly (density, connected components, diameter and average path length of the largest
component, average clustering, degrees, betweenness, harmonic closeness, eigenvector centrality,
PageRank), and prints the overhead ratio (CPU time, best of --repeat).

Part 2, timeline. ``list(kg.timeline())`` over every event of the same stories (the cost of going
through the story; each state's tuples are built when read), then the same with every state read
in full (``characters`` and ``relationships``): that second figure grows with the size of the
answer, events x items that hold, which on a generated story (whose cast grows with its events)
is quadratic by nature. Last, a fixed cast (20 characters) over chains of 1k to 16k events, read
in full: time per event should stay flat (linear growth).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from graph.analysis.metrics import character_metrics, network_metrics, simple_graph
from graph.generate import generate_story
from graph.views.story_time import story_time

HG = Namespace("https://w3id.org/her-graph/ontology#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
EX = Namespace("https://example.org/chain/")


def _cpu(run: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def _direct(G: nx.Graph) -> None:
    U = simple_graph(G)
    nx.density(U)
    components = sorted(nx.connected_components(U), key=len, reverse=True)
    if components and len(components[0]) > 1:
        largest = U.subgraph(components[0])
        nx.diameter(largest)
        nx.average_shortest_path_length(largest)
    nx.average_clustering(U)
    dict(U.degree())
    dict(U.degree(weight="weight"))
    nx.betweenness_centrality(U)
    nx.harmonic_centrality(U)
    nx.eigenvector_centrality(U, max_iter=2000, tol=1e-9, weight="weight")
    nx.pagerank(simple_graph(G, directed=True), weight="weight")


def _ours(G: nx.Graph) -> None:
    network_metrics(G)
    character_metrics(G)


def chain(events: int, cast: int = 20) -> Graph:
    """A story of ``events`` events in a chain, each with two of a fixed ``cast``."""
    g = Graph()
    for n in range(cast):
        g.add((EX[f"c{n}"], RDF.type, HG.HumanCharacter))
    for i in range(events):
        event = EX[f"e{i}"]
        g.add((event, RDF.type, HG.StoryEvent))
        g.add((event, HG.storyPosition, Literal(i + 1)))
        g.add((event, SEM.hasActor, EX[f"c{i % cast}"]))
        g.add((event, SEM.hasActor, EX[f"c{(i * 7 + 3) % cast}"]))
        if i:
            g.add((EX[f"e{i - 1}"], HG.precedes, event))
    for n in range(cast - 1):
        rel = URIRef(EX[f"r{n}"])
        g.add((rel, RDF.type, HG.Relationship))
        g.add((rel, HG.participant, EX[f"c{n}"]))
        g.add((rel, HG.participant, EX[f"c{n + 1}"]))
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chains", default="1000,2000,4000,8000,16000")
    parser.add_argument("--metrics-max", type=int, default=100_000,
                        help="skip the metrics above this many triples (betweenness and the "
                             "diameter are O(nodes x edges): about 40 min each at 1M)")
    parser.add_argument("--read-max", type=int, default=100_000,
                        help="skip reading every state in full above this many triples (the "
                             "answer has events x items entries: 800M at 1M)")
    args = parser.parse_args()
    print(f"{'triples':>9} {'nodes':>6} {'edges':>6} {'networkx s':>10} {'her-graph s':>11} "
          f"{'ratio':>6} | {'events':>6} {'timeline s':>10} {'read all s':>10} {'items':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        kg = generate_story(triples=size, seed=0).load(store="oxigraph")
        G = kg.to_networkx("cooccurrence")
        repeat = args.repeat if size < 500_000 else 1
        direct = ours = float("nan")
        if size <= args.metrics_max:
            direct = _cpu(lambda G=G: _direct(G), repeat)
            ours = _cpu(lambda G=G: _ours(G), repeat)
        kg.at(1)  # reads the story's facts once; not what is timed below
        start = time.process_time()
        states = list(kg.timeline())
        walk = time.process_time() - start
        items, read = 0, float("nan")
        if size <= args.read_max:
            start = time.process_time()
            items = sum(len(s.characters) + len(s.relationships) for s in states)
            read = time.process_time() - start
        print(f"{len(kg):>9} {G.number_of_nodes():>6} {G.number_of_edges():>6} {direct:>10.3f} "
              f"{ours:>11.3f} {ours / direct:>6.2f} | {len(states):>6} {walk:>10.3f} "
              f"{read:>10.3f} {items:>9}", flush=True)
    print()
    print(f"{'events':>7} {'timeline, read in full, s':>26} {'us per event':>13}")
    for events in (int(n) for n in args.chains.split(",")):
        time_of = story_time(chain(events))
        start = time.process_time()
        total = sum(len(s.characters) + len(s.relationships) for s in time_of.timeline())
        spent = time.process_time() - start
        assert total > 0
        print(f"{events:>7} {spent:>26.3f} {spent / events * 1e6:>13.1f}", flush=True)


if __name__ == "__main__":
    main()
