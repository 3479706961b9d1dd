"""The SPARQL store and `publish` against a real OpenLink Virtuoso 7 (Debian's package).

The session's Virtuoso (`virtuoso_server`, holding the Her graph) answers the tests parametrised
over stores in test_backends.py; here a second one (`virtuoso_scratch`) takes the writes, each
test into graphs of its own. Both skip, saying how to install Virtuoso, where it is missing.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic

import graph
from graph.errors import QueryError, StoreError
from graph.namespaces import HG
from graph.stores.backend import MemoryBackend
from graph.stores.remote import publish
from graph.stores.virtuoso_server import VirtuosoServer
from tests.conftest import VIRTUOSO_GRAPH, run_cli
from tests.stores.test_remote_patterns import _same

pytestmark = pytest.mark.slow


def _graph() -> str:
    return f"https://example.org/graphs/{uuid.uuid4()}"


def _count(server: VirtuosoServer, iri: str) -> int:
    kg = graph.load(store="sparql", endpoint=server.url)
    rows = kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"])


def _graphs(server: VirtuosoServer, prefix: str) -> list[str]:
    kg = graph.load(store="sparql", endpoint=server.url)
    rows = kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sorted(str(r["g"]) for r in rows if str(r["g"]).startswith(prefix))


@pytest.mark.parametrize("staging", [False, True], ids=["plain", "staging"])
def test_publish_command_on_virtuoso(virtuoso_scratch: VirtuosoServer, staging: bool) -> None:
    target = _graph()
    her = graph.load()
    result = run_cli("publish", "--endpoint", virtuoso_scratch.url,
                     "--graph-store", virtuoso_scratch.graph_store_url, "--graph-iri", target,
                     *(["--staging"] if staging else []), check=True)
    assert result.stdout.strip() == (f"published {len(her):,} triples to graph <{target}> of "
                                     f"{virtuoso_scratch.url}")
    kg = graph.load(store="sparql", endpoint=virtuoso_scratch.url, graph=target)
    assert len(kg) == len(her)
    assert kg.run("influencers_of", character="Theodore") == \
        her.run("influencers_of", character="Theodore")
    assert _graphs(virtuoso_scratch, "urn:her-graph:upload:") == []  # no staging graph left


def test_publish_again_replaces_the_graph(virtuoso_scratch: VirtuosoServer,
                                          tmp_path: Path) -> None:
    target = _graph()
    publish(graph.load(), virtuoso_scratch.url, graph_iri=target,
            graph_store=virtuoso_scratch.graph_store_url)
    small = tmp_path / "small.nt"
    small.write_text('<https://e/a> <https://schema.org/name> "A" .\n')
    again = graph.load(small, store="sparql", endpoint=virtuoso_scratch.url, graph=target,
                       graph_store=virtuoso_scratch.graph_store_url)
    assert len(again) == 1  # replaced, not added to
    assert again.query("SELECT ?n WHERE { ?s schema:name ?n }") == [{"n": "A"}]


def test_load_uploads_then_answers_like_memory(virtuoso_scratch: VirtuosoServer) -> None:
    target = _graph()
    her = graph.load(graph.data_dir() / "her.ttl")
    kg = graph.load(graph.data_dir() / "her.ttl", store="sparql", endpoint=virtuoso_scratch.url,
                    graph=target, graph_store=virtuoso_scratch.graph_store_url)
    assert len(kg) == len(her)
    assert kg.counts() == her.counts()
    assert kg.run("relationships") == her.run("relationships")


def test_chunked_publish_goes_through_staging(virtuoso_scratch: VirtuosoServer) -> None:
    target = _graph()
    her = graph.load()
    result = publish(her, virtuoso_scratch.url, graph_iri=target, chunk=200,
                     graph_store=virtuoso_scratch.graph_store_url)
    assert result.triples == len(her)
    assert _count(virtuoso_scratch, target) == len(her)
    kg = graph.load(store="sparql", endpoint=virtuoso_scratch.url, graph=target)
    assert kg.run("themes_by_act") == her.run("themes_by_act")
    assert _graphs(virtuoso_scratch, "urn:her-graph:upload:") == []


def test_digest_authentication_on_virtuoso(virtuoso_scratch: VirtuosoServer) -> None:
    target = _graph()
    result = publish(graph.load(), virtuoso_scratch.auth_url, graph_iri=target,
                     graph_store=virtuoso_scratch.auth_graph_store_url, auth=("dba", "dba"),
                     staging=True)
    assert result.triples == len(graph.load())
    kg = graph.load(store="sparql", endpoint=virtuoso_scratch.auth_url, graph=target,
                    auth=("dba", "dba"))
    assert kg.query("ASK { her:Samantha a hg:AICharacter }") is True
    with pytest.raises(StoreError, match=r"refused the query \(HTTP 401"):
        graph.load(store="sparql", endpoint=virtuoso_scratch.auth_url, auth=("dba", "wrong"))


def test_the_default_graph_needs_a_name_on_virtuoso(virtuoso_scratch: VirtuosoServer) -> None:
    with pytest.raises(StoreError, match=r"failed on the upload \(HTTP 500.*not configured to "
                                         r"have default graph"):
        publish(graph.load(), virtuoso_scratch.url,
                graph_store=virtuoso_scratch.graph_store_url)


def test_a_direct_post_is_still_possible_where_asked(virtuoso_server: VirtuosoServer) -> None:
    # Virtuoso never answers a direct POST: asked for, it times out, with the endpoint named.
    with pytest.raises(QueryError, match=rf"{virtuoso_server.url} did not answer the query "
                                         r"within 2 s"):
        graph.load(store="sparql", endpoint=virtuoso_server.url, graph=VIRTUOSO_GRAPH,
                   query_method="direct", timeout=2)


def test_updates_reach_virtuoso(virtuoso_scratch: VirtuosoServer) -> None:
    target = _graph()
    publish(graph.load(), virtuoso_scratch.url, graph_iri=target,
            graph_store=virtuoso_scratch.graph_store_url)
    kg = graph.load(store="sparql", endpoint=virtuoso_scratch.url, graph=target)
    before = len(kg)
    kg.update(f'WITH <{target}> INSERT {{ ?c schema:nickname ?nick }} '
              f'WHERE {{ ?c schema:name "Samantha" }}', nick='OS1 "} DROP ALL {')
    assert len(kg) == before + 1
    assert kg.query("SELECT ?n WHERE { her:Samantha schema:nickname ?n }") == [
        {"n": 'OS1 "} DROP ALL {'}]
    with pytest.raises(QueryError, match=r"rejected the update \(HTTP 400"):
        kg.update("INSERT DATA { <urn:a> <urn:b> }")


def test_blank_nodes_survive_a_chunked_publish_and_read_back(
        virtuoso_scratch: VirtuosoServer) -> None:
    # Evidence as blank nodes (`hg:evidence [ ... ]`): a blank node split over two requests
    # would become two, so they all travel in the last part; Virtuoso labels them nodeID://...
    her = graph.load().rdf
    blank = {node: BNode() for node in set(her.objects(None, HG.evidence))
             if isinstance(node, URIRef)}
    story = Graph()
    for s, p, o in her:
        story.add((blank.get(s, s), p, blank.get(o, o)))  # type: ignore[arg-type]
    memory = graph.KnowledgeGraph(MemoryBackend(story))
    target = _graph()
    publish(memory, virtuoso_scratch.url, graph_iri=target, chunk=100,
            graph_store=virtuoso_scratch.graph_store_url)
    remote = graph.load(store="sparql", endpoint=virtuoso_scratch.url, graph=target)
    assert len(remote) == len(memory)
    assert isomorphic(remote.rdf, memory.rdf)
    for view in ("influence", "relationships", "timeline"):
        _same(remote.to_networkx(view), memory.to_networkx(view))
