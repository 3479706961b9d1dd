"""``kg.to_pyvis()``: a real pyvis ``Network`` that renders, through pyvis, the offline page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pyvis.network import Network

import graph
from graph.export.registry import export, export_all
from graph.page.html import render_html
from graph.page.model import PAGE_VIEWS
from graph.page.network import render_network, render_page, to_pyvis
from tests.browser_fixtures import WatchedPage

H = "https://w3id.org/her-graph/her/"


@pytest.fixture(scope="module")
def her() -> graph.KnowledgeGraph:
    return graph.load()


def _data(page: str) -> dict[str, Any]:
    body = page.split('<script type="application/json" id="her-graph-data">', 1)[1]
    return json.loads(body.split("</script>", 1)[0])


def test_to_pyvis_returns_a_network_holding_the_view(her: graph.KnowledgeGraph) -> None:
    net = her.to_pyvis(view="story")
    assert isinstance(net, Network) and net.directed
    assert net.node_ids == sorted(net.node_ids) == [n["id"] for n in net.nodes]
    samantha = net.get_node(H + "Samantha")
    assert samantha["shape"] == "diamond" and samantha["color"]["background"] == "#e0457b"
    assert samantha["size"] > 26 and samantha["group"] == "ai_character"
    assert samantha["title"].startswith("Samantha\nAI character\n")  # plain text
    assert "<" not in samantha["title"] and isinstance(samantha["x"], int)
    influence = next(e for e in net.edges if e["kind"] == "influence")
    assert influence["arrows"] == "to" and influence["label"] == "influenced"
    assert all(e["label"] for e in net.edges)
    assert net.options.layout["randomSeed"] == 20131218
    assert H + "Theodore" in net.neighbors(H + "Samantha")


@pytest.mark.parametrize("view", PAGE_VIEWS)
def test_the_build_renders_through_pyvis(her: graph.KnowledgeGraph, view: str,
                                         tmp_path: Path) -> None:
    page = render_network(to_pyvis(her, view=view))
    assert page == render_html(her, view=view) == render_page(her, view=view)
    if view == "story":
        assert export(her, tmp_path / "her.html").read_text(encoding="utf-8") == page
    data = _data(page)
    assert [n["id"] for n in data["nodes"]] == [n["id"] for n in to_pyvis(her, view=view).nodes]


def test_every_page_the_build_writes_is_rendered_by_pyvis(
        her: graph.KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a copy of pyvis's render path: each page ``her-graph build`` writes is the output of
    ``Network.generate_html`` itself."""
    rendered: list[str] = []
    generate_html = Network.generate_html

    def spy(self: Network, *args: Any, **kwargs: Any) -> str:
        rendered.append(generate_html(self, *args, **kwargs))
        return rendered[-1]

    monkeypatch.setattr(Network, "generate_html", spy)
    pages = [path for path in export_all(her, tmp_path) if path.suffix == ".html"]
    assert len(pages) == len(PAGE_VIEWS)
    assert sorted(path.read_text(encoding="utf-8") for path in pages) == sorted(rendered)


def test_pyvis_methods_work_and_the_page_stays_offline_and_escaped(
        her: graph.KnowledgeGraph, browser: Any, tmp_path: Path) -> None:
    net = her.to_pyvis(view="influence", interaction={"navigationButtons": False})
    net.toggle_physics(False)
    net.set_edge_smooth("curvedCW")
    net.show_buttons(filter_=["physics"])
    net.add_node("new", label="<img src=x onerror=alert(1)>", title="see href=javascript:x",
                 shape="star", color="#123456")
    net.add_edge("new", H + "Amy", label="added", title="<b>bold</b>")
    path = tmp_path / "mine.html"
    net.save_graph(str(path))
    page = path.read_text(encoding="utf-8")
    head = page.split("<script")[0]
    assert "https://" not in head and "Content-Security-Policy" in head
    assert "<img" not in page.split('id="her-graph-data">')[0]
    data = _data(page)
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["configure"]["enabled"] is True
    assert data["options"]["edges"]["smooth"]["type"] == "curvedCW"
    opened = WatchedPage(browser, width=1200, height=800)
    opened.page.goto(path.as_uri(), wait_until="commit")
    opened.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    assert opened.page.evaluate("herGraph.nodes.get('new').label") == \
        "<img src=x onerror=alert(1)>"
    assert opened.page.evaluate("herGraph.nodes.get('new').shape") == "star"
    # (vis-network's configurator writes its own <b> labels inside #config; none from the data)
    assert opened.page.evaluate(
        "[...document.querySelectorAll('img, b')].filter(e => !e.closest('#config')).length") == 0
    assert opened.page.locator("#config .vis-configuration-wrapper").count() == 1
    opened.page.fill("#search", "<img")
    opened.page.press("#search", "Enter")
    assert "<img src=x" in opened.page.inner_text("#details")
    assert opened.errors() == [] and opened.dialogs == []
    assert [u for u in opened.requests if not u.startswith(("file:", "data:"))] == []
    opened.page.close()


def test_to_pyvis_takes_vis_options_and_a_title(her: graph.KnowledgeGraph) -> None:
    net = to_pyvis(her, view="timeline", title="<Mine>", physics={"enabled": False},
                   interaction={"zoomSpeed": 1})
    assert net.options.physics.enabled is False and net.options.interaction.zoomSpeed == 1
    assert net.options.interaction.hover is True  # the page's other options stay
    page = render_network(net)
    assert "<h1>&lt;Mine&gt; " in page and re.search(r"<title>&lt;Mine&gt;", page)


def test_showing_in_a_notebook_does_not_need_pyvis(her: graph.KnowledgeGraph) -> None:
    assert her.show(view="timeline").page == render_html(her, view="timeline")
