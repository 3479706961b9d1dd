"""How the influence answers grow with the graph: chains, cycles and random graphs.

    python benchmarks/bench_influence.py                      # 1k, 10k, 100k characters
    python benchmarks/bench_influence.py --sizes 1000,4000 --repeat 1

For each shape and size it times, in this process, the answers that used to grow quadratically
(``who_influenced(depth=None)`` from the far end, ``whom_influenced(depth=None)`` from the
start, the reach of every party as ``her-graph stats`` ranks them, and the first 1,000 chains of
``iter_influence_paths`` up to 2 hops longer than the shortest), each against
``networkx.ancestors`` of the same node measured in the same run
(one plain breadth-first search: the floor for any "who reaches this node" answer).
The "per node" column divides by the size: flat means linear growth. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.analysis.influence import (
    iter_influence_paths,
    who_influenced,
    whom_influenced,
)
from graph.analysis.ranking import reach


def shapes(n: int, seed: int = 0) -> dict[str, tuple[nx.DiGraph, Any, Any]]:
    """The graphs of ``n`` characters, each with (start, end) nodes to ask about."""
    rng = random.Random(seed)
    chain = nx.path_graph(n, nx.DiGraph)
    cycle = nx.cycle_graph(n, nx.DiGraph)
    # A sparse random graph: 2 influences per character on average.
    rand = nx.gnm_random_graph(n, 2 * n, seed=rng.randrange(2**31), directed=True)
    for G in (chain, cycle, rand):
        for node in G:
            G.nodes[node]["label"] = f"c{node}"
        for u, v in G.edges:
            G.edges[u, v]["quote"] = f"{u} -> {v}"
    return {"chain": (chain, 0, n - 1), "cycle": (cycle, 0, n - 1), "random": (rand, 0, n - 1)}


def timed(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="comma-separated numbers of characters")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'shape':<7}{'n':>8}  {'answer':<26}{'seconds':>9}{'x ancestors':>13}"
          f"{'us per node':>13}")
    for n in sizes:
        for shape, (G, start, end) in shapes(n).items():
            successors = {u: sorted(G.successors(u)) for u in G}
            # Chains up to 2 hops longer than the shortest: without a cap, a random graph has
            # astronomically many long ones, and the search wanders among them.
            hops = nx.shortest_path_length(G, start, end) + 2 if nx.has_path(G, start, end) else 1
            base = timed(lambda G=G, end=end: nx.ancestors(G, end), args.repeat)
            cases: dict[str, Callable[[], Any]] = {
                "who_influenced(None)": lambda G=G, end=end: who_influenced(G, end, depth=None),
                "whom_influenced(None)": lambda G=G, s=start: whom_influenced(G, s, depth=None),
                "reach of every party": lambda s=successors: reach(s),
                "<=1,000 paths, d+2 hops": lambda G=G, s=start, e=end, h=hops: list(
                    islice(iter_influence_paths(G, s, e, max_hops=h), 1000)),
            }
            print(f"{shape:<7}{n:>8,}  {'nx.ancestors (baseline)':<26}{base:>9.4f}{1:>13.1f}"
                  f"{base / n * 1e6:>13.2f}")
            for name, fn in cases.items():
                seconds = timed(fn, args.repeat)
                print(f"{shape:<7}{n:>8,}  {name:<26}{seconds:>9.4f}{seconds / base:>13.1f}"
                      f"{seconds / n * 1e6:>13.2f}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
