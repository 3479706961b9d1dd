"""Benchmark the stores on generated narrative graphs: print a table, write the figures as JSON.

    python benchmarks/run.py                          # 10k, 100k and 1M triples, every store
    python benchmarks/run.py --sizes 10k,100k --stores memory,oxigraph

For each size, the seeded generator (:func:`graph.generate.generate_story`) writes a story graph
as N-Triples; then each store runs in a process of its own (``benchmarks/measure.py``): load and
parse, three representative SPARQL queries (a lookup, a 2-hop influence join, an aggregate), the
NetworkX projections, the HTML export (up to ``--html-max`` triples) and peak memory. Every
figure is also shown as a ratio against rdflib's memory store measured in the same run, and the
query answers of every store are checked to be identical. Last, the cold start of
``her-graph stats`` is measured against ``python -c "import rdflib"``. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STORES = ("memory", "oxigraph", "sparql")
HEAVY_MODULES = ("pyvis", "pyshacl", "networkx", "jinja2", "IPython", "pandas", "owlrl")

#: (key, label, kind): the rows of the table, in order.
ROWS = (
    ("load_s", "load / parse", "time"),
    ("lookup_s", "lookup (influencers_of)", "time"),
    ("two_hop_s", "2-hop influence join", "time"),
    ("aggregate_s", "aggregate (themes_by_act)", "time"),
    ("projection_s", "projection: influence", "time"),
    ("projection_full_s", "projection: full", "time"),
    ("html_s", "HTML export", "time"),
    ("loaded_rss_bytes", "memory after load", "bytes"),
    ("peak_rss_bytes", "peak memory (process)", "bytes"),
    ("server_peak_rss_bytes", "peak memory (server)", "bytes"),
    ("load_persisted_s", "load into a folder", "time"),
    ("reopen_s", "reopen the folder", "time"),
)


def parse_size(text: str) -> int:
    """``"10k"`` -> 10000, ``"1m"`` -> 1000000."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([km]?)", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 10k or 1m")
    return int(float(match[1]) * {"": 1, "k": 1_000, "m": 1_000_000}[match[2]])


def show_time(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def show_bytes(count: float) -> str:
    return f"{count / 2**20:.0f} MiB" if count < 2**30 else f"{count / 2**30:.2f} GiB"


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"platform": platform.platform(), "python": platform.python_version(),
                            "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_bytes"] = int(line.split()[1]) * 1024
    except OSError:
        pass
    versions = {}
    for package in ("her-graph", "rdflib", "pyoxigraph", "oxigraph", "networkx", "pyvis"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    info["versions"] = versions
    return info


def most_influenced(lines: list[str]) -> str:
    """The character with the most influencers: the lookup's parameter, the same for all."""
    counts = Counter(line.split(" ", 1)[0][1:-1] for line in lines
                     if "<http://www.w3.org/ns/prov#wasInfluencedBy>" in line)
    return min(counts, key=lambda iri: (-counts[iri], iri))


def run_store(store: str, path: Path, character: str, args: argparse.Namespace
              ) -> dict[str, Any]:
    command = [sys.executable, str(HERE / "measure.py"), "--store", store, "--file", str(path),
               "--character", character, "--repeat", str(args.repeat),
               "--html-max", str(args.html_max), "--full-max", str(args.full_max)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=args.store_timeout)
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        return {"error": f"exit {done.returncode}: {tail}"}
    figures = json.loads(done.stdout)
    figures["wall_s"] = time.perf_counter() - started
    return figures


def table(label: str, result: dict[str, Any], stores: list[str]) -> str:
    """The figures of one size, with each store's ratio against the memory store."""
    base = result["stores"].get("memory", {})
    width = 20
    lines = [f"== {label}: {result['triples']:,} triples (generated in "
             f"{result['generate_s']:.1f} s); x = times faster than memory "
             "(for memory: its size relative to memory's)",
             f"{'':28}" + "".join(f"{s:>{width}}" for s in stores)]
    for key, name, kind in ROWS:
        cells = []
        for store in stores:
            figures = result["stores"].get(store, {})
            value = figures.get(key)
            if value is None:
                cells.append("-" if "error" not in figures else "error")
                continue
            text = show_time(value) if kind == "time" else show_bytes(value)
            reference = base.get(key)
            if store != "memory" and reference and value:
                ratio = reference / value if kind == "time" else value / reference
                text += f" {ratio:5.1f}x"
            cells.append(text)
        if any(c != "-" for c in cells):
            lines.append(f"{name:28}" + "".join(f"{c:>{width}}" for c in cells))
    for store in stores:
        figures = result["stores"].get(store, {})
        if "error" in figures:
            lines.append(f"  {store}: {figures['error']}")
        elif isinstance(figures.get("html"), str) and figures["html"] != "measured":
            lines.append(f"  HTML export on {store}: {figures['html']}")
    lines.append(f"  same answers on every store: {'yes' if result['identical'] else 'NO'}")
    return "\n".join(lines)


def identical(result: dict[str, Any]) -> bool:
    digests = [tuple(f.get(f"{q}_digest") for q in ("lookup", "two_hop", "aggregate"))
               for f in result["stores"].values() if "error" not in f]
    return len(set(digests)) <= 1


def cold_start(runs: int) -> dict[str, Any]:
    """``her-graph stats`` as a whole process, against ``python -c "import rdflib"``."""
    script = Path(sys.executable).parent / "her-graph"
    stats = [str(script), "stats"] if script.is_file() else [sys.executable, "-m", "graph.cli",
                                                               "stats"]
    baseline = [sys.executable, "-c", "import rdflib"]
    times: dict[str, list[float]] = {"stats": [], "import_rdflib": []}
    for _ in range(runs):  # interleaved, so that both see the same machine load
        for name, command in (("stats", stats), ("import_rdflib", baseline)):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[name].append(time.perf_counter() - started)
    trace = subprocess.run([sys.executable, "-X", "importtime", "-m", "graph.cli", "stats"],
                           capture_output=True, text=True, check=True).stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in trace.splitlines() if line.startswith("import time:")}
    stats_s = statistics.median(times["stats"])
    rdflib_s = statistics.median(times["import_rdflib"])
    return {"runs": runs, "stats_s": stats_s, "import_rdflib_s": rdflib_s,
            "ratio": stats_s / rdflib_s, "command": " ".join(stats),
            "heavy_imports": sorted(m for m in HEAVY_MODULES if m in imported)}


def cold_start_line(cold: dict[str, Any]) -> str:
    return (f"== cold start (median of {cold['runs']}): `her-graph stats` "
            f"{show_time(cold['stats_s'])}, `python -c \"import rdflib\"` "
            f"{show_time(cold['import_rdflib_s'])}: ratio {cold['ratio']:.2f}; heavy imports "
            f"loaded: {', '.join(cold['heavy_imports']) or 'none'}")


def show(report: dict[str, Any]) -> None:
    """Print the tables of a results file."""
    machine_info = report["machine"]
    print(f"{report['date']}, {machine_info.get('cpu', '?')}, {machine_info['cpus']} CPUs, "
          f"{show_bytes(machine_info.get('memory_bytes', 0))}, Python {machine_info['python']}, "
          + ", ".join(f"{k} {v}" for k, v in machine_info["versions"].items() if v) + "\n")
    for label, result in report["sizes"].items():
        print(table(label, result, list(result["stores"])) + "\n")
    if "cold_start" in report:
        print(cold_start_line(report["cold_start"]))
    print(f"== total {show_time(report['total_s'])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10k,100k,1m",
                        help="comma-separated graph sizes in triples (default: 10k,100k,1m)")
    parser.add_argument("--stores", default=",".join(STORES),
                        help=f"comma-separated stores (default: {','.join(STORES)})")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each quick query after the first; the median is kept")
    parser.add_argument("--html-max", type=int, default=200_000,
                        help="largest graph (triples) to export as HTML")
    parser.add_argument("--full-max", type=int, default=200_000,
                        help="largest graph (triples) to project in the full view")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed")
    parser.add_argument("--cold-start-runs", type=int, default=7,
                        help="runs of the cold-start comparison (0 to skip)")
    parser.add_argument("--store-timeout", type=float, default=1200,
                        help="seconds one store may take on one size")
    parser.add_argument("--out", type=Path, default=HERE / "results.json",
                        help="where to write the JSON figures")
    parser.add_argument("--show", type=Path, metavar="JSON",
                        help="print the tables of a results file instead of measuring")
    args = parser.parse_args()
    if args.show:
        show(json.loads(args.show.read_text(encoding="utf-8")))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = sorted(set(stores) - set(STORES))
    if unknown:
        parser.error(f"unknown store(s) {', '.join(unknown)}; stores: {', '.join(STORES)}")

    from graph.generate import generate_story

    started = time.perf_counter()
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(), "seed": args.seed, "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="her-graph-bench-") as folder:
        for size in sizes:
            label = f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"
            began = time.perf_counter()
            story = generate_story(triples=size, seed=args.seed)
            path = story.write(Path(folder) / f"story-{label}.nt")
            result: dict[str, Any] = {"triples": len(story),
                                      "generate_s": time.perf_counter() - began,
                                      "character": most_influenced(story.lines), "stores": {}}
            del story
            for store in stores:
                print(f"[{time.perf_counter() - started:6.0f} s] {label}: {store} ...",
                      file=sys.stderr, flush=True)
                result["stores"][store] = run_store(store, path, result["character"], args)
            result["identical"] = identical(result)
            report["sizes"][label] = result
            path.unlink()
            print(table(label, result, stores) + "\n", flush=True)
    if args.cold_start_runs:
        report["cold_start"] = cold_start(args.cold_start_runs)
        print(cold_start_line(report["cold_start"]))
    report["total_s"] = time.perf_counter() - started
    print(f"== total {show_time(report['total_s'])}; figures written to {args.out}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2) + "\n"
    temporary = args.out.with_name(f".{args.out.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, args.out)
    return 0 if all(r["identical"] for r in report["sizes"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
