"""Readable links: the labels of links drawn on the shipped pages do not overlap, and parallel
links (between the same two nodes) are bent apart until their labels are clear of each other.

The boxes are vis-network's own (its label module's text size, centred on the point the label is
drawn at), in canvas coordinates, so they do not depend on the zoom.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser_fixtures import WatchedPage
from tests.conftest import run_cli

PAGES = ["her.html", "her-influence.html", "her-relationships.html", "her-timeline.html",
         "her-full.html"]
H = "https://w3id.org/her-graph/her/"

BOXES = """(drawnOnly) => {
    const n = herGraph.network, boxes = [];
    for (const [id, e] of Object.entries(n.body.edges)) {
        if (!e.options.label || e.options.hidden || !e.connected) { continue; }
        if (drawnOnly && !e.labelModule.visible()) { continue; }
        boxes.push(Object.assign({id: id, from: e.fromId, to: e.toId, label: e.options.label},
                                 herGraph.labelBox(id)));
    }
    return boxes; }"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("built")
    run_cli("build", "--out", str(folder), check=True)
    return folder


def _overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (a["left"] < b["left"] + b["width"] and b["left"] < a["left"] + a["width"]
                    and a["top"] < b["top"] + b["height"] and b["top"] < a["top"] + a["height"]):
                found.append((f"{a['label']} {a['from']}-{a['to']}",
                              f"{b['label']} {b['from']}-{b['to']}"))
    return found


@pytest.mark.parametrize("name", PAGES)
def test_no_two_link_labels_overlap(browser: Any, built: Path, name: str) -> None:
    opened = WatchedPage(browser, width=1400, height=900)
    opened.page.goto((built / name).as_uri(), wait_until="commit")
    opened.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    opened.page.evaluate("herGraph.network.redraw()")
    # The labels drawn at the opening view.
    assert _overlapping(opened.page.evaluate(BOXES, True)) == []
    # Labels of parallel links, at any zoom.
    everything = opened.page.evaluate(BOXES, False)
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for box in everything:
        groups.setdefault(frozenset((box["from"], box["to"])), []).append(box)
    parallel = [group for group in groups.values() if len(group) > 1]
    for group in parallel:
        assert _overlapping(group) == [], name
    if name == "her.html":
        pair = groups[frozenset((H + "Catherine", H + "Theodore"))]
        assert sorted(box["label"] for box in pair) == ["grew up together", "influenced",
                                                         "influenced", "marriage"]
    assert opened.errors() == []
    opened.page.close()
