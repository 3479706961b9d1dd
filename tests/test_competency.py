"""Competency questions: what a film scholar asks, answered by the graph as the source does."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

import graph
from graph.check.evidence import normalize_quote

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

QUESTIONS: list[dict[str, Any]] = tomllib.loads(
    (graph.data_dir() / "competency.toml").read_text(encoding="utf-8"))["question"]


def test_there_are_enough_questions() -> None:
    assert len(QUESTIONS) >= 15
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)


def answer(kg: graph.KnowledgeGraph, question: dict[str, Any]) -> Any:
    result = kg.query(question["sparql"])
    if isinstance(result, bool):
        return result
    # IRIs come back as graph.IRI, a str subclass; compare them as plain strings.
    return [[str(row[c]) if isinstance(row[c], str) else row[c] for c in question["columns"]]
            for row in result]


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_competency_question(her: graph.KnowledgeGraph, question: dict[str, Any]) -> None:
    got = answer(her, question)
    expected = question["expected"]
    if isinstance(expected, bool):
        assert got is expected, question["question"]
    elif question.get("ordered", False):
        assert got == expected, question["question"]
    else:
        assert sorted(map(repr, got)) == sorted(map(repr, expected)), question["question"]


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_each_answer_rests_on_a_quote_of_the_article(question: dict[str, Any], seeds: Path
                                                     ) -> None:
    article = normalize_quote("\n".join(p.read_text(encoding="utf-8")
                                        for p in seeds.iterdir() if p.is_file()))
    assert normalize_quote(question["source"]) in article
