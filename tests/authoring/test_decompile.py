"""Decompiling graphs into story files: the round trips, on the Her graph and Gull Rock."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import graph
import graph.export
from graph.authoring import compile_story, decompile, decompile_file
from graph.authoring.decompile import without_anchoring

from .conftest import LAMP_YAML, invoke

ROOT = Path(__file__).resolve().parents[2]
GULL_ROCK = ROOT / "examples" / "data"


def assert_same_apart_from_selectors(first: Graph, second: Graph) -> None:
    a, b = without_anchoring(first), without_anchoring(second)
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
        raise AssertionError(f"only in the original: {sorted(only_a)[:5]}; "
                             f"only in the round trip: {sorted(only_b)[:5]}")


def round_trip(original: Graph, source: Path, folder: Path) -> tuple[str, Graph]:
    text = decompile(original, source)
    story = folder / "story.yaml"
    story.write_text(text, encoding="utf-8")
    return text, compile_story(story, source=source)


def test_the_issue_example_decompiles_to_itself(lamp: Path) -> None:
    text = decompile(compile_story(lamp), lamp.parent / "source.txt")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    reparsed = lamp.parent / "again.yaml"
    reparsed.write_text(body, encoding="utf-8")
    assert "\nextra_turtle:" not in text
    assert_same_apart_from_selectors(compile_story(reparsed), compile_story(lamp))
    assert "carried_by: [ada]" in text and "'on': ada" in text
    assert len(body.splitlines()) < 2 * len(LAMP_YAML.splitlines()) + 30


def test_the_her_graph_round_trips(tmp_path: Path, seeds: Path) -> None:
    # data/her.ttl as it is now (read at test time, not a frozen copy).
    her = graph.load(ROOT / "data" / "her.ttl").rdf
    source = sorted(seeds.glob("*.txt"))[0]
    text, again = round_trip(her, source, tmp_path)
    assert_same_apart_from_selectors(again, her)
    # Every quote of the round trip points at exactly its words in the source.
    source_text = source.read_text(encoding="utf-8")
    from .test_compiler import assert_selectors_point_at_the_quotes
    assert_selectors_point_at_the_quotes(again, source_text)
    assert "events:" in text and "themes:" in text


def test_the_her_graph_round_trips_without_its_source(tmp_path: Path) -> None:
    # Without the source text the quotes are not anchored; the rest is the same graph.
    her = graph.load(ROOT / "data" / "her.ttl").rdf
    text = decompile(her)
    story = tmp_path / "story.yaml"
    story.write_text(text, encoding="utf-8")
    from graph.authoring.compiler import compile_file
    assert_same_apart_from_selectors(compile_file(story, anchor=False).graph, her)


def test_a_quote_that_does_not_anchor_in_the_given_source_is_reported(lamp: Path,
                                                                        tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Nothing of the story is here.", encoding="utf-8")
    with pytest.raises(graph.HerGraphError, match="quote not in the source"):
        decompile(compile_story(lamp), other)


def test_gull_rock_round_trips_with_everything_in_the_format(tmp_path: Path) -> None:
    source = GULL_ROCK / "gull-rock.txt"
    compiled = compile_story(GULL_ROCK / "gull-rock.yaml")
    text, again = round_trip(compiled, source, tmp_path)
    assert "\nextra_turtle:" not in text  # the format covers all of Gull Rock
    assert_same_apart_from_selectors(again, compiled)
    assert isomorphic(again, compiled)  # and the selectors come back the same too


def test_the_hand_written_gull_rock_turtle_round_trips(tmp_path: Path) -> None:
    original = graph.load(GULL_ROCK / "gull-rock.ttl").rdf
    _, again = round_trip(original, GULL_ROCK / "gull-rock.txt", tmp_path)
    assert_same_apart_from_selectors(again, original)


def test_a_graph_of_no_work_is_refused(tmp_path: Path, lamp: Path) -> None:
    with pytest.raises(graph.HerGraphError, match="one schema:Movie"):
        decompile(Graph(), lamp.parent / "source.txt")


def test_cli_decompile(lamp: Path, tmp_path: Path) -> None:
    ttl = lamp.parent / "story.ttl"
    assert invoke("compile", str(lamp), "-o", str(ttl))[0] == 0
    out_yaml = tmp_path / "sub" / "again.yaml"
    out_yaml.parent.mkdir()
    code, out, err = invoke("decompile", str(ttl), "-o", str(out_yaml),
                            "--source", str(lamp.parent / "source.txt"))
    assert code == 0, err
    assert out == f"wrote {out_yaml}\n"
    assert "path: ../source.txt" in out_yaml.read_text()
    assert_same_apart_from_selectors(compile_story(out_yaml), Graph().parse(ttl))
    assert decompile_file(ttl, tmp_path / "b.yaml", lamp.parent / "source.txt").is_file()
    # As the issue writes it: no --source, the story file names source.txt.
    code, _, err = invoke("decompile", str(ttl), "-o", str(lamp.parent / "again.yaml"))
    assert code == 0, err
    assert_same_apart_from_selectors(compile_story(lamp.parent / "again.yaml"),
                                     Graph().parse(ttl))


def test_a_graph_with_named_graphs_is_refused_not_merged(lamp: Path, tmp_path: Path) -> None:
    ttl = lamp.parent / "story.ttl"
    assert invoke("compile", str(lamp), "-o", str(ttl))[0] == 0
    nquads = tmp_path / "story.nq"  # the whole story in one named graph
    nquads.write_bytes(graph.export.render(graph.load(ttl), "nt").replace(
        b" .\n", b" <https://example.org/graphs/draft> .\n"))
    out_yaml = tmp_path / "again.yaml"
    code, _, err = invoke("decompile", str(nquads), "-o", str(out_yaml))
    assert code == 1 and not out_yaml.exists()
    assert err.strip().endswith(
        "story.nq: the file has 1 named graph (<https://example.org/graphs/draft>), and a story "
        "file has no place for graph names: load it with graph.load() instead, or write the "
        "one graph you mean as Turtle")
    code, _, err = invoke("anchor", str(nquads), "--source", str(lamp.parent / "source.txt"))
    assert code == 1 and "anchoring (it rewrites the story as one graph)" in err
