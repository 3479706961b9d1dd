"""Influence analysis: the answers a film scholar asks of Her, with their quotes, and SPARQL and
NetworkX agreeing on every question both can answer."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.analysis.influence import (
    influence_between,
    influence_paths,
    mutual_influences,
    rank_influence,
    who_influenced,
    whom_influenced,
)
from graph.errors import AnalysisError, UnknownNameError
from graph.generate import generate_story
from graph.sparql.values import IRI

H = "https://w3id.org/her-graph/her/"


@pytest.fixture(scope="module")
def story() -> graph.KnowledgeGraph:
    """A generated story with chains, mutual pairs and groups (see graph.generate)."""
    return generate_story(characters=60, seed=3).load()


@pytest.fixture(scope="module")
def article(seeds: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir()))


# ---------------------------------------------------------------------------------------------
# The Her graph: the answers agree with the source, and each carries its quote


def test_who_influenced_theodore_as_the_article_says(her: graph.KnowledgeGraph) -> None:
    answers = her.influence.who_influenced("Theodore")
    assert [(a.label, a.type, a.depth) for a in answers] == [
        ("Amy", "human_character", 1), ("Catherine", "human_character", 1),
        ("Samantha", "ai_character", 1), ("the operating systems", "group", 1)]
    samantha = answers[2]
    assert samantha.party == H + "Samantha"
    assert samantha.quote == "Theodore’s Letter To Catherine Shows How Samantha Changed Him"
    hop = samantha.path.hops[0]
    assert hop.event_labels[0] == "Theodore forges a connection with Samantha"
    assert "what he learned" in hop.how
    catherine = answers[1].path.hops[0]
    assert "we grew up together, and you helped make me who I am" in " ".join(catherine.evidence)
    assert "Catherine" in catherine.quote and "Theodore" in catherine.quote


def test_samantha_learned_from_the_humans_she_talked_with(her: graph.KnowledgeGraph) -> None:
    answers = {a.label: a for a in her.influence.who_influenced("samantha")}
    assert set(answers) == {"Theodore", "the 8,316 other people"}
    assert answers["the 8,316 other people"].type == "group"
    learned = ("Once Samantha has learned all that she can from these humans, including "
               "Theodore, she soon outgrows her need for a relationship with them.")
    # The quote naming both Samantha and Theodore is the most telling for Theodore's influence.
    assert answers["Theodore"].quote == learned
    assert learned in answers["the 8,316 other people"].path.hops[0].evidence


def test_theodore_and_amy_share_an_experience(her: graph.KnowledgeGraph) -> None:
    g = her.to_networkx("relationships")
    shared = [d for d in g.get_edge_data(H + "Theodore", H + "Amy").values()
              if d["kind"] == "shared experience"]
    assert len(shared) == 1
    assert shared[0]["quote"] == ("Theodore escapes his break with reality and forges a mutual "
                                  "connection with Amy over their shared experience.")


def test_every_answer_quotes_the_source_verbatim(her: graph.KnowledgeGraph, article: str) -> None:
    influence = her.influence
    hops = [hop for name in ("Theodore", "Samantha")
            for answer in influence.who_influenced(name, depth=None)
            for hop in answer.path.hops]
    assert len(hops) >= 5
    for hop in hops:
        assert hop.quote and hop.quote == hop.evidence[0]
        for quote in hop.evidence:
            assert quote in article, quote


def test_transitive_influence_with_depth(her: graph.KnowledgeGraph) -> None:
    influence = her.influence
    assert [a.label for a in influence.who_influenced("Samantha", depth=1)] == [
        "the 8,316 other people", "Theodore"]
    reached = influence.who_influenced("Samantha", depth=None)
    catherine = next(a for a in reached if a.label == "Catherine")
    assert catherine.depth == 2 and not catherine.direct
    assert catherine.path.labels == ("Catherine", "Theodore", "Samantha")
    assert all(hop.quote for hop in catherine.path.hops)
    # Samantha's influence returns to her through Theodore, but she is never her own answer.
    assert "Samantha" not in [a.label for a in reached]
    assert [a.label for a in influence.whom_influenced("Catherine", depth=None)] == [
        "Theodore", "Amy", "Samantha"]
    assert influence.who_influenced("Samantha", depth=3) == reached
    # Amy's operating system reaches Samantha only in three steps: OS → Amy → Theodore → Samantha.
    assert "Amy's operating system" not in [a.label for a in influence.who_influenced(
        "Samantha", depth=2)]


def test_paths_carry_the_evidence_of_each_hop(her: graph.KnowledgeGraph) -> None:
    paths = her.influence.influence_paths("Catherine", "Samantha")
    assert len(paths) == 1
    (path,) = paths
    assert path.labels == ("Catherine", "Theodore", "Samantha") and len(path) == 2
    rows = path.to_rows()
    assert [r["step"] for r in rows] == [1, 2]
    assert rows[1]["quote"].startswith("Once Samantha has learned all")
    assert "Catherine → Theodore → Samantha" in str(paths)
    assert her.influence.influence_paths("Catherine", "Samantha", max_hops=1) == []
    assert her.influence.influence_paths("Amy's operating system", "Catherine", max_hops=1) == []


def test_mutual_influence(her: graph.KnowledgeGraph) -> None:
    pairs = her.influence.mutual_influences()
    assert [(p.a_label, p.b_label) for p in pairs] == [
        ("Amy", "Theodore"), ("Catherine", "Theodore"), ("Samantha", "Theodore")]
    pair = pairs[2]
    assert "Samantha Changed Him" in pair.a_to_b.quote
    assert "including Theodore" in pair.b_to_a.quote


def test_influence_between(her: graph.KnowledgeGraph) -> None:
    hop = her.influence.influence_between("Samantha", "Theodore")
    assert hop.influencer == H + "Samantha" and len(hop.evidence) == 6
    with pytest.raises(AnalysisError, match="Catherine did not influence Samantha directly"):
        her.influence.influence_between("Catherine", "Samantha")
    with pytest.raises(AnalysisError, match="Amy did not influence Samantha directly"):
        her.influence.influence_between("amy", "Samantha")


def test_ranking(her: graph.KnowledgeGraph) -> None:
    influence = her.influence
    by_in = influence.rank_influence(by="in_degree")
    assert [(r.rank, r.label, r.in_degree) for r in by_in][:4] == [
        (1, "Theodore", 4), (2, "Amy", 3), (3, "Samantha", 2), (4, "Catherine", 1)]
    # Theodore is shaped by four parties and shapes three: PageRank puts him first, then the
    # operating systems, whose withdrawal moves both Theodore and Amy. No tie across the board.
    by_pagerank = influence.rank_influence()
    assert [r.label for r in by_pagerank][:2] == ["Theodore", "the operating systems"]
    assert len({r.rank for r in by_pagerank}) > 1
    assert sum(r.pagerank for r in by_pagerank) == pytest.approx(1)
    assert "the 8,316 other people" in [r.label for r in by_pagerank]
    assert "the 8,316 other people" not in [
        r.label for r in influence.rank_influence(groups=False)]


def test_pagerank_is_networkx_pagerank_of_the_reversed_graph(story: graph.KnowledgeGraph
                                                             ) -> None:
    pytest.importorskip("scipy")
    g = story.to_networkx("influence")
    expected = nx.pagerank(g.reverse(), alpha=0.85, tol=1e-12, max_iter=1000)
    ranking = rank_influence(g)
    assert {r.party: r.pagerank for r in ranking} == pytest.approx(expected, abs=1e-7)
    scores = [r.pagerank for r in ranking]
    assert scores == sorted(scores, reverse=True)
    by_out = rank_influence(g, by="out_degree")
    assert by_out[0].out_degree == max(d for _, d in g.out_degree)


# ---------------------------------------------------------------------------------------------
# Results: readable, convertible, escaped


def test_results_print_and_convert(her: graph.KnowledgeGraph) -> None:
    answers = her.influence.who_influenced("Theodore")
    text = str(answers)
    assert text.startswith("Who influenced Theodore (direct):")
    assert "“Theodore’s Letter To Catherine Shows How Samantha Changed Him”" in text
    rows = answers.to_rows()
    assert rows.columns == ["party", "label", "type", "depth", "path", "how", "quote"]
    assert rows[0]["party"] == IRI(H + "Amy") and isinstance(rows[0]["party"], IRI)
    assert "her:Catherine" in repr(rows)
    assert "none" in str(her.influence.who_influenced("Amy's operating system"))
    assert her.influence.rank_influence().to_rows().columns[:3] == ["rank", "party", "label"]
    assert her.influence.mutual_influences().to_rows()[0]["a_label"] == "Amy"


def test_html_is_escaped() -> None:
    g = nx.DiGraph()
    g.add_node("a", label="<script>alert(1)</script>")
    g.add_edge("a", "b", quote="<b>bold</b>")
    page = who_influenced(g, "b")._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>bold" not in page


# ---------------------------------------------------------------------------------------------
# Bad input: clear errors


def test_unknown_names_and_bad_options(her: graph.KnowledgeGraph) -> None:
    with pytest.raises(UnknownNameError, match="no character named 'Theo'"):
        her.influence.who_influenced("Theo")
    with pytest.raises(AnalysisError, match="depth must be a whole number of 1 or more"):
        her.influence.who_influenced("Theodore", depth=0)
    with pytest.raises(AnalysisError, match="depth must be"):
        her.influence.who_influenced("Amy", depth=-1)
    with pytest.raises(AnalysisError, match="cannot rank by 'fame'; rank by one of pagerank"):
        her.influence.rank_influence(by="fame")
    with pytest.raises(AnalysisError, match="alpha must be"):
        her.influence.rank_influence(alpha=1.5)
    g = her.to_networkx("influence")
    with pytest.raises(AnalysisError, match="'Theodore' is not a node of this influence graph"):
        who_influenced(g, "Theodore")
    with pytest.raises(nx.NetworkXNotImplemented):
        who_influenced(g.to_undirected(), H + "Theodore")
    with pytest.raises(AnalysisError, match="max_hops"):
        influence_paths(g, H + "Catherine", H + "Samantha", max_hops=0)


def test_functions_work_on_any_digraph() -> None:
    g = nx.DiGraph([(1, 2), (2, 3), (3, 1), (4, 3)])
    assert [(r.party, r.depth) for r in who_influenced(g, 1, depth=None)] == [
        (3, 1), (2, 2), (4, 2)]
    assert [p.nodes for p in influence_paths(g, 4, 2)] == [(4, 3, 1, 2)]
    assert mutual_influences(g) == []
    assert influence_between(g, 4, 3).quote == ""
    assert whom_influenced(g, 4, depth=1)[0].party == 3


# ---------------------------------------------------------------------------------------------
# SPARQL and NetworkX agree

_TRANSITIVE_INFLUENCERS = """
SELECT DISTINCT ?x WHERE { ?c prov:wasInfluencedBy+ ?x . FILTER (?x != ?c) }"""
_TRANSITIVE_INFLUENCEES = """
SELECT DISTINCT ?x WHERE { ?x prov:wasInfluencedBy+ ?c . FILTER (?x != ?c) }"""
_WITHIN_TWO = """
SELECT DISTINCT ?x WHERE {
    { ?c prov:wasInfluencedBy ?x } UNION { ?c prov:wasInfluencedBy/prov:wasInfluencedBy ?x }
    FILTER (?x != ?c)
}"""
_MUTUAL = """
SELECT ?a ?b WHERE {
    ?a prov:wasInfluencedBy ?b . ?b prov:wasInfluencedBy ?a . FILTER (STR(?a) < STR(?b))
}"""
_OUT_DEGREE = """
SELECT ?x (COUNT(DISTINCT ?y) AS ?n) WHERE { ?y prov:wasInfluencedBy ?x } GROUP BY ?x"""


def _parties(results: list) -> set[str]:  # type: ignore[type-arg]
    return {str(r.party) for r in results}


@pytest.mark.parametrize("which", ["her", "story"])
def test_sparql_and_networkx_agree(which: str, her: graph.KnowledgeGraph,
                                   story: graph.KnowledgeGraph) -> None:
    kg = her if which == "her" else story
    g = kg.to_networkx("influence")
    characters = {str(kg.resolve(name)) for name in kg.names("character")}
    assert set(g) <= characters
    deep = 0
    for node in sorted(characters):
        iri = IRI(node)
        sparql_in = {str(r["influencer"]) for r in kg.run("influencers_of", character=iri)}
        sparql_out = {str(r["influenced"]) for r in kg.run("influencees_of", character=iri)}
        if node not in g:
            assert not sparql_in and not sparql_out
            continue
        assert _parties(who_influenced(g, node)) == sparql_in
        assert _parties(whom_influenced(g, node)) == sparql_out
        everyone_in = _parties(who_influenced(g, node, depth=None))
        assert everyone_in == {str(r["x"]) for r in kg.query(_TRANSITIVE_INFLUENCERS, c=iri)}
        assert _parties(whom_influenced(g, node, depth=None)) == {
            str(r["x"]) for r in kg.query(_TRANSITIVE_INFLUENCEES, c=iri)}
        assert _parties(who_influenced(g, node, depth=2)) == {
            str(r["x"]) for r in kg.query(_WITHIN_TWO, c=iri)}
        deep += len(everyone_in) > len(sparql_in)
    assert deep > 0, "no chain of two influences or more to compare"
    mutual = {frozenset((str(p.a), str(p.b))) for p in mutual_influences(g)}
    sparql_mutual = {frozenset((str(r["a"]), str(r["b"]))) for r in kg.query(_MUTUAL)}
    assert mutual == sparql_mutual and mutual
    out_degree = {str(r.party): r.out_degree for r in rank_influence(g) if r.out_degree}
    assert out_degree == {str(r["x"]): r["n"] for r in kg.query(_OUT_DEGREE)}


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_the_analysis_is_kept_until_the_graph_changes(store: str) -> None:
    kg = graph.load(store=store)
    first = kg.influence
    assert kg.influence is first
    kg.update("INSERT DATA { her:Amy prov:wasInfluencedBy her:Theodore }")
    assert kg.influence is not first
    assert "Theodore" in [r.label for r in kg.influence.who_influenced("Amy")]


def test_a_change_through_rdf_also_drops_the_kept_analysis() -> None:
    kg = graph.load()
    first = kg.influence
    kg.rdf.remove((None, None, None))
    assert kg.influence is not first
