"""Benchmark: RDF -> NetworkX projections against rdflib's own converter.

Run from the repository root (about 20 minutes on a shared 2-core machine, most of it loading
the 1M-triple graph five times; pass smaller --sizes for a quick look):

    python benchmarks/bench_projection.py
    python benchmarks/bench_projection.py --sizes 10000,100000 --repeat 3

For each size it generates a synthetic story once (``graph.generate.generate_story``, seed 0)
into a temporary N-Triples file. Each case (rdflib's
``rdflib.extras.external_graph_libs.rdflib_to_networkx_multidigraph``, then each her-graph
view) runs in a fresh subprocess that loads the file, then measures the projection alone (not
the parsing): the best of ``--repeat`` runs in wall-clock and CPU time, then one more run under
``tracemalloc`` for the peak of the memory the projection allocates (Python allocations, which
is all of rdflib's and networkx's). Ratios compare with the rdflib baseline of the same size,
measured in the same run; the time ratio uses CPU time, which other jobs on a shared machine
disturb less than wall-clock time.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from importlib.metadata import version
from pathlib import Path

CASES = ("rdflib", "full", "influence", "relationships", "timeline")
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def _project(kg, case: str):  # type: ignore[no-untyped-def]
    if case == "rdflib":
        from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

        return rdflib_to_networkx_multidigraph(kg.rdf)
    return kg.to_networkx(case)


def child(path: str, case: str, repeat: int) -> None:
    """Load ``path``, time and measure one projection, print one JSON line."""
    import graph

    started = time.perf_counter()
    kg = graph.load(path)
    load_seconds = time.perf_counter() - started
    # Import what the projections use now: imports are not what is measured.
    import networkx  # noqa: F401
    import rdflib.extras.external_graph_libs  # noqa: F401

    import graph.views.projection

    gc.collect()
    walls, cpus = [], []
    nodes = edges = 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = _project(kg, case)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        nodes, edges = result.number_of_nodes(), result.number_of_edges()
        del result
        gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    _project(kg, case)  # the peak includes the finished graph
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    print(json.dumps({"case": case, "triples": len(kg), "wall": min(walls), "cpu": min(cpus),
                      "peak": peak, "nodes": nodes, "edges": edges, "load": load_seconds}))


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    libraries = ", ".join(f"{name} {version(name)}"
                          for name in ("rdflib", "networkx", "pyoxigraph"))
    return (f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {libraries}")


def _run_case(path: Path, case: str, repeat: int) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path), case, str(repeat)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"case {case} on {path.name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated triple counts (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=0,
                        help="timed runs per case, best kept (default: 3, or 1 from 500k)")
    parser.add_argument("--cases", default=",".join(CASES), help="default: %(default)s")
    parser.add_argument("--child", nargs=3, metavar=("PATH", "CASE", "REPEAT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, case, repeat = args.child
        child(path, case, int(repeat))
        return

    from graph.generate import generate_story

    cases = [c.strip() for c in args.cases.split(",")]
    if cases[0] != "rdflib":
        cases.insert(0, "rdflib")
    print(f"# {time.strftime('%Y-%m-%d')} on {_machine()}")
    header = (f"{'triples':>9}  {'case':<13} {'wall s':>8} {'cpu s':>8} {'x rdflib':>8} "
              f"{'peak MiB':>9} {'x rdflib':>8} {'nodes':>8} {'edges':>8}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = generate_story(triples=size, seed=0).write(Path(folder) / f"story-{size}.nt")
            repeat = args.repeat or (1 if size >= 500_000 else 3)
            baseline = None
            for case in cases:
                row = _run_case(path, case, repeat)
                baseline = baseline or row
                print(f"{row['triples']:>9}  {case:<13} {row['wall']:>8.3f} {row['cpu']:>8.3f} "
                      f"{row['cpu'] / baseline['cpu']:>8.2f} {row['peak'] / 2**20:>9.1f} "
                      f"{row['peak'] / baseline['peak']:>8.2f} {row['nodes']:>8} "
                      f"{row['edges']:>8}", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
