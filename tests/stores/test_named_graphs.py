"""Named graphs kept (issue 20): a TriG, N-Quads or JSON-LD dataset loads as a dataset on every
store, ``kg.graphs`` lists its graphs, queries without ``GRAPH`` see the union, and it survives
load -> export -> load in TriG and N-Quads, graph names and triples alike.

The SPARQL store runs against ``oxigraph serve`` (with ``--union-default-graph``, and plain
with ``graph=``) and against Virtuoso (``graph=``; CI requires it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.term import Node

import graph
from graph.errors import StoreError
from graph.export import render
from graph.stores.protocol import Endpoint
from graph.stores.remote import publish
from graph.stores.server import OxigraphServer
from graph.stores.virtuoso_server import VirtuosoServer
from graph.terms import from_oxigraph, to_oxigraph

LETTERS = "https://e/letters"
DIARY = "https://e/diary"

# A default graph, two named graphs, blank nodes inside one graph, language tags.
DATASET = f"""PREFIX schema: <https://schema.org/>
PREFIX e: <https://e/>
e:theodore schema:name "Theodore" ; schema:knows e:samantha .
e:samantha schema:name "Samantha" .
<{LETTERS}> {{
  e:theodore schema:knows e:catherine .
  e:catherine schema:name "Catherine"@en ; schema:address [ schema:name "the house"@en ] .
}}
<{DIARY}> {{
  e:theodore schema:description "writes letters for others" .
}}
"""

QuadSet = set[ox.Quad]


def canonical(quads: Iterable[tuple[Node, Node, Node, Node | None]]) -> QuadSet:
    """The quads with RDFC-1.0 blank node labels: equal sets are isomorphic datasets."""
    dataset = ox.Dataset(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o),  # type: ignore[arg-type]
                ox.DefaultGraph() if g is None else to_oxigraph(g))  # type: ignore[arg-type]
        for s, p, o, g in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "story.trig"
    path.write_text(DATASET, encoding="utf-8")
    return path


@pytest.fixture
def expected(dataset: Path) -> QuadSet:
    """What the file says, read by Oxigraph alone (not through her-graph)."""
    found = ox.Dataset(ox.parse(path=str(dataset), format=ox.RdfFormat.TRIG))
    found.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(found)


LOCAL = [pytest.param({"store": "memory"}, id="memory"),
         pytest.param({"store": "oxigraph"}, id="oxigraph"),
         pytest.param({"store": "oxigraph", "path": "db"}, id="oxigraph-folder")]


def _local(options: dict[str, str], tmp_path: Path) -> dict[str, object]:
    return {**options, **({"path": tmp_path / options["path"]} if "path" in options else {})}


def _check_dataset(kg: graph.KnowledgeGraph, expected: QuadSet) -> None:
    assert kg.graphs == [DIARY, LETTERS]
    assert canonical(kg.backend.quads()) == expected
    per_graph = kg.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                         "GROUP BY ?g ORDER BY ?g")
    assert [(row["g"], row["n"]) for row in per_graph] == [(DIARY, 1), (LETTERS, 4)]
    # Without GRAPH: the union of the default graph and both named graphs.
    assert len(kg) == 8
    assert sorted(kg.query("SELECT ?n WHERE { ?s schema:name ?n }").column("n")) == [
        "Catherine", "Samantha", "Theodore", "the house"]
    assert kg.query("ASK { GRAPH <https://e/letters> { ?s schema:knows ?o } }")
    assert not kg.query("ASK { GRAPH <https://e/diary> { ?s schema:knows ?o } }")


@pytest.mark.parametrize("options", LOCAL)
def test_a_dataset_keeps_its_graph_names_on_the_local_stores(
        options: dict[str, str], dataset: Path, expected: QuadSet, tmp_path: Path) -> None:
    kg = graph.load(dataset, **_local(options, tmp_path))  # type: ignore[arg-type]
    _check_dataset(kg, expected)
    assert len(kg.rdf) == 8  # kg.rdf, the projections and the analyses read the union
    if "path" in options:  # reopened without parsing: the graph names are in the store
        again = graph.load(store="oxigraph", path=tmp_path / "db")
        assert again.graphs == [DIARY, LETTERS]
        assert canonical(again.backend.quads()) == expected


@pytest.mark.parametrize("options", LOCAL)
@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld"])
def test_a_dataset_survives_load_export_load(options: dict[str, str], fmt: str, dataset: Path,
                                             expected: QuadSet, tmp_path: Path) -> None:
    kg = graph.load(dataset, **_local(options, tmp_path))  # type: ignore[arg-type]
    exported = tmp_path / f"out.{fmt}"
    exported.write_bytes(render(kg, fmt))
    del kg  # (the folder store is loaded again below)
    back = graph.load(exported, **_local(options, tmp_path))  # type: ignore[arg-type]
    _check_dataset(back, expected)
    # Exported again from what was read back: the same bytes.
    assert render(back, fmt) == exported.read_bytes()


def test_a_triple_in_two_graphs_is_one_triple_of_the_union(tmp_path: Path) -> None:
    path = tmp_path / "twice.nq"
    path.write_text('<https://e/a> <https://e/p> "x" .\n'
                    '<https://e/a> <https://e/p> "x" <https://e/g> .\n', encoding="utf-8")
    for store in ("memory", "oxigraph"):
        kg = graph.load(path, store=store)
        assert len(kg) == 1 and len(list(kg.backend.quads())) == 2, store
        assert kg.graphs == ["https://e/g"], store
        assert render(kg, "nq") == path.read_bytes(), store


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_updates_reach_named_graphs(store: str, dataset: Path) -> None:
    kg = graph.load(dataset, store=store)
    kg.update('INSERT DATA { GRAPH <https://e/new> { <https://e/a> schema:name "A" } }')
    assert kg.graphs == [DIARY, LETTERS, "https://e/new"]
    assert "A" in kg.query("SELECT ?n WHERE { ?s schema:name ?n }").column("n")
    kg.update("DROP GRAPH <https://e/new>")
    assert kg.graphs == [DIARY, LETTERS]


@pytest.mark.parametrize("options", LOCAL)
def test_from_and_using_pick_graphs_of_the_store(options: dict[str, str], dataset: Path,
                                                  tmp_path: Path) -> None:
    # SPARQL's dataset clauses: FROM makes the named graphs it lists the default graph, FROM
    # NAMED limits GRAPH ?g to those it lists, USING does the same for an update's WHERE. A
    # graph the store does not hold is empty (nothing is downloaded: tests/test_hostile.py).
    kg = graph.load(dataset, **_local(options, tmp_path))  # type: ignore[arg-type]
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    assert kg.query(count.format("")).column("n") == [8]
    assert kg.query(count.format(f"FROM <{LETTERS}>")).column("n") == [4]
    assert kg.query(count.format(f"FROM <{LETTERS}> FROM <{DIARY}>")).column("n") == [5]
    assert kg.query(count.format("FROM <https://e/absent>")).column("n") == [0]
    named = kg.query(f"SELECT DISTINCT ?g FROM NAMED <{DIARY}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert named.column("g") == [DIARY]
    kg.update(f"INSERT {{ GRAPH <https://e/copy> {{ ?s ?p ?o }} }} USING <{DIARY}> "
              "WHERE { ?s ?p ?o }")
    copied = kg.query("SELECT ?p WHERE { GRAPH <https://e/copy> { ?s ?p ?o } }")
    assert copied.column("p") == ["https://schema.org/description"]


def test_a_blank_node_graph_name_is_kept_by_the_local_stores(tmp_path: Path) -> None:
    path = tmp_path / "blank.trig"
    path.write_text('_:g { <https://e/a> <https://e/p> "x" }\n', encoding="utf-8")
    memory, oxigraph = graph.load(path), graph.load(path, store="oxigraph")
    assert memory.graphs == oxigraph.graphs and len(memory.graphs) == 1
    assert type(memory.graphs[0]).__name__ == "BlankNode"
    assert canonical(memory.backend.quads()) == canonical(oxigraph.backend.quads())
    assert render(memory, "trig") == render(oxigraph, "trig")


def test_the_bundled_graph_has_no_named_graphs(her: graph.KnowledgeGraph) -> None:
    assert her.graphs == []


# --------------------------------------------------------------------------------------------
# A SPARQL server


def _round_trip_on_server(load: Callable[[Path], graph.KnowledgeGraph], dataset: Path,
                          expected: QuadSet, tmp_path: Path) -> None:
    kg = load(dataset)
    _check_dataset(kg, expected)
    for fmt in ("trig", "nq"):
        exported = tmp_path / f"out.{fmt}"
        exported.write_bytes(render(kg, fmt))
        back = load(exported)  # replaces what the server held
        _check_dataset(back, expected)
        assert render(back, fmt) == exported.read_bytes()


@pytest.mark.slow
def test_a_dataset_survives_an_oxigraph_server_with_a_union_default_graph(
        dataset: Path, expected: QuadSet, tmp_path: Path) -> None:
    with OxigraphServer(options=["--union-default-graph"]) as server:
        _round_trip_on_server(
            lambda path: graph.load(path, store="sparql", endpoint=server.url),
            dataset, expected, tmp_path)
        left = graph.load(store="sparql", endpoint=server.url).graphs
        assert left == [DIARY, LETTERS]  # no staging graph left behind


@pytest.mark.slow
def test_a_dataset_survives_a_plain_oxigraph_server_in_a_graph_of_its_own(
        dataset: Path, expected: QuadSet, tmp_path: Path) -> None:
    target = "https://e/story"
    with OxigraphServer() as server:
        _round_trip_on_server(
            lambda path: graph.load(path, store="sparql", endpoint=server.url, graph=target),
            dataset, expected, tmp_path)
        # Reopened, the dataset is named by graph= and graphs=.
        again = graph.load(store="sparql", endpoint=server.url, graph=target,
                           graphs=[LETTERS, DIARY])
        _check_dataset(again, expected)
        # Without graphs=, a plain server's default graph is graph= alone.
        assert len(graph.load(store="sparql", endpoint=server.url, graph=target)) == 3


@pytest.mark.slow
def test_a_dataset_survives_virtuoso(virtuoso_scratch: VirtuosoServer, dataset: Path,
                                     expected: QuadSet, tmp_path: Path) -> None:
    # Graph names of their own, so that tests sharing the server do not meet.
    unique = f"https://e/{uuid.uuid4()}/"
    text = DATASET.replace("https://e/letters", unique + "letters").replace(
        "https://e/diary", unique + "diary")
    dataset.write_text(text, encoding="utf-8")
    renamed = {ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()
                       if isinstance(q.graph_name, ox.DefaultGraph)
                       else ox.NamedNode(q.graph_name.value.replace("https://e/", unique)))
               for q in expected}
    target = unique + "story"
    names = [unique + "diary", unique + "letters"]

    def load(path: Path) -> graph.KnowledgeGraph:
        return graph.load(path, store="sparql", endpoint=virtuoso_scratch.url, graph=target,
                          graph_store=virtuoso_scratch.graph_store_url)

    kg = load(dataset)
    assert kg.graphs == names
    assert canonical(kg.backend.quads()) == canonical(
        (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object),
         None if isinstance(q.graph_name, ox.DefaultGraph) else from_oxigraph(q.graph_name))
        for q in renamed)
    assert len(kg) == 8
    for fmt in ("trig", "nq"):
        exported = tmp_path / f"out.{fmt}"
        exported.write_bytes(render(kg, fmt))
        back = load(exported)
        assert back.graphs == names and len(back) == 8
        assert render(back, fmt) == exported.read_bytes()
    probe = graph.load(store="sparql", endpoint=virtuoso_scratch.url)
    staging = probe.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                          "FILTER(STRSTARTS(STR(?g), 'urn:her-graph:upload:')) }")
    assert len(staging) == 0


def test_a_server_cannot_hold_a_graph_named_by_a_blank_node(oxigraph_server: OxigraphServer,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "blank.trig"
    path.write_text('_:g { <https://e/a> <https://e/p> "x" }\n', encoding="utf-8")
    with pytest.raises(StoreError, match=r"is named by a blank node, which a SPARQL server "
                                         r"cannot hold as a graph name; give it an IRI"):
        graph.load(path, store="sparql", endpoint=oxigraph_server.url)
    # Nothing was sent: the server still holds the Her graph alone.
    remote = graph.load(store="sparql", endpoint=oxigraph_server.url)
    assert remote.graphs == [] and len(remote) == len(graph.load())


def test_graph_must_not_be_one_of_the_dataset_graphs(oxigraph_server: OxigraphServer,
                                                     dataset: Path) -> None:
    with pytest.raises(StoreError, match=r"has a named graph <https://e/letters>, the graph "
                                         r"its default graph would replace"):
        graph.load(dataset, store="sparql", endpoint=oxigraph_server.url, graph=LETTERS)


@pytest.mark.slow
def test_a_failed_dataset_upload_leaves_every_graph_as_it_was(
        dataset: Path, expected: QuadSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    changed = tmp_path / "changed.trig"
    changed.write_text(DATASET.replace("writes letters for others", "writes no more")
                       .replace('"Theodore"', '"Theo"'), encoding="utf-8")
    with OxigraphServer(options=["--union-default-graph"]) as server:
        published = publish(graph.load(dataset), server.url)
        assert str(published) == (f"published 8 triples to the default graph and 2 named "
                                  f"graphs of {server.url}/query")
        real_put = Endpoint.put_graph
        calls: list[str | None] = []

        def fail_on_the_second(self: Endpoint, name: str | None, *args: object,
                               **kwargs: object) -> object:
            calls.append(name)
            if len(calls) == 2:
                raise StoreError("the connection dropped (a test)")
            return real_put(self, name, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Endpoint, "put_graph", fail_on_the_second)
        with pytest.raises(StoreError, match="the connection dropped"):
            graph.load(changed, store="sparql", endpoint=server.url)
        assert all(name and name.startswith("urn:her-graph:upload:") for name in calls)
        monkeypatch.undo()
        kept = graph.load(store="sparql", endpoint=server.url)
        assert kept.graphs == [DIARY, LETTERS]  # the staging graph that arrived is dropped
        assert canonical(kept.backend.quads()) == expected  # no graph replaced


@pytest.mark.slow
def test_a_dataset_published_in_parts_arrives_whole(dataset: Path, expected: QuadSet) -> None:
    with OxigraphServer(options=["--union-default-graph"]) as server:
        published = publish(graph.load(dataset), server.url, chunk=2)
        assert published.triples == 8 and published.named_graphs == (DIARY, LETTERS)
        kept = graph.load(store="sparql", endpoint=server.url)
        assert canonical(kept.backend.quads()) == expected  # the blank node is still one
