"""``kg.show()`` in a real browser: the iframe draws the graph offline and cannot reach out.

A host page stands in for the notebook: it holds the HTML a notebook displays for
``kg.show()`` (the sandboxed ``<iframe srcdoc=...>``) and the summary ``kg`` displays.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import graph
from graph.page.model import page_model
from tests.browser_fixtures import WatchedPage
from tests.html_fixtures import HOSTILE_NAME, hostile_graph


class Host(WatchedPage):
    """A notebook-like host page with inline graphs, opened in Chromium."""

    def __init__(self, chromium: Any, path: Path, frames: int):
        super().__init__(chromium, width=1200, height=900)
        self.page.goto(path.as_uri())
        self.frames = [f for f in self.page.frames if f != self.page.main_frame]
        assert len(self.frames) == frames
        for frame in self.frames:
            frame.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)


def _host(folder: Path, name: str, *parts: str) -> Path:
    path = folder / f"{name}.html"
    path.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>notebook</title>"
                    "</head><body><h1 id='cell'>A notebook</h1>" + "".join(parts)
                    + "</body></html>", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def her_host(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    kg = graph.load()
    path = _host(tmp_path_factory.mktemp("host"), "her", kg._repr_html_(),
                 kg.show(height=640)._repr_html_(),
                 kg.show(view="influence", height=400)._repr_html_())
    host = Host(browser, path, frames=2)
    yield host
    host.page.close()


def test_the_inline_graph_draws_offline(her_host: Host, tmp_path: Path) -> None:
    story, influence = her_host.frames
    kg = graph.load()
    model = page_model(kg)
    counts = story.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
    assert counts == [len(model.nodes), len(model.edges)]
    g = kg.to_networkx("influence")
    assert influence.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]"
                              ) == [g.number_of_nodes(), g.number_of_edges()]
    # Drawn: the canvas has its size and vis-network placed every node in view.
    width, height = story.evaluate("(() => { const c = document.querySelector('#graph canvas');"
                                   " return [c.width, c.height]; })()")
    assert width > 300 and height > 300
    assert her_host.page.locator("iframe").first.bounding_box()["height"] == pytest.approx(640,
                                                                                         abs=2)
    assert her_host.requests == [her_host.page.url]  # the host itself, nothing else
    assert her_host.errors() == []
    her_host.page.screenshot(path=str(tmp_path / "notebook.png"), full_page=True)


def test_the_inline_graph_cannot_reach_the_notebook(her_host: Host) -> None:
    frame = her_host.frames[0]
    assert frame.evaluate("origin") == "null"  # an opaque origin: the sandbox has no same-origin
    reached = frame.evaluate("""(() => {
        try { return window.parent.document.getElementById('cell').textContent; }
        catch (error) { return 'blocked: ' + error.name; } })()""")
    assert reached == "blocked: SecurityError"
    stored = frame.evaluate("""(() => { try { localStorage.setItem('x', '1'); return 'stored'; }
                                        catch (error) { return 'blocked'; } })()""")
    assert stored == "blocked"
    assert her_host.page.evaluate("document.getElementById('cell').textContent") == "A notebook"


def test_the_summary_shows_in_the_host(her_host: Host) -> None:
    text = her_host.page.locator("body").inner_text()
    assert "Counts by type" in text and "Most influential (PageRank)" in text


def test_hostile_labels_stay_text_in_the_inline_graph(browser: Any, tmp_path: Path) -> None:
    kg = hostile_graph(tmp_path)
    path = _host(tmp_path, "hostile", kg._repr_html_(), kg.show(title=HOSTILE_NAME)._repr_html_())
    host = Host(browser, path, frames=1)
    try:
        frame = host.frames[0]
        assert host.page.evaluate("window.__pwned") is None
        assert frame.evaluate("window.__pwned") is None
        assert host.dialogs == [] and host.errors() == []
        assert frame.evaluate("document.querySelector('h1').textContent").startswith(HOSTILE_NAME)
        assert HOSTILE_NAME in frame.evaluate("herGraph.data.nodes.map(n => n.name)")
        frame.fill("#search", "eve &")  # find the node: its details show the name as text
        frame.press("#search", "Enter")
        assert HOSTILE_NAME in frame.inner_text("#details")
        assert frame.evaluate("typeof window.__pwned") == "undefined"
        assert host.page.evaluate("document.querySelectorAll('script, img, svg, iframe').length"
                                  ) == 1  # only the inline graph's iframe
        assert host.requests == [host.page.url]
    finally:
        host.page.close()
