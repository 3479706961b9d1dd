"""Re-anchoring in an edited source: anchored, moved or orphaned, never look-alike text."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.authoring import anchor_story, write_story_graph

from .conftest import LAMP_SOURCE, invoke
from .test_compiler import assert_selectors_point_at_the_quotes


def compiled(lamp: Path) -> Path:
    return write_story_graph(lamp)


def status_of(statuses: list, exact: str) -> tuple[str, int | None]:
    [found] = [(s.status, s.start) for s in statuses if s.exact == exact]
    return found


def test_an_unchanged_source_anchors_everything(lamp: Path) -> None:
    statuses = anchor_story(compiled(lamp), lamp.parent / "source.txt")
    assert {s.status for s in statuses} == {"anchored"} and len(statuses) == 5
    assert all(s.start == s.was for s in statuses)


def test_moved_and_orphaned_quotes(lamp: Path, tmp_path: Path) -> None:
    ttl = compiled(lamp)
    edited = tmp_path / "edited.txt"
    text = ("A NEW FIRST LINE.\n" + LAMP_SOURCE
            .replace("Orin left the lake", "Orin left the lake for good")  # context changed
            .replace("alone on the shore", "by herself on the shore"))     # words gone
    edited.write_text(text, encoding="utf-8")
    before = ttl.read_bytes()
    statuses = anchor_story(ttl, edited)
    moved = status_of(statuses, "they became friends")
    assert moved[0] == "moved" and text[moved[1]:moved[1] + 19] == "they became friends"
    assert status_of(statuses, "Orin left the lake") == ("orphaned", None)
    assert status_of(statuses, "alone on the shore") == ("orphaned", None)
    reasons = {s.exact: s.reason for s in statuses}
    assert "not in the source any more" in reasons["alone on the shore"]
    assert "text around them changed" in reasons["Orin left the lake"]
    assert ttl.read_bytes() == before  # nothing written without write=True


def test_a_quote_whose_words_and_context_occur_twice_is_orphaned(lamp: Path,
                                                                  tmp_path: Path) -> None:
    ttl = compiled(lamp)
    edited = tmp_path / "edited.txt"
    edited.write_text(LAMP_SOURCE + LAMP_SOURCE, encoding="utf-8")
    statuses = anchor_story(ttl, edited, write=True)
    assert {s.status for s in statuses} == {"orphaned"}
    assert all("2 places match its words and context" in s.reason for s in statuses)


def test_write_rewrites_the_selectors_of_what_anchored(lamp: Path, tmp_path: Path) -> None:
    ttl = compiled(lamp)
    edited = tmp_path / "edited.txt"
    text = "Preface.\n" + LAMP_SOURCE.replace("alone on the shore", "on the shore alone")
    edited.write_text(text, encoding="utf-8")
    statuses = anchor_story(ttl, edited, write=True)
    assert sorted(s.status for s in statuses) == ["moved"] * 4 + ["orphaned"]
    after = Graph().parse(ttl)
    again = anchor_story(ttl, edited)
    assert sorted(s.status for s in again) == ["anchored"] * 4 + ["orphaned"]
    # The rewritten selectors point at the quoted text of the edited source.
    for s in again:
        if s.status == "anchored":
            assert text[s.start:s.end] == s.exact
    assert len(after) > 50


def test_rewrapping_a_paragraph_moves_no_quote(lamp: Path, tmp_path: Path) -> None:
    ttl = compiled(lamp)
    edited = tmp_path / "edited.txt"
    edited.write_text(LAMP_SOURCE.replace("lamp\nleft", "lamp left").replace(
        "spring\nOrin", "spring Orin"), encoding="utf-8")
    statuses = anchor_story(ttl, edited, write=True)
    assert "orphaned" not in {s.status for s in statuses}
    assert_selectors_point_at_the_quotes(Graph().parse(ttl), edited.read_text())


def test_cli_anchor_reports_a_table_and_exits_1_on_orphans(lamp: Path, tmp_path: Path) -> None:
    ttl = compiled(lamp)
    code, out, _ = invoke("anchor", str(ttl), "--source", str(lamp.parent / "source.txt"))
    assert code == 0 and "5 anchored, 0 moved, 0 orphaned" in out
    edited = tmp_path / "edited.txt"
    edited.write_text(LAMP_SOURCE.replace("Orin taught Ada", "Orin showed Ada"))
    before = ttl.read_bytes()
    code, out, _ = invoke("anchor", str(ttl), "--source", str(edited))
    assert code == 1 and "3 anchored, 0 moved, 2 orphaned" in out
    assert ttl.read_bytes() == before
    code, out, _ = invoke("anchor", str(ttl), "--source", str(edited), "--write")
    assert code == 1 and "rewrote the selectors" in out
