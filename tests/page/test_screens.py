"""The page on phones and tablets (Chromium's mobile emulation): a graph box of fixed size that
is painted, a panel that folds away and opens on demand, touch that pans and pinch-zooms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import graph
from graph.page.html import write_html

SCREENS = {"phone": (390, 844), "tablet": (760, 1024)}


@pytest.fixture(scope="module")
def story_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(graph.load(), tmp_path_factory.mktemp("screens") / "her.html")


@pytest.fixture(params=sorted(SCREENS))
def mobile(request: pytest.FixtureRequest, browser: Any, story_page: Path) -> Iterator[Any]:
    width, height = SCREENS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(story_page.as_uri(), wait_until="commit")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    page.errors = errors
    yield page
    context.close()


def _box_height(page: Any) -> float:
    return float(page.evaluate("document.getElementById('graph').getBoundingClientRect().height"))


def _painted(page: Any) -> int:
    """How many of the canvas's pixels are not the background."""
    return int(page.evaluate("""() => {
        const c = document.querySelector('#graph canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0) { n++; } }
        return n; }"""))


def test_the_graph_draws_in_a_box_of_fixed_size(mobile: Any, tmp_path: Path) -> None:
    width = mobile.viewport_size["width"]
    first = _box_height(mobile)
    assert 250 <= first <= mobile.viewport_size["height"]
    assert mobile.evaluate("document.getElementById('graph').getBoundingClientRect().width") \
        <= width
    mobile.wait_for_timeout(3000)
    assert _box_height(mobile) == first  # the box does not grow
    assert _painted(mobile) > 1000  # nodes and links are drawn, not a blank box
    assert mobile.evaluate("herGraph.network.body.data.nodes.length") == 51
    mobile.screenshot(path=str(tmp_path / f"phone-{width}.png"))
    assert mobile.errors == []


def test_the_panel_folds_away_and_opens_on_demand(mobile: Any) -> None:
    panel = mobile.locator("#panel")
    toggle = mobile.locator("button.panel-toggle")
    assert not panel.is_visible() and toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.tap()
    assert panel.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert mobile.evaluate("document.activeElement.id") == "search"
    height = _box_height(mobile)
    mobile.fill("#search", "samantha")
    mobile.press("#search", "Enter")
    mobile.locator("#details").wait_for(state="visible")
    toggle.tap()
    assert not panel.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert _box_height(mobile) == height


def _touch(cdp: Any, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send("Input.dispatchTouchEvent", {
        "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in
                                      enumerate(points)]})


def test_touch_pans_and_pinch_zooms(mobile: Any) -> None:
    cdp = mobile.context.new_cdp_session(mobile)
    box = mobile.evaluate("""(() => { const r = document.getElementById('graph')
        .getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()""")
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    before = mobile.evaluate("herGraph.network.getViewPosition()")
    _touch(cdp, "touchStart", [(cx, cy)])
    for step in range(1, 11):
        _touch(cdp, "touchMove", [(cx + 8 * step, cy + 5 * step)])
    _touch(cdp, "touchEnd", [])
    after = mobile.evaluate("herGraph.network.getViewPosition()")
    assert abs(after["x"] - before["x"]) + abs(after["y"] - before["y"]) > 20
    scale = mobile.evaluate("herGraph.network.getScale()")
    _touch(cdp, "touchStart", [(cx - 20, cy), (cx + 20, cy)])
    for step in range(1, 11):
        _touch(cdp, "touchMove", [(cx - 20 - 8 * step, cy), (cx + 20 + 8 * step, cy)])
    _touch(cdp, "touchEnd", [])
    assert mobile.evaluate("herGraph.network.getScale()") > scale * 1.3
    assert mobile.evaluate("window.scrollY") == 0  # the page did not scroll instead
