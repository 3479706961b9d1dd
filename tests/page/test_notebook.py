"""Notebook display: the inline graph's iframe, and the summary of a graph, escaped and right."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

import graph
from graph.errors import HerGraphError
from graph.page.html import render_html
from graph.page.notebook import summary_html
from tests.html_fixtures import HOSTILE_NAME, HOSTILE_TEXTS, hostile_graph


class Tags(HTMLParser):
    """Every start tag with its (decoded) attributes, and the text between tags."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> graph.KnowledgeGraph:
    return hostile_graph(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("view", ["story", "influence", "full"])
def test_the_iframe_holds_the_whole_page_and_nothing_else(hostile: graph.KnowledgeGraph,
                                                          view: str) -> None:
    inline = hostile.show(view=view, height=420)
    markup = inline._repr_html_()
    parsed = Tags(markup)
    assert [tag for tag, _ in parsed.tags] == ["iframe"]  # no text can open a tag outside it
    attrs = parsed.tags[0][1]
    assert attrs["srcdoc"] == render_html(hostile, view=view) == inline.page
    # Scripts run and the search form answers Enter, in an opaque origin (no same-origin).
    assert attrs["sandbox"] == "allow-scripts allow-forms"
    assert attrs["height"] == "420"
    assert "".join(parsed.text) == ""
    for text in HOSTILE_TEXTS:  # the page holds the hostile texts, escaped for the attribute
        assert text not in markup
    assert "<" not in markup.split("srcdoc=", 1)[1].split('" title=', 1)[0]


def test_the_iframe_title_is_escaped(hostile: graph.KnowledgeGraph) -> None:
    inline = hostile.show(title=HOSTILE_NAME)
    attrs = Tags(inline.iframe()).tags[0][1]
    assert attrs["title"] is not None and attrs["title"].startswith(HOSTILE_NAME)


def test_show_checks_its_arguments(her: graph.KnowledgeGraph) -> None:
    with pytest.raises(HerGraphError, match="height"):
        her.show(height=10)
    with pytest.raises(HerGraphError, match="height"):
        her.show(height="600px")  # type: ignore[arg-type]
    with pytest.raises(HerGraphError, match="view"):
        her.show(view="cubist")


def test_show_describes_itself_and_saves(her: graph.KnowledgeGraph, tmp_path: Path) -> None:
    inline = her.show(view="timeline")
    g = her.to_networkx("timeline")
    assert repr(inline) == (f"<InlineGraph: timeline view of Her (2013), "
                            f"{g.number_of_nodes()} nodes, {g.number_of_edges()} links>")
    saved = inline.save(tmp_path / "timeline.html")
    assert saved.read_text(encoding="utf-8") == inline.page
    assert inline.title.startswith("Her (2013)") and inline.nodes == g.number_of_nodes()


def test_importing_the_package_does_not_import_ipython() -> None:
    import subprocess
    import sys

    code = ("import sys, graph; kg = graph.load(); kg.show()._repr_html_(); kg._repr_html_(); "
            "print(sorted(m for m in ('IPython', 'pyvis', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_summary_counts_by_type_and_ranks(her: graph.KnowledgeGraph) -> None:
    page = summary_html(her)
    cells = [c.strip() for c in Tags(page).text if c.strip()]
    counts = her.counts()

    def after(label: str) -> str:
        return cells[cells.index(label) + 1]

    assert after("events") == str(counts["events"])
    assert after("themes") == str(counts["themes"])
    assert after("influences") == str(counts["influences"])
    assert after("triples") == f"{len(her):,}"
    humans = her.query("SELECT (COUNT(?c) AS ?n) WHERE { ?c a hg:HumanCharacter }")[0]["n"]
    assert after("human characters") == str(humans)
    top = her.influence.rank_influence()[0]
    assert "Most influential (PageRank)" in cells
    assert top.label in cells and f"{top.pagerank:.3f}" in cells
    assert her._repr_html_() == page


def test_summary_escapes_every_text(hostile: graph.KnowledgeGraph) -> None:
    page = summary_html(hostile)
    parsed = Tags(page)
    assert {tag for tag, _ in parsed.tags} <= {"div", "p", "b", "table", "caption", "thead",
                                               "tbody", "tr", "th", "td"}
    assert HOSTILE_NAME in parsed.text  # shown as text, whole


def test_summary_of_a_graph_without_influence(tmp_path: Path) -> None:
    story = tmp_path / "quiet.ttl"
    story.write_text("@prefix hg: <https://w3id.org/her-graph/ontology#> .\n"
                     "@prefix schema: <https://schema.org/> .\n"
                     "<https://example.org/a> a hg:HumanCharacter ; schema:name \"A\" .\n",
                     encoding="utf-8")
    page = summary_html(graph.load(story))
    assert "Most influential" not in page and "quiet.ttl" in page


def test_an_evidence_report_shows_what_is_missing(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("<b>nothing</b> of the article", encoding="utf-8")
    report = graph.load().check_evidence(source)
    page = report._repr_html_()
    parsed = Tags(page)
    assert {tag for tag, _ in parsed.tags} <= {"p", "b", "table", "thead", "tbody", "tr", "th",
                                               "td"}
    assert [tag for tag, _ in parsed.tags].count("td") == 2 * len(report.missing) > 0
    assert "Theodore" in "".join(parsed.text)
