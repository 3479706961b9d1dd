"""The Her graph says what the article says, as strongly as it says it: epistemic status, roles,
a partial story order, relationship stages, the influence network, and the support check."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

import graph
from graph.check.shapes import count_bases
from graph.check.support import check_support

H = "https://w3id.org/her-graph/her/"
HG = "https://w3id.org/her-graph/ontology#"


def test_every_claim_says_how_the_article_backs_it(her: graph.KnowledgeGraph) -> None:
    report = her.validate()
    assert report.ok and report.violations == []  # no warning either: every claim has a basis
    counts = report.bases
    assert counts["unmarked"] == 0
    assert counts["stated"] > counts["interpreted"] > counts["inferred"] > 0
    assert "claims: " in str(report) and "0 without a basis" in str(report)


def test_inferred_claims_say_why(her: graph.KnowledgeGraph) -> None:
    rows = her.run("claims_by_basis", basis="inferred")
    assert rows and all(r["note"] for r in rows)
    kinds = {r["kind"] for r in rows}
    assert {"order", "act", "influence"} <= kinds
    assert her.run("claims_by_basis", basis="Stated") == her.run("claims_by_basis",
                                                               basis="stated")


def test_the_shapes_refuse_an_inferred_claim_without_a_reason(
        fresh_her: graph.KnowledgeGraph) -> None:
    fresh_her.update("DELETE WHERE { her:order-letter-visits-amy hg:basisNote ?note }")
    report = fresh_her.validate()
    assert not report.conforms
    assert [v.focus for v in report.violations] == ["her:order-letter-visits-amy"]
    assert "no hg:basisNote says why" in report.violations[0].message


def test_a_claim_without_a_basis_is_a_warning_not_a_failure(
        fresh_her: graph.KnowledgeGraph) -> None:
    fresh_her.update("DELETE WHERE { her:event-sunrise hg:basis ?basis }")
    report = fresh_her.validate()
    assert report.conforms and report.bases["unmarked"] == 1
    (warning,) = report.violations
    assert warning.severity == "Warning" and warning.focus == "her:event-sunrise"


def test_an_unknown_basis_is_refused(fresh_her: graph.KnowledgeGraph) -> None:
    fresh_her.update("DELETE { her:event-sunrise hg:basis ?b } INSERT { her:event-sunrise "
                     "hg:basis hg:Rumoured } WHERE { her:event-sunrise hg:basis ?b }")
    assert not fresh_her.validate().conforms


# ---------------------------------------------------------------------------------------------
# What the article does not say is not in the graph


def test_no_fact_the_article_never_states(her: graph.KnowledgeGraph) -> None:
    text = "\n".join(str(o) for o in her.rdf.objects() if isinstance(o, Literal))
    for phrase in ("Jonze", "director", "last scene", "new operating system"):
        assert phrase not in text, phrase
    assert not her.query("ASK { ?e sem:eventType hg:FallingInLove }")


def test_samantha_is_a_fictional_ai_not_a_person_or_a_product(her: graph.KnowledgeGraph
                                                               ) -> None:
    samantha = URIRef(H + "Samantha")
    types = set(her.rdf.objects(samantha, RDF.type))
    assert types == {URIRef(HG + "AICharacter")}
    assert not her.query("ASK { ?film schema:character her:Samantha }")
    assert her.query("ASK { her:Her hg:hasCharacter her:Samantha }")


def test_how_is_language_tagged_as_the_ontology_declares(her: graph.KnowledgeGraph) -> None:
    assert her.query("ASK { hg:how rdfs:range rdf:langString }", ) is True
    hows = her.query("SELECT ?how WHERE { ?i hg:how ?how }")
    assert hows and all(her.query("SELECT (LANG(?h) AS ?l) WHERE {}", h=Literal(r["how"],
                                                                                  lang="en"))
                        for r in hows)
    assert not her.query("ASK { ?i hg:how ?h FILTER (LANG(?h) = '') }")


def test_every_theme_sits_in_the_hierarchy(her: graph.KnowledgeGraph) -> None:
    loose = her.query("""SELECT ?theme WHERE {
        ?theme a hg:Theme .
        FILTER NOT EXISTS { ?theme skos:topConceptOf ?scheme }
        FILTER NOT EXISTS { ?theme skos:broader ?broader } }""")
    assert loose == []


# ---------------------------------------------------------------------------------------------
# Roles: who takes part is not who is mentioned


def test_catherine_is_mourned_and_written_to_not_an_actor(her: graph.KnowledgeGraph) -> None:
    for event, role in (("event-lament", "SpokenOf"), ("event-letter", "Addressee")):
        assert not her.query("ASK { ?e sem:hasActor her:Catherine }", e=URIRef(H + event))
        assert her.query("ASK { ?e hg:role [ rdf:value her:Catherine ; sem:roleType ?type ] }",
                         e=URIRef(H + event), type=URIRef(HG + role))
    assert her.query("ASK { her:event-fight sem:hasActor her:Catherine }")


def test_every_actor_has_a_role_and_every_role_a_quote(her: graph.KnowledgeGraph) -> None:
    unmatched = her.query("""SELECT ?event ?who WHERE {
        ?event sem:hasActor ?who .
        FILTER NOT EXISTS { ?event hg:role [ rdf:value ?who ] } }""")
    assert unmatched == []


# ---------------------------------------------------------------------------------------------
# Story order: a partial order, as the article gives it


def _order(kg: graph.KnowledgeGraph) -> nx.DiGraph:
    rows = kg.query("SELECT ?a ?b WHERE { ?a hg:precedes ?b }")
    return nx.DiGraph([(r["a"], r["b"]) for r in rows])


def test_story_order_is_a_partial_order_with_evidence_for_each_link(
        her: graph.KnowledgeGraph) -> None:
    order = _order(her)
    assert nx.is_directed_acyclic_graph(order)
    positions = {r["e"]: r["p"] for r in her.query(
        "SELECT ?e ?p WHERE { ?e hg:storyPosition ?p }")}
    # The display position is a linear extension of the order the article gives.
    assert all(positions[a] < positions[b] for a, b in order.edges)
    links = her.query("SELECT ?a ?b WHERE { ?l a hg:Precedence ; hg:earlier ?a ; hg:later ?b ; "
                      "hg:evidence ?q ; hg:basis ?basis }")
    assert {(r["a"], r["b"]) for r in links} == set(order.edges)


def test_the_article_does_not_place_the_heart_speech(her: graph.KnowledgeGraph) -> None:
    order = _order(her)
    heart, revelation, departure = (H + e for e in ("event-heart-expands", "event-revelation",
                                                    "event-departure"))
    for other in (revelation, departure):
        assert not nx.has_path(order, heart, other) and not nx.has_path(order, other, heart)


def test_the_fight_and_the_first_doubt_are_one_moment(her: graph.KnowledgeGraph) -> None:
    quotes = her.query("SELECT ?q WHERE { her:event-fight hg:evidence/oa:hasSelector/oa:exact ?q }"
                       ).column("q")
    assert any(q.startswith("Only at this point") for q in quotes)
    assert not her.query("ASK { ?e sem:eventType hg:Doubt ; hg:storyPosition 5 ; "
                         "hg:evidence/oa:hasSelector/oa:exact ?q FILTER STRSTARTS(?q, 'Only') }")


def test_act_placements_say_when_they_are_inferred(her: graph.KnowledgeGraph) -> None:
    rows = her.query("SELECT ?event ?basis WHERE { ?event hg:inAct ?act ; "
                     "hg:actBasis/skos:prefLabel ?basis }")
    assert len(rows) == 14
    stated = [r["event"] for r in rows if r["basis"] == "stated"]
    assert stated == [H + "event-intangibility"]  # the article's "In the third act of Her"


# ---------------------------------------------------------------------------------------------
# Relationships through story time


def test_the_romance_passes_through_its_stages(her: graph.KnowledgeGraph) -> None:
    stages = her.query("""SELECT ?type ?position WHERE {
        her:rel-theodore-samantha-romance hg:stage [ hg:stageType/skos:prefLabel ?type ;
                                                     hg:atEvent/hg:storyPosition ?position ] }
        ORDER BY ?position""")
    assert [r["type"] for r in stages] == ["begins", "turning point", "climax", "ends"]


# ---------------------------------------------------------------------------------------------
# The influence network and the support check


def test_the_influences_the_article_supports(her: graph.KnowledgeGraph) -> None:
    pairs = {(r["a"], r["b"]) for r in her.query(
        "SELECT ?a ?b WHERE { ?b prov:wasInfluencedBy ?a }")}
    expected = {("Theodore", "Catherine"), ("Catherine", "Theodore"), ("Theodore", "Amy"),
                ("Amy", "Theodore"), ("amys-os", "Amy"), ("operating-systems", "Theodore"),
                ("operating-systems", "Amy"), ("Theodore", "Samantha"),
                ("Samantha", "Theodore"), ("other-people", "Samantha")}
    assert {(str(a), str(b)) for a, b in pairs} == {(H + a, H + b) for a, b in expected}
    # Amy's bond was with her own operating system, one individual, not the whole group.
    assert her.query("ASK { her:rel-amy-os hg:participant her:amys-os . her:amys-os a "
                     "hg:AICharacter }")


def test_the_ranking_is_not_a_tie(her: graph.KnowledgeGraph) -> None:
    ranking = her.influence.rank_influence()
    assert ranking[0].label == "Theodore"
    assert len({round(r.pagerank, 6) for r in ranking}) > 2


def test_every_influence_and_relationship_names_its_parties(her: graph.KnowledgeGraph) -> None:
    report = check_support(her.rdf)
    assert report.ok and report.checked == 18


def test_support_check_names_the_party_a_quote_leaves_out(
        fresh_her: graph.KnowledgeGraph) -> None:
    # "his childhood sweetheart" names Catherine only as a recorded alias.
    fresh_her.update(
        'DELETE DATA { her:Catherine schema:alternateName "his childhood sweetheart" }')
    report = fresh_her.validate()
    assert report.conforms and not report.ok
    unsupported = {c.claim: c.missing for c in report.support.unsupported}
    assert unsupported == {"her:rel-theodore-catherine-childhood": ("Catherine",)}
    assert "never mentions Catherine by name or a recorded alias" in str(report)
    assert {r["check"] for r in report.to_rows()} == {"support"}


@pytest.mark.parametrize("path", ["examples/data/gull-rock.ttl"])
def test_support_check_on_another_story(path: str) -> None:
    kg = graph.load(path)
    assert check_support(kg.rdf).ok
    assert count_bases(kg.rdf)["unmarked"] > 0  # an older story: warned, still valid
    assert kg.validate().ok
