"""SPARQL from Python: kg.query with bound values, the named-query library, and names."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

import graph
from graph.errors import MissingParameterError, QueryError, UnknownNameError, UnknownQueryError
from graph.sparql.queries import PARAM_KINDS, NamedQuery
from graph.sparql.values import IRI

QUERY_FILES = sorted((graph.data_dir() / "queries").glob("*.rq"))
EXAMPLE_VALUES = {"character": "Theodore", "event": "Theodore encounters Samantha",
                  "theme": "Loneliness", "resource": "Samantha",
                  "iri": "her:influence-samantha-on-theodore", "string": "x", "integer": 1}
# Parameters whose kind alone does not give a value that answers something.
EXAMPLE_VALUES_BY_NAME = {"basis": "interpreted"}


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_named_query_is_documented_and_answers(her: graph.KnowledgeGraph, path: Path
                                                      ) -> None:
    query = NamedQuery.from_file(path)
    assert path.read_text().startswith("# "), "a query opens with a comment saying what it answers"
    assert len(query.description) > 20
    assert all(p.kind in PARAM_KINDS and p.description for p in query.params)
    rows = her.run(query.name, **{p.name: EXAMPLE_VALUES_BY_NAME.get(p.name, EXAMPLE_VALUES[p.kind])
                                  for p in query.params})
    assert len(rows) > 0, f"{query.name} returns nothing on the Her graph"
    assert rows.columns and set(rows[0]) == set(rows.columns)


def test_library_lists_the_queries(her: graph.KnowledgeGraph) -> None:
    assert {q.stem for q in QUERY_FILES} == set(her.queries)
    for required in ("characters", "events", "relationships_of", "influencers_of",
                     "influencees_of", "themes_of", "evidence_for"):
        assert required in her.queries
    assert "influencers_of(character)" in repr(her.queries)


def test_characters(her: graph.KnowledgeGraph) -> None:
    rows = her.run("characters")
    assert [(r["name"], r["kind"], r["actor"]) for r in rows] == [
        ("Amy", "human", "Amy Adams"),
        ("Amy's operating system", "artificial intelligence", None),
        ("Catherine", "human", "Rooney Mara"),
        ("Samantha", "artificial intelligence", "Scarlett Johansson"),
        ("Theodore", "human", "Joaquin Phoenix"),
    ]


def test_events_in_story_order(her: graph.KnowledgeGraph) -> None:
    rows = her.run("events")
    assert [r["position"] for r in rows] == list(range(1, 15))
    assert rows[0]["event"] == graph.HER["event-lament"]
    assert rows[-1]["event"] == graph.HER["event-sunrise"]
    assert rows[-1]["act_number"] == 3 and isinstance(rows[-1]["act_number"], int)
    assert set(rows[-1]["participants"].split(", ")) == {"Theodore", "Amy"}


def test_relationships_of_theodore(her: graph.KnowledgeGraph) -> None:
    rows = her.run("relationships_of", character="Theodore")
    kinds = {(r["other_name"], r["kind"]) for r in rows}
    assert kinds == {("Catherine", "marriage"), ("Catherine", "grew up together"),
                     ("Samantha", "virtual romance"),
                     ("Amy", "shared experience"), ("Amy", "romance")}
    assert all(r["evidence"] for r in rows)


def test_influencers_and_influencees(her: graph.KnowledgeGraph) -> None:
    assert [r["name"] for r in her.run("influencers_of", character="Theodore")] == [
        "Amy", "Catherine", "Samantha", "the operating systems"]
    assert {r["name"] for r in her.run("influencers_of", character="Samantha")} == {
        "Theodore", "the 8,316 other people"}
    assert [r["name"] for r in her.run("influencees_of", character="Samantha")] == ["Theodore"]
    assert [r["name"] for r in her.run("influencees_of", character="Amy")] == ["Theodore"]
    assert [r["name"] for r in her.run("influencees_of", character="Amy's operating system")
            ] == ["Amy"]


def test_influence_evidence_is_reachable(her: graph.KnowledgeGraph) -> None:
    row = next(r for r in her.run("influencers_of", character="Theodore")
               if r["name"] == "Samantha")
    quotes = her.run("evidence_for", claim=row["influence"]).column("quote")
    assert "Theodore’s Letter To Catherine Shows How Samantha Changed Him" in quotes
    events = her.run("influence_events", influence=row["influence"]).column("label")
    assert events[-1] == "Theodore writes to Catherine"


def test_themes_of_a_character_and_an_event(her: graph.KnowledgeGraph) -> None:
    assert {r["label"] for r in her.run("themes_of", subject="Samantha")} == {
        "Artificial intelligence", "Intangibility", "Outgrowing", "Non-exclusive love"}
    letter = her.run("themes_of", subject="Theodore writes to Catherine")
    assert {r["label"] for r in letter} == {"Closure and apology", "Gratitude",
                                           "Authentic voice", "Growth and change"}
    assert all(r["evidence"] for r in letter)


def test_names_resolve_case_insensitively(her: graph.KnowledgeGraph) -> None:
    theodore = "https://w3id.org/her-graph/her/Theodore"
    for name in ("Theodore", "theodore", "  THEODORE ", theodore, "her:Theodore"):
        assert her.resolve(name) == theodore
    assert isinstance(her.resolve("amy"), IRI)
    assert her.resolve("loneliness", kind="theme") == graph.HER["theme-loneliness"]


def test_unknown_name_lists_the_known_ones(her: graph.KnowledgeGraph) -> None:
    with pytest.raises(UnknownNameError) as info:
        her.run("influencers_of", character="Theo")
    message = str(info.value)
    assert "no character named 'Theo'" in message
    assert "Did you mean 'Theodore'?" in message
    for name in ("Amy", "Catherine", "Samantha", "Theodore"):
        assert name in message


def test_unknown_query_and_parameters(her: graph.KnowledgeGraph) -> None:
    with pytest.raises(UnknownQueryError, match=r"no named query 'who_is'; known queries: .*cast"):
        her.run("who_is")
    with pytest.raises(MissingParameterError, match="needs the parameter 'character'"):
        her.run("influencers_of")
    with pytest.raises(MissingParameterError, match=r"unknown parameter.*colour"):
        her.run("influencers_of", character="Amy", colour="red")


def test_query_binds_values_without_pasting(her: graph.KnowledgeGraph) -> None:
    rows = her.query("SELECT ?c WHERE { ?c schema:name ?name }", name="Samantha")
    assert rows == [{"c": "https://w3id.org/her-graph/her/Samantha"}]
    # A value crafted to break out of a pasted string is just a string that matches nothing.
    hostile = 'Amy" } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    assert her.query("SELECT ?c WHERE { ?c schema:name ?name }", name=hostile) == []
    # An IRI no store could hold is refused before running, on every store alike.
    with pytest.raises(QueryError, match="not a valid absolute IRI"):
        her.query("SELECT ?n WHERE { ?c schema:name ?n }",
                  {"c": IRI("https://w3id.org/her-graph/her/Amy> } ; DROP ALL ; <x")})
    assert len(her) == len(graph.load())


def test_query_results_are_plain_python(her: graph.KnowledgeGraph) -> None:
    row = her.query("""SELECT ?name ?count ?year ?human WHERE {
        her:other-people schema:name ?name ; hg:memberCount ?count .
        her:Her schema:datePublished ?year .
        BIND (EXISTS { her:Samantha a hg:HumanCharacter } AS ?human) }""")[0]
    assert row == {"name": "the 8,316 other people", "count": 8316, "year": 2013,
                   "human": False}
    assert type(row["count"]) is int and type(row["human"]) is bool
    assert her.query("ASK { her:Samantha a hg:AICharacter }") is True
    constructed = her.query("CONSTRUCT { ?c a hg:AICharacter } WHERE { ?c a hg:AICharacter }")
    assert set(constructed.subjects()) == {URIRef(graph.HER.Samantha), URIRef(graph.HER["amys-os"])}


def test_updates_are_refused_on_query(her: graph.KnowledgeGraph) -> None:
    size = len(her)
    with pytest.raises(QueryError, match=r"UPDATE.*read-only.*kg\.update"):
        her.query("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="invalid SPARQL"):
        her.query("SELEKT ?x WHERE { ?x ?y ?z }")
    assert len(her) == size


def test_update_changes_the_graph_explicitly(fresh_her: graph.KnowledgeGraph) -> None:
    fresh_her.update('INSERT DATA { her:Paul a hg:HumanCharacter ; schema:name "Paul" }')
    assert fresh_her.resolve("paul") == "https://w3id.org/her-graph/her/Paul"


def test_user_query_directory(tmp_path: Path) -> None:
    (tmp_path / "ai_names.rq").write_text(
        "# The names of the AI characters.\nSELECT ?name WHERE { ?c a hg:AICharacter ; "
        "schema:name ?name }\n")
    kg = graph.load(queries=tmp_path)
    assert sorted(r["name"] for r in kg.run("ai_names")) == ["Amy's operating system", "Samantha"]


def test_query_header_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# Something.\n# @param who (person): someone\nSELECT * WHERE { ?who ?p ?o }")
    with pytest.raises(graph.HerGraphError, match="unknown kind 'person'"):
        NamedQuery.from_file(bad)
    bad.write_text("# Something.\n# @param who (character): someone\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(graph.HerGraphError, match="never uses \\?who"):
        NamedQuery.from_file(bad)
    bad.write_text("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(graph.HerGraphError, match="must open with a comment"):
        NamedQuery.from_file(bad)


def test_timeout_stops_a_long_query(her: graph.KnowledgeGraph) -> None:
    from graph.errors import QueryTimeoutError

    with pytest.raises(QueryTimeoutError, match="time limit"):
        her.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                  timeout=0.2)


def test_time_limit_survives_code_that_swallows_exceptions() -> None:
    from graph.errors import QueryTimeoutError
    from graph.stores.timeouts import time_limit

    def step() -> int:
        return 1

    def stubborn() -> None:  # like an evaluator with a broad except around its calls
        while True:
            try:
                step()
            except Exception:
                continue

    with pytest.raises(QueryTimeoutError), time_limit(0.05):
        stubborn()
    # Nothing is left pending once the block is over.
    with time_limit(0.05):
        pass
    for _ in range(200_000):
        step()


def test_time_limit_works_in_a_worker_thread(her: graph.KnowledgeGraph) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from graph.errors import QueryTimeoutError

    def slow() -> object:
        return her.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                         timeout=0.2)

    with ThreadPoolExecutor(1) as pool, pytest.raises(QueryTimeoutError):
        pool.submit(slow).result(timeout=60)
