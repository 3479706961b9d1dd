"""Hostile input, continued: issue 20's broken promises, crashes and hangs, case by case.

Each test fails without its fix. The W3C conformance suites are in
``tests/read/test_w3c_suites.py``; named graphs in ``tests/read/test_datasets.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import graph
import graph.cli.common
from graph.errors import QueryError
from tests.hostile_helpers import cli, cli_bounded, listener

LOCAL_STORES = ("memory", "oxigraph")


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Offline: SPARQL's codepoint escapes spell SERVICE and LOAD too


@pytest.mark.parametrize("store", LOCAL_STORES)
def test_escaped_service_and_load_never_reach_the_network(store: str) -> None:
    kg = graph.load(store=store)
    size = len(kg)
    with listener() as remote:
        for text in (rf"SELECT * WHERE {{ \u0053ERVICE <{remote.url}/s> {{ ?s ?p ?o }} }}",
                     rf"SELECT * WHERE {{ \U00000053\u0045RVICE SILENT <{remote.url}/s> "
                     "{ ?s ?p ?o } }",
                     rf"ASK {{ SER\u0056ICE <{remote.url}/s> {{ ?s ?p ?o }} }}"):
            with pytest.raises(QueryError, match=r"SERVICE <http://127\.0\.0\.1:\d+/s>"):
                kg.query(text)
        with pytest.raises(QueryError, match=r"update uses LOAD <http"):
            kg.update(rf"\u004cOAD <{remote.url}/data.ttl>")
        error = cli("query", "-e", rf"SELECT * {{ \u0053ERVICE <{remote.url}/s> {{ ?s ?p ?o }} }}")
        assert error.code == 1 and "--allow-network" in error.error_line
        time.sleep(0.2)
        assert remote.connections == []
    assert len(kg) == size


def test_a_service_by_prefixed_name_is_named_as_written() -> None:
    kg = graph.load()
    with pytest.raises(QueryError, match=r"^the query uses SERVICE x:sparql, which") as info:
        kg.query("PREFIX x: <http://127.0.0.1:9/> SELECT * { SERVICE x:sparql { ?s ?p ?o } }")
    assert "{" not in str(info.value).split(", which")[0]


# ---------------------------------------------------------------------------------------------
# Terminal: CSV and JSON output to a terminal carry no raw control characters

_HOSTILE_LABEL = "Eve\x1b]0;pwned\x07\x1b[31m red \x9b2J \x7f end"
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("output", ["csv", "json"])
def test_csv_and_json_to_a_terminal_escape_control_characters(
        output: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "ansi.nt", f"<https://e/a> <https://schema.org/name> "
                                       f"{json.dumps(_HOSTILE_LABEL)} .\n")
    select = ["query", "-g", str(path), "--format", output, "-e",
              "SELECT ?n WHERE { ?s schema:name ?n }"]
    construct = ["query", "-g", str(path), "--format", output, "-e",
                 "CONSTRUCT WHERE { ?s ?p ?o }"]
    monkeypatch.setattr(graph.cli.common, "stdout_is_terminal", lambda: True)
    for args in (select, construct):
        shown = cli(*args)
        assert shown.code == 0, shown.stderr
        assert not _RAW_CONTROL.search(shown.stdout), repr(shown.stdout)
        assert re.search(r"\\u001[bB]\]0;pwned", shown.stdout), shown.stdout
        assert "\\u009" in shown.stdout
    # Into a pipe CSV keeps the exact text; JSON is exact for any JSON reader either way.
    monkeypatch.setattr(graph.cli.common, "stdout_is_terminal", lambda: False)
    piped = cli(*select)
    if output == "csv":
        assert _HOSTILE_LABEL in piped.stdout
    else:
        assert json.loads(piped.stdout) == [{"n": _HOSTILE_LABEL}]
        assert not _RAW_CONTROL.search(piped.stdout)


# ---------------------------------------------------------------------------------------------
# Crashes: JSON-LD nested deep enough to overflow the parser's stack; RDF/XML that stalls it

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _deep_jsonld(levels: int) -> str:
    return ("".join(f'{{"@id": "https://e/n{n}", "https://e/p": ' for n in range(levels))
            + '"x"' + "}" * levels)


@pytest.mark.parametrize("levels", [4_000, 10_000])
def test_deeply_nested_jsonld_is_refused_not_a_crash(levels: int, tmp_path: Path) -> None:
    path = _write(tmp_path, "deep.jsonld", _deep_jsonld(levels))
    for store in LOCAL_STORES:
        with pytest.raises(graph.errors.GraphLoadError,
                           match=rf"^{path}:1: objects and arrays are nested more than 1,000"):
            graph.load(path, store=store)
    # In a fresh process, bounded: a regression is a failed test, not a crashed one.
    error = cli_bounded("stats", "-g", str(path), seconds=60)
    assert error.code == 1 and "nested more than" in error.error_line


def test_nested_jsonld_within_the_limit_loads_and_strings_do_not_count(tmp_path: Path) -> None:
    path = _write(tmp_path, "fine.jsonld", _deep_jsonld(300)[:-300]
                  .replace('"x"', '"[[[{{{' + "{" * 2000 + '\\"]]"') + "}" * 300)
    assert len(graph.load(path)) == 300


@pytest.mark.parametrize("context", ["ctx.jsonld", "file:///etc/ctx.jsonld"])
def test_a_context_in_another_file_is_not_called_remote(context: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "c.jsonld", json.dumps(
        {"@context": context, "@id": "https://e/a", "https://e/p": "x"}))
    with pytest.raises(graph.errors.GraphLoadError,
                       match=rf"^{path}: the JSON-LD refers to an @context in another file "
                             rf"\({re.escape(context)}\), which her-graph does not read") as info:
        graph.load(path)
    assert "remote" not in str(info.value)


def _rdfxml(root_attributes: str, body: str) -> str:
    return (f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF_NS}" {root_attributes}>\n{body}\n'
            "</rdf:RDF>\n")


RDFXML_FLOODS = [
    ("400k attributes on one element", _rdfxml(
        'xmlns:s="https://schema.org/"',
        '<rdf:Description rdf:about="https://e/a" '
        + " ".join(f's:a{n}="v"' for n in range(400_000)) + "/>"),
     "an element carries 400,001 attributes (the limit is 10,000)"),
    ("100k namespace declarations on one element", _rdfxml(
        " ".join(f'xmlns:p{n}="https://e/{n}#"' for n in range(100_000)),
        '<rdf:Description rdf:about="https://e/a"/>'), "attributes (the limit is 10,000)"),
    ("100k namespace declarations, one per element", _rdfxml(
        "", "\n".join(f'<rdf:Description xmlns:p{n}="https://e/{n}#" rdf:about="https://e/{n}"/>'
                      for n in range(100_000))),
     "declares more than 10,000 namespaces"),
]


@pytest.mark.parametrize(("case", "content", "words"), RDFXML_FLOODS,
                         ids=[f[0] for f in RDFXML_FLOODS])
def test_rdfxml_that_would_stall_the_parser_is_refused_up_front(
        case: str, content: str, words: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "flood.rdf", content)
    error = cli_bounded("stats", "-g", str(path), seconds=60)
    assert error.code == 1 and words in error.error_line and str(path) in error.error_line


# ---------------------------------------------------------------------------------------------
# Blank nodes: exports in bounded time, nesting a clear error


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "graphml", "gexf", "csv"])
def test_identical_blank_nodes_do_not_make_exports_exponential(fmt: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "same.ttl", "@prefix : <https://e/> .\n"
                  + "".join(f':s{n} :p [ :q "x" ] .\n' for n in range(100)))
    out = tmp_path / f"out.{fmt}"
    done = cli_bounded("export", "-g", str(path), "--format", fmt, "-o", str(out), seconds=90)
    assert done.code == 0, done.stderr


@pytest.mark.parametrize("levels", [300, 3_000])
def test_deeply_nested_blank_nodes_export_or_say_why(levels: int, tmp_path: Path) -> None:
    path = _write(tmp_path, "deep.ttl", "@prefix : <https://e/> .\n:a :p "
                  + "[ :p " * levels + '"x"' + " ]" * levels + " .\n")
    error = cli_bounded("export", "-g", str(path), "--format", "ttl", seconds=90)
    assert error.code == 1
    assert f"blank nodes are nested {levels:,} deep" in error.error_line
    done = cli_bounded("export", "-g", str(path), "--format", "jsonld", "-o",
                       str(tmp_path / "deep.jsonld"), seconds=90)
    assert done.code == 0, done.stderr
    assert len(graph.load(tmp_path / "deep.jsonld")) == levels + 1


# ---------------------------------------------------------------------------------------------
# Query files: a pipe, a device, an endless standard input


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_or_a_device_among_query_files_is_refused_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    os.mkfifo(folder / "pipe.rq")
    error = cli_bounded("query", "--list", "--queries", str(folder), seconds=60)
    assert error.code != 0 and "pipe.rq: not a regular file" in error.error_line
    (folder / "pipe.rq").unlink()
    (folder / "zero.rq").symlink_to("/dev/zero")
    error = cli_bounded("query", "--list", "--queries", str(folder), seconds=60,
                        memory=1 << 30)
    assert error.code != 0 and "zero.rq: not a regular file" in error.error_line
    error = cli_bounded("query", "/dev/zero", seconds=60, memory=1 << 30)
    assert error.code == 2 and "/dev/zero: not a regular file" in error.error_line


def test_an_endless_standard_input_is_refused_not_read(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run([sys.executable, "-m", "graph.cli", "query", "-"], stdin=zero,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "standard input: longer than 8 MiB" in result.stderr
    assert "MemoryError" not in result.stderr


# ---------------------------------------------------------------------------------------------
# A hostile SPARQL server: headers trickled past the deadline, a body without end


@contextlib.contextmanager
def _hostile_server(kind: str) -> Iterator[str]:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                try:
                    connection.recv(65536)
                    if kind == "trickle":
                        connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                        while not stop.is_set():  # one header byte every 0.5 s, forever
                            connection.sendall(b"a")
                            time.sleep(0.5)
                    else:
                        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: "
                                           b"application/sparql-results+json\r\n\r\n")
                        block = b" " * 65536
                        while not stop.is_set():
                            connection.sendall(block)
                except OSError:
                    continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(10)
        server.close()


def _load_remote(url: str, **options: object) -> subprocess.CompletedProcess[str]:
    code = (f"import graph\ntry:\n    graph.load(store='sparql', endpoint={url!r}, "
            f"**{options!r})\nexcept graph.HerGraphError as error:\n"
            "    print(type(error).__name__, error)\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)


def test_a_server_trickling_its_headers_meets_one_deadline() -> None:
    with _hostile_server("trickle") as url:
        result = _load_remote(url, timeout=2)
    assert result.stdout.startswith("QueryTimeoutError"), result.stdout + result.stderr
    assert "did not answer the query within 2 s" in result.stdout


def test_an_endless_answer_is_cut_at_the_size_cap() -> None:
    with _hostile_server("endless") as url:
        result = _load_remote(url, timeout=50, max_bytes=4 << 20)
    assert result.stdout.startswith("StoreError"), result.stdout + result.stderr
    assert "sent more than 4,194,304 bytes" in result.stdout and "max_bytes=" in result.stdout


@pytest.mark.parametrize("args", [
    ("query", "--timeout", "nan", "-e", "ASK {}"),
    ("publish", "--endpoint", "http://[::1"),
])
def test_mistakes_on_the_command_line_are_not_called_bugs(args: tuple[str, ...]) -> None:
    error = cli(*args)
    assert error.code in (1, 2) and error.error_line


# ---------------------------------------------------------------------------------------------
# Loading what a file says: empty documents, relative IRIs, collections on Oxigraph


@pytest.mark.parametrize("name", ["empty.ttl", "empty.nt", "empty.nq", "empty.trig"])
@pytest.mark.parametrize("store", LOCAL_STORES)
def test_an_empty_document_is_an_empty_graph(name: str, store: str, tmp_path: Path) -> None:
    for content in ("", "# only a comment\n", "\n  \n"):
        path = _write(tmp_path, name, content)
        assert len(graph.load(path, store=store)) == 0
    # The command line has nothing to check or export in it: an error, not "valid".
    done = cli("stats", "-g", str(path))
    assert done.code == 1 and "holds no triples" in done.error_line


@pytest.mark.parametrize("store", LOCAL_STORES)
def test_relative_iris_resolve_the_same_on_every_machine(store: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "story.ttl", '<#alice> <https://schema.org/name> "Alice" .\n')
    kg = graph.load(path, store=store)
    assert kg.query("SELECT ?s WHERE { ?s ?p ?o }").column("s") == [
        "https://w3id.org/her-graph/base/story.ttl#alice"]


def test_a_file_whose_only_blank_nodes_are_collections_loads_the_same_every_time(
        tmp_path: Path) -> None:
    path = _write(tmp_path, "list.ttl",
                  "<https://e/a> <https://e/p> ( <https://e/b> <https://e/c> ) .\n")
    runs = [sorted(str(t) for t in graph.load(path, store="oxigraph").rdf) for _ in range(2)]
    assert runs[0] == runs[1]
    assert runs[0] == sorted(str(t) for t in graph.load(path).rdf)


@pytest.mark.parametrize("args", [("stats",), ("query", "--list"), ("query", "events"),
                                  ("influence", "Theodore")])
def test_a_reader_that_goes_away_ends_the_command_quietly(args: tuple[str, ...]) -> None:
    command = " ".join([f"'{sys.executable}'", "-m", "graph.cli", *args])
    result = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | head -c 10"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("target", ["afile/x.ttl", "afile/deeper/x.ttl"])
def test_a_file_where_a_folder_should_be_is_named(target: str, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    error = cli("export", "--format", "ttl", "-o", str(tmp_path / target))
    assert error.code == 1
    assert f"{tmp_path / 'afile'}: is a file, not a folder" in error.error_line


def test_a_killed_persisted_load_leaves_nothing_after_the_next_load(tmp_path: Path) -> None:
    big = tmp_path / "big.nt"
    with big.open("w", encoding="utf-8") as out:
        for n in range(600_000):
            out.write(f"<https://e/s{n}> <https://e/p> _:b{n} .\n")
    store = tmp_path / "corpus.oxigraph"
    code = f"import graph; graph.load({str(big)!r}, store='oxigraph', path={str(store)!r})"
    loader = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".corpus.oxigraph.loading-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    loader.kill()
    loader.wait(timeout=30)
    left = list(tmp_path.glob(".corpus.oxigraph.loading-*"))
    assert left, "the loader finished before it was killed"
    small = _write(tmp_path, "small.ttl", "<https://e/a> <https://e/b> <https://e/c> .\n")
    assert len(graph.load(small, store="oxigraph", path=store)) == 1
    assert not list(tmp_path.glob(".corpus.oxigraph.*"))


@pytest.mark.parametrize("store", LOCAL_STORES)
def test_a_base_iri_can_be_given(store: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "story.ttl", '<#alice> <https://schema.org/name> "Alice" .\n')
    kg = graph.load(path, store=store, base="https://example.org/stories/one")
    assert kg.query("SELECT ?s WHERE { ?s ?p ?o }").column("s") == [
        "https://example.org/stories/one#alice"]
    shown = cli("query", "-g", str(path), "--base", "urn:story:", "--format", "csv", "-e",
                "SELECT ?s WHERE { ?s ?p ?o }")
    assert shown.code == 0 and "urn:story:#alice" in shown.stdout, shown.stderr
    again = cli("query", "-g", str(path), "--format", "csv", "-e", "SELECT ?s WHERE { ?s ?p ?o }")
    assert "https://w3id.org/her-graph/base/story.ttl#alice" in again.stdout
    with pytest.raises(graph.errors.GraphLoadError, match="is not an absolute IRI"):
        graph.load(path, store=store, base="not an iri")
    error = cli("stats", "-g", str(path), "--base", "not an iri")
    assert error.code == 2 and "not an absolute IRI" in error.error_line


@pytest.mark.parametrize("store", LOCAL_STORES)
def test_an_n3_formula_is_refused_never_asserted(store: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "belief.n3", "@prefix : <https://e/> .\n"
                  ":alice :believes { :moon :madeOf :cheese } .\n")
    with pytest.raises(graph.errors.GraphLoadError, match=rf"^{path}: the N3 file quotes a "
                                                          r"formula"):
        graph.load(path, store=store)
