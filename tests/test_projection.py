"""NetworkX projections: the four views, typed and labelled, and a lossless full view."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import graph
from graph.errors import HerGraphError
from graph.generate import generate_story
from graph.projection import VIEWS, to_rdf

H = "https://w3id.org/her-graph/her/"


def test_influence_view(her: graph.KnowledgeGraph) -> None:
    g = her.to_networkx("influence")
    assert isinstance(g, nx.DiGraph)
    assert set(g.predecessors(H + "Theodore")) == {H + "Samantha", H + "Catherine"}
    assert g.nodes[H + "Samantha"] == {"label": "Samantha", "type": "ai_character"}
    edge = g.edges[H + "Catherine", H + "Theodore"]
    assert "helped make him who he is" in edge["how"]
    assert edge["events"][0] == H + "event-fight"
    assert edge["event"] == "Catherine condemns Theodore for loving a machine"
    assert edge["quote"] in edge["evidence"] and len(edge["evidence"]) == 3


def test_relationships_view(her: graph.KnowledgeGraph) -> None:
    g = her.to_networkx("relationships")
    assert isinstance(g, nx.MultiGraph)
    kinds = {d["kind"] for d in g.get_edge_data(H + "Theodore", H + "Catherine").values()}
    assert kinds == {"marriage", "grew up together", "romance"}
    shared = g.edges[H + "Theodore", H + "Amy", H + "rel-theodore-amy-shared-experience"]
    assert shared["kind"] == "shared experience" and shared["evidence"]


def test_timeline_view(her: graph.KnowledgeGraph) -> None:
    g = her.to_networkx("timeline")
    path = nx.dag_longest_path(g)
    assert [g.nodes[n]["position"] for n in path] == list(range(1, 15))
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


def test_full_view_round_trips_blank_nodes_and_literals(tmp_path) -> None:  # type: ignore[no-untyped-def]
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
    g = story.load().to_networkx(view)
    assert g.number_of_nodes() > 0
    assert all("label" in d and "type" in d for _, d in g.nodes(data=True))


def test_unknown_view(her: graph.KnowledgeGraph) -> None:
    with pytest.raises(HerGraphError, match="unknown view 'social'; views: influence"):
        her.to_networkx("social")
