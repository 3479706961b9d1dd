"""Big exports against the fastest well-kept writer of each format, with peak memory.

    python benchmarks/bench_exports.py                  # 100k triples (a few minutes)
    python benchmarks/bench_exports.py --size 1m        # the issue's size (much longer)

The seeded generator's story is written as N-Triples; then each case runs in a process of its
own, which loads the file (not timed), times one export (CPU time) and reports the process's
peak resident memory:

- ``ttl``, ``jsonld``, ``graphml``, ``gexf``: ``graph.export.render(kg, format)``, from the
  loaded graph to the bytes: the canonical triples, the resource network where the format
  needs it, and the writer;
- ``oxigraph-ttl``, ``oxigraph-nt``, ``oxigraph-jsonld``: ``pyoxigraph.Store.dump`` of the same
  triples;
- ``networkx-graphml``, ``networkx-gexf``: ``networkx.write_graphml`` / ``write_gexf`` of
  her-graph's resource network (built, untimed, beforehand);
- ``rdflib-read``: only reading the loaded graph's triples out of rdflib's store
  (``list(kg.rdf)``), where every her-graph export starts: the floor of a writer in Python.

The ratio column divides each export by its format's baseline: Turtle by Oxigraph's Turtle,
JSON-LD by Oxigraph's JSON-LD, GraphML and GEXF by networkx's writer. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

OURS = {"rdflib-read": "oxigraph-ttl", "ttl": "oxigraph-ttl", "jsonld": "oxigraph-jsonld",
        "graphml": "networkx-graphml", "gexf": "networkx-gexf"}
#: Each baseline before the export it is the baseline of.
CASES = ("oxigraph-ttl", "oxigraph-nt", "rdflib-read", "ttl", "oxigraph-jsonld", "jsonld",
         "networkx-graphml", "graphml", "networkx-gexf", "gexf")


def child(path: str, case: str) -> None:
    """Load, time one export, print one JSON line."""
    import graph
    from graph.export.registry import ExportSource, render

    if case.startswith("oxigraph-"):
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
        fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD}[case.split("-", 1)[1]]
        start = time.process_time()
        size = len(store.dump(format=fmt, from_graph=ox.DefaultGraph()) or b"")
    elif case == "rdflib-read":
        kg = graph.load(path)
        start = time.process_time()
        size = len(list(kg.rdf))
    elif case.startswith("networkx-"):
        import networkx as nx

        network = ExportSource(graph.load(path)).network
        write = nx.write_graphml if case.endswith("graphml") else nx.write_gexf
        buffer = io.BytesIO()
        start = time.process_time()
        write(network, buffer)
        size = len(buffer.getvalue())
    else:
        kg = graph.load(path)
        start = time.process_time()
        size = len(render(kg, case))
    seconds = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"case": case, "cpu_s": seconds, "bytes": size, "peak_rss": peak}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="triples: 100k, 1m, ...")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated cases")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    from graph.generate import generate_story

    label = args.size.lower()
    triples = int(float(label.rstrip("km")) * {"k": 1_000, "m": 1_000_000}.get(label[-1], 1))
    results = {}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = generate_story(triples=triples, seed=0).write(Path(folder) / "story.nt")
        with open(path, "rb") as lines:
            count = sum(1 for _ in lines)  # the generator's count is approximate
        print(f"{'case':<18}{'cpu s':>9}{'x baseline':>12}{'MB out':>9}{'peak MiB':>10}")
        for case in args.cases.split(","):
            done = subprocess.run([sys.executable, __file__, "--child", str(path), case],
                                  capture_output=True, text=True, check=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results[case] = result
            base = results.get(OURS.get(case, ""))
            ratio = f"{result['cpu_s'] / base['cpu_s']:.2f}" if base else "-"
            out = "-" if case == "rdflib-read" else f"{result['bytes'] / 1e6:.1f}"
            print(f"{case:<18}{result['cpu_s']:>9.2f}{ratio:>12}{out:>9}"
                  f"{result['peak_rss'] / 2**20:>10.0f}")
            sys.stdout.flush()
    print(f"{count:,} triples; the run took {time.perf_counter() - began:.0f} s (wall clock)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
