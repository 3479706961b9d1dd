"""Exports: every format deterministic, written atomically, readable by the tools it is for."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import graph
from graph import export as export_module
from graph.errors import ExportError
from graph.export import (
    EXPORTERS,
    export,
    export_all,
    export_files,
    render,
    write_atomic,
)
from graph.export.network import EDGE_COLUMNS, NODE_COLUMNS, resource_graph
from graph.export.registry import ExportSource
from tests.conftest import ROOT

# A user's graph with what trips serialisers: blank nodes (nested, in a list), unicode beyond
# the BMP, language tags, typed and non-canonical literals, a character XML cannot hold, a
# prefix of its own, and a property name that collides across namespaces.
USER_TTL = r"""
@prefix ex: <http://example.org/story/> .
@prefix schema: <https://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hg: <https://w3id.org/her-graph/ontology#> .

ex:amy a schema:Person, hg:HumanCharacter ;
    schema:name "Amy", "Aimée"@fr ;
    foaf:name "Amy A." ;
    ex:knows [ schema:name "Ånon \u0001 <b>&amp;</b> \"q\"" ; ex:age "007"^^xsd:integer ] ,
             [ schema:name "Other" ; ex:knows [ schema:name "Nested" ] ] ;
    ex:count 3 ; ex:flag true ; ex:weight 2.5 ; ex:ratio 1.0e3 ;
    ex:date "2013-12-18"^^xsd:date ; ex:big 123456789012345678901234 ;
    schema:description "Line one\nline two, with a comma"@en .
ex:theo ex:knows ex:amy ; schema:name "Théo 😀" ; ex:list ( 1 2 "three" ) ;
    hg:storyPosition 4 .
"""


@pytest.fixture(scope="module")
def user_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("user") / "story.ttl"
    path.write_text(USER_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def user(user_file: Path) -> graph.KnowledgeGraph:
    return graph.load(user_file)


def _outputs(kg: graph.KnowledgeGraph, stem: str = "her", *,
             built: bool = False) -> dict[str, bytes]:
    """Every exporter's files; ``built``: only those ``her-graph build`` writes for ``kg``."""
    files: dict[str, bytes] = {}
    source = ExportSource(kg)
    for exporter in EXPORTERS.values():
        if not built or exporter.built_for(source):
            files.update(exporter.outputs(source, stem))
    return files


# --------------------------------------------------------------------------------------------
# Determinism


_DIGESTS = """
import hashlib, sys
import graph
from graph.export import EXPORTERS
kg = graph.load(sys.argv[1] if len(sys.argv) > 1 else None)
for exporter in EXPORTERS.values():
    for name, data in sorted(exporter.outputs(kg, "x").items()):
        print(name, hashlib.sha256(data).hexdigest())
"""


def _digests_in_fresh_process(seed: str, *args: str) -> str:
    result = subprocess.run([sys.executable, "-c", _DIGESTS, *args], capture_output=True,
                            text=True, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300,
                            check=True)
    return result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("which", ["bundled", "user"])
def test_every_export_is_byte_identical_across_processes_and_hash_seeds(
        which: str, user_file: Path) -> None:
    args = () if which == "bundled" else (str(user_file),)
    first = _digests_in_fresh_process("1", *args)
    second = _digests_in_fresh_process("4242", *args)
    assert first == second
    names = {line.split()[0] for line in first.splitlines()}
    assert names == {"x.ttl", "x.nt", "x.nq", "x.trig", "x.jsonld", "x.graphml", "x.gexf",
                     "x-dynamic.gexf", "x-metrics.csv", "x-nodes.csv", "x-edges.csv"} | {
                         n for n in names if n.endswith(".html")}


def test_exports_are_the_same_for_the_same_graph_parsed_from_another_format(
        user: graph.KnowledgeGraph, tmp_path: Path) -> None:
    # Written out by rdflib as TriG and read back, the blank nodes get other labels; the bytes
    # of the exports must not change.
    trig = tmp_path / "story.trig"
    trig.write_bytes(user.rdf.serialize(format="trig", encoding="utf-8"))
    again = graph.load(trig)
    assert {str(t) for t in again.rdf.all_nodes()} != {str(t) for t in user.rdf.all_nodes()}
    for name, data in _outputs(user).items():
        if name.endswith((".ttl", ".jsonld", ".graphml", ".gexf", ".csv")):
            assert _outputs(again)[name] == data, name


# --------------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
@pytest.mark.parametrize("which", ["bundled", "user"])
def test_rdf_exports_read_back_isomorphic(fmt: str, which: str, her: graph.KnowledgeGraph,
                                          user: graph.KnowledgeGraph, tmp_path: Path) -> None:
    kg = her if which == "bundled" else user
    path = export(kg, tmp_path / f"out.{fmt}")
    # graph.load parses with Oxigraph; rdflib's own parser is a second, independent reader.
    assert isomorphic(graph.load(path).rdf, kg.rdf)
    rdflib_format = "turtle" if fmt == "ttl" else "json-ld"
    assert isomorphic(Graph().parse(path, format=rdflib_format), kg.rdf)


@pytest.mark.parametrize("which", ["bundled", "user"])
def test_jsonld_reads_the_same_in_an_independent_json_ld_processor(
        which: str, her: graph.KnowledgeGraph, user: graph.KnowledgeGraph) -> None:
    # PyLD implements the JSON-LD 1.1 algorithms on its own (no rdflib, no Oxigraph): what it
    # reads from the export is what anyone's JSON-LD tool will read.
    from pyld import jsonld

    def refuse(url: str, options: object = None) -> None:
        raise AssertionError(f"the document made the processor fetch {url}")

    kg = her if which == "bundled" else user
    document = json.loads(render(kg, "jsonld"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": refuse})
    assert isomorphic(Graph().parse(data=nquads, format="nquads"), kg.rdf)


def test_turtle_has_stable_sorted_prefixes(her: graph.KnowledgeGraph) -> None:
    text = render(her, "ttl").decode("utf-8")
    prefixes = [line.split()[1] for line in text.splitlines() if line.startswith("PREFIX")]
    assert prefixes == sorted(prefixes)
    assert {"her:", "hg:", "prov:", "schema:", "skos:", "oa:"} <= set(prefixes)
    assert "ns1:" not in text


def test_jsonld_context_is_local_and_readable(her: graph.KnowledgeGraph) -> None:
    document = json.loads(render(her, "jsonld"))
    context = document["@context"]
    assert isinstance(context, dict)  # inline: nothing to fetch
    assert context["her"] == "https://w3id.org/her-graph/her/"
    assert context["name"] == "schema:name"
    assert context["hasActor"] == {"@id": "sem:hasActor", "@type": "@id"}
    theodore = next(n for n in document["@graph"] if n["@id"] == "her:Theodore")
    assert theodore["name"] == "Theodore"
    assert theodore["@type"] == ["hg:HumanCharacter", "schema:Person"]
    event = next(n for n in document["@graph"] if n["@id"] == "her:event-lament")
    assert event["storyPosition"] == 1
    assert "her:Theodore" in event["hasActor"]


def test_jsonld_keeps_colliding_property_names_apart(user: graph.KnowledgeGraph) -> None:
    document = json.loads(render(user, "jsonld"))
    amy = next(n for n in document["@graph"] if n["@id"] == "ex:amy")
    assert "name" not in document["@context"]  # schema:name and foaf:name share a local name
    assert amy["schema:name"] == ["Amy", {"@language": "fr", "@value": "Aimée"}]
    assert amy["foaf:name"] == "Amy A."
    assert amy["big"] == {"@type": "xsd:integer", "@value": "123456789012345678901234"}


# --------------------------------------------------------------------------------------------
# Networks for Gephi and Cytoscape


def test_resource_graph_holds_the_story_not_the_vocabulary(her: graph.KnowledgeGraph) -> None:
    g = resource_graph(export_module.stable_graph(her.rdf))
    theodore = g.nodes["https://w3id.org/her-graph/her/Theodore"]
    assert theodore["label"] == "Theodore"
    assert theodore["type"] == "human_character"
    assert theodore["classes"] == "hg:HumanCharacter, schema:Person"
    assert theodore["iri"] == "her:Theodore"
    assert "https://w3id.org/her-graph/ontology#HumanCharacter" not in g  # a class, not a node
    assert all(d["predicate"] != "rdf:type" for _, _, d in g.edges(data=True))
    influences = {(g.nodes[u]["label"], g.nodes[v]["label"])
                  for u, v, d in g.edges(data=True) if d["predicate"] == "prov:wasInfluencedBy"}
    assert ("Theodore", "Catherine") in influences  # Theodore prov:wasInfluencedBy Catherine
    assert g.nodes["https://w3id.org/her-graph/her/event-lament"]["position"] == 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("which", ["bundled", "user"])
def test_network_exports_open_with_labels_and_flat_attributes(
        fmt: str, which: str, her: graph.KnowledgeGraph, user: graph.KnowledgeGraph) -> None:
    kg = her if which == "bundled" else user
    data = render(kg, fmt)
    ET.fromstring(data)  # well-formed XML, even with a control character in a label
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    g = read(io.BytesIO(data))
    expected = resource_graph(export_module.stable_graph(kg.rdf))
    assert g.number_of_nodes() == expected.number_of_nodes()
    assert g.number_of_edges() == expected.number_of_edges()
    for _node, attributes in g.nodes(data=True):
        assert attributes["label"] and attributes["type"]
        assert all(isinstance(v, str | int) for v in attributes.values())
    for _u, _v, attributes in g.edges(data=True):
        assert attributes["label"] and attributes["predicate"]
    if fmt == "graphml":  # ids are name tokens; the IRI is an attribute
        g = nx.relabel_nodes(g, {node: data["uri"] for node, data in g.nodes(data=True)})
    assert set(g.nodes) == set(expected.nodes)
    if which == "bundled":
        assert g.nodes["https://w3id.org/her-graph/her/Samantha"]["label"] == "Samantha"
        assert g.nodes["https://w3id.org/her-graph/her/Samantha"]["type"] == "ai_character"


# XML's NameChar (XML 1.0, fifth edition), which an xs:NMTOKEN is made of.
_NAME_CHARS = (":A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
               "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF"
               "\uFDF0-\uFFFD\U00010000-\U000EFFFF.0-9\u00B7\u0300-\u036F\u203F-\u2040-")
_NMTOKEN = re.compile(f"[{_NAME_CHARS}]+")


@pytest.mark.parametrize("which", ["bundled", "user"])
def test_graphml_follows_the_graphml_schema(which: str, her: graph.KnowledgeGraph,
                                            user: graph.KnowledgeGraph) -> None:
    # graphml.xsd types node ids, edge ids, source, target and attr.name as xs:NMTOKEN, and
    # attr.type as one of six names; strict tools (xmllint --schema) refuse anything else.
    kg = her if which == "bundled" else user
    root = ET.fromstring(render(kg, "graphml"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    tokens = [key.get("attr.name", "") for key in root.iter(f"{ns}key")]
    tokens += [node.get("id", "") for node in root.iter(f"{ns}node")]
    for edge in root.iter(f"{ns}edge"):
        tokens += [edge.get("id", "x"), edge.get("source", ""), edge.get("target", "")]
    assert tokens and [t for t in tokens if not _NMTOKEN.fullmatch(t)] == []
    assert {key.get("attr.type") for key in root.iter(f"{ns}key")} <= {
        "boolean", "int", "long", "float", "double", "string"}
    assert all(key.get("for") in {"all", "graph", "node", "edge"} for key in root.iter(f"{ns}key"))
    graphs = list(root.iter(f"{ns}graph"))
    assert len(graphs) == 1 and graphs[0].get("edgedefault") in {"directed", "undirected"}


def test_gexf_carries_no_date_and_no_library_version(her: graph.KnowledgeGraph) -> None:
    text = render(her, "gexf").decode("utf-8")
    assert "lastmodifieddate" not in text and "NetworkX" not in text
    assert "networkx_key" not in text


def test_csv_node_and_edge_lists_match_the_network(user: graph.KnowledgeGraph,
                                                   tmp_path: Path) -> None:
    paths = export_files(user, tmp_path, "csv", stem="story")
    assert [p.name for p in paths] == ["story-edges.csv", "story-nodes.csv"]
    with (tmp_path / "story-nodes.csv").open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with (tmp_path / "story-edges.csv").open(encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    expected = resource_graph(export_module.stable_graph(user.rdf))
    assert [n["id"] for n in nodes] == sorted(expected)
    assert len(edges) == expected.number_of_edges()
    ids = {n["id"] for n in nodes}
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    amy = next(n for n in nodes if n["id"] == "http://example.org/story/amy")
    assert amy["description"] == "Line one\nline two, with a comma"  # quoted, not broken
    assert next(n for n in nodes if n["id"] == "http://example.org/story/theo")["position"] == "4"


# --------------------------------------------------------------------------------------------
# Writing


def test_an_interrupted_write_leaves_the_previous_file_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "her.ttl"
    target.write_bytes(b"previous")

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new content that never lands")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["her.ttl"]  # no temporary left


def test_unwritable_targets_raise_export_errors(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "her.ttl", b"x")
    with pytest.raises(ExportError, match="is a folder"):
        write_atomic(tmp_path, b"x")


def test_export_picks_the_format_from_the_extension(her: graph.KnowledgeGraph,
                                                    tmp_path: Path) -> None:
    assert export(her, tmp_path / "her.gexf").read_bytes() == render(her, "gexf")
    with pytest.raises(ExportError, match="cannot tell the export format"):
        export(her, tmp_path / "her.xyz")
    with pytest.raises(ExportError, match="several files"):
        export(her, tmp_path / "her.csv")
    with pytest.raises(ExportError, match="unknown export format 'xml'"):
        render(her, "xml")
    with pytest.raises(ExportError, match="not a file name stem"):
        export_files(her, tmp_path, "csv", stem="a/b")


def test_export_all_writes_every_format_and_reports_progress(her: graph.KnowledgeGraph,
                                                             tmp_path: Path) -> None:
    seen: list[str] = []
    paths = export_all(her, tmp_path / "new", progress=lambda e, _paths: seen.append(e.name))
    assert seen == list(EXPORTERS)
    built = _outputs(her, built=True)
    assert {p.name for p in paths} == set(built)
    # No named graphs: N-Triples and Turtle, not N-Quads and TriG (they would repeat them).
    assert {"her.nt", "her.ttl"} <= set(built) and not {"her.nq", "her.trig"} & set(built)
    assert all(p.read_bytes() == built[p.name] for p in paths)


def test_committed_exports_match_the_data() -> None:
    # The CLI test rebuilds exports/ as a user would; this checks the same in-process, so a
    # change to the data or an exporter fails fast with the file that differs.
    committed = ROOT / "exports"
    for name, data in _outputs(graph.load(), built=True).items():
        assert (committed / name).read_bytes() == data, f"exports/{name} is stale: rebuild it"


def test_jsonld_never_reads_an_iri_scheme_as_a_prefix_or_term(tmp_path: Path) -> None:
    # A prefix named like a scheme (urn:) or a property named like one (ex:name, name:foo)
    # would make "urn:isbn:1" or "name:foo" expand to another IRI when read back.
    source = tmp_path / "schemes.ttl"
    source.write_text("""
        @prefix ex: <http://example.org/> .
        @prefix urn: <http://example.org/urnspace/> .
        ex:a ex:name <name:foo> ; ex:link <urn:isbn:1> ; urn:thing "x" .
    """, encoding="utf-8")
    kg = graph.load(source)
    context = json.loads(render(kg, "jsonld"))["@context"]
    assert "urn" not in context and "name" not in context
    path = export(kg, tmp_path / "schemes.jsonld")
    assert isomorphic(graph.load(path).rdf, kg.rdf)
    assert isomorphic(Graph().parse(path, format="json-ld"), kg.rdf)


# --------------------------------------------------------------------------------------------
# Named graphs (issue 20)

_DATASET = """PREFIX schema: <https://schema.org/>
<https://e/theodore> schema:name "Theodore" ; schema:knows <https://e/samantha> .
<https://e/letters> {
  <https://e/theodore> schema:knows <https://e/catherine> ;
      schema:address [ schema:name "the house" ] .
}
"""


def test_a_datasets_exports_do_not_depend_on_the_file_it_came_from(tmp_path: Path) -> None:
    trig = tmp_path / "story.trig"
    trig.write_text(_DATASET, encoding="utf-8")
    nquads = tmp_path / "story.nq"
    nquads.write_bytes(render(graph.load(trig), "nq"))
    from_trig, from_nquads = graph.load(trig), graph.load(nquads, store="oxigraph")
    for fmt in ("nq", "trig", "jsonld", "graphml", "gexf"):
        assert render(from_trig, fmt) == render(from_nquads, fmt), fmt
    assert b'_:b0 <https://schema.org/name> "the house" <https://e/letters> .' in \
        render(from_trig, "nq")


def test_network_exports_record_the_graph_of_every_link(tmp_path: Path) -> None:
    trig = tmp_path / "story.trig"
    trig.write_text(_DATASET, encoding="utf-8")
    kg = graph.load(trig)
    graphml = render(kg, "graphml").decode()
    assert 'attr.name="graph"' in graphml and ">https://e/letters</data>" in graphml
    gexf = render(kg, "gexf").decode()
    assert 'title="graph"' in gexf and 'value="https://e/letters"' in gexf
    _nodes, edges = EXPORTERS["csv"].outputs(kg, "x").values()
    rows = {tuple(line.split(",")) for line in edges.decode().splitlines()[1:]}
    assert ("https://e/theodore", "https://e/catherine", "knows", "schema:knows",
            "https://e/letters") in rows
    # In the default graph alone: no graph named.
    assert ("https://e/theodore", "https://e/samantha", "knows", "schema:knows", "") in rows


def test_formats_without_graph_names_refuse_a_dataset(tmp_path: Path) -> None:
    trig = tmp_path / "story.trig"
    trig.write_text(_DATASET, encoding="utf-8")
    kg = graph.load(trig)
    for fmt, instead in (("ttl", "TriG"), ("nt", "N-Quads"), ("html", "GraphML")):
        with pytest.raises(ExportError, match=rf"1 named graph \(<https://e/letters>\).*{instead}"):
            render(kg, fmt)
    with pytest.raises(ExportError, match="the page draws one graph"):
        export_files(kg, tmp_path, "html-views")


def test_the_n_triples_export_is_the_graph(her: graph.KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "her.nt"
    path.write_bytes(render(her, "nt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(her)
    assert isomorphic(graph.load(path).rdf, her.rdf)
    assert render(her, "nq") == render(her, "nt")  # no named graphs: the same lines
    assert isomorphic(graph.load(_write(tmp_path / "her.trig", render(her, "trig"))).rdf,
                      her.rdf)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
