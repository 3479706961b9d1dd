"""The Oxigraph store: persisted folders, reopening without parsing, atomic loads, timeouts."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import graph
from graph.errors import GraphLoadError, QueryTimeoutError, StoreError
from graph.generate import generate_story
from graph.stores.oxigraph_open import MARKER

STORY = """\
@prefix ex: <https://example.org/tale/> .
@prefix hg: <https://w3id.org/her-graph/ontology#> .
@prefix schema: <https://schema.org/> .
ex:Ada a hg:HumanCharacter ; schema:name "Ada" .
ex:Bot a hg:AICharacter ; schema:name "Bot"@en .
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "tale.ttl"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_persisted_store_reopens_without_the_source(tmp_path: Path, story: Path) -> None:
    folder = tmp_path / "tale.db"
    kg = graph.load(story, store="oxigraph", path=folder)
    assert len(kg) == 4 and kg.resolve("ada") == "https://example.org/tale/Ada"
    kg.backend.close()
    del kg
    story.unlink()  # nothing left to parse: reopening must not need the file
    again = graph.load(store="oxigraph", path=folder)
    assert len(again) == 4
    assert again.query('ASK { ?c schema:name "Bot"@en }') is True
    assert again.sources == (str(story.resolve()),)
    assert (folder / MARKER).is_file()


def test_opening_a_store_twice_in_one_process(tmp_path: Path, story: Path) -> None:
    folder = tmp_path / "tale.db"
    first = graph.load(story, store="oxigraph", path=folder)
    second = graph.load(store="oxigraph", path=folder)  # a notebook cell run again
    second.update("INSERT DATA { <https://e/x> <https://e/p> <https://e/y> }")
    assert len(first.query("SELECT * WHERE { <https://e/x> ?p ?o }")) == 1
    assert len(first) == len(second) == 5
    reloaded = graph.load(story, store="oxigraph", path=folder)  # and loading anew
    assert len(reloaded) == 4
    assert len(first) == 4  # every backend on the folder now sees the new store
    del first, second, reloaded
    assert len(graph.load(store="oxigraph", path=folder)) == 4


def test_updates_persist(tmp_path: Path, story: Path) -> None:
    folder = tmp_path / "tale.db"
    kg = graph.load(story, store="oxigraph", path=folder)
    kg.update('INSERT DATA { <https://example.org/tale/Cy> schema:name "Cy" }')
    assert len(kg) == 5
    kg.backend.close()
    del kg
    assert graph.load(store="oxigraph", path=folder).resolve("cy", kind="resource")


def test_loading_again_replaces_the_store(tmp_path: Path, story: Path) -> None:
    folder = tmp_path / "tale.db"
    graph.load(story, store="oxigraph", path=folder)
    other = tmp_path / "other.nt"
    other.write_text('<https://e/x> <https://e/p> "only this" .\n')
    kg = graph.load(other, store="oxigraph", path=folder)
    assert len(kg) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tale.db")]


def test_a_failed_load_leaves_the_old_store_whole(tmp_path: Path, story: Path) -> None:
    folder = tmp_path / "tale.db"
    first = graph.load(story, store="oxigraph", path=folder)
    first.backend.close()
    del first
    broken = tmp_path / "broken.nt"
    lines = [f'<https://e/s{i}> <https://e/p> "v{i}" .' for i in range(5000)]
    broken.write_text("\n".join([*lines, "<https://e/bad> <https://e/p> oops ."]) + "\n")
    with pytest.raises(GraphLoadError, match=r"broken\.nt:5001"):
        graph.load(broken, store="oxigraph", path=folder)
    kept = graph.load(store="oxigraph", path=folder)
    assert len(kept) == 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tale.db")]


def test_a_folder_that_is_not_a_store_is_never_replaced(tmp_path: Path, story: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work")
    with pytest.raises(StoreError, match="not an Oxigraph store; not replacing"):
        graph.load(story, store="oxigraph", path=folder)
    assert (folder / "thesis.txt").read_text() == "years of work"
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        graph.load(store="oxigraph", path=folder)
    with pytest.raises(StoreError, match=r"no such folder.*graph\.load\('story\.ttl'"):
        graph.load(store="oxigraph", path=tmp_path / "missing.db")


def test_a_store_in_use_by_another_process(tmp_path: Path, story: Path) -> None:
    folder = tmp_path / "tale.db"
    graph.load(story, store="oxigraph", path=folder).backend.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(folder)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="open in another process"):
            graph.load(store="oxigraph", path=folder)
        with pytest.raises(StoreError, match="open in another process"):
            graph.load(story, store="oxigraph", path=folder)
    finally:
        holder.communicate("", timeout=30)
    assert len(graph.load(store="oxigraph", path=folder, read_only=True)) == 4


def test_options_are_checked(story: Path, tmp_path: Path) -> None:
    with pytest.raises(graph.HerGraphError, match="takes no option colour"):
        graph.load(story, store="oxigraph", colour="red")
    with pytest.raises(StoreError, match="needs path="):
        graph.load(story, store="oxigraph", read_only=True)
    with pytest.raises(StoreError, match="cannot load files into a store opened read_only"):
        graph.load(story, store="oxigraph", path=tmp_path / "x.db", read_only=True)


def test_blank_nodes_match_the_memory_store(tmp_path: Path) -> None:
    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text(
            f'_:x <https://schema.org/name> "{name}" ; <https://e/knows> _:y .\n'
            '_:y <https://schema.org/name> "y" .\n')
    files = [tmp_path / "a.ttl", tmp_path / "b.ttl"]
    memory, oxigraph = graph.load(files), graph.load(files, store="oxigraph")
    assert len(set(oxigraph.rdf.subjects())) == 4  # two files never share a blank node
    assert set(oxigraph.backend.triples()) == set(memory.backend.triples())  # same labels
    g_memory, g_oxigraph = memory.to_networkx("full"), oxigraph.to_networkx("full")
    assert dict(g_memory.nodes(data=True)) == dict(g_oxigraph.nodes(data=True))
    label = next(iter(oxigraph.backend.triples()))[0]
    assert isinstance(label, BNode)
    for kg in (memory, oxigraph):
        rows = kg.query("SELECT ?b ?n WHERE { ?b schema:name ?n }", b=label)
        assert [r["b"] for r in rows] == [str(label)]


def test_named_graphs_are_merged_as_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "story.trig"
    path.write_text('<https://e/g1> { <https://e/a> <https://e/p> "1" . }\n'
                    '<https://e/g2> { <https://e/a> <https://e/p> "1" . <https://e/b> '
                    '<https://e/p> "2" . }\n')
    kg = graph.load(path, store="oxigraph")
    assert len(kg) == 2
    assert isomorphic(kg.rdf, graph.load(path).rdf)


def test_strings_stay_plain_literals(story: Path) -> None:
    kg = graph.load(story, store="oxigraph")
    names = {o for o in kg.rdf.objects(URIRef("https://example.org/tale/Ada"),
                                       URIRef("https://schema.org/name"))}
    assert names == {Literal("Ada")}
    assert kg.query('ASK { ?c schema:name "Ada" }') is True


def test_invalid_files_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "iri.nt"
    path.write_text('<https://a> <https://b> "ok" .\n<https://a> <https://b> <https://c d> .\n')
    with pytest.raises(GraphLoadError, match=r"iri\.nt:2.*invalid N-Triples"):
        graph.load(path, store="oxigraph")


def test_a_generated_story_loads_alike(tmp_path: Path) -> None:
    story = generate_story(characters=40, seed=3)
    path = story.write(tmp_path / "story.nt")
    kg = graph.load(path, store="oxigraph")
    assert len(kg) == len(story)
    assert isomorphic(kg.rdf, graph.load(path).rdf)
    assert kg.validate().ok


def test_timeout_returns_promptly_and_stops_reading() -> None:
    kg = generate_story(characters=300, seed=1).load(store="oxigraph")
    before = set(threading.enumerate())  # only this test's worker counts
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="time limit"):
        kg.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.2)
    assert time.monotonic() - started < 10  # it returned at the limit instead of hanging
    # The worker stops at the next row instead of reading 10^13 of them in the background.
    deadline = time.monotonic() + 10
    while any(t.name == "her-graph-oxigraph-query" for t in set(threading.enumerate()) - before):
        assert time.monotonic() < deadline, "the query thread is still running"
        time.sleep(0.05)
    assert kg.query("ASK { ?s ?p ?o }", timeout=30) is True


def test_rdf_snapshot_follows_updates(story: Path) -> None:
    kg = graph.load(story, store="oxigraph")
    assert len(kg.rdf) == 4
    kg.update("INSERT DATA { <https://e/x> <https://e/p> <https://e/y> }")
    assert len(kg.rdf) == 5 and len(kg) == 5
    assert isinstance(kg.rdf, Graph)


def test_files_without_blank_nodes_take_the_bulk_loader_and_keep_strict_errors(
        tmp_path: Path) -> None:
    from graph.stores.oxigraph_open import _loads_as_is

    plain = tmp_path / "plain.nt"
    plain.write_text('<https://e/a> <https://e/p> "x" .\n'
                     '<https://e/a> <https://e/q> <https://e/b> .\n')
    assert _loads_as_is(plain, None)
    kg = graph.load(plain, store="oxigraph")
    assert set(kg.backend.triples()) == set(graph.load(plain).backend.triples())
    broken = tmp_path / "broken.nt"
    broken.write_text('<https://e/a> <https://e/p> "x" .\n'
                      '<https://e/a> <https://e/q> <https://e/b c> .\n')
    assert _loads_as_is(broken, None)
    with pytest.raises(GraphLoadError, match=r"broken\.nt:2.*invalid N-Triples"):
        graph.load(broken, store="oxigraph")
    blank = tmp_path / "blank.ttl"
    blank.write_text('<https://e/a> <https://e/p> [ <https://e/q> "y" ] .\n')
    assert not _loads_as_is(blank, None)
