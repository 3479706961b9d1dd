"""NetworkX projections: the four views, typed and labelled, and a lossless full view."""

from __future__ import annotations

import gc
from pathlib import Path

import networkx as nx
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import graph
from graph.errors import HerGraphError
from graph.generate import generate_story
from graph.views.full import to_rdf
from graph.views.projection import VIEWS

H = "https://w3id.org/her-graph/her/"


def test_influence_view(her: graph.KnowledgeGraph) -> None:
    g = her.to_networkx("influence")
    assert isinstance(g, nx.DiGraph)
    assert set(g.predecessors(H + "Theodore")) == {H + "Samantha", H + "Catherine", H + "Amy",
                                                   H + "operating-systems"}
    assert g.nodes[H + "Samantha"] == {"label": "Samantha", "type": "ai_character"}
    edge = g.edges[H + "Catherine", H + "Theodore"]
    assert "helped make him who he is" in edge["how"]
    assert edge["events"][0] == H + "event-fight"
    assert edge["event"] == ("Catherine condemns Theodore for loving a machine, and he first "
                             "questions it")
    assert edge["event_labels"][-1] == "Theodore writes to Catherine"
    assert edge["quote"] == edge["evidence"][0] and len(edge["evidence"]) == 4
    assert edge["influences"] == (H + "influence-catherine-on-theodore",)


def _named(quote: str, *names: str) -> int:
    # A group's label "the operating systems" is named by "all operating systems" too.
    return sum(name.casefold().removeprefix("the ") in quote.casefold() for name in names)


@pytest.mark.parametrize("which", ["her", "generated"])
def test_the_most_telling_quote_comes_first(which: str, her: graph.KnowledgeGraph) -> None:
    kg = her if which == "her" else generate_story(characters=40, seed=2).load()
    g = kg.to_networkx("influence")
    for u, v, data in g.edges(data=True):
        names = (g.nodes[u]["label"], g.nodes[v]["label"])
        ranks = [(-_named(q, *names), len(q)) for q in data["evidence"]]
        assert ranks == sorted(ranks), (u, v)
        assert data["quote"] == (data["evidence"][0] if data["evidence"] else "")
    samantha = g.edges[H + "Samantha", H + "Theodore"] if which == "her" else None
    if samantha is not None:
        # Five quotes; two name both; the shorter of those two is the most telling.
        assert samantha["quote"] == "Theodore’s Letter To Catherine Shows How Samantha Changed Him"
        assert samantha["evidence"][1].startswith("Catherine and Samantha remain in Theodore")


def test_most_telling_matches_whole_words_and_first_names() -> None:
    from graph.views.labels import most_telling

    quotes = ["Samantha and Theo.", "Theodore Twombly meets Samantha at last.",
              "Theodore’s letter to Samantha."]
    # "Theodore" names Theodore Twombly; "Theo" does not (whole words only).
    assert most_telling(quotes, ["Theodore Twombly", "Samantha"]) == (
        "Theodore’s letter to Samantha.", "Theodore Twombly meets Samantha at last.",
        "Samantha and Theo.")
    assert most_telling(["the 8,316 other people", "others"], ["the 8,316 other people"])[0] == (
        "the 8,316 other people")


def test_a_qualified_influence_alone_is_an_edge_and_literals_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "story.ttl"
    path.write_text("""
        @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix hg: <https://w3id.org/her-graph/ontology#> .
        @prefix schema: <https://schema.org/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://e/b> prov:qualifiedInfluence [ prov:influencer <https://e/a> ;
                                                hg:how "by example" ] ;
            prov:wasInfluencedBy "a rumour" .
        <https://e/a> rdfs:label "Ana"@fr, "Anna"@en, "Anne"@de .
    """, encoding="utf-8")
    g = graph.load(path).to_networkx("influence")
    assert list(g.edges) == [("https://e/a", "https://e/b")]
    assert g.edges["https://e/a", "https://e/b"]["how"] == "by example"
    assert g.nodes["https://e/a"]["label"] == "Anna"
    assert g.nodes["https://e/b"] == {"label": "b", "type": "resource"}


def test_relationships_view(her: graph.KnowledgeGraph) -> None:
    g = her.to_networkx("relationships")
    assert isinstance(g, nx.MultiGraph)
    kinds = {d["kind"] for d in g.get_edge_data(H + "Theodore", H + "Catherine").values()}
    assert kinds == {"marriage", "grew up together"}
    shared = g.edges[H + "Theodore", H + "Amy", H + "rel-theodore-amy-shared-experience"]
    assert shared["kind"] == "shared experience" and shared["evidence"]


def test_timeline_view(her: graph.KnowledgeGraph) -> None:
    g = her.to_networkx("timeline")
    path = nx.dag_longest_path(g)
    # The story order is partial: the heart speech (9) and Amy's loss (11) hang off the main
    # line, which the article orders from the lament to the sunrise.
    assert [g.nodes[n]["position"] for n in path] == [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14]
    assert g.number_of_nodes() == 14
    last = g.nodes[H + "event-sunrise"]
    assert last["act_number"] == 3 and set(last["participant_names"]) == {"Theodore", "Amy"}


def test_full_view_round_trips(her: graph.KnowledgeGraph) -> None:
    g = her.to_networkx("full")
    assert isinstance(g, nx.MultiDiGraph)
    theodore = g.nodes[H + "Theodore"]
    assert theodore["label"] == "Theodore" and theodore["type"] == "human_character"
    assert theodore["https://schema.org/name"] == Literal("Theodore")
    assert not any(isinstance(n, Literal) for n in g.nodes)
    assert isomorphic(to_rdf(g), her.rdf)


def test_full_view_round_trips_a_generated_story() -> None:
    story = generate_story(characters=20, seed=4)
    kg = story.load()
    g = kg.to_networkx("full")
    assert g.number_of_edges() + sum(
        len(v) if isinstance(v, tuple) else 1
        for _, d in g.nodes(data=True) for k, v in d.items() if k not in ("label", "type")
    ) == len(story)
    for node in list(g)[:5]:
        g.nodes[node]["pagerank"] = 0.5  # what an algorithm adds is not RDF: left out
    assert isomorphic(to_rdf(g), story.to_rdflib())


def test_to_rdf_refuses_other_views(her: graph.KnowledgeGraph) -> None:
    with pytest.raises(HerGraphError, match="to_rdf needs the 'full' view"):
        to_rdf(her.to_networkx("influence"))
    g = nx.MultiDiGraph()
    g.add_edge("https://e/a", "https://e/b")
    with pytest.raises(HerGraphError, match="has key 0, not a predicate IRI"):
        to_rdf(g)


@pytest.mark.parametrize("enabled", [True, False])
def test_projections_restore_the_garbage_collector(her: graph.KnowledgeGraph,
                                                   enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        for view in VIEWS:
            her.to_networkx(view)
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_full_view_round_trips_blank_nodes_and_literals(tmp_path: Path) -> None:
    source = Graph()
    b = BNode()
    source.add((URIRef("https://e/a"), URIRef("https://e/p"), b))
    source.add((b, URIRef("https://e/q"), Literal("x", lang="fr")))
    source.add((b, URIRef("https://e/q"), Literal("y")))
    source.add((b, URIRef("https://e/n"), Literal(5)))
    path = tmp_path / "g.ttl"
    path.write_text(source.serialize(format="turtle"))
    kg = graph.load(path)
    assert isomorphic(to_rdf(kg.to_networkx("full")), source)


@pytest.mark.parametrize("view", VIEWS)
def test_views_on_a_generated_graph(view: str) -> None:
    story = generate_story(characters=30, seed=5)
    kg = story.load()
    g = kg.to_networkx(view)
    assert g.number_of_nodes() > 0
    assert all("label" in d and "type" in d for _, d in g.nodes(data=True))
    assert all(not d["label"].startswith("http") for _, d in g.nodes(data=True))
    assert nx.utils.graphs_equal(g, kg.to_networkx(view)), "the same graph gives the same view"
    if view == "influence":
        assert g.number_of_edges() == story.counts["influences"]
        assert {d["type"] for _, d in g.nodes(data=True)} >= {"human_character", "group"}
        assert all(d["quote"] and d["how"] and d["events"] for *_, d in g.edges(data=True))
    if view == "timeline":
        assert [g.nodes[n]["position"] for n in nx.topological_sort(g)] == list(range(1, 61))


def test_unknown_view(her: graph.KnowledgeGraph) -> None:
    with pytest.raises(HerGraphError, match="unknown view 'social'; views: influence"):
        her.to_networkx("social")


def _everything(g: nx.Graph) -> tuple[object, ...]:
    """A view as lists in its own order: graph, nodes and edges with every attribute."""
    edges = g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True)
    return type(g), dict(g.graph), list(g.nodes(data=True)), list(edges)


@pytest.mark.parametrize("which", ["her", "generated"])
def test_one_query_and_pattern_lookups_give_the_same_views(
        which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Oxigraph answers what a view (or story time) reads in one SPARQL query; without that
    # ability (as on the memory store) it reads node by node. Same nodes, attributes, quotes,
    # order and story states.
    from graph.stores.oxigraph_patterns import OxigraphPatterns

    story = None if which == "her" else generate_story(characters=80, seed=7)
    memory = graph.load() if story is None else story.load()
    oxigraph = graph.load(store="oxigraph") if story is None else story.load(store="oxigraph")
    queries: list[str] = []
    read_rows = OxigraphPatterns.read_rows

    def counted(self: OxigraphPatterns, text: str) -> object:
        queries.append(text)
        return read_rows(self, text)

    monkeypatch.setattr(OxigraphPatterns, "read_rows", counted)
    views = ("influence", "relationships", "timeline", "cooccurrence")
    one_query = {view: oxigraph.to_networkx(view) for view in views}
    states = _states(oxigraph)
    assert len(queries) == len(views) + 1
    monkeypatch.delattr(OxigraphPatterns, "read_rows")
    for view, g in one_query.items():
        assert g.number_of_edges() > 0
        assert _everything(g) == _everything(oxigraph.to_networkx(view)), view
        assert _everything(g) == _everything(memory.to_networkx(view)), view
    assert states == _states(oxigraph) == _states(memory)


def _states(kg: graph.KnowledgeGraph) -> list[object]:
    """What story time says at every event (read afresh from the store)."""
    from graph.views.story_time import story_time

    return [(s.point, s.position, s.characters, s.mentioned, s.relationships, s.influences)
            for s in story_time(kg.backend.patterns()).timeline()]


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_views_sharing_one_reader_are_the_views_read_alone(store: str) -> None:
    # A page build reads every view (and story time) through one reader, each node once: what
    # one view read must not leak into another (its nodes, say).
    from graph.views.labels import TermReader
    from graph.views.projection import to_networkx
    from graph.views.story_time import shared_story_time

    kg = generate_story(characters=60, seed=4).load(store=store)
    alone = {view: _everything(kg.to_networkx(view)) for view in VIEWS}
    reader = TermReader.of(kg)
    assert shared_story_time(kg).facts.reader is reader
    for view in reversed(VIEWS):
        assert _everything(to_networkx(kg, view=view, reader=reader)) == alone[view], view
