"""The HTML page without a browser: its bytes are offline, escaped, deterministic and complete."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import graph
from graph.errors import ExportError, HerGraphError
from graph.export import EXPORTERS, export
from graph.generate import generate_story
from graph.page.data import page_data
from graph.page.html import VIEW_PAGES, render_html, write_html
from graph.page.model import PAGE_VIEWS, page_model
from tests.conftest import ROOT, run_cli
from tests.html_fixtures import HOSTILE_TEXTS, hostile_graph

H = "https://w3id.org/her-graph/her/"


class _Page(HTMLParser):
    """The tags, attributes and script bodies of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)


def _data(page: str) -> dict:
    (_attrs, body), = [s for s in _Page(page).scripts if s[0].get("type") == "application/json"]
    return json.loads(body)


@pytest.fixture(scope="module")
def her_page(her: graph.KnowledgeGraph) -> str:
    return render_html(her)


def test_same_graph_same_bytes(her: graph.KnowledgeGraph, her_page: str) -> None:
    assert render_html(her) == her_page
    assert render_html(graph.load()) == her_page


def test_bytes_do_not_depend_on_hash_seed(tmp_path: Path) -> None:
    for seed in ("1", "4242"):
        run_cli("build", "--out", str(tmp_path / seed), env={"PYTHONHASHSEED": seed}, check=True,
                subprocess=True)
    for name in ("her.html", "her-influence.html", "her-relationships.html", "her-timeline.html",
                 "her-full.html"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "4242" / name).read_bytes()


def test_committed_export_is_up_to_date(her_page: str) -> None:
    committed = ROOT / "exports" / "her.html"
    assert committed.read_text(encoding="utf-8") == her_page, (
        "exports/her.html is stale: run `her-graph build` and commit exports/")


def test_page_is_self_contained(her_page: str) -> None:
    page = _Page(her_page)
    loaders = {"link", "img", "iframe", "object", "embed", "audio", "video", "source", "base"}
    assert not [tag for tag, _ in page.tags if tag in loaders]
    assert not [(tag, a) for tag, attrs in page.tags for a in attrs
                if a in ("src", "href", "srcset", "action", "background")]
    css = "".join(body for tag, body in [("style", m) for m in re.findall(
        r"<style>(.*?)</style>", her_page, re.S)])
    assert "@import" not in css and not re.search(r"url\((?!\s*['\"]?data:)", css)
    policy = next(attrs["content"] for tag, attrs in page.tags
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    # The only scripts allowed to run are the two inline ones, by hash.
    for attrs, body in page.scripts:
        if attrs.get("type") != "application/json":
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy
    assert len(page.scripts) == 3


def test_counts_match_the_graph(her: graph.KnowledgeGraph) -> None:
    for view in ("influence", "relationships", "timeline", "full"):
        data = _data(render_html(her, view=view))
        g = her.to_networkx(view)
        assert (len(data["nodes"]), len(data["edges"])) == (g.number_of_nodes(),
                                                           g.number_of_edges()), view
        assert {n["id"] for n in data["nodes"]} == set(g.nodes)


def test_story_page_content(her: graph.KnowledgeGraph, her_page: str) -> None:
    data = _data(her_page)
    nodes = {n["id"]: n for n in data["nodes"]}
    counts = her.counts()
    types = [n["type"] for n in nodes.values()]
    assert types.count("human_character") + types.count("ai_character") == counts["characters"]
    assert types.count("event") == counts["events"] and types.count("theme") == counts["themes"]
    assert {"person", "group"} <= set(types)
    assert not {"quote", "evidence", "theme_attribution"} & set(types), "quotes go in tooltips"
    samantha = nodes[H + "Samantha"]
    assert samantha["type"] == "ai_character" and "operating system" in samantha["description"]
    assert any("isn’t a human being" in q for q in samantha["quotes"])
    assert ["Voiced by", "Scarlett Johansson"] in samantha["facts"]
    assert nodes[H + "event-lament"]["label"].startswith("1. ")
    kinds = {e["kind"] for e in data["edges"]}
    assert {"influence", "relationship", "sequence", "participation", "theme",
            "portrayal"} <= kinds
    legend = [t["type"] for t in data["nodeTypes"]]
    assert legend[:2] == ["human_character", "ai_character"] and set(legend) == set(types)
    assert data["source"] == "Her Ending Explained: Why Samantha Left & What It Means"
    assert "“Her Ending Explained: Why Samantha Left &amp; What It Means”" in her_page


def test_story_edges_match_the_projections(her: graph.KnowledgeGraph) -> None:
    story = page_model(her)

    def pairs(kind: str) -> list[tuple[str, str]]:
        return sorted((e.source, e.target) for e in story.edges if e.kind == kind)

    assert pairs("influence") == sorted(her.to_networkx("influence").edges())
    assert pairs("sequence") == sorted(her.to_networkx("timeline").edges())
    relationships = her.to_networkx("relationships")
    assert sorted(tuple(sorted(p)) for p in pairs("relationship")) == sorted(
        tuple(sorted((a, b))) for a, b in relationships.edges())
    influence = next(e for e in story.edges if e.kind == "influence"
                     and e.source == H + "Catherine")
    assert "helped make him who he is" in influence.description
    assert "Through: Catherine condemns Theodore" in influence.description
    assert len(influence.quotes) == 4


def test_story_edges_match_the_projections_on_a_generated_story() -> None:
    kg = generate_story(characters=30, seed=3).load()
    story = page_model(kg)
    for kind, view in (("influence", "influence"), ("sequence", "timeline")):
        assert sorted((e.source, e.target) for e in story.edges if e.kind == kind) == sorted(
            kg.to_networkx(view).edges()), kind
    assert sum(e.kind == "relationship" for e in story.edges) == kg.to_networkx(
        "relationships").number_of_edges()


def test_hostile_text_is_data_never_markup(tmp_path: Path) -> None:
    kg = hostile_graph(tmp_path)
    for view in PAGE_VIEWS:
        page = render_html(kg, view=view)
        parsed = _Page(page)
        assert len(parsed.scripts) == 3, view  # no script smuggled in
        assert not [t for t, _ in parsed.tags if t in ("img", "iframe", "svg", "a", "b", "style")
                    and t != "style"], view
        assert sum(t == "style" for t, _ in parsed.tags) == 1
        assert page.count("</script") == 3 and "<!-- " not in page.split("<script")[1]
        assert "\u2028" not in page and "\u2029" not in page
        text = json.dumps(_data(page), ensure_ascii=False)
        found = [t for t in HOSTILE_TEXTS if json.dumps(t, ensure_ascii=False)[1:-1] in text]
        assert found, view  # the texts are there, intact, as data
    story = _data(render_html(kg))
    names = {n["name"] for n in story["nodes"]}
    assert {HOSTILE_TEXTS[0], HOSTILE_TEXTS[3], HOSTILE_TEXTS[4]} <= names
    page = render_html(kg)
    assert "&lt;iframe src=&#34;javascript:" in page  # the title, escaped by the template


def test_large_pages_settle_in_bounded_time() -> None:
    kg = generate_story(characters=400, seed=5).load()
    data = page_data(page_model(kg))
    assert len(data["nodes"]) > 1000
    # Laid out in Python: the browser draws it as it is, with no physics to wait for.
    assert data["options"]["physics"] == {"enabled": False}
    assert data["options"]["edges"]["smooth"] is False
    assert not any("dashes" in k["style"] for k in data["edgeKinds"])
    assert all("x" in n for n in data["nodes"])


def test_write_html_and_exporter(her: graph.KnowledgeGraph, her_page: str,
                                 tmp_path: Path) -> None:
    path = her.to_html(tmp_path / "her.html")
    assert path.read_text(encoding="utf-8") == her_page
    assert export(her, tmp_path / "again.html").read_bytes() == path.read_bytes()
    assert "html" in EXPORTERS
    assert write_html(her, tmp_path / "t.html", view="timeline").stat().st_size > 100_000
    with pytest.raises(ExportError, match="does not exist"):
        write_html(her, tmp_path / "missing" / "her.html")
    assert not list((tmp_path).glob(".*.tmp"))


def test_unknown_view(her: graph.KnowledgeGraph) -> None:
    with pytest.raises(HerGraphError, match="unknown view 'nope'; views: story, influence"):
        render_html(her, view="nope")


def test_build_writes_a_page_per_view(tmp_path: Path) -> None:
    result = run_cli("build", "--out", str(tmp_path), check=True)
    for suffix in VIEW_PAGES.values():
        assert (tmp_path / f"her{suffix}.html").is_file()
        assert f"her{suffix}.html" in result.stdout


@pytest.mark.slow
def test_the_wheel_ships_the_templates(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path),
                    str(ROOT)], check=True, capture_output=True, timeout=600)
    (wheel,) = tmp_path.glob("her_graph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"graph/page/templates/page.html", "graph/page/templates/page.js",
            "graph/page/templates/page.css"} <= names
