"""The influence projection on Oxigraph against one raw pyoxigraph SPARQL query.

    python benchmarks/bench_oxigraph_projection.py                 # 10k and 100k triples
    python benchmarks/bench_oxigraph_projection.py --sizes 10k --repeat 1

For each size the seeded generator's story is loaded into her-graph's Oxigraph store, then, in
this process and interleaved, two things are timed (median of ``--repeat``, CPU time):

- ``kg.to_networkx("influence")``: her-graph's projection (labels, how, events in story order,
  their labels, the most telling quote, all the evidence);
- the baseline: one SELECT sent straight to the same ``pyoxigraph.Store`` that fetches the same
  fields (each influence's two parties and their names, how, its events with their labels and
  story positions, its quotes) and a loop that builds the same ``networkx.DiGraph`` from the
  rows (without her-graph's choice of the most telling quote, so the baseline is a floor).

The ratio is the projection over the baseline. With ``--sparql``, the same two things also run
against a local ``oxigraph serve`` (in memory) holding the same triples: her-graph's SPARQL store
(``graph.load(store="sparql", endpoint=...)``) against the raw query sent over the SPARQL 1.1
Protocol with ``urllib`` (SPARQL JSON results, parsed with ``json``); there wall-clock time is
timed, since the server's work is in another process. "(sparql)" asks the same store again
(it remembers the terms of its earlier answers, as the Oxigraph store does); "(fresh)" is the
first projection of a store just opened. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import graph
from graph.generate import generate_story

RAW = """
PREFIX hg: <https://w3id.org/her-graph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?influenced ?influencer ?a ?b ?how ?event ?event_label ?position ?quote WHERE {
  ?influenced prov:qualifiedInfluence ?influence .
  ?influence prov:influencer ?influencer .
  OPTIONAL { ?influenced schema:name ?b }
  OPTIONAL { ?influencer schema:name ?a }
  OPTIONAL { ?influence hg:how ?how }
  OPTIONAL { ?influence hg:throughEvent ?event .
             OPTIONAL { ?event schema:name ?event_label }
             OPTIONAL { ?event hg:storyPosition ?position } }
  OPTIONAL { ?influence hg:evidence/oa:hasSelector/oa:exact ?quote }
}"""


def raw_projection(store: ox.Store) -> nx.DiGraph:
    """The baseline: one query, one pass over its rows."""
    G = nx.DiGraph()
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for row in store.query(RAW):  # type: ignore[union-attr]
        s, t = row["influencer"].value, row["influenced"].value
        for key, name in ((s, row["a"]), (t, row["b"])):
            if key not in G:
                G.add_node(key, label=name.value if name is not None else key)
        data = edges.setdefault((s, t), {"how": set(), "events": {}, "evidence": set()})
        if row["how"] is not None:
            data["how"].add(row["how"].value)
        if row["event"] is not None:
            position = row["position"]
            data["events"][row["event"].value] = (
                int(position.value) if position is not None else 0,
                row["event_label"].value if row["event_label"] is not None else "")
        if row["quote"] is not None:
            data["evidence"].add(row["quote"].value)
    for (s, t), data in edges.items():
        events = sorted(data["events"].items(), key=lambda item: (item[1][0], item[0]))
        evidence = sorted(data["evidence"])
        G.add_edge(s, t, how="; ".join(sorted(data["how"])),
                   events=tuple(k for k, _ in events),
                   event_labels=tuple(label for _, (_, label) in events),
                   quote=evidence[0] if evidence else "", evidence=tuple(evidence))
    return G


def raw_over_protocol(query_url: str) -> nx.DiGraph:
    """The baseline over HTTP: the same query and loop, SPARQL JSON results."""
    request = urllib.request.Request(
        query_url, data=urllib.parse.urlencode({"query": RAW}).encode(),
        headers={"Accept": "application/sparql-results+json",
                 "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request) as response:
        bindings = json.load(response)["results"]["bindings"]

    class Term:
        __slots__ = ("value",)

        def __init__(self, value: str):
            self.value = value

    class Store:
        def query(self, text: str) -> list[dict[str, Term | None]]:
            names = ("influencer", "influenced", "a", "b", "how", "event", "event_label",
                     "position", "quote")
            return [{n: Term(row[n]["value"]) if n in row else None for n in names}
                    for row in bindings]

    return raw_projection(Store())  # type: ignore[arg-type]


def wall(fn: Any) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cpu(fn: Any) -> float:
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start


def sparql(kg: Any, edges: int, repeat: int) -> None:
    """The same comparison through a local Oxigraph server."""
    from graph.stores.remote import publish
    from graph.stores.server import OxigraphServer

    with OxigraphServer(in_memory=True) as server:
        publish(kg, server.url)
        remote = graph.load(store="sparql", endpoint=server.url)
        assert remote.to_networkx("influence").number_of_edges() == edges
        assert raw_over_protocol(server.query_url).number_of_edges() == edges
        ours, fresh, raw = [], [], []
        for _ in range(repeat):
            ours.append(wall(lambda: remote.to_networkx("influence")))
            # A store opened afresh: none of the terms of earlier answers remembered yet.
            new = graph.load(store="sparql", endpoint=server.url)
            fresh.append(wall(lambda new=new: new.to_networkx("influence")))
            raw.append(wall(lambda: raw_over_protocol(server.query_url)))
        a, b, c = statistics.median(ours), statistics.median(raw), statistics.median(fresh)
        print(f"{'  (sparql)':>10} {edges:>10,} {a:>13.3f} {b:>12.3f} {a / b:>6.2f}")
        print(f"{'  (fresh)':>10} {edges:>10,} {c:>13.3f} {b:>12.3f} {c / b:>6.2f}")
        sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated sizes (10k, 1m)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--sparql", action="store_true",
                        help="also through a local oxigraph server (wall-clock time)")
    args = parser.parse_args()
    print(f"{'triples':>10} {'influences':>10} {'projection s':>13} {'raw query s':>12} "
          f"{'ratio':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for label in args.sizes.split(","):
            size = int(float(label.rstrip("kKmM")) * (1_000_000 if label[-1] in "mM" else
                                                      1_000 if label[-1] in "kK" else 1))
            path = generate_story(triples=size, seed=0).write(Path(folder) / f"{label}.nt")
            kg = graph.load(path, store="oxigraph")
            store = kg.backend.store  # type: ignore[attr-defined]
            ours, raw = [], []
            edges = kg.to_networkx("influence").number_of_edges()
            assert raw_projection(store).number_of_edges() == edges
            for _ in range(args.repeat):
                ours.append(cpu(lambda kg=kg: kg.to_networkx("influence")))
                raw.append(cpu(lambda store=store: raw_projection(store)))
            a, b = statistics.median(ours), statistics.median(raw)
            print(f"{len(kg):>10,} {edges:>10,} {a:>13.3f} {b:>12.3f} {a / b:>6.2f}")
            sys.stdout.flush()
            if args.sparql:
                sparql(kg, edges, args.repeat)
            kg.backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
