"""Hostile input to the story-format commands: every mistake is one clear error naming the file
and line (or the field), a meaningful exit code, and nothing written over what was there."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

import graph
import graph.export
from graph.authoring import compile_story, decompile_file, new_story, write_story_graph
from graph.authoring import scaffold as scaffold_module
from graph.authoring.spec import OAX
from graph.errors import HerGraphError, UsageError
from graph.read.parsing import parse_one_graph

from .conftest import LAMP_SOURCE, LAMP_YAML, invoke


def error_lines(err: str) -> list[str]:
    """The lines of stderr, each a her-graph error, none a traceback or a bug report."""
    lines = err.splitlines()
    assert lines and all(line.startswith("her-graph: error: ") for line in lines), err
    assert "bug in her-graph" not in err and "Traceback" not in err
    assert "does not look like a valid URI" not in err  # no rdflib warnings leak
    return lines


def one_problem(story: Path, err: str) -> str:
    """The single problem a story file's error lists, without its ``her-graph: error:``."""
    lines = error_lines(err)
    assert lines[0] == f"her-graph: error: {story}: 1 problem:", err
    assert len(lines) == 2, err
    return lines[1].removeprefix("her-graph: error: ")


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- 1. an output over one of the command's inputs ----------------------------------------


def test_compile_refuses_to_write_over_its_story_file_or_source(lamp: Path) -> None:
    folder = lamp.parent
    named_ttl = folder / "mystory.ttl"  # a story file named .ttl: the default output is itself
    named_ttl.write_text(LAMP_YAML, encoding="utf-8")
    os.link(folder / "source.txt", folder / "hard.txt")
    os.symlink(lamp, folder / "link.yaml")
    before = snapshot(folder)
    for args in (["compile", str(named_ttl)],
                 ["compile", str(lamp), "-o", str(lamp)],
                 ["compile", str(lamp), "-o", str(folder / "source.txt")],
                 ["compile", str(lamp), "-o", str(folder / "hard.txt")],
                 ["compile", str(lamp), "-o", str(folder / "link.yaml")],
                 ["compile", str(lamp), "--source", str(folder / "hard.txt"),
                  "-o", str(folder / "source.txt")]):
        code, out, err = invoke(*args)
        [line] = error_lines(err)
        assert code == 2 and out == "", args
        assert "which writing there would destroy" in line and "nothing was written" in line
        assert snapshot(folder) == before
    code, _, err = invoke("compile", str(named_ttl))
    assert "-o" in err  # what to do: name another output


def test_decompile_refuses_to_write_over_the_graph_or_the_source(lamp: Path) -> None:
    ttl = write_story_graph(lamp)
    before = snapshot(lamp.parent)
    for output, source in ((ttl, None), (lamp.parent / "source.txt", lamp.parent / "source.txt")):
        args = ["decompile", str(ttl), "-o", str(output)]
        code, _, err = invoke(*args, *(["--source", str(source)] if source else []))
        [line] = error_lines(err)
        assert code == 2 and f"{output}: this is the " in line
    with pytest.raises(UsageError):
        decompile_file(ttl, ttl)
    assert snapshot(lamp.parent) == before


# --- 2. anchor --write keeps the file's format ------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonld", "nt"])
def test_anchor_write_keeps_the_format_it_read(lamp: Path, tmp_path: Path, fmt: str) -> None:
    kg = graph.load(write_story_graph(lamp))
    path = tmp_path / f"story.{fmt}"
    path.write_bytes(graph.export.render(kg, fmt))
    edited = tmp_path / "edited.txt"
    edited.write_text("A new first line.\n" + LAMP_SOURCE, encoding="utf-8")
    code, out, err = invoke("anchor", str(path), "--source", str(edited), "--write")
    assert code == 0 and "5 moved" in out and f"rewrote the selectors in {path}" in out, err
    rewritten = parse_one_graph(path, "a test")  # still parses in its own format
    if fmt == "jsonld":
        assert json.loads(path.read_text(encoding="utf-8"))["@context"]
    starts = sorted(int(o) for o in rewritten.objects(None, OAX.start))
    assert starts and min(starts) > len("A new first line.")
    # The very bytes her-graph exports for that graph: as stable as the export.
    assert path.read_bytes() == graph.export.render(graph.load(path), fmt)
    code, out, _ = invoke("anchor", str(path), "--source", str(edited))
    assert code == 0 and "5 anchored" in out


def test_anchor_write_refuses_a_format_it_cannot_write_back(lamp: Path, tmp_path: Path) -> None:
    rdfxml = tmp_path / "story.rdf"
    rdfxml.write_text(Graph().parse(write_story_graph(lamp)).serialize(format="xml"),
                      encoding="utf-8")
    before = rdfxml.read_bytes()
    code, _, err = invoke("anchor", str(rdfxml), "--source", str(lamp.parent / "source.txt"),
                          "--write")
    [line] = error_lines(err)
    assert code == 2 and "cannot rewrite RDF/XML faithfully" in line and "--format ttl" in line
    assert rdfxml.read_bytes() == before


# --- 3. import-annotations into a quotes list of any indentation ------------------------------

ANNOTATION = {"type": "Annotation", "target": {"selector": {
    "type": "TextQuoteSelector", "exact": "read the water", "prefix": "Orin taught Ada to "}},
    "text": "a note\nover two lines"}


@pytest.mark.parametrize("quotes", [
    "quotes:\n    -   id: q1\n        exact: cold lake\n",
    "quotes:\n- id: q1\n  exact: cold lake\n",
    "quotes:\n      - id: q1\n        exact: cold lake\n# the end\n",
    "quotes:\n  -\n      id: q1\n      exact: cold lake\n",
    "quotes:\n  - {id: q1, exact: cold lake}   # a comment\n",
    "quotes:\n  - id: q1\n    exact: cold lake\n    note: |\n      a note\n        indented\n\n",
    "quotes:\n    - id: q1\n      exact: cold lake\nextra_turtle: |\n  :ada :p :q .\n",
    "quotes:\n",
])
def test_imported_quotes_follow_the_lists_indentation(lamp: Path, tmp_path: Path,
                                                      quotes: str) -> None:
    lamp.write_text(LAMP_YAML + quotes, encoding="utf-8")
    notes = tmp_path / "notes.json"
    notes.write_text(json.dumps(ANNOTATION), encoding="utf-8")
    code, out, err = invoke("import-annotations", str(notes), str(lamp))
    assert code == 0 and "added" in out, err
    compile_story(lamp)  # the file is still a valid story file
    listed = yaml.safe_load(lamp.read_text(encoding="utf-8"))["quotes"]
    assert [q["exact"] for q in listed] == ["cold lake", "read the water"][
        0 if "q1" in quotes else 1:]
    assert listed[-1]["note"] == "a note\nover two lines"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_an_import_keeps_the_files_line_ends_and_byte_order_mark(lamp: Path, tmp_path: Path,
                                                                 bom: bytes) -> None:
    """A story file written on Windows (CRLF, perhaps a BOM) changes only where quotes are
    added, not on every line."""
    original = bom + (LAMP_YAML + "quotes:\n  - id: q1\n    exact: cold lake\n").replace(
        "\n", "\r\n").encode("utf-8")
    lamp.write_bytes(original)
    notes = tmp_path / "notes.json"
    notes.write_text(json.dumps(ANNOTATION), encoding="utf-8")
    code, _, err = invoke("import-annotations", str(notes), str(lamp))
    after = lamp.read_bytes()
    assert code == 0, err
    assert after.startswith(original) and after.count(b"\n") == after.count(b"\r\n")
    compile_story(lamp)


def test_an_import_that_would_not_fit_is_refused_and_nothing_written(lamp: Path,
                                                                     tmp_path: Path) -> None:
    lamp.write_text(LAMP_YAML + "quotes: [{id: q1, exact: cold lake}]\n", encoding="utf-8")
    before = lamp.read_bytes()
    notes = tmp_path / "notes.json"
    notes.write_text(json.dumps(ANNOTATION), encoding="utf-8")
    code, _, err = invoke("import-annotations", str(notes), str(lamp))
    [line] = error_lines(err)
    assert code == 1 and "block list" in line and lamp.read_bytes() == before


# --- 4. words that cannot be IRIs --------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("kind: friendship", "kind: best friends",
     "`kind: best friends` is not one word: a word of your own names a concept of the story"),
    ("label: Orin leaves,", 'label: Orin leaves, type: "Heart break",',
     "`type: Heart break` is not one word"),
    ("label: Orin leaves,", 'label: Orin leaves, type: "a{b}",', "`type: a{b}` is not one word"),
    ("label: Orin leaves,", 'label: Orin leaves, type: "<script>x",',
     "`type: <script>x` is not one word"),
    ("label: Orin leaves,", 'label: Orin leaves, type: "schema:a b",',
     "`type: schema:a b`: 'a b' is not a term name"),
])
def test_a_type_or_kind_that_is_not_a_word_is_a_problem(lamp: Path, old: str, new: str,
                                                        expected: str) -> None:
    text = LAMP_YAML.replace(old, new, 1)
    lamp.write_text(text, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    problem = one_problem(lamp, err)
    assert code == 1 and problem.startswith(f"{lamp}:{line_of(text, new)}: {expected}")
    assert not (lamp.parent / "story.ttl").exists()


def test_a_kind_with_spaces_is_told_the_word_to_use(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace("kind: friendship", "kind: best friends"))
    code, _, err = invoke("compile", str(lamp))
    assert "such as `best-friends`" in one_problem(lamp, err) and code == 1


def test_a_base_that_is_not_an_iri_is_a_problem(lamp: Path) -> None:
    text = LAMP_YAML.replace("story:\n", 'story:\n  base: "not a url <>"\n', 1)
    lamp.write_text(text, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    problem = one_problem(lamp, err)
    assert code == 1 and problem.startswith(f"{lamp}:2: `base: not a url <>` is not an "
                                            "absolute IRI")
    assert "https://example.org/stories/the-lamp-and-the-lake/" in problem


# --- 5. text fields take text, never a list written as Python -----------------------------------

FULL = """\
story: {title: Lamp}
source: {path: source.txt, title: The source}
characters:
  - {id: ada, name: Ada, kind: human, description: A woman.}
  - {id: orin, name: Orin, kind: ai, aliases: [the lamp]}
acts:
  - {id: act-1, number: 1, label: Winter, quote: One winter night}
events:
  - {id: meeting, label: Ada meets Orin, description: They meet., type: Meeting,
     act: act-1, act_note: at night, participants: [ada, orin], quote: Ada first met Orin}
relationships:
  - {between: [ada, orin], kind: friendship, label: Friends, quote: they became friends}
influences:
  - {from: orin, on: ada, how: By teaching., label: Lessons, quote: Orin taught Ada}
themes:
  - {id: solitude, label: Solitude, definition: Alone., carried_by: [ada],
     quote: alone on the shore}
concepts:
  - {id: Meeting, label: A meeting, definition: Two meet.}
quotes:
  - {id: q1, exact: cold lake, note: A note.}
"""

TEXT_FIELDS = [
    ("title: The source", "title"), ("description: A woman.", "description"),
    ("label: Winter", "label"), ("description: They meet.", "description"),
    ("type: Meeting", "type"), ("act_note: at night", "act_note"), ("label: Friends", "label"),
    ("label: Lessons", "label"), ("how: By teaching.", "how"),
    ("definition: Two meet.", "definition"), ("note: A note.", "note"),
    ("label: Solitude", "label"), ("name: Ada", "name"),
]


def full_story(folder: Path, text: str = FULL) -> Path:
    (folder / "source.txt").write_text(LAMP_SOURCE, encoding="utf-8")
    story = folder / "story.yaml"
    story.write_text(text, encoding="utf-8")
    return story


def test_the_full_story_compiles(tmp_path: Path) -> None:
    compile_story(full_story(tmp_path))


@pytest.mark.parametrize(("field", "key"), TEXT_FIELDS)
@pytest.mark.parametrize(("value", "kind"), [("[Winter]", "a list"), ("[x, y]", "a list"),
                                             ("{a: b}", "a mapping")])
def test_every_text_field_refuses_a_list_or_a_mapping(tmp_path: Path, field: str, key: str,
                                                      value: str, kind: str) -> None:
    text = FULL.replace(field, f"{key}: {value}", 1)
    story = full_story(tmp_path, text)
    code, _, err = invoke("compile", str(story))
    problem = one_problem(story, err)
    assert code == 1
    assert problem == f"{story}:{line_of(text, f'{key}: {value}')}: `{key}:` must be text, not " \
                      f"{kind}"


def test_a_date_must_be_quoted_to_be_text(tmp_path: Path) -> None:
    text = FULL.replace("label: Winter", "label: 2001-01-01")
    story = full_story(tmp_path, text)
    code, _, err = invoke("compile", str(story))
    assert code == 1 and one_problem(story, err) == (
        f"{story}:7: `label:` must be text, not the date 2001-01-01; write it in quotes "
        '("2001-01-01") to keep it as text')


def test_numbers_are_kept_as_the_file_writes_them(tmp_path: Path) -> None:
    story = full_story(tmp_path, FULL.replace("label: Winter", "label: 017").replace(
        "aliases: [the lamp]", "aliases: [the lamp, 007]").replace("label: Friends",
                                                                    "label: 1.10"))
    labels = {str(o) for o in compile_story(story).objects()}
    assert {"017", "007", "1.10"} <= labels
    assert not {"15", "7", "1.1"} & labels


def test_a_source_path_no_file_can_have_is_a_problem(lamp: Path) -> None:
    text = LAMP_YAML.replace("  path: source.txt", '  path: "source\\0.txt"')
    lamp.write_text(text, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    problem = one_problem(lamp, err)
    assert code == 1 and problem.startswith(f"{lamp}:{line_of(text, 'path:')}: ")
    assert "not a usable file name (it holds a NUL character)" in problem


LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9 if previous else ['lol'] * 9)}]\n"
    for previous, name in zip(["", *"abcdefg"], "abcdefgh", strict=True))


def test_an_alias_bomb_is_reported_in_short_lines(lamp: Path) -> None:
    # Each level holds the one before nine times: 9**8 words once expanded.
    text = LAUGHS + LAMP_YAML.replace("{id: ada, name: Ada,", "{id: *h, name: *h,").replace(
        "participants: [orin]", "participants: [*h]")
    lamp.write_text(text, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    lines = error_lines(err)
    assert code == 1 and any("`name:` must be text, not a list" in line for line in lines)
    assert max(len(line) for line in lines) < 400


# --- 6. characters YAML does not allow -----------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\uffff"])
def test_a_character_yaml_refuses_is_a_problem_at_its_line(lamp: Path, char: str) -> None:
    text = LAMP_YAML.replace("label: Orin leaves", f"label: Orin{char}leaves")
    lamp.write_text(text, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    problem = one_problem(lamp, err)
    line = line_of(text, "Orin" + char)
    column = text.splitlines()[line - 1].index(char) + 1
    assert code == 1 and problem.startswith(
        f"{lamp}:{line}: YAML syntax error: the character U+{ord(char):04X} (column {column}) "
        "is not allowed in a YAML file")


def test_lists_nested_too_deep_are_a_problem(lamp: Path) -> None:
    lamp.write_text("story: " + "[" * 100_000, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    assert code == 1 and "nested more than 100 deep" in one_problem(lamp, err)


# --- 7. decompile round-trips the line separators ----------------------------------------------


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085", "\r", "\t", "\x07"])
def test_decompile_round_trips_text_yaml_would_break_at(lamp: Path, tmp_path: Path,
                                                        char: str) -> None:
    escaped = json.dumps(f"A talking{char}lamp.")  # a JSON string is a YAML double-quoted one
    lamp.write_text(LAMP_YAML.replace("aliases: [the lamp]}",
                                      f"aliases: [the lamp], description: {escaped}}}")
                    + 'extra_turtle: |\n  :orin :note "in' + escaped[1:-1] + 'extra" .\n',
                    encoding="utf-8")
    ttl = write_story_graph(lamp)
    again = tmp_path / "again.yaml"
    code, _, err = invoke("decompile", str(ttl), "-o", str(again),
                          "--source", str(lamp.parent / "source.txt"))
    assert code == 0, err
    round_trip = compile_story(again)
    assert isomorphic(round_trip, Graph().parse(ttl))
    assert f"A talking{char}lamp." in {str(o) for o in round_trip.objects()}


def test_decompile_keeps_what_the_format_cannot_name_as_turtle(lamp: Path,
                                                             tmp_path: Path) -> None:
    ttl = write_story_graph(lamp)
    story = "https://example.org/stories/the-lamp-and-the-lake/"
    g = Graph().parse(ttl)
    for _, p, o in list(g.triples((URIRef(story + "ada"), None, None))):
        g.add((URIRef(story + "a%20b"), p, o))  # an IRI no id of the format writes
    odd = tmp_path / "odd.ttl"
    odd.write_text(g.serialize(format="nt"), encoding="utf-8")
    again = tmp_path / "again.yaml"
    code, _, err = invoke("decompile", str(odd), "-o", str(again))
    assert code == 0, err
    assert ":a%20b" in again.read_text(encoding="utf-8").split("extra_turtle:")[1]
    work = tmp_path / "work.ttl"
    work.write_text(f"<{story}my%20story> a <https://schema.org/Movie> .\n", encoding="utf-8")
    code, _, err = invoke("decompile", str(work), "-o", str(again))
    [line] = error_lines(err)
    assert code == 1 and "the work's IRI" in line and "does not end in an id" in line


# --- 8. annotation exports nested too deep -------------------------------------------------


def test_deeply_nested_annotations_are_refused_in_one_line(lamp: Path, tmp_path: Path) -> None:
    notes = tmp_path / "deep.json"
    notes.write_text("[" * 100_000, encoding="utf-8")
    before = lamp.read_bytes()
    code, _, err = invoke("import-annotations", str(notes), str(lamp))
    [line] = error_lines(err)
    assert code == 1 and f"{notes}:1: objects and arrays are nested more than 100 deep" in line
    assert lamp.read_bytes() == before


# --- 9. errors in extra_turtle name the story file's line ----------------------------------------


def test_an_extra_turtle_error_names_the_line_of_the_story_file(lamp: Path) -> None:
    text = LAMP_YAML + 'extra_turtle: |\n  :ada :p :q .\n\n  :x :y "unterminated .\n'
    lamp.write_text(text, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    problem = one_problem(lamp, err)
    assert code == 1
    assert problem == f"{lamp}:{line_of(text, 'unterminated')}: `extra_turtle:` is not valid " \
                      "Turtle: Unexpected end of file"
    text = LAMP_YAML + "extra_turtle: |\n  :ada :p :q .\n  :x :y zz:c .\n"
    lamp.write_text(text, encoding="utf-8")
    problem = one_problem(lamp, invoke("compile", str(lamp))[2])
    assert problem.startswith(f"{lamp}:{line_of(text, 'zz:c')}: `extra_turtle:` is not valid "
                              "Turtle: The prefix zz: has not been declared")
    assert "b'" not in problem and "<>" not in problem


# --- 10. new: a new or empty folder, made whole or not at all ------------------------------------


def test_new_refuses_an_empty_name_and_a_full_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("new", "")
    [line] = error_lines(err)
    assert code == 2 and "give the name of a new folder" in line
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    for folder in (".", str(tmp_path), "/"):
        code, _, err = invoke("new", folder)
        [line] = error_lines(err)
        assert code == 2 and "choose a new or empty folder" in line
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_fills_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert [p.name for p in new_story(tmp_path / "empty")] == ["story.yaml", "source.txt",
                                                               "README.md"]
    compile_story(tmp_path / "empty" / "story.yaml")


@pytest.mark.parametrize("exists", [False, True])
def test_new_on_a_full_disk_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           exists: bool) -> None:
    folder = tmp_path / "parent" / "my-story"
    if exists:
        folder.mkdir(parents=True)
    written = scaffold_module._write_file

    def fill_up(path: Path, data: bytes) -> None:
        if path.name == "README.md":  # the disk fills up at the last file
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written(path, data)

    monkeypatch.setattr(scaffold_module, "_write_file", fill_up)
    with pytest.raises(HerGraphError, match=r"No space left on device.*nothing was written"):
        new_story(folder)
    if exists:
        assert folder.is_dir() and list(folder.iterdir()) == []
        assert [p.name for p in folder.parent.iterdir()] == ["my-story"]
    else:
        assert list(tmp_path.iterdir()) == []  # not even the parent it made
    monkeypatch.undo()
    code, out, err = invoke("new", str(folder))  # the rerun is not refused
    assert code == 0 and out.count("wrote") == 3, err


# --- 11. a text longer than the loader reads ------------------------------------------------------


def test_a_text_longer_than_the_loader_reads_is_refused_at_compile(lamp: Path) -> None:
    text = LAMP_YAML.replace("kind: human}", "kind: human, description: " + "x" * (17 << 20)
                             + "}")
    lamp.write_text(text, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    problem = one_problem(lamp, err)
    assert code == 1 and problem.startswith(f"{lamp}:{line_of(LAMP_YAML, 'id: ada')}: "
                                            "`description:` is 17.0 MiB long, more than the "
                                            "16 MiB a graph file may hold in one text")
    assert not (lamp.parent / "story.ttl").exists()


def test_a_text_just_under_the_limit_compiles_and_loads(lamp: Path) -> None:
    text = LAMP_YAML.replace("kind: human}", "kind: human, description: " + "x" * (15 << 20)
                             + "}")
    lamp.write_text(text, encoding="utf-8")
    ttl = write_story_graph(lamp)
    assert (URIRef("https://example.org/stories/the-lamp-and-the-lake/ada"), None, None) \
        in graph.load(ttl).rdf
