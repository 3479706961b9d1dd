"""graph.load(): the bundled graph, a user's files in every format, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import graph
from graph.errors import GraphLoadError, HerGraphError
from graph.namespaces import HER, HG, SCHEMA

STORY_TTL = """\
@prefix ex: <https://example.org/tale/> .
@prefix hg: <https://w3id.org/her-graph/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .

ex:Ada a hg:HumanCharacter ; schema:name "Ada" .
ex:Bot a hg:AICharacter ; schema:name "Bot"@en ; ex:age 3 .
ex:Ada prov:wasInfluencedBy ex:Bot .
"""


@pytest.fixture
def story_ttl(tmp_path: Path) -> Path:
    path = tmp_path / "tale.ttl"
    path.write_text(STORY_TTL, encoding="utf-8")
    return path


def test_bundled_graph_holds_data_and_ontology(her: graph.KnowledgeGraph) -> None:
    assert isinstance(her.rdf, Graph)
    assert (HER.Theodore, SCHEMA.name, Literal("Theodore")) in her.rdf
    assert (HG.AICharacter, None, None) in her.rdf  # the ontology came along
    assert len(her) == len(her.rdf) > 1000


def test_user_turtle_file(story_ttl: Path) -> None:
    kg = graph.load(story_ttl)
    assert len(kg) == 6  # the user's triples only: no ontology added by default
    assert kg.resolve("ada") == "https://example.org/tale/Ada"
    # Plain strings stay plain literals, so they match in SPARQL.
    assert kg.query('ASK { ?c schema:name "Ada" }') is True
    assert kg.query('ASK { ?c schema:name "Bot"@en }') is True


@pytest.mark.parametrize(("rdflib_format", "suffix"), [
    ("nt", ".nt"), ("json-ld", ".jsonld"), ("xml", ".rdf"), ("turtle", ".turtle"),
    ("nquads", ".nq"), ("trig", ".trig"),
])
def test_every_format_by_extension_gives_the_same_graph(
        tmp_path: Path, story_ttl: Path, rdflib_format: str, suffix: str) -> None:
    reference = Graph().parse(story_ttl)
    source: Graph | Dataset = reference
    if rdflib_format in ("nquads", "trig"):  # quad formats: put the story in a named graph
        source = Dataset()
        named = source.graph(URIRef("https://example.org/tale/graph"))
        for triple in reference:
            named.add(triple)
    path = tmp_path / f"tale{suffix}"
    path.write_text(source.serialize(format=rdflib_format), encoding="utf-8")
    assert isomorphic(graph.load(path).rdf, reference)


def test_format_argument_overrides_the_extension(tmp_path: Path, story_ttl: Path) -> None:
    path = tmp_path / "tale.data"
    path.write_text(Graph().parse(story_ttl).serialize(format="nt"), encoding="utf-8")
    with pytest.raises(GraphLoadError, match="cannot tell the RDF format"):
        graph.load(path)
    assert len(graph.load(path, format="ntriples")) == 6


def test_several_files_load_together(tmp_path: Path, story_ttl: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text('<https://example.org/tale/Ada> <https://schema.org/description> "x" .\n')
    assert len(graph.load([story_ttl, extra])) == 7


def test_blank_nodes_of_two_files_stay_distinct(tmp_path: Path) -> None:
    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text(f'_:x <https://schema.org/name> "{name}" .\n')
    kg = graph.load([tmp_path / "a.ttl", tmp_path / "b.ttl"])
    assert len(set(kg.rdf.subjects())) == 2


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GraphLoadError, match=r"nope\.ttl: no such file"):
        graph.load(tmp_path / "nope.ttl")


def test_turtle_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <https://e/> .\nex:a ex:b ex:c .\nex:a ex:b "unclosed .\n')
    with pytest.raises(GraphLoadError) as info:
        graph.load(path)
    assert f"{path}:3" in str(info.value)
    assert "invalid Turtle" in str(info.value)
    assert info.value.line == 3


def test_undeclared_prefix_is_an_error_not_a_guess(tmp_path: Path) -> None:
    path = tmp_path / "prefix.ttl"
    path.write_text("ex:a ex:b ex:c .\n")
    with pytest.raises(GraphLoadError, match=r"prefix\.ttl:1.*ex:.*not been declared"):
        graph.load(path)


def test_invalid_iri_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "iri.nt"
    path.write_text("<https://a> <https://b> <https://c d> .\n")
    with pytest.raises(GraphLoadError, match=r"iri\.nt:1.*invalid N-Triples"):
        graph.load(path)


def test_empty_and_binary_and_directory(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonld").write_text("  \n")  # empty Turtle is a valid empty graph
    with pytest.raises(GraphLoadError, match="empty"):
        graph.load(tmp_path / "empty.jsonld")
    (tmp_path / "blob.ttl").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(GraphLoadError, match="binary"):
        graph.load(tmp_path / "blob.ttl")
    with pytest.raises(GraphLoadError, match="is a directory"):
        graph.load(tmp_path)


def test_remote_jsonld_context_is_refused_not_fetched(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org/", "@id": "https://e/x",
                                "name": "X"}))
    with pytest.raises(GraphLoadError, match=r"remote @context.*offline"):
        graph.load(path)


def test_unknown_format_and_store(story_ttl: Path) -> None:
    with pytest.raises(GraphLoadError, match="unknown RDF format 'yaml'"):
        graph.load(story_ttl, format="yaml")
    with pytest.raises(HerGraphError, match="unknown store 'mongo'; known stores: memory"):
        graph.load(story_ttl, store="mongo")


def test_errors_form_one_hierarchy() -> None:
    from graph import errors

    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.HerGraphError)


def test_rdflib_stays_available(her: graph.KnowledgeGraph) -> None:
    names = {str(o) for o in her.rdf.objects(URIRef(HER.Samantha), SCHEMA.name)}
    assert names == {"Samantha"}


def test_anonymous_blank_nodes_get_the_same_labels_on_every_load(tmp_path: Path) -> None:
    path = tmp_path / "anon.ttl"
    path.write_text('<https://e/a> <https://e/p> [ <https://e/q> "x" ; <https://e/r> [ '
                    '<https://e/q> "y" ] ] .\n')
    first, second = graph.load(path), graph.load(path)
    assert sorted(map(str, first.rdf.all_nodes())) == sorted(map(str, second.rdf.all_nodes()))
