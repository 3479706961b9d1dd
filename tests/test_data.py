"""The Her dataset itself: claims carry evidence, quotes are short, the article is not copied."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import graph
from graph.check.evidence import normalize_quote
from tests.conftest import ROOT

CLAIM_CLASSES = ["hg:StoryEvent", "hg:Relationship", "prov:Influence", "hg:ThemeAttribution",
                 "schema:PerformanceRole"]


@pytest.mark.parametrize("cls", CLAIM_CLASSES)
def test_every_claim_cites_a_quote_of_the_source(her: graph.KnowledgeGraph, cls: str) -> None:
    rows = her.query(f"""
        SELECT ?claim (COUNT(?quote) AS ?quotes) WHERE {{
            ?claim a {cls} .
            OPTIONAL {{ ?claim hg:evidence ?e .
                       ?e oa:hasSource her:source-article ; oa:hasSelector/oa:exact ?quote }}
        }} GROUP BY ?claim""")
    assert rows, f"no {cls} in the graph"
    assert [r["claim"] for r in rows if r["quotes"] == 0] == []


def test_every_theme_link_is_qualified_with_evidence(her: graph.KnowledgeGraph) -> None:
    unqualified = her.query("""
        SELECT ?subject ?theme WHERE {
            ?subject hg:hasTheme ?theme .
            FILTER NOT EXISTS { ?subject hg:qualifiedTheme ?a . ?a hg:theme ?theme ;
                                                          hg:evidence ?e }
        }""")
    assert unqualified == []


def test_quotes_are_at_most_25_words(her: graph.KnowledgeGraph) -> None:
    quotes = her.query("SELECT ?q WHERE { ?s oa:exact ?q }").column("q")
    assert len(quotes) >= 50
    assert max(len(q.split()) for q in quotes) <= 25


def test_dataset_size_as_the_issue_asks(her: graph.KnowledgeGraph) -> None:
    counts = her.counts()
    assert counts["events"] >= 12
    assert counts["themes"] >= 12
    # Theodore, Samantha, Catherine, Amy, and Amy's operating system.
    assert counts["characters"] == 5
    assert len(her.query("SELECT ?c WHERE { ?c a skos:ConceptScheme }")) >= 1
    # Definitions are the project's own words, not quotes.
    definitions = her.query("SELECT ?d WHERE { ?t a hg:Theme ; skos:definition ?d }")
    quotes = {normalize_quote(q) for q in her.query("SELECT ?q WHERE { ?s oa:exact ?q }")
              .column("q")}
    assert not {normalize_quote(d) for d in definitions.column("d")} & quotes


def test_numbers_are_typed_integers(her: graph.KnowledgeGraph) -> None:
    rows = her.query("""SELECT ?value (DATATYPE(?value) AS ?type) WHERE {
        ?s hg:memberCount|hg:storyPosition|hg:actNumber ?value }""")
    assert {r["type"] for r in rows} == {"http://www.w3.org/2001/XMLSchema#integer"}
    assert {8316, 641} <= {r["value"] for r in rows}


def test_ontology_describes_every_term_the_data_uses(her: graph.KnowledgeGraph) -> None:
    used = her.query("""SELECT DISTINCT ?term WHERE {
        { ?s ?term ?o } UNION { ?s a ?term } UNION { ?s sem:eventType|hg:relationshipKind|
          hg:status|hg:performanceType ?term }
        FILTER STRSTARTS(STR(?term), "https://w3id.org/her-graph/ontology#") }""").column("term")
    assert used
    undocumented = her.query("""SELECT ?term WHERE {
        ?term ?p ?o . FILTER STRSTARTS(STR(?term), "https://w3id.org/her-graph/ontology#")
        FILTER NOT EXISTS { ?term rdfs:label|skos:prefLabel ?label }
        FILTER NOT EXISTS { ?term rdfs:comment|skos:definition ?comment } }""").column("term")
    assert undocumented == []
    for term in used:
        described = her.query(
            "ASK { ?t rdfs:label|skos:prefLabel ?l ; rdfs:comment|skos:definition ?c }", t=term)
        assert described, f"{term} has no label and comment in ontology.ttl"


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’']+", normalize_quote(text).lower())


def test_the_repository_does_not_copy_the_article(seeds: Path) -> None:
    """No file of the repository shares a run of 26 words with the source article."""
    article = _words("\n".join(p.read_text(encoding="utf-8") for p in seeds.iterdir()
                               if p.is_file()))
    window = 26
    shingles = {tuple(article[i:i + window]) for i in range(len(article) - window + 1)}
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    files = [ROOT / name for name in tracked] or [p for p in ROOT.rglob("*") if p.is_file()]
    checked = 0
    for path in files:
        if path.suffix.lower() in {".png", ".jpg", ".ico", ".woff", ".woff2"}:
            continue
        try:
            words = _words(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        checked += 1
        for i in range(len(words) - window + 1):
            assert tuple(words[i:i + window]) not in shingles, (
                f"{path.relative_to(ROOT)} copies a long passage of the article near "
                f"{' '.join(words[i:i + 8])!r}")
    assert checked > 0
