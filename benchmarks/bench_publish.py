"""Benchmark: publishing a generated 1M-triple graph to Oxigraph and to Virtuoso.

Run from the repository root (a few minutes on a shared 2-core machine; needs the ``oxigraph``
command of the test extra and Debian's ``virtuoso-opensource``):

    python benchmarks/bench_publish.py
    python benchmarks/bench_publish.py --triples 100000 --chunk 25000   # a quicker look

The seeded generator (``graph.generate.generate_story(triples=N, seed=0)``) writes a story as
N-Triples, which is loaded once into an in-process Oxigraph store (``store="oxigraph"``, not
timed). Then, for each server (a local ``oxigraph serve`` with its data in a folder, and a
local Virtuoso 7 with a throwaway database, both started fresh),
``graph.stores.remote.publish`` sends
it three ways, each into a new named graph: in one ``PUT``; with ``staging=True`` (one ``PUT`` to
a temporary graph, its count checked, then ``MOVE``); and in parts of ``--chunk`` triples (which
go through a staging graph too). Every figure is the whole ``publish`` call: the check that the
server answers, writing the N-Triples, the upload, and the count check that follows (the call
fails if the server holds any other number of triples; such a failure is printed and recorded,
not timed). It prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import graph
from graph.errors import StoreError
from graph.generate import generate_story
from graph.stores.remote import publish
from graph.stores.server import OxigraphServer
from graph.stores.virtuoso_server import VirtuosoServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--servers", default="oxigraph,virtuoso")
    parser.add_argument("--ways", default="put,staging,chunks",
                        help="which of the three ways to publish (comma-separated)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds each request may take")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.nt"
        generate_story(triples=options.triples, seed=0).write(path)
        kg = graph.load(path, store="oxigraph")
        size = len(kg)
        print(f"{size:,} triples ({path.stat().st_size / 1e6:.0f} MB of N-Triples)")
        results: dict[str, dict[str, float]] = {}
        failed: dict[str, str] = {}
        for name in options.servers.split(","):
            server: OxigraphServer | VirtuosoServer
            if name == "oxigraph":
                server = OxigraphServer()
                store_url: str | None = None
            else:
                server = VirtuosoServer(buffers=100_000)
            with server:
                if isinstance(server, VirtuosoServer):
                    store_url = server.graph_store_url
                url = server.url
                figures: dict[str, float] = {}
                ways = {"put": ("one PUT", {}), "staging": ("staging", {"staging": True}),
                        "chunks": (f"chunks of {options.chunk:,}", {"chunk": options.chunk})}
                for key in options.ways.split(","):
                    way, extra = ways[key]
                    started = time.perf_counter()
                    try:
                        result = publish(kg, url, graph_iri=f"urn:bench:{key}",
                                         graph_store=store_url, timeout=options.timeout,
                                         **extra)  # type: ignore[arg-type]
                    except StoreError as error:  # the count check caught a partial upload
                        seconds = time.perf_counter() - started
                        failed[f"{name}, {way}"] = f"{error} (after {seconds:.1f} s)"
                        print(f"{name:9} {way:22} FAILED after {seconds:.1f} s: {error}")
                        continue
                    figures[way] = time.perf_counter() - started
                    assert result.triples == size
                    print(f"{name:9} {way:22} {figures[way]:7.1f} s  "
                          f"{size / figures[way]:9,.0f} triples/s")
                peak = server.peak_memory()
                if peak:
                    figures["server peak memory (MiB)"] = peak / 2**20
                    print(f"{name:9} server peak memory       {peak / 2**20:7.0f} MiB")
                results[name] = figures
    print(json.dumps({
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "triples": size, "python": platform.python_version(),
        "pyoxigraph": version("pyoxigraph"), "oxigraph": version("oxigraph"),
        "results": results, "failed": failed}))


if __name__ == "__main__":
    main()
