"""SHACL validation: the Her graph conforms, and broken graphs are reported in plain words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

import graph
from graph.errors import ValidationFailed
from graph.namespaces import HER, HG, OA, PROV, SCHEMA


def test_her_graph_conforms(her: graph.KnowledgeGraph) -> None:
    report = her.validate()
    assert report.conforms, str(report)
    assert report.violations == []
    report.raise_if_failed()


def _drop(s: URIRef, p: URIRef) -> Callable[[graph.KnowledgeGraph], None]:
    return lambda kg: kg.rdf.remove((s, p, None))


def _add(s: URIRef, p: URIRef, o: object) -> Callable[[graph.KnowledgeGraph], None]:
    return lambda kg: kg.rdf.add((s, p, o))


BREAKAGES = [
    # (what is broken, how, the node, the property, words the message must hold)
    ("event without order", _drop(HER["event-encounter"], HG.storyPosition),
     "her:event-encounter", "hg:storyPosition", "position in story order"),
    ("event without participant", _drop(HER["event-fight"], URIRef(
        "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor")),
     "her:event-fight", "sem:hasActor", "at least one participant"),
    ("event without evidence", _drop(HER["event-letter"], HG.evidence),
     "her:event-letter", "hg:evidence", "needs evidence"),
    ("cycle in the event order", _add(HER["event-sunrise"], HG.precedes, HER["event-lament"]),
     "her:event-sunrise", "hg:precedes", "backwards or in a cycle"),
    ("two positions for one event",
     _add(HER["event-letter"], HG.storyPosition, Literal(20)),
     "her:event-letter", "hg:storyPosition", "exactly one position"),
    ("two events at one position",
     lambda kg: kg.rdf.set((HER["event-letter"], HG.storyPosition, Literal(13))),
     "her:event-letter", "hg:storyPosition", "her:event-visits-amy, has the same story position"),
    ("two acts with one number",
     lambda kg: kg.rdf.set((HER["act-2"], HG.actNumber, Literal(1))),
     "her:act-2", "hg:actNumber", "her:act-1, has the same act number 1"),
    ("influence without evidence", _drop(HER["influence-catherine-on-theodore"], HG.evidence),
     "her:influence-catherine-on-theodore", "hg:evidence", "influence needs evidence"),
    ("influence without influencer",
     _drop(HER["influence-catherine-on-theodore"], PROV.influencer),
     "her:influence-catherine-on-theodore", "prov:influencer", "exactly one influencer"),
    ("plain influence with no qualified one",
     _add(HER.Amy, PROV.wasInfluencedBy, HER.Catherine),
     "her:Amy", "prov:wasInfluencedBy", "the influence of her:Catherine has no evidence"),
    ("theme without definition",
     _drop(HER["theme-gratitude"], URIRef("http://www.w3.org/2004/02/skos/core#definition")),
     "her:theme-gratitude", "skos:definition", "needs a definition"),
    ("theme claimed without evidence", _add(HER.Amy, HG.hasTheme, HER["theme-loss"]),
     "her:Amy", "hg:hasTheme", "her:theme-loss is claimed without evidence"),
    ("character with two names", _add(HER.Amy, SCHEMA.name, Literal("Amelia")),
     "her:Amy", "schema:name", "exactly one name"),
    ("AI character typed as a person", _add(HER.Samantha, RDF.type, SCHEMA.Person),
     "her:Samantha", "rdf:type", "not a person"),
    ("AI character typed as human", _add(HER.Samantha, RDF.type, HG.HumanCharacter),
     "her:Samantha", "", "cannot also be a human character"),
    ("quote over 25 words",
     lambda kg: kg.rdf.set((HER["quote-8316-text"], OA.exact, Literal(" ".join(["word"] * 26)))),
     "her:quote-8316-text", "oa:exact", "at most 25 words"),
    ("relationship with one participant",
     _drop(HER["rel-theodore-amy-romance"], HG.participant),
     "her:rel-theodore-amy-romance", "hg:participant", "at least two participants"),
    ("relationship ending before it starts",
     lambda kg: kg.rdf.set((HER["rel-theodore-samantha-romance"], HG.endsWith,
                            HER["event-lament"])),
     "her:rel-theodore-samantha-romance", "hg:endsWith", "ends (hg:endsWith) before it starts"),
]


@pytest.mark.parametrize(("name", "breaks", "focus", "path", "words"), BREAKAGES,
                         ids=[b[0] for b in BREAKAGES])
def test_each_breakage_is_reported_in_plain_words(
        name: str, breaks: Callable[[graph.KnowledgeGraph], None], focus: str, path: str,
        words: str) -> None:
    kg = graph.load()
    breaks(kg)
    report = kg.validate()
    assert not report.conforms
    matching = [v for v in report.violations
                if focus in (v.focus, v.value) and (not path or v.path == path)
                and words in v.message]
    assert matching, f"{name}: no violation on {focus} {path} saying {words!r}:\n{report}"
    line = str(matching[0])
    assert "\n" not in line and focus in line
    assert "http://www.w3.org/ns/shacl#" not in str(report)  # no raw report vocabulary
    with pytest.raises(ValidationFailed, match="not valid"):
        report.raise_if_failed()


def test_violation_names_the_label_of_the_node() -> None:
    kg = graph.load()
    kg.rdf.remove((HER["event-encounter"], HG.storyPosition, None))
    (violation,) = kg.validate().violations
    assert str(violation) == (
        "Violation: her:event-encounter ('Theodore encounters Samantha'), property "
        "hg:storyPosition: an event needs exactly one position in story order "
        "(hg:storyPosition, an integer of 1 or more)")


def test_user_graph_is_validated_with_the_ontology(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "tale.ttl"
    path.write_text("""
        @prefix hg: <https://w3id.org/her-graph/ontology#> .
        @prefix schema: <https://schema.org/> .
        <https://example.org/a> a hg:HumanCharacter ; schema:name "A" .
        <https://example.org/e> a hg:StoryEvent .
    """)
    report = graph.load(path).validate()
    messages = " ".join(v.message for v in report.violations)
    assert "position in story order" in messages and "at least one participant" in messages
    assert not any(v.focus == "https://example.org/a" for v in report.violations)
