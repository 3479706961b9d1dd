"""How long the HTML export takes, and how long the page takes to settle in a browser.

For the Her graph and generated stories of growing size, times (best of ``--repeat`` runs):

- ``turtle``: the Turtle export of the same graph, the baseline measured in the same run;
- ``html``: ``render_html`` (page model, layout, JSON, template), and its ratio to ``turtle``,
  as every page of a build after the first runs it (the triple index and story time of the
  graph already read and shared);
- ``first``: the first page of a freshly loaded graph (its load not timed), index and story
  time included, wall-clock and CPU seconds, and its ratio to ``turtle``;
- with ``--browser``: seconds until the page in headless Chromium has settled (physics done),
  and the milliseconds between frames (median and 90th percentile) while a mouse drag pans the
  graph and while the wheel zooms it.

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


def _first(load: Callable[[], graph.KnowledgeGraph], repeat: int) -> tuple[float, float]:
    """Best wall-clock and CPU seconds of the first page of a freshly loaded graph."""
    walls, cpus = [], []
    for _ in range(repeat):
        kg = load()
        start, cpu = time.perf_counter(), time.process_time()
        render_html(kg)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


# One frame loop at a time: a new measurement stops the previous loop.
_FRAMES = """() => { const run = (window.__run || 0) + 1; window.__run = run;
    window.__frames = []; const tick = (t) => { if (window.__run !== run) { return; }
    window.__frames.push(t); requestAnimationFrame(tick); };
    requestAnimationFrame(tick); }"""
_INTERVALS = """() => { const f = window.__frames, d = [];
    for (let i = 1; i < f.length; i++) { d.push(f[i] - f[i - 1]); }
    d.sort((a, b) => a - b); window.__frames = []; window.__run += 1;
    return d.length ? [d[Math.floor(d.length / 2)], d[Math.floor(d.length * 0.9)]] : [0, 0]; }"""


def _browser_figures(page: str) -> dict[str, float]:
    """Seconds until the page has settled; median and 90th-percentile milliseconds between
    frames while a mouse drag pans the graph, and while the wheel zooms it."""
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
        figures = {"settle_s": time.perf_counter() - start}
        box = tab.locator("#graph").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        tab.wait_for_timeout(500)
        tab.evaluate(_FRAMES)
        tab.mouse.move(x, y)
        tab.mouse.down()
        tab.mouse.move(x + 300, y + 150, steps=60)
        tab.mouse.up()
        figures["pan_ms"], figures["pan_p90_ms"] = tab.evaluate(_INTERVALS)
        tab.evaluate(_FRAMES)
        for _ in range(20):
            tab.mouse.wheel(0, -120)
            tab.wait_for_timeout(30)
        figures["zoom_ms"], figures["zoom_p90_ms"] = tab.evaluate(_INTERVALS)
        browser.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the HTML export.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time the page settling")
    parser.add_argument("--sizes", nargs="*", choices=list(SIZES), default=list(SIZES))
    args = parser.parse_args(argv)
    header = (f"{'graph':<14} {'nodes':>6} {'links':>7} {'triples':>8} {'turtle s':>9} "
              f"{'html s':>7} {'ratio':>6} {'first s':>8} {'cpu s':>6} {'ratio':>6} {'MB':>6}" + (
                  f" {'settle s':>9} {'pan ms':>7} {'p90':>5} {'zoom ms':>8} {'p90':>5}"
                  if args.browser else ""))
    print(header)
    print("-" * len(header))
    render_html(graph.load())  # imports and templates: paid once per process, not per page
    for name in args.sizes:
        characters = SIZES[name]
        story = None if characters is None else generate_story(characters=characters, seed=1)
        load = graph.load if story is None else story.load
        first, first_cpu = _first(load, args.repeat)
        kg = load()
        model = page_model(kg)
        turtle = _best(lambda kg=kg: render(kg, "ttl"), args.repeat)
        html = _best(lambda kg=kg: render_html(kg), args.repeat)
        page = render_html(kg)
        line = (f"{name:<14} {len(model.nodes):>6,} {len(model.edges):>7,} {len(kg):>8,} "
                f"{turtle:>9.2f} {html:>7.2f} {html / turtle:>6.2f} {first:>8.2f} "
                f"{first_cpu:>6.2f} {first / turtle:>6.2f} {len(page.encode()) / 1e6:>6.1f}")
        if args.browser:
            f = _browser_figures(page)
            line += (f" {f['settle_s']:>9.1f} {f['pan_ms']:>7.0f} {f['pan_p90_ms']:>5.0f}"
                     f" {f['zoom_ms']:>8.0f} {f['zoom_p90_ms']:>5.0f}")
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
