"""Evidence: every quote is in the source article, and the check finds quotes that are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

import graph
from graph.check.evidence import normalize_quote
from graph.errors import HerGraphError
from graph.namespaces import HER, OA


def test_every_quote_is_in_the_source(her: graph.KnowledgeGraph, seeds: Path) -> None:
    report = her.check_evidence(seeds)
    assert report.checked >= 50
    assert report.ok, str(report)


def test_validate_with_source_runs_both_checks(her: graph.KnowledgeGraph, seeds: Path) -> None:
    report = her.validate(source=seeds)
    assert report.ok and report.evidence is not None and report.evidence.checked >= 50


def test_a_quote_not_in_the_source_is_reported_with_its_claim(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("Only this sentence is here.", encoding="utf-8")
    kg = graph.load()
    report = kg.check_evidence(source)
    assert not report.ok
    missing = {m.selector: m for m in report.missing}
    sunrise = missing["her:quote-sunrise-text"]
    assert sunrise.quote == "the two of them look out at the sunrise over the LA skyline"
    claims = dict(sunrise.claims)
    assert "her:event-sunrise" in claims
    assert claims["her:event-sunrise"] == "Theodore and Amy watch the sunrise over Los Angeles"
    assert "quote not found in the source" in str(sunrise)


def test_an_altered_quote_is_caught(seeds: Path) -> None:
    kg = graph.load()
    kg.rdf.set((HER["quote-8316-text"], OA.exact,
                Literal("she is interacting with 8,317 other people")))
    report = kg.check_evidence(seeds)
    assert [m.selector for m in report.missing] == ["her:quote-8316-text"]
    assert "her:event-revelation" in dict(report.missing[0].claims)


def test_only_quote_styles_and_whitespace_are_forgiven(tmp_path: Path) -> None:
    source = tmp_path / "s.txt"
    source.write_text("He said: \u201cThe heart\u2019s not\n  like a box\u201d \u2014 and left.")
    kg = graph.load()
    for quote, found in [
        ('"The heart\'s not like a box"', True),       # straight quotes, one space
        ("The heart\u2019s   not like a box", True),  # extra spaces
        ("the heart's not like a box", False),         # case differs
        ("like a box - and left", False),              # a hyphen is not an em dash
    ]:
        kg.rdf.set((HER["quote-8316-text"], OA.exact, Literal(quote)))
        missing = {m.selector for m in kg.check_evidence(source).missing}
        assert ("her:quote-8316-text" not in missing) is found, quote


def test_normalize_quote() -> None:
    assert normalize_quote("\u201cA\u2019s\u201d\n\tb") == "\"A's\" b"


def test_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(HerGraphError, match="no such source text"):
        graph.load().check_evidence(tmp_path / "nope.txt")
    with pytest.raises(HerGraphError, match="no source texts"):
        graph.load().check_evidence(tmp_path)
