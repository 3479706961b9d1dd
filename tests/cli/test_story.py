"""``her-graph metrics`` and ``her-graph at``, used as users do."""

from __future__ import annotations

import csv
import io
import json

import pytest

from graph.generate import generate_story

from ..conftest import ROOT
from .test_cli import failed, ok

pytestmark = pytest.mark.slow


def test_at_the_letter_shows_the_state_with_evidence():
    out = ok("at", "Theodore writes to Catherine")
    assert out.startswith("At Theodore writes to Catherine (event 12): 10 events")
    assert ("Theodore and Catherine's marriage [stated, Closure at Theodore writes to "
            "Catherine]") in out
    assert "Amy," not in out.split("Only spoken of")[0]  # Amy has not appeared yet
    assert "“" in out


def test_at_json_matches_kg_at():
    import graph

    report = json.loads(ok("at", "act 2", "--format", "json"))
    state = graph.load().at("act 2")
    assert report["point"]["kind"] == "act"
    assert [c["character"] for c in report["characters"]] == [
        c.character for c in state.characters]
    assert all(c["evidence"] for c in report["characters"])


def test_at_on_gull_rock_by_position():
    out = ok("at", "2", "-g", str(ROOT / "examples" / "data" / "gull-rock.ttl"))
    assert "Mara's trust in Wren" in out


def test_at_errors_are_one_line():
    assert "Known points" in failed(2, "at", "the wedding")
    assert "story position" in failed(2, "at", "99")
    failed(2, "at")


def test_metrics_by_act_as_csv():
    rows = list(csv.DictReader(io.StringIO(ok("metrics", "--by", "act", "--format", "csv"))))
    assert [r["window"] for r in rows] == ["Act I", "Act II", "Act III"]
    assert [int(r["edges"]) for r in rows] == [1, 2, 3]


def test_metrics_of_characters_and_removal():
    table = ok("metrics", "--view", "influence", "--of", "characters")
    assert "her:Theodore" in table and "pagerank" in table
    removal = json.loads(ok("metrics", "--of", "removal", "--format", "json"))
    theodore = next(r for r in removal if r["label"] == "Theodore")
    assert theodore["components_after"] > theodore["components_before"]


def test_metrics_on_a_generated_graph(tmp_path):
    path = generate_story(characters=8, seed=2).write(tmp_path / "story.nt")
    rows = json.loads(ok("metrics", "-g", str(path), "--by", "event", "--format", "json"))
    assert rows and all(r["nodes"] >= 0 for r in rows)


def test_metrics_usage_error():
    failed(2, "metrics", "--by", "scene")
