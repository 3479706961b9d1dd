"""The command line against a careless or hostile user: exports that would replace their own
input, files that are links, full disks, impossible options, closed output, empty or broken
queries, duplicate act numbers, empty graphs and invisible characters that reorder a terminal.

Each test runs ``her-graph`` as a user does (in this process, through the same ``main``, or in
a subprocess where the process itself matters) and checks what the user sees: the exit code,
the one error line, and the files left behind.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import graph
import graph.atomic
from graph.cli.common import terminal_safe
from graph.errors import ExportError, GraphLoadError, UsageError
from graph.export import export_all, render, write_atomic, write_files_atomic
from graph.generate import generate_story
from graph.namespaces import HER, HG
from tests.conftest import ROOT
from tests.hostile_helpers import Outcome, cli

RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
SCHEMA_NAME = URIRef("https://schema.org/name")


def refused(code: int, *args: str) -> str:
    """Run a command that must fail with ``code``; its one error line."""
    outcome = cli(*args)
    assert outcome.code == code, (outcome.code, outcome.stdout, outcome.stderr)
    return outcome.error_line


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------------------------------------
# Atomic writes: a link stays a link, a file keeps its permissions, several files are written
# all or none


@pytest.fixture(params=["unnamed", "named"])
def temporaries(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of writing: Linux's unnamed files, and named ones (elsewhere)."""
    if request.param == "named":
        monkeypatch.delattr(graph.atomic.os, "O_TMPFILE", raising=False)
    return str(request.param)


def test_writing_to_a_link_replaces_the_file_it_points_to(temporaries: str,
                                                          tmp_path: Path) -> None:
    elsewhere = tmp_path / "kept"
    elsewhere.mkdir()
    real = elsewhere / "her.ttl"
    real.write_bytes(b"previous")
    link = tmp_path / "her.ttl"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["her.ttl", "kept"]
    assert sorted(p.name for p in elsewhere.iterdir()) == ["her.ttl"]  # no temporary left
    dangling = tmp_path / "new.ttl"
    dangling.symlink_to("made-by-the-write.ttl")
    write_atomic(dangling, b"created")
    assert dangling.is_symlink() and (tmp_path / "made-by-the-write.ttl").read_bytes() == b"created"
    loop = tmp_path / "loop.ttl"
    loop.symlink_to("loop.ttl")
    with pytest.raises(ExportError, match="is a symlink loop"):
        write_atomic(loop, b"x")


def test_a_rewritten_file_keeps_its_permissions_and_a_new_one_follows_the_umask(
        temporaries: str, tmp_path: Path) -> None:
    private = tmp_path / "private.ttl"
    private.write_bytes(b"previous")
    private.chmod(0o600)
    write_atomic(private, b"new")
    assert private.stat().st_mode & 0o777 == 0o600 and private.read_bytes() == b"new"
    previous = os.umask(0o027)
    try:
        fresh = write_atomic(tmp_path / "fresh.ttl", b"x")
    finally:
        os.umask(previous)
    assert fresh.stat().st_mode & 0o777 == 0o640  # as open(path, "w") would make it


def test_a_generator_that_fails_leaves_nothing(tmp_path: Path) -> None:
    def files() -> object:
        yield tmp_path / "a.txt", b"a"
        raise ExportError("the second file cannot be rendered")

    with pytest.raises(ExportError, match="second file"):
        write_files_atomic(files())  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Exports: never over the graph they are made from, all files or none, -o checked first


@pytest.fixture(scope="module")
def story_ttl(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A user's story graph as Turtle, with a comment of theirs at the top."""
    folder = tmp_path_factory.mktemp("story")
    path = generate_story(characters=3, seed=3).write(folder / "story.ttl")
    return b"# my notes on the story: keep them\n" + path.read_bytes()


def test_build_into_the_graphs_own_folder_refuses_to_replace_it(story_ttl: bytes,
                                                                tmp_path: Path) -> None:
    story = tmp_path / "g.ttl"
    story.write_bytes(story_ttl)
    line = refused(2, "build", "-g", str(story), "-o", str(tmp_path))
    assert "g.ttl: is the graph being exported" in line and "--stem" in line
    assert _listing(tmp_path) == {"g.ttl": story_ttl}  # nothing written, the comment kept
    # Another name for the files, or another folder, is fine.
    assert cli("build", "-g", str(story), "-o", str(tmp_path), "--stem", "g-out").code == 0
    assert story.read_bytes() == story_ttl and (tmp_path / "g-out.ttl").is_file()


def test_export_refuses_to_replace_its_input_by_any_name(story_ttl: bytes,
                                                         tmp_path: Path) -> None:
    story = tmp_path / "g.ttl"
    story.write_bytes(story_ttl)
    (tmp_path / "latest.ttl").symlink_to(story)
    for target in (story, tmp_path / "." / "g.ttl", tmp_path / "latest.ttl"):
        line = refused(2, "export", "-g", str(story), "-o", str(target))
        assert "is the graph being exported" in line and "another folder" in line
    line = refused(2, "export", "-g", str(tmp_path / "latest.ttl"), "-o", str(story))
    assert "latest.ttl" in line
    assert story.read_bytes() == story_ttl


def test_export_all_keeps_the_files_it_is_told_to(story_ttl: bytes, tmp_path: Path) -> None:
    story = tmp_path / "g.ttl"
    story.write_bytes(story_ttl)
    with pytest.raises(UsageError, match="would replace it"):
        export_all(graph.load(story), tmp_path, stem="g", keep=[story])
    assert _listing(tmp_path) == {"g.ttl": story_ttl}


def test_every_writer_of_files_writes_through_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    kg = graph.load()
    for name, write in [("her.html", lambda path: kg.to_html(path)),
                        ("her.ttl", lambda path: graph.export.export(kg, path))]:
        (real / name).write_bytes(b"previous")
        (real / name).chmod(0o640)
        (tmp_path / name).symlink_to(real / name)
        write(tmp_path / name)
        assert (tmp_path / name).is_symlink() and (real / name).stat().st_mode & 0o777 == 0o640
        assert (real / name).read_bytes() != b"previous"


def _full_disk_at(monkeypatch: pytest.MonkeyPatch, call: int) -> None:
    """Make the ``call``-th file written (1-based) fail as a full disk does."""
    real = graph.atomic._write_fully
    calls = []

    def write(descriptor: int, data: bytes) -> None:
        calls.append(descriptor)
        if len(calls) == call:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(descriptor, data)

    monkeypatch.setattr(graph.atomic, "_write_fully", write)


def test_csv_on_a_full_disk_writes_neither_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "t-nodes.csv").write_bytes(b"previous nodes")
    (tmp_path / "t-edges.csv").write_bytes(b"previous edges")
    before = _listing(tmp_path)
    _full_disk_at(monkeypatch, 2)
    line = refused(1, "export", "-f", "csv", "-o", str(tmp_path / "t"))
    assert "No space left on device" in line
    assert _listing(tmp_path) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    _full_disk_at(monkeypatch, 2)
    refused(1, "export", "-f", "csv", "-o", str(empty / "t"))
    assert list(empty.iterdir()) == []
    monkeypatch.undo()
    assert cli("export", "-f", "csv", "-o", str(empty / "t")).code == 0
    assert sorted(p.name for p in empty.iterdir()) == ["t-edges.csv", "t-nodes.csv"]


def test_a_build_that_fails_midway_leaves_the_previous_exports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in ("her.ttl", "her.nt", "her.jsonld", "her.graphml", "her.gexf", "her-nodes.csv"):
        (out / name).write_bytes(b"the previous build")
    before = _listing(out)
    _full_disk_at(monkeypatch, 6)
    assert "No space left on device" in refused(1, "build", "-o", str(out))
    assert _listing(out) == before  # none of the 15 changed, and no temporary left


def refused_in(folder: Path, *args: str) -> str:
    """:func:`refused` with exit code 2, run in ``folder``."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        return refused(2, *args)
    finally:
        os.chdir(here)


@pytest.mark.parametrize(("args", "words"), [
    (["export", "-f", "csv", "-o", ""], "give the path of a file"),
    (["export", "-f", "csv", "-o", "out/.csv"], "give the files a name"),
    (["export", "-f", "jsonld", "-o", "x.ttl"], "--format jsonld writes .jsonld"),
    (["build", "--stem", ""], "is not a file name stem"),
    (["build", "--stem", "a/b"], "is not a file name stem"),
])
def test_export_options_that_cannot_work_are_usage_errors(args: list[str], words: str,
                                                          tmp_path: Path) -> None:
    assert words in refused_in(tmp_path, *args)
    assert list(tmp_path.iterdir()) == []


def test_export_reads_the_extension_in_any_case(tmp_path: Path) -> None:
    assert cli("export", "-o", str(tmp_path / "her.TTL")).code == 0
    assert cli("export", "-f", "ttl", "-o", str(tmp_path / "again.Ttl")).code == 0
    assert cli("export", "-f", "metrics", "-o", str(tmp_path / "acts.csv")).code == 0
    her = graph.load()
    assert (tmp_path / "her.TTL").read_bytes() == render(her, "ttl")
    assert (tmp_path / "again.Ttl").read_bytes() == render(her, "ttl")


def test_export_to_a_closed_standard_output_says_so() -> None:
    result = subprocess.run([sys.executable, "-m", "graph.cli", "export", "-f", "nt"],
                            stderr=subprocess.PIPE, text=True, timeout=120, check=False,
                            preexec_fn=lambda: os.close(1))
    outcome = Outcome(result.returncode, "", result.stderr)
    assert outcome.code == 2 and "standard output is closed" in outcome.error_line


# ---------------------------------------------------------------------------------------------
# publish and serve: options that cannot work are usage errors (exit 2)


@pytest.mark.parametrize(("args", "words"), [
    (["publish", "--endpoint", "http://127.0.0.1:99999/"], "port is not a number from 1 to"),
    (["publish", "--endpoint", "not a url"], "is not an http:// or https:// URL"),
    (["publish", "--endpoint", "http://[::1"], "is not a usable URL"),
    (["publish", "--endpoint", "http://127.0.0.1:9/", "--graph-store", "ftp://x"],
     "is not an http:// or https:// URL"),
    (["publish", "--endpoint", "http://127.0.0.1:9/", "--timeout", "-1"], "above 0"),
    (["publish", "--endpoint", "http://127.0.0.1:9/", "--timeout", "nan"], "above 0"),
    (["publish", "--endpoint", "http://127.0.0.1:9/", "--timeout", "0"], "above 0"),
    (["publish", "--endpoint", "http://127.0.0.1:9/", "--graph-iri", "bad iri"],
     "is not a valid absolute graph IRI"),
    (["serve", "--host", "999.1.1.1"], "is not an IP address or a host name"),
    (["serve", "--host", "bad host"], "is not an IP address or a host name"),
])
def test_server_options_that_cannot_work_are_usage_errors(args: list[str], words: str,
                                                          tmp_path: Path) -> None:
    # Refused while the command line is read: before the graph loads or a request is sent.
    assert words in refused_in(tmp_path, *args)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Graphs that hold nothing, symlink loops, and JSON when the graph cannot be read


def test_a_graph_without_triples_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("# nothing yet\n@prefix ex: <https://example.org/> .\n", encoding="utf-8")
    out = tmp_path / "out"
    for args in (["validate", str(empty)], ["build", "-g", str(empty), "-o", str(out)],
                 ["export", "-g", str(empty), "-f", "ttl"]):
        assert "empty.ttl: the file holds no triples" in refused(1, *args)
    assert not out.exists()
    # An update may fill it, and save it elsewhere.
    filled = tmp_path / "filled.ttl"
    done = cli("query", "-g", str(empty), "--allow-update", "--save", str(filled),
               "-e", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert done.code == 0 and len(graph.load(filled)) == 1


def test_a_symlink_loop_is_called_a_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.ttl"
    loop.symlink_to("loop.ttl")
    for args in (["validate", str(loop)], ["stats", "-g", str(loop)], ["query", str(loop)],
                 ["validate", "--source", str(loop)]):
        line = refused(2, *args)
        assert "is a symlink loop" in line and "does not exist" not in line
    with pytest.raises(GraphLoadError, match="is a symlink loop"):
        graph.load(loop)


def test_validate_as_json_prints_json_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("garbage <<\n", encoding="utf-8")
    done = cli("validate", "-f", "json", str(bad))
    assert done.code == 1 and "invalid Turtle" in done.error_line
    report = json.loads(done.stdout)
    assert report["ok"] is False and "invalid Turtle" in report["error"]


# ---------------------------------------------------------------------------------------------
# Queries: empty ones, parameters a query does not take, a user's named queries


def test_an_empty_query_is_called_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.rq"
    empty.write_text("", encoding="utf-8")
    comment = tmp_path / "comment.rq"
    comment.write_text("# what it would answer\n\n", encoding="utf-8")
    for path in (empty, comment):
        line = refused(2, "query", str(path))
        assert f"{path}: the query is empty" in line and "UPDATE" not in line
    assert "the query is empty" in refused(2, "query", "-e", "  # nothing\n")
    result = subprocess.run([sys.executable, "-m", "graph.cli", "query", "-"], input="",
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert "standard input: the query is empty" in Outcome(2, "", result.stderr).error_line


def test_a_parameter_the_query_never_names_is_refused() -> None:
    line = refused(2, "query", "-e", "SELECT ?name WHERE { ?c schema:name ?name }",
                   "-p", "nmae=Amy")
    assert "the query takes c, name" in line and "unknown parameter(s) nmae" in line
    done = cli("query", "-e", "SELECT ?c WHERE { ?c schema:name ?name }", "-p", "name=Amy")
    assert done.code == 0 and "her:Amy" in done.stdout
    # A variable named only inside a string or a comment is not one.
    assert "unknown parameter(s) x" in refused(
        2, "query", "-e", "SELECT ?c WHERE { ?c schema:name '?x' } # ?x", "-p", "x=1")


def test_a_users_query_named_as_a_bundled_one_replaces_it_and_says_so(tmp_path: Path) -> None:
    mine = tmp_path / "qd"
    mine.mkdir()
    (mine / "events.rq").write_text("# My events: the first two.\n"
                                    "SELECT ?e WHERE { ?e a hg:StoryEvent } ORDER BY ?e LIMIT 2\n",
                                    encoding="utf-8")
    listing = cli("query", "--queries", str(mine), "--list")
    events = next(line for line in listing.stdout.splitlines() if line.startswith("events "))
    assert "My events" in events and "(replaces the bundled query)" in events
    assert "yours replace the bundled events" in listing.stdout
    entries = json.loads(cli("query", "--queries", str(mine), "--list", "-f", "json").stdout)
    assert [e["name"] for e in entries if e["replaces_bundled"]] == ["events"]
    assert next(e for e in entries if e["name"] == "cast")["file"] is None
    done = cli("query", "--queries", str(mine), "events")
    assert done.code == 0 and "(2 rows)" in done.stdout
    assert "replaces the bundled one" in done.stderr
    assert "replaces it" in " ".join(cli("query", "--help").stdout.split())
    # Without --queries, the listing is as it was.
    assert "file" not in cli("query", "--list").stdout.splitlines()[0]


def test_a_syntax_error_in_a_query_file_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "qd"
    folder.mkdir()
    broken = folder / "broken.rq"
    broken.write_text("# A broken query.\nSELECT ?s WHERE {\n  ?s ?p ?o . FILTER(\n}\n",
                      encoding="utf-8")
    for args in (["--queries", str(folder), "broken"], [str(broken)]):
        line = refused(1, "query", *args)
        assert line.startswith(f"her-graph: error: {broken}: invalid SPARQL at line 3")


# ---------------------------------------------------------------------------------------------
# Act numbers: once each in a work


def test_two_acts_with_one_number_do_not_validate(tmp_path: Path) -> None:
    g = Graph()
    g.parse(ROOT / "data" / "her.ttl")
    g.set((HER["act-2"], HG.actNumber, Literal(1)))
    path = tmp_path / "two-first-acts.ttl"
    g.serialize(path, format="turtle")
    done = cli("validate", str(path))
    assert done.code == 1 and "NOT valid" in done.stdout
    assert "her:act-1, has the same act number 1" in done.stdout
    assert "her:act-2, has the same act number 1" in done.stdout
    assert cli("validate").code == 0  # the Her graph numbers its acts once each


# ---------------------------------------------------------------------------------------------
# Invisible characters that reorder or hide text are escaped on the terminal


def test_every_format_character_is_escaped_and_ordinary_text_is_not() -> None:
    import sys as system

    for code in range(system.maxunicode + 1):
        if unicodedata.category(chr(code)) == "Cf":
            escaped = terminal_safe(f"a{chr(code)}b")
            assert chr(code) not in escaped and "\\u" in escaped.lower(), hex(code)
    assert terminal_safe("Samantha \u202eevil") == "Samantha \\u202Eevil"
    assert terminal_safe("zero\u200bwidth") == "zero\\u200Bwidth"
    ordinary = ["Théodore", "Samantha 🙂", "愛 と 孤独", "e\u0301", "❤\ufe0f",
                "\U0001f469\u200d\U0001f4bb",  # woman technologist: one emoji
                "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
                "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, with a ZWNJ
                "tab\tand\nnewline"]
    for text in ordinary:
        assert terminal_safe(text) == text, text
    assert terminal_safe("Sam\u200dantha") == "Sam\\u200Dantha"  # hides nothing between Latin


def test_validate_messages_and_the_stats_table_escape_a_bidi_override(tmp_path: Path) -> None:
    g = Graph()
    g.parse(ROOT / "data" / "her.ttl")
    g.set((HER["event-letter"], RDFS_LABEL, Literal("The letter \u202eretteL")))
    g.remove((HER["event-letter"], HG.evidence, None))
    g.set((HER.Theodore, SCHEMA_NAME, Literal("Theo\u202eerodo")))
    path = tmp_path / "bidi.ttl"
    g.serialize(path, format="turtle")
    report = cli("validate", str(path))
    assert report.code == 1
    assert "The letter \\u202eretteL" in report.stdout.replace("\\u202E", "\\u202e")
    assert "Theo\\u202Eerodo" in report.stdout  # the evidence check names the character
    stats = cli("stats", "-g", str(path))
    assert stats.code == 0 and "Theo\\u202Eerodo" in stats.stdout
    for output in (report.stdout, stats.stdout):
        assert "\u202e" not in output


# ---------------------------------------------------------------------------------------------
# rdflib's notes stay off standard error


def test_an_ill_typed_literal_in_an_update_leaves_no_stray_warning() -> None:
    done = cli("query", "--allow-update",
               "-e", 'INSERT DATA { <urn:a> <urn:b> "bad"^^xsd:integer }')
    assert done.code == 0 and "1 triple(s) added" in done.stdout
    assert done.stderr == ""
