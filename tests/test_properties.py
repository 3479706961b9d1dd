"""Properties that must hold for any input (hypothesis), and a fuzzed command line.

- Random narrative graphs, from the generator and with arbitrary unicode labels and IRIs, come
  back unchanged from Turtle, JSON-LD and the full NetworkX view, and from the CSV tables once
  the spreadsheet escape is undone.
- Any text stays text in the HTML page: it cannot change the document's markup, and the data
  the page's script reads gives it back exactly.
- Any string bound to a query variable comes back exactly, on both local stores.
- Whatever bytes a graph file holds, loading either works or raises GraphLoadError.
- Whatever arguments the CLI gets, it exits 0, 1 or 2, with one error line and no traceback.

Runs are reproducible (``derandomize=True``, no example database): CI sees the same examples
every time, and a failure prints the shrunk example that breaks the property.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, SDO

import graph
from graph.errors import GraphLoadError
from graph.export import render
from graph.export.network import csv_tables, resource_graph
from graph.export.spreadsheet import formula_safe, restore
from graph.generate import generate_story
from graph.namespaces import HG, OA
from graph.page.data import json_for_script as _json_for_script
from graph.page.html import render_html
from graph.views.full import to_rdf
from tests.hostile_helpers import cli

PROPERTY = settings(derandomize=True, database=None, deadline=None, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Any text an RDF literal can hold: every code point but the surrogates (and those a UTF-8
# file cannot carry), control characters included.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
# Lower case: Oxigraph writes language tags in their canonical lower case, and rdflib compares
# them as written (RDF says they match in any case).
LANGUAGES = st.sampled_from(["en", "fr", "de-ch", "zh-hant-tw", "x-private", "en-gb"])
# IRI local names: letters and digits of any script, and the characters IRIs allow unescaped.
LOCAL_NAME = st.text(st.one_of(st.characters(categories=["L", "N"]),
                               st.sampled_from("-._~!$'()*+,;=:@%")), min_size=1, max_size=20
                     ).filter(lambda s: not re.search(r"%(?![0-9A-Fa-f]{2})", s))


@contextlib.contextmanager
def working_in(folder: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _round_trips(kg: graph.KnowledgeGraph) -> None:
    """Turtle, JSON-LD and the full view give back the graph, and the CSV tables its labels."""
    reference = kg.rdf
    with tempfile.TemporaryDirectory() as folder:
        for fmt, extension in (("ttl", ".ttl"), ("jsonld", ".jsonld")):
            path = Path(folder) / f"story{extension}"
            path.write_bytes(render(kg, fmt))
            assert isomorphic(graph.load(path).rdf, reference), fmt
    assert isomorphic(to_rdf(kg.to_networkx("full")), reference), "full view"
    network = resource_graph(reference)
    nodes, _ = csv_tables(network)
    rows = list(csv.DictReader(io.StringIO(nodes.decode("utf-8"), newline="")))
    assert {restore(r["id"]): restore(r["label"]) for r in rows} == {
        key: data["label"] for key, data in network.nodes(data=True)}, "CSV"


# ---------------------------------------------------------------------------------------------
# Round trips


@settings(PROPERTY, max_examples=20)
@given(seed=st.integers(0, 10_000), characters=st.integers(2, 6))
def test_generated_stories_round_trip(seed: int, characters: int) -> None:
    _round_trips(generate_story(characters=characters, seed=seed).load())


@st.composite
def unicode_stories(draw: st.DrawFn) -> dict[str, object]:
    """Edits to a small generated story: arbitrary names, labels, quotes and IRIs (a plain
    dict, so that a failure prints the texts that broke it)."""
    return {
        "seed": draw(st.integers(0, 50)),
        "names": draw(st.lists(TEXT, min_size=1, max_size=8)),
        "labels": draw(st.lists(st.tuples(TEXT, LANGUAGES), max_size=4)),
        "quotes": draw(st.lists(TEXT, max_size=3)),
        "resources": draw(st.lists(st.tuples(LOCAL_NAME, TEXT, TEXT, LANGUAGES), max_size=3,
                                   unique_by=lambda r: r[0])),
    }


def _story_graph(edits: dict[str, Any]) -> Graph:
    g = generate_story(characters=2, seed=edits["seed"]).to_rdflib()
    for subject, text in zip(sorted(set(g.subjects(SDO.name, None))), edits["names"],
                             strict=False):
        g.set((subject, SDO.name, Literal(text)))
    for subject, (text, language) in zip(sorted(set(g.subjects(RDFS.label, None))),
                                         edits["labels"], strict=False):
        g.set((subject, RDFS.label, Literal(text, lang=language)))
    for subject, text in zip(sorted(set(g.subjects(OA.exact, None))), edits["quotes"],
                             strict=False):
        g.set((subject, OA.exact, Literal(text)))
    for local, name, description, language in edits["resources"]:
        node = URIRef(f"https://example.org/story/{local}")
        g.add((node, SDO.name, Literal(name)))
        g.add((node, HG.hasTheme, URIRef(f"https://example.org/theme/{local}")))
        g.add((node, SDO.description, Literal(description, lang=language)))
    return g


@settings(PROPERTY, max_examples=60)
@given(unicode_stories())
def test_stories_with_arbitrary_unicode_round_trip(edits: dict[str, Any]) -> None:
    story = _story_graph(edits)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.nt"
        story.serialize(path, format="nt", encoding="utf-8")
        kg = graph.load(path)
    assert isomorphic(kg.rdf, story)
    _round_trips(kg)


# ---------------------------------------------------------------------------------------------
# The HTML escape


class _Markup(HTMLParser):
    """The markup of a page (tags and attributes), without its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, str, tuple[tuple[str, str | None], ...]]] = []
        self.data: str | None = None
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The CSP names the scripts by hash; the title and counts are text in attributes.
        kept = tuple((k, v) for k, v in attrs if k not in ("content", "aria-label",
                                                            "placeholder"))
        self.tags.append(("start", tag, kept))
        self._in_data = ("id", "her-graph-data") in attrs

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(("end", tag, ()))
        self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data = (self.data or "") + data


def _markup(page: str) -> _Markup:
    parser = _Markup()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def baseline_markup() -> list[tuple[str, str, tuple[tuple[str, str | None], ...]]]:
    return _markup(render_html(_titled_story("Plain title", "Plain name"))).tags


def _titled_story(title: str, name: str) -> graph.KnowledgeGraph:
    g = generate_story(characters=2, seed=1).to_rdflib()
    work = next(g.subjects(None, SDO.Movie))
    g.set((work, SDO.name, Literal(title)))
    character = sorted(g.subjects(None, HG.HumanCharacter))[0]
    g.set((character, SDO.name, Literal(name)))
    g.set((character, SDO.description, Literal(f"{name} {title}", lang="en")))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.nt"
        g.serialize(path, format="nt", encoding="utf-8")
        return graph.load(path)


HOSTILE_TEXT = st.one_of(TEXT, st.lists(st.sampled_from([
    "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&lt;", '"', "'",
    "<img src=x onerror=alert(1)>", "javascript:", "\u2028", "\u2029", "\u202e", "{{", "}}",
    "${", "</style>", "<", ">", "&", "\\", "\x00", "\r\n", "</h1>", "<title>"]), max_size=8).map(
        "".join))


@settings(PROPERTY, max_examples=50)
@given(title=HOSTILE_TEXT, name=HOSTILE_TEXT)
def test_any_text_stays_text_in_the_page(
        title: str, name: str,
        baseline_markup: list[tuple[str, str, tuple[tuple[str, str | None], ...]]]) -> None:
    page = render_html(_titled_story(title or "x", name or "x"))
    parsed = _markup(page)
    assert parsed.tags == baseline_markup  # the same elements and attributes, only other text
    data = json.loads(parsed.data or "")
    names = {node["name"] for node in data["nodes"]}
    assert (name or "x") in names and any((name or "x") in n["description"]
                                          for n in data["nodes"])


@settings(PROPERTY, max_examples=300)
@given(st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12))
def test_json_for_a_script_element_holds_for_any_value(value: object) -> None:
    text = _json_for_script(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


@settings(PROPERTY, max_examples=500)
@given(TEXT)
def test_the_spreadsheet_escape_is_safe_and_reversible(text: str) -> None:
    safe = formula_safe(text)
    assert restore(safe) == text
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(
        r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", safe)


# ---------------------------------------------------------------------------------------------
# Bound values


@pytest.fixture(scope="module")
def local_stores() -> list[graph.KnowledgeGraph]:
    path = generate_story(characters=2, seed=2).write(
        Path(tempfile.mkdtemp(prefix="her-graph-")) / "story.nt")
    return [graph.load(path, store=store) for store in ("memory", "oxigraph")]


@settings(PROPERTY, max_examples=150)
@given(text=TEXT)
def test_any_bound_string_comes_back_exactly(text: str,
                                             local_stores: list[graph.KnowledgeGraph]) -> None:
    for kg in local_stores:
        size = len(kg)
        assert kg.query("SELECT ?v WHERE { }", v=text) == [{"v": text}]
        matches = kg.query("SELECT ?s WHERE { ?s schema:name ?v }", v=text)
        assert all(kg.query("ASK { ?s schema:name ?v }", s=row["s"], v=text) for row in matches)
        assert len(kg) == size


# ---------------------------------------------------------------------------------------------
# Fuzzing: graph files of any bytes, and the command line

EXTENSIONS = [".ttl", ".nt", ".nq", ".trig", ".n3", ".jsonld", ".json", ".rdf", ".xml", ".owl"]
SEEDS = [b'@prefix ex: <http://e/> .\nex:a ex:b "c"@en ; ex:d ( 1 [ ex:e 2 ] ) .\n',
         b'<http://e/a> <http://e/b> "c\\u00e9"^^<http://e/t> .\n',
         b'{"@context": {"ex": "http://e/"}, "@id": "ex:a", "ex:b": [{"@value": "c"}]}',
         b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax'
         b'-ns#" xmlns:e="http://e/"><rdf:Description rdf:about="http://e/a"><e:b>c</e:b>'
         b'</rdf:Description></rdf:RDF>']
NOISE = [b"{", b"}", b"[", b"<", b">", b'"', b"\\", b"\\u0000", b"\xff", b"\xc3", b"&", b";",
         b"<!DOCTYPE r [<!ENTITY e \"&e;\">]>", b"&e;", b"_:b", b"<<", b"@base <x> .", b"\x00",
         b"@prefix : <", b"\n", b"#", b'"""', b"^^", b"@", b"\xef\xbb\xbf"]


@st.composite
def graph_bytes(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=300))
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        if data and draw(st.booleans()):
            del data[position % len(data): position % len(data) + draw(st.integers(1, 8))]
        else:
            data[position:position] = draw(st.sampled_from(NOISE))
    return bytes(data)


@settings(PROPERTY, max_examples=300)
@given(data=graph_bytes(), extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_load_or_raise_a_graph_load_error(data: bytes, extension: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{extension}"
        path.write_bytes(data)
        for store in ("memory", "oxigraph"):
            message = ""
            try:
                graph.load(path, store=store)
            except GraphLoadError as error:
                message = str(error)
            assert not message or (str(path) in message and "\n" not in message), message


VALUES = ["Theodore", "samantha", "x", "0", "-1", "1e999", "nan", "", " ", "é😀",
          "<https://w3id.org/her-graph/her/Amy>", "<not an iri>", "character=Amy", "=", "a=b=c",
          "SELECT * {}", "ASK { ?s ?p ?o }", "DELETE WHERE { ?s ?p ?o }", "SELEKT",
          "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "DESCRIBE <urn:x>", "ttl", "jsonld", "csv",
          "html", "graphml", "json", "table", "yaml", "turtle", "rdfxml", "out/x.ttl", "out",
          "out/../x.csv", "{graph}", "{bytes}", "{missing}", "{folder}", "{query}"]
OPTIONS = ["-g", "--rdf-format", "-o", "--out", "--format", "-f", "--stem", "--source",
           "--force", "-e", "-p", "--param", "--list", "--timeout", "--allow-update",
           "--allow-network", "--save", "--queries", "--path", "--top", "-h", "--"]
COMMANDS = ["build", "query", "influence", "validate", "export", "stats", "frobnicate"]


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    generate_story(characters=2, seed=3).write(folder / "story.nt")
    (folder / "question.rq").write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
                                        encoding="utf-8")
    (folder / "out").mkdir()
    return folder


@settings(PROPERTY, max_examples=100)
@given(command=st.sampled_from(COMMANDS),
       words=st.lists(st.sampled_from(OPTIONS + VALUES), max_size=6),
       graph_data=graph_bytes(), graph_first=st.booleans())
def test_the_cli_never_shows_a_traceback(command: str, words: list[str], graph_data: bytes,
                                         graph_first: bool, fuzz_folder: Path) -> None:
    (fuzz_folder / "bytes.ttl").write_bytes(graph_data)
    places = {"{graph}": "story.nt", "{bytes}": "bytes.ttl", "{missing}": "missing.ttl",
              "{folder}": "out", "{query}": "question.rq"}
    argv = [command, *(places.get(word, word) for word in words)]
    if graph_first and command not in ("frobnicate",):
        # Mostly a small graph, so a run that works does not load the bundled one every time.
        argv[1:1] = ["-g", "bytes.ttl" if graph_data and len(words) % 2 else "story.nt"]
    with working_in(fuzz_folder):
        outcome = cli(*argv)
    assert outcome.code in (0, 1, 2), (argv, outcome)
    assert "Traceback" not in outcome.stderr, (argv, outcome.stderr)
    if outcome.code:
        outcome.error_line  # noqa: B018 - one line, no traceback, not an unexpected error
