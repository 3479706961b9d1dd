"""Screenshot the real interactive page for the README: docs/her-graph.png (and a tooltip).

Opens ``exports/her.html`` (what `her-graph build` wrote) in headless Chromium, waits for the
layout to settle, and saves the page as a reader first sees it; with the tooltip of a hovered
character too. Run from the repository root after `her-graph build`:

    python scripts/screenshot.py            # docs/her-graph.png, docs/her-graph-tooltip.png
    python scripts/screenshot.py --phone    # docs/her-graph-phone.png (390x844, touch)
    python scripts/screenshot.py --story-step 11 --hover "" --out docs/her-graph-slider.png

The browser is $HER_GRAPH_CHROMIUM, /usr/bin/chromium, or Playwright's own.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--font-render-hinting=none"]


def _executable() -> str | None:
    for candidate in (os.environ.get("HER_GRAPH_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


def screenshot(page_path: Path, out: Path, *, hover: str | None, width: int,
               height: int, phone: bool = False, story_step: int | None = None) -> list[Path]:
    """Save the settled page to ``out`` and, with ``hover``, the page with that node's tooltip;
    with ``story_step``, first move the story-time slider to that step (0 = the first event)."""
    written = []
    with sync_playwright() as p:
        executable = _executable()
        browser = p.chromium.launch(args=ARGS, **({"executable_path": executable}
                                                  if executable else {}))
        page = browser.new_page(viewport={"width": width, "height": height},
                                device_scale_factor=1,
                                **({"is_mobile": True, "has_touch": True} if phone else {}))
        page.goto(page_path.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
        page.wait_for_timeout(300)
        if story_step is not None:
            page.evaluate("(step) => herGraph.storyTime(step)", story_step)
            page.wait_for_timeout(300)
        page.screenshot(path=str(out))
        written.append(out)
        if hover:
            node = page.evaluate("(name) => { const n = herGraph.data.nodes.find("
                                 "x => x.name === name); return n && n.id; }", hover)
            if node is None:
                raise SystemExit(f"no node named {hover!r} in {page_path}")
            x, y = page.evaluate("""(id) => {
                const p = herGraph.network.getPositions([id])[id];
                const d = herGraph.network.canvasToDOM(p);
                const r = document.getElementById('graph').getBoundingClientRect();
                return [d.x + r.left, d.y + r.top]; }""", node)
            page.mouse.move(x - 30, y - 30)
            page.mouse.move(x, y, steps=4)
            page.locator("div.vis-tooltip").wait_for(state="visible")
            tooltip = out.with_name(out.stem + "-tooltip" + out.suffix)
            page.screenshot(path=str(tooltip))
            written.append(tooltip)
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=ROOT / "exports" / "her.html")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "her-graph.png")
    parser.add_argument("--hover", default="Samantha",
                        help="name of a node whose tooltip to capture too ('' for none)")
    parser.add_argument("--size", default="1400x900", help="viewport WIDTHxHEIGHT")
    parser.add_argument("--phone", action="store_true",
                        help="a phone (390x844, mobile emulation) into docs/her-graph-phone.png")
    parser.add_argument("--story-step", type=int, default=None,
                        help="move the story-time slider to this step first (0 = first event)")
    args = parser.parse_args(argv)
    if args.phone:
        args.size, args.hover = "390x844", ""
        if args.out == ROOT / "docs" / "her-graph.png":
            args.out = ROOT / "docs" / "her-graph-phone.png"
    if not args.page.is_file():
        print(f"{args.page}: not found; run `her-graph build` first", file=sys.stderr)
        return 1
    width, height = (int(v) for v in args.size.lower().split("x"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for path in screenshot(args.page, args.out, hover=args.hover or None, width=width,
                           height=height, phone=args.phone, story_step=args.story_step):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
