"""How long the HTML export takes, and how long the page takes to settle in a browser.

For the Her graph and generated stories of growing size, times (best of ``--repeat`` runs):

- ``turtle``: the Turtle export of the same graph, the baseline measured in the same run;
- ``html``: ``render_html`` (page model, layout, JSON, template), and its ratio to ``turtle``;
- with ``--browser``: seconds until the page in headless Chromium has settled (physics done).

Run from the repository root (takes a few minutes with the largest size):

    python benchmarks/bench_html.py                  # Her, ~500, ~2,000 and ~5,000 nodes
    python benchmarks/bench_html.py --browser        # also time the page in Chromium
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import graph
from graph.export import render
from graph.generate import generate_story
from graph.page.html import render_html
from graph.page.model import page_model

SIZES = {"her": None, "~500 nodes": 160, "~2,000 nodes": 650, "~5,000 nodes": 1640}


def _best(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def _settle_seconds(page: str) -> float:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("HER_GRAPH_CHROMIUM") or (
        "/usr/bin/chromium" if os.path.isfile("/usr/bin/chromium") else None)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        browser = p.chromium.launch(args=["--headless", "--no-sandbox", "--disable-gpu"],
                                    **({"executable_path": executable} if executable else {}))
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        tab.goto(path.as_uri(), wait_until="commit")
        tab.wait_for_selector("body[data-ready=true]", state="attached", timeout=600_000)
        seconds = time.perf_counter() - start
        browser.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the HTML export.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time the page settling")
    parser.add_argument("--sizes", nargs="*", choices=list(SIZES), default=list(SIZES))
    args = parser.parse_args(argv)
    header = (f"{'graph':<14} {'nodes':>6} {'links':>7} {'triples':>8} {'turtle s':>9} "
              f"{'html s':>7} {'ratio':>6} {'MB':>6}" + (f" {'settle s':>9}" if args.browser
                                                         else ""))
    print(header)
    print("-" * len(header))
    for name in args.sizes:
        characters = SIZES[name]
        kg = graph.load() if characters is None else generate_story(
            characters=characters, seed=1).load()
        model = page_model(kg)
        turtle = _best(lambda kg=kg: render(kg, "ttl"), args.repeat)
        html = _best(lambda kg=kg: render_html(kg), args.repeat)
        page = render_html(kg)
        line = (f"{name:<14} {len(model.nodes):>6,} {len(model.edges):>7,} {len(kg):>8,} "
                f"{turtle:>9.2f} {html:>7.2f} {html / turtle:>6.2f} "
                f"{len(page.encode()) / 1e6:>6.1f}")
        if args.browser:
            line += f" {_settle_seconds(page):>9.1f}"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
