"""Measure one store on one generated graph, in a process of its own; print the figures as JSON.

Run by ``benchmarks/run.py`` (one process per store and size, so that peak memory is the
store's own). By hand::

    python benchmarks/measure.py --store oxigraph --file story.nt --character IRI
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The three representative queries: a lookup, a 2-hop influence join, an aggregate.
LOOKUP = "influencers_of"  # a named query, with ?character bound
TWO_HOP = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
SELECT ?source ?via ?target ?source_name ?target_name WHERE {
    ?via prov:wasInfluencedBy ?source .
    ?target prov:wasInfluencedBy ?via .
    FILTER (?source != ?target)
    OPTIONAL { ?source schema:name ?source_name }
    OPTIONAL { ?target schema:name ?target_name }
}"""
AGGREGATE = "themes_by_act"  # GROUP BY act and theme, COUNT(DISTINCT ?event)


def _rss_now() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _digest(rows: Any) -> str:
    """A fingerprint of a result that does not depend on row order (to compare stores)."""
    lines = sorted(json.dumps({k: str(v) for k, v in row.items()}, sort_keys=True)
                   for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def timed(run: Callable[[], Any], *, repeat: int, slow: float = 2.0) -> tuple[float, Any, int]:
    """Run once; if that was quick, run ``repeat`` more times and take the median of those."""
    started = time.perf_counter()
    result = run()
    first = time.perf_counter() - started
    if first >= slow or repeat <= 0:
        return first, result, 1
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result, repeat


def measure(store: str, file: Path, character: str, *, repeat: int, html_max: int,
            full_max: int, endpoint: str | None) -> dict[str, Any]:
    started = time.perf_counter()
    import graph
    from graph.sparql.values import IRI

    figures: dict[str, Any] = {}
    baseline = _rss_now()
    options: dict[str, Any] = {"endpoint": endpoint} if store == "sparql" else {}
    started = time.perf_counter()
    kg = graph.load(file, store=store, **options)
    figures["load_s"] = time.perf_counter() - started
    figures["triples"] = len(kg)
    figures["loaded_rss_bytes"] = max(0, _rss_now() - baseline)  # what the loaded graph takes

    lookup = kg.queries[LOOKUP]
    queries = {
        "lookup": (lambda: lookup.normalize(kg.query(lookup.text, character=IRI(character))),
                   repeat * 4),
        "two_hop": (lambda: kg.query(TWO_HOP), repeat),
        "aggregate": (lambda: kg.run(AGGREGATE), repeat),
    }
    for name, (run, times) in queries.items():
        seconds, rows, runs = timed(run, repeat=times)
        figures[f"{name}_s"] = seconds
        figures[f"{name}_rows"] = len(rows)
        figures[f"{name}_runs"] = runs
        figures[f"{name}_digest"] = _digest(rows)

    seconds, projected, _ = timed(lambda: kg.to_networkx("influence"), repeat=0)
    figures["projection_s"] = seconds
    figures["projection_size"] = [projected.number_of_nodes(), projected.number_of_edges()]
    del projected
    if figures["triples"] <= full_max:
        seconds, projected, _ = timed(lambda: kg.to_networkx("full"), repeat=0)
        figures["projection_full_s"] = seconds
        figures["projection_full_size"] = [projected.number_of_nodes(),
                                           projected.number_of_edges()]
        del projected

    figures["html"] = _html(kg, html_max, figures)
    figures["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if store == "oxigraph":  # last, so that its bulk loader's buffers stay out of the peak
        _persisted(file, figures)
    figures["baseline_rss_bytes"] = baseline
    return figures


def _html(kg: Any, html_max: int, figures: dict[str, Any]) -> str:
    try:
        from graph.page.html import render_html
    except ImportError:
        return "not available (graph.page.html is not in this checkout)"
    if figures["triples"] > html_max:
        return f"skipped (over {html_max:,} triples)"
    seconds, page, _ = timed(lambda: render_html(kg), repeat=0)
    figures["html_s"] = seconds
    figures["html_bytes"] = len(page.encode("utf-8"))
    return "measured"


def _persisted(file: Path, figures: dict[str, Any]) -> None:
    """The Oxigraph store persisted in a folder: load into it, then reopen it (no parsing)."""
    import graph

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store"
        started = time.perf_counter()
        kg = graph.load(file, store="oxigraph", path=path)
        figures["load_persisted_s"] = time.perf_counter() - started
        kg.backend.close()
        del kg
        started = time.perf_counter()
        reopened = graph.load(store="oxigraph", path=path)
        size = len(reopened)
        figures["reopen_s"] = time.perf_counter() - started
        assert size == figures["triples"], "the reopened store lost triples"
        del reopened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--file", required=True, type=Path)
    parser.add_argument("--character", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--html-max", type=int, default=200_000)
    parser.add_argument("--full-max", type=int, default=200_000)
    args = parser.parse_args()
    server = None
    endpoint = None
    if args.store == "sparql":
        from graph.stores.server import OxigraphServer

        server = OxigraphServer(in_memory=True).start()
        endpoint = server.url
    try:
        figures = measure(args.store, args.file, args.character, repeat=args.repeat,
                          html_max=args.html_max, full_max=args.full_max, endpoint=endpoint)
        if server is not None:
            figures["server_peak_rss_bytes"] = server.peak_memory()
    finally:
        if server is not None:
            server.stop()
    json.dump(figures, sys.stdout)


if __name__ == "__main__":
    main()
