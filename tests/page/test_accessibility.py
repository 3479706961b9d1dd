"""Every reader: axe-core finds no violation on any page the build writes, and the page works
from the keyboard (Tab to the search, Enter to the node and its details, then its links).

axe-core comes from npm (``tests/axe/package.json``; ``.ci/run`` installs it with
``npm ci --prefix tests/axe``). It is evaluated in the page through the DevTools protocol,
which the page's Content-Security-Policy does not govern.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_fixtures import WatchedPage
from tests.conftest import run_cli

AXE = Path(__file__).resolve().parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["her.html", "her-influence.html", "her-relationships.html", "her-timeline.html",
         "her-full.html"]
H = "https://w3id.org/her-graph/her/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("built")
    run_cli("build", "--out", str(folder), check=True)
    return folder


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed: run `npm ci --prefix tests/axe` ({AXE})")
    return AXE.read_text(encoding="utf-8")


def _open(browser: Any, path: Path, width: int = 1400, height: int = 900) -> WatchedPage:
    opened = WatchedPage(browser, width=width, height=height)
    opened.page.goto(path.as_uri(), wait_until="commit")
    opened.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    return opened


def _violations(page: Any, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => v.id + ' (' + v.impact + '): ' +
            v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')
                .replace(/\\s+/g, ' ')).join(' | ')); }""")
    return list(found)


def test_the_build_writes_these_pages(built: Path) -> None:
    assert sorted(p.name for p in built.glob("*.html")) == sorted(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation(browser: Any, built: Path, axe_source: str, name: str) -> None:
    opened = _open(browser, built / name)
    assert _violations(opened.page, axe_source) == []
    # With details open and a tooltip shown, too.
    opened.page.evaluate("herGraph.focus(herGraph.data.nodes[0].id)")
    opened.page.locator("#details").wait_for(state="visible")
    assert _violations(opened.page, axe_source) == []
    opened.page.close()


@pytest.mark.parametrize("size", [(390, 844), (760, 1024)])
def test_axe_finds_no_violation_on_narrow_screens(browser: Any, built: Path, axe_source: str,
                                                  size: tuple[int, int]) -> None:
    opened = _open(browser, built / "her.html", *size)
    assert _violations(opened.page, axe_source) == []
    opened.page.click("button.panel-toggle")  # the panel open, too
    assert opened.page.locator("#panel").is_visible()
    assert _violations(opened.page, axe_source) == []
    opened.page.close()


@pytest.fixture
def story(browser: Any, built: Path) -> Iterator[WatchedPage]:
    opened = _open(browser, built / "her.html")
    yield opened
    opened.page.close()


def test_keyboard_search_enter_details_and_links(story: WatchedPage) -> None:
    page = story.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type("catherine")
    page.keyboard.press("Enter")
    assert page.evaluate("herGraph.network.getSelectedNodes()") == [H + "Catherine"]
    details = page.locator("#details")
    details.wait_for(state="visible")
    assert "Theodore's former wife" in details.inner_text()
    # The details' links come next, before any legend checkbox.
    reached = []
    for _ in range(4):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "[document.activeElement.tagName, document.activeElement.closest('#details') !== null,"
            " document.activeElement.textContent]"))
    assert all(inside for _, inside, _ in reached), reached
    assert any("→" in text or "—" in text for _, _, text in reached)
    # Enter on a link goes to that node.
    page.keyboard.press("Enter")
    selected = page.evaluate("herGraph.network.getSelectedNodes()")
    assert selected and selected != [H + "Catherine"]
    page.keyboard.press("Escape")
    details.wait_for(state="hidden")
