"""Projections from a SPARQL server: what they read, in few requests, and blank nodes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import PROV

import graph
from graph.generate import generate_story
from graph.namespaces import HG
from graph.stores.backend import MemoryBackend
from graph.stores.remote import SparqlBackend, publish
from graph.stores.server import OxigraphServer
from tests.stores.test_backends import _edges


def _same(got: nx.Graph, expected: nx.Graph) -> None:
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges(got) == _edges(expected)


def _without_blank_labels(g: nx.Graph) -> list[tuple[Any, ...]]:
    """The edges, each blank node key (``_:label``, which every store labels its own way)
    written as ``_:``."""
    def plain(value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(sorted(plain(v) for v in value))
        return "_:" if isinstance(value, str) and value.startswith("_:") else value
    return [tuple(plain(x) if not isinstance(x, dict) else {k: plain(v) for k, v in x.items()}
                  for x in edge) for edge in _edges(g)]


def _counting_queries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    sent: list[str] = []
    original = SparqlBackend.query

    def query(self: SparqlBackend, text: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(SparqlBackend, "query", query)
    return sent


@pytest.mark.parametrize("view", ["influence", "relationships", "timeline", "cooccurrence"])
def test_a_projection_from_a_server_takes_one_request(
        view: str, oxigraph_server_factory: Callable[[], OxigraphServer],
        monkeypatch: pytest.MonkeyPatch) -> None:
    memory = generate_story(characters=300, seed=3).load()
    server = oxigraph_server_factory()
    publish(memory, server.url)
    remote = graph.load(store="sparql", endpoint=server.url)
    sent = _counting_queries(monkeypatch)
    monkeypatch.setattr(SparqlBackend, "triples", lambda self: pytest.fail("downloaded it all"))
    got = remote.to_networkx(view)
    _same(got, memory.to_networkx(view))
    # Hundreds of nodes (258 to 600): everything the view reads comes in one query.
    assert got.number_of_nodes() >= 250 and len(sent) == 1


def test_blank_nodes_on_a_server_switch_to_one_download_and_keep_the_answer(
        oxigraph_server_factory: Callable[[], OxigraphServer],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Influences and their evidence as blank nodes, as hand-written Turtle often has them
    # (`prov:qualifiedInfluence [ ... hg:evidence [ ... ] ]`): the server labels them anew in
    # every answer, so they cannot be looked up one by one. (Quotes alone would not need the
    # download: they are read through the path hg:evidence/oa:hasSelector/oa:exact.)
    her = graph.load().rdf
    blank = {node: BNode() for predicate in (HG.evidence, PROV.qualifiedInfluence)
             for node in set(her.objects(None, predicate)) if isinstance(node, URIRef)}
    story = Graph()
    for s, p, o in her:
        story.add((blank.get(s, s), p, blank.get(o, o)))  # type: ignore[arg-type]
    assert blank and len(story) == len(her)
    memory = graph.KnowledgeGraph(MemoryBackend(story))
    server = oxigraph_server_factory()
    publish(memory, server.url)
    remote = graph.load(store="sparql", endpoint=server.url)
    downloads: list[int] = []
    original = SparqlBackend.triples

    def triples(self: SparqlBackend) -> Any:
        downloads.append(1)
        return original(self)

    monkeypatch.setattr(SparqlBackend, "triples", triples)
    for view in ("influence", "relationships", "timeline"):
        got, expected = remote.to_networkx(view), memory.to_networkx(view)
        assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
        assert _without_blank_labels(got) == _without_blank_labels(expected)
    assert downloads  # it did switch to the download
    influence = remote.to_networkx("influence")
    assert influence.number_of_edges() == 10
    assert all(data["evidence"] for _, _, data in influence.edges(data=True))
