"""The story-time slider: at each point the page shows exactly what kg.at(point) holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import graph
from graph.page.model import page_model
from graph.page.story_slider import story_steps

from .test_browser import Opened

GULL = Path(__file__).parents[2] / "examples" / "data" / "gull-rock.ttl"
POINTS = [1, 2, 4, 9, 12, 14]  # 9: the heart-expands scene, unordered with most of the story


@pytest.fixture(scope="module")
def her():
    return graph.load()


@pytest.fixture(scope="module")
def written(her, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("slider")
    paths = {view: her.to_html(folder / f"her-{view}.html", view=view)
             for view in ("story", "influence", "relationships")}
    paths["gull"] = graph.load(GULL).to_html(folder / "gull.html", view="relationships")
    return paths


def _shown(page: Opened) -> tuple[set[str], set[str]]:
    nodes = page.js("() => herGraph.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    edges = page.js("() => herGraph.edges.get({filter: e => !e.hidden}).map(e => e.id)")
    return set(nodes), set(edges)


def _expected(page: Opened, state: Any) -> tuple[set[str], set[str]]:
    """What the page should show at ``state``, worked out from kg.at alone."""
    page_nodes = page.js("() => herGraph.data.nodes.map(n => n.id)")
    page_edges = page.js("() => herGraph.data.edges")
    nodes = set(state.nodes) & set(page_nodes)
    influences = {(i.influencer, i.influenced) for i in state.influences}
    relationships = {(r.label, frozenset(r.parties)) for r in state.relationships}
    edges = set()
    for edge in page_edges:
        ends = (edge["from"], edge["to"])
        if not set(ends) <= nodes:
            continue
        kind = edge["kind"]
        if ((kind == "influence" and ends in influences)
                or (kind == "relationship" and (edge["description"].split("\n")[0],
                                                frozenset(ends)) in relationships)
                or (kind == "sequence" and state.holds(ends[0]) and state.holds(ends[1]))
                or (kind == "participation" and state.holds(ends[1]))):
            edges.add(edge["id"])
    return nodes, edges


@pytest.mark.parametrize("view", ["story", "influence", "relationships"])
def test_the_page_shows_what_kg_at_holds(browser: Any, written, her, view):
    page = Opened(browser, written[view])
    try:
        model_ids = page.js("() => herGraph.data.nodes.map(n => n.id)")
        steps = page.js("() => herGraph.data.storyTime.steps.length")
        assert steps == 14
        # The slider starts on the whole story: everything shows.
        assert len(_shown(page)[0]) == len(model_ids)
        for position in POINTS:
            state = her.at(position)
            index = [s.point for s in her.timeline()].index(state.point)
            page.js("(i) => herGraph.storyTime(i)", index)
            shown = _shown(page)
            assert shown == _expected(page, state), position
            assert shown[0] == set(state.nodes) & set(model_ids)
            label = page.js("() => document.getElementById('story-time-label').textContent")
            assert label.endswith(state.label)
        assert page.errors() == [] and page.remote() == []
    finally:
        page.page.close()


def test_arrow_keys_move_the_slider_and_the_stage_changes(browser: Any, written, her):
    page = Opened(browser, written["relationships"])
    try:
        slider = page.page.locator("#story-time-slider")
        slider.focus()
        page.page.keyboard.press("Home")
        assert page.js("() => document.body.getAttribute('data-story-step')") == "0"
        for _ in range(3):
            page.page.keyboard.press("ArrowRight")
        assert page.js("() => document.body.getAttribute('data-story-step')") == "3"
        state = list(her.timeline())[3]  # the fight: the romance's turning point
        romance = page.js("""() => {
            const d = herGraph.data.edges.find(e => e.kind === 'relationship' &&
                e.description.includes("virtual romance"));
            return herGraph.edges.get(d.id).label; }""")
        assert romance.endswith("turning point"), romance
        assert "Theodore questions" in state.label or state.position == 4
        page.page.keyboard.press("End")
        assert page.js("() => document.getElementById('story-time-label').textContent"
                       ).startswith("The whole story")
    finally:
        page.page.close()


def test_gull_rock_has_a_slider_too(browser: Any, written):
    gull = graph.load(GULL)
    page = Opened(browser, written["gull"])
    try:
        for index, state in enumerate(gull.timeline()):
            page.js("(i) => herGraph.storyTime(i)", index)
            assert _shown(page) == _expected(page, state)
        page.js("(i) => herGraph.storyTime(i)", 0)
        shown = page.js("() => herGraph.edges.get({filter: e => !e.hidden}).map("
                        "e => herGraph.data.edges.find(d => d.id === e.id).description)")
        assert not any(text.startswith("Mara's trust in Wren") for text in shown)
    finally:
        page.page.close()


def test_steps_are_deterministic_and_absent_from_the_full_view(her):
    model = page_model(her, view="influence")
    assert story_steps(her, model) == story_steps(her, model)
    assert story_steps(her, page_model(her, view="full")) is None
