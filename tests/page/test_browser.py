"""The HTML page in a real browser (Chromium driven by Playwright): what a reader sees and does.

The browser is ``$HER_GRAPH_CHROMIUM``, else ``/usr/bin/chromium`` (Debian's, which CI
installs), else Playwright's own. These tests never skip: without a browser they fail and say
how to install one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import graph
from graph.generate import generate_story
from graph.page.html import write_html
from graph.page.model import page_model
from tests.browser_fixtures import WatchedPage
from tests.html_fixtures import HOSTILE_DESCRIPTION, HOSTILE_NAME, HOSTILE_QUOTE, hostile_graph

H = "https://w3id.org/her-graph/her/"
@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    kg = graph.load()
    built = {view: write_html(kg, folder / f"{view}.html", view=view)
             for view in ("story", "influence", "relationships", "timeline", "full")}
    hostile = hostile_graph(folder)
    built["hostile"] = write_html(hostile, folder / "hostile.html")
    for view in ("influence", "relationships", "timeline", "full"):
        built[f"hostile-{view}"] = write_html(hostile, folder / f"hostile-{view}.html", view=view)
    return built


class Opened(WatchedPage):
    """A page opened from disk, with what it logged and requested."""

    def __init__(self, browser: Any, path: Path, *, timeout_ms: int = 60_000):
        super().__init__(browser, width=1400, height=900)
        self.page.goto(path.as_uri(), wait_until="commit")
        self.page.wait_for_selector("body[data-ready=true]", state="attached",
                                    timeout=timeout_ms)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def remote(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(("file:", "data:"))]

    def screen_point(self, node_id: str) -> tuple[float, float]:
        return tuple(self.js("""(id) => {
            const p = herGraph.network.getPositions([id])[id];
            const d = herGraph.network.canvasToDOM(p);
            const r = document.getElementById('graph').getBoundingClientRect();
            return [d.x + r.left, d.y + r.top]; }""", node_id))

    def hover(self, x: float, y: float) -> str:
        self.page.mouse.move(x - 40, y - 40)
        self.page.mouse.move(x, y, steps=4)
        tooltip = self.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5000)
        return tooltip.inner_text()


@pytest.fixture
def story(browser: Any, pages: dict[str, Path]) -> Iterator[Opened]:
    opened = Opened(browser, pages["story"])
    yield opened
    opened.page.close()


@pytest.mark.parametrize("view", ["story", "influence", "relationships", "timeline", "full"])
def test_page_loads_offline_without_errors(browser: Any, pages: dict[str, Path], view: str,
                                           tmp_path: Path) -> None:
    opened = Opened(browser, pages[view])
    assert opened.errors() == []
    assert opened.remote() == []
    counts = opened.js("[network.body.data.nodes.length, network.body.data.edges.length]")
    if view == "story":
        model = page_model(graph.load())
        assert counts == [len(model.nodes), len(model.edges)] and counts[0] == 51
    else:
        g = graph.load().to_networkx(view)
        assert counts == [g.number_of_nodes(), g.number_of_edges()]
    assert opened.js("herGraph.network.physics.options.enabled") is False  # settled and stopped
    opened.page.screenshot(path=str(tmp_path / f"{view}.png"))
    opened.page.close()


def test_hovering_a_character_shows_its_description_and_quote(story: Opened,
                                                               tmp_path: Path) -> None:
    text = story.hover(*story.screen_point(H + "Samantha"))
    assert text.startswith("Samantha\nAI CHARACTER")
    assert "Theodore's operating system, with whom he has a virtual romance" in text
    assert "“a quality that Samantha ultimately lacked because she isn’t a human being”" in text
    assert "Voiced by" in text and "Scarlett Johansson" in text
    assert "Quoted from Her Ending Explained" in text
    story.page.screenshot(path=str(tmp_path / "hover-samantha.png"))


def test_hovering_an_influence_link_shows_how_and_evidence(story: Opened) -> None:
    # Another link may cross this one at its middle: hover along it until the tooltip is its own.
    for along in (0.5, 0.35, 0.65, 0.2, 0.8):
        point = story.js(f"""() => {{
            const edge = herGraph.data.edges.find(e => e.kind === 'influence'
                && e.from.endsWith('/Catherine'));
            const p = herGraph.network.body.edges[edge.id].edgeType.getPoint({along});
            const d = herGraph.network.canvasToDOM(p);
            const r = document.getElementById('graph').getBoundingClientRect();
            return [d.x + r.left, d.y + r.top]; }}""")
        text = story.hover(*point)
        if text.startswith("Catherine → Theodore"):
            break
    assert text.startswith("Catherine → Theodore")
    assert "helped make him who he is" in text
    assert "“I’ll always love you ‘cause we grew up together" in text


def test_legend_names_every_type_with_its_count(story: Opened) -> None:
    legend = story.page.locator("#legend")
    assert legend.is_visible()
    rows = story.page.locator("#legend-nodes li").all_inner_texts()
    assert rows[:2] == ["Human character\n3", "AI character\n2"]
    text = legend.inner_text()
    for name in ("Group of characters\n3", "Actor\n4", "Event (in story order)\n14",
                 "Theme\n24", "Influence (who shaped whom)\n10", "Relationship\n8"):
        assert name in text
    assert story.page.locator("#legend-nodes svg.swatch").count() == len(rows)


def test_type_filter_hides_those_nodes_and_their_links(story: Opened, tmp_path: Path) -> None:
    story.page.get_by_label("Theme", exact=True).uncheck()
    hidden = story.js("""() => {
        const themes = herGraph.data.nodes.filter(n => n.type === 'theme').map(n => n.id);
        const body = herGraph.network.body;
        return {
          themes: themes.length,
          themesHidden: themes.filter(id => body.nodes[id].options.hidden).length,
          othersHidden: herGraph.data.nodes.filter(n => n.type !== 'theme'
              && body.nodes[n.id].options.hidden).length,
          themeLinksShown: herGraph.data.edges.filter(e => themes.includes(e.to)
              && !body.edges[e.id].options.hidden).length,
          otherLinksHidden: herGraph.data.edges.filter(e => !themes.includes(e.to)
              && !themes.includes(e.from) && body.edges[e.id].options.hidden).length }; }""")
    assert hidden == {"themes": 24, "themesHidden": 24, "othersHidden": 0, "themeLinksShown": 0,
                      "otherLinksHidden": 0}
    story.page.screenshot(path=str(tmp_path / "without-themes.png"))
    story.page.get_by_label("Theme", exact=True).check()
    assert story.js("herGraph.nodes.get({filter: n => n.hidden}).length") == 0
    story.page.get_by_label("Takes part in", exact=True).uncheck()
    takes_part = len(graph.load().query("SELECT * WHERE { ?event sem:hasActor ?who }"))
    assert story.js("herGraph.edges.get({filter: e => e.hidden}).length") == takes_part == 24
    assert story.js("herGraph.nodes.get({filter: n => n.hidden}).length") == 0


def test_search_finds_and_focuses_a_node(story: Opened) -> None:
    story.page.fill("#search", "samantha")
    assert "match" in story.page.inner_text("#search-status")
    story.page.press("#search", "Enter")
    assert story.js("herGraph.network.getSelectedNodes()") == [H + "Samantha"]
    details = story.page.locator("#details")
    details.wait_for(state="visible")
    assert details.inner_text().startswith("×\nSamantha") or "Samantha" in details.inner_text()
    story.page.fill("#search", "no such thing at all")
    assert story.page.inner_text("#search-status") == "No node matches"


def test_hostile_text_shows_as_text_and_runs_nothing(browser: Any, pages: dict[str, Path],
                                                     tmp_path: Path) -> None:
    opened = Opened(browser, pages["hostile"])
    eve = "https://example.org/hostile/eve"
    text = opened.hover(*opened.screen_point(eve))
    assert text.startswith(HOSTILE_NAME)
    assert HOSTILE_DESCRIPTION in text
    # innerText shows the line separator as a line break; the rest arrives verbatim.
    assert HOSTILE_QUOTE.replace("\u2028", "\n") in text.replace("\u2028", "\n")
    opened.page.fill("#search", "eve &")
    opened.page.press("#search", "Enter")
    assert HOSTILE_NAME in opened.page.inner_text("#details")
    assert opened.js("typeof window.__pwned") == "undefined"
    assert opened.dialogs == []
    assert opened.js("document.querySelectorAll('img, iframe, a, b, svg:not(.swatch)').length") == 0
    assert opened.js("document.querySelectorAll('script').length") == 3
    assert "Hostile & Co" in opened.page.inner_text("h1")
    assert opened.errors() == [] and opened.remote() == []
    opened.page.screenshot(path=str(tmp_path / "hostile.png"))
    opened.page.close()


def test_same_input_same_drawing_and_it_stays_still(browser: Any,
                                                    pages: dict[str, Path]) -> None:
    first, second = (Opened(browser, pages["story"]) for _ in range(2))
    positions = first.js("herGraph.network.getPositions()")
    assert positions == second.js("herGraph.network.getPositions()")
    first.page.wait_for_timeout(1000)
    assert first.js("herGraph.network.getPositions()") == positions  # no jiggle
    first.page.close()
    second.page.close()


def test_everything_is_in_view_at_a_readable_zoom(story: Opened) -> None:
    outside = story.js("""() => {
        const r = document.getElementById('graph').getBoundingClientRect();
        const n = herGraph.network;
        return Object.entries(n.getPositions()).filter(([id, p]) => {
            const d = n.canvasToDOM(p);
            return d.x < 0 || d.y < 0 || d.x > r.width || d.y > r.height; }).map(e => e[0]); }""")
    assert outside == []
    assert story.js("herGraph.network.getScale()") > 0.4


@pytest.mark.slow
def test_a_5000_node_page_settles_in_bounded_time(browser: Any, tmp_path: Path) -> None:
    kg = generate_story(characters=1640, seed=11).load()
    path = write_html(kg, tmp_path / "large.html")
    opened = Opened(browser, path, timeout_ms=180_000)
    nodes, edges = opened.js("[network.body.data.nodes.length, network.body.data.edges.length]")
    assert nodes >= 5000 and edges > nodes
    # Drawn where the designed layout put it: no physics runs, so the page is ready at once.
    assert opened.js("herGraph.iterations") == 0
    assert opened.js("herGraph.network.physics.options.enabled") is False
    assert opened.js("""() => { const p = herGraph.network.getPositions();
        return herGraph.data.nodes.every(n => p[n.id].x === n.x && p[n.id].y === n.y); }""")
    assert opened.errors() == [] and opened.remote() == []
    opened.page.screenshot(path=str(tmp_path / "large.png"))
    opened.page.close()


def test_clicking_a_node_keeps_its_details_and_dims_the_rest(story: Opened) -> None:
    story.page.mouse.click(*story.screen_point(H + "Catherine"))
    details = story.page.locator("#details")
    details.wait_for(state="visible")
    assert "Theodore's former wife" in details.inner_text()
    assert "influenced → Theodore" in details.inner_text()
    opacity = story.js("""() => Object.fromEntries(herGraph.nodes.get().map(
        n => [n.id.split('/').pop(), n.opacity]))""")
    assert opacity["Catherine"] == opacity["Theodore"] == opacity["RooneyMara"] == 1
    assert opacity["Samantha"] < 1 and opacity["theme-love"] < 1
    story.page.keyboard.press("Escape")
    details.wait_for(state="hidden")
    assert story.js("herGraph.nodes.get().every(n => n.opacity === 1)")


@pytest.mark.parametrize("view", ["influence", "relationships", "timeline", "full"])
def test_hostile_text_runs_nothing_on_any_page(browser: Any, pages: dict[str, Path],
                                               view: str) -> None:
    opened = Opened(browser, pages[f"hostile-{view}"])
    opened.js("herGraph.data.nodeTypes.forEach(t => herGraph.setTypeVisible(t.type, true))")
    for node in opened.js("herGraph.data.nodes.map(n => n.id)"):
        opened.js("(id) => herGraph.focus(id)", node)
    assert opened.js("typeof window.__pwned") == "undefined" and opened.dialogs == []
    assert opened.js("document.querySelectorAll('img, iframe, a, b, style').length") == 1
    assert opened.errors() == [] and opened.remote() == []
    opened.page.close()


def test_million_character_texts_are_clipped_where_shown(browser: Any, tmp_path: Path) -> None:
    from tests.hostile_helpers import long_label_story

    page = write_html(graph.load(long_label_story(tmp_path)), tmp_path / "long.html")
    opened = Opened(browser, page, timeout_ms=120_000)
    node = opened.js("herGraph.data.nodes.reduce((a, n) => n.name.length > a.name.length "
                     "? n : a).id")
    assert opened.js("(id) => herGraph.data.nodes.find(n => n.id === id).name.length",
                     node) > 1_000_000  # the full text is in the page's data
    tooltip = opened.js("(id) => herGraph.nodes.get(id).title.textContent", node)
    assert "more characters)" in tooltip and len(tooltip) < 3000
    opened.js("(id) => herGraph.focus(id)", node)
    details = opened.page.inner_text("#details")
    assert "more characters)" in details and len(details) < 30_000
    # A word of a million letters wraps inside the panel instead of running out of it.
    assert opened.js("(() => { const d = document.getElementById('details'); "
                     "return d.scrollWidth <= d.clientWidth; })()")
    assert len(opened.page.inner_text("h1")) < 1000
    assert opened.errors() == [] and opened.remote() == []
    opened.page.close()
