"""The one-pass writers (Turtle, JSON-LD, GraphML, GEXF) against the libraries they replace."""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.etree.ElementTree import ElementTree

import networkx as nx
import pytest
from networkx.readwrite.gexf import GEXFWriter
from rdflib import Graph
from rdflib.compare import isomorphic

import graph
from graph.export import render
from graph.export.jsonld import jsonld_document
from graph.export.network import gexf_bytes, graphml_bytes, resource_graph
from graph.export.registry import ExportSource
from tests.export.test_export import USER_TTL

# Blank nodes Turtle cannot nest: a ring (each the value of one triple, none reachable from
# an IRI), one shared by two subjects, a list whose tail is shared, an empty node, a list as a
# subject, and a string with every character Turtle must escape.
AWKWARD_TTL = r"""
@prefix : <https://e/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
_:r1 :next _:r2 . _:r2 :next _:r3 . _:r3 :next _:r1 .
:a :p _:shared . :b :p _:shared . _:shared :q "s" .
:c :list ( 1 2 ) . :d :list _:tail . _:tail <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> 3 ;
    <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> () .
:e :p [] .
( :x :y ) :about :f .
:g :text "tab\t cr\r nl\n quote\" backslash\\ bell\u0007 del\u007f" ; :odd <https://e/a%20b> ;
    :local <https://e/has.dot.> , <https://e/-dash> ; :num "1e5"^^xsd:double ;
    :dec ".5"^^xsd:decimal , "5."^^xsd:decimal .
"""


@pytest.fixture(scope="module", params=["user", "awkward"])
def story(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> graph.KnowledgeGraph:
    path = tmp_path_factory.mktemp("writers") / "story.ttl"
    path.write_text(USER_TTL if request.param == "user" else AWKWARD_TTL, encoding="utf-8")
    return graph.load(path)


def test_turtle_reads_back_isomorphic_in_both_parsers(story: graph.KnowledgeGraph,
                                                      tmp_path: Path) -> None:
    data = render(story, "ttl")
    path = tmp_path / "out.ttl"
    path.write_bytes(data)
    assert isomorphic(Graph().parse(data=data.decode("utf-8"), format="turtle"), story.rdf)
    assert isomorphic(graph.load(path).rdf, story.rdf)
    assert not any(0 < ord(c) < 32 and c != "\n" for c in data.decode("utf-8"))


def test_turtle_nests_single_use_blank_nodes_and_labels_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "story.ttl"
    path.write_text(AWKWARD_TTL, encoding="utf-8")
    text = render(graph.load(path), "ttl").decode("utf-8")
    assert "<https://e/list> (\n        1\n        2\n    ) ;" in text  # a list, as one
    assert "<https://e/p> [] ;" in text
    assert '"5"^^xsd:decimal ,\n        0.5 ;' in text  # the short form only where it reads back
    # The shared node and the ring's first node keep their labels; the ring nests the rest.
    assert text.count("\n_:b") == 3 and "<https://e/next> [" in text


def test_jsonld_bytes_are_the_standard_library_indented_dump(story: graph.KnowledgeGraph
                                                             ) -> None:
    source = ExportSource(story)
    expected = json.dumps(jsonld_document(source.triples, source.prefixes), indent=2,
                          ensure_ascii=False) + "\n"
    assert render(story, "jsonld") == expected.encode("utf-8")


def _networkx_graphml(network: nx.MultiDiGraph) -> bytes:
    ids = {node: f"n{number}" for number, node in enumerate(network.nodes)}
    out = nx.MultiDiGraph()
    for node, data in network.nodes(data=True):
        out.add_node(ids[node], uri=node, **data)
    for source, target, key, data in network.edges(keys=True, data=True):
        out.add_edge(ids[source], ids[target], key=key, **data)
    buffer = io.BytesIO()
    nx.write_graphml_xml(out, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def _networkx_gexf(network: nx.MultiDiGraph) -> bytes:
    g = network.copy()
    for _source, _target, key, data in g.edges(keys=True, data=True):
        data["id"] = key
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(g)
    root = writer.xml
    for element in root.iter("graph"):
        element.attrib.pop("name", None)
    meta = root.find("meta")
    assert meta is not None
    meta.attrib.pop("lastmodifieddate", None)
    meta[0].text = "her-graph"
    for attributes in root.iter("attributes"):
        for declaration in list(attributes):
            if declaration.get("title") == "networkx_key":
                attributes.remove(declaration)
                for values in root.iter("attvalues"):
                    for value in list(values):
                        if value.get("for") == declaration.get("id"):
                            values.remove(value)
    writer.indent(root)
    buffer = io.BytesIO()
    ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"


@pytest.mark.parametrize("which", ["her", "story"])
def test_network_writers_give_networkx_writers_bytes(which: str, story: graph.KnowledgeGraph
                                                     ) -> None:
    # Without characters XML forbids (the writers replace those; networkx would not).
    kg = graph.load() if which == "her" else story
    network = resource_graph(ExportSource(kg).triples, ExportSource(kg).prefixes)
    for _node, data in network.nodes(data=True):
        data["label"] = data["label"].replace("\x01", "\ufffd")
    assert graphml_bytes(network) == _networkx_graphml(network)
    assert gexf_bytes(network) == _networkx_gexf(network)
