"""DataFrames from results: typed columns, IRIs full or short, a clear error without pandas."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import graph
from graph.errors import HerGraphError
from graph.sparql.frames import to_dataframe
from graph.sparql.results import Rows
from graph.sparql.values import IRI, BlankNode

H = "https://w3id.org/her-graph/her/"


def test_integer_columns_are_int64_or_nullable_int64() -> None:
    df = to_dataframe(["full", "gaps"], [{"full": 1, "gaps": None}, {"full": 8316, "gaps": 641}])
    assert str(df["full"].dtype) == "int64"
    assert str(df["gaps"].dtype) == "Int64"
    assert df["gaps"].isna().tolist() == [True, False]
    assert df["gaps"][1] == 641


def test_numbers_with_fractions_are_float64() -> None:
    df = to_dataframe(["x"], [{"x": 1}, {"x": 2.5}, {"x": Decimal("0.25")}, {"x": None}])
    assert str(df["x"].dtype) == "float64"
    assert df["x"].tolist()[:3] == [1.0, 2.5, 0.25] and pd.isna(df["x"][3])


def test_booleans_are_bool_or_nullable_boolean() -> None:
    df = to_dataframe(["a", "b"], [{"a": True, "b": None}, {"a": False, "b": True}])
    assert str(df["a"].dtype) == "bool"
    assert str(df["b"].dtype) == "boolean"


def test_dates_and_datetimes_are_datetime64() -> None:
    df = to_dataframe(["day", "moment", "aware"], [
        {"day": dt.date(2013, 12, 18), "moment": dt.datetime(2013, 12, 18, 20, 30),
         "aware": dt.datetime(2013, 12, 18, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=-8)))},
        {"day": None, "moment": None, "aware": None},
    ])
    for column in ("day", "moment", "aware"):
        assert pd.api.types.is_datetime64_any_dtype(df[column]), column
    assert df["day"][0] == pd.Timestamp("2013-12-18") and pd.isna(df["day"][1])
    assert df["aware"][0] == pd.Timestamp("2013-12-19 04:30", tz="UTC")


def test_text_iris_and_blank_nodes_are_strings() -> None:
    df = to_dataframe(["t"], [{"t": "Theodore"}, {"t": IRI(H + "Amy")}, {"t": BlankNode("b1")},
                              {"t": None}])
    assert str(df["t"].dtype) == "string"
    assert df["t"].tolist()[:3] == ["Theodore", H + "Amy", "_:b1"]
    assert df["t"].isna().tolist() == [False, False, False, True]


def test_mixed_columns_stay_objects_with_each_value_as_is() -> None:
    df = to_dataframe(["m"], [{"m": 1}, {"m": "one"}, {"m": dt.time(12, 0)}])
    assert df["m"].dtype == object
    assert df["m"].tolist() == [1, "one", dt.time(12, 0)]


def test_huge_integers_are_not_overflowed() -> None:
    df = to_dataframe(["n"], [{"n": 2**70}, {"n": 1}])
    assert df["n"].tolist() == [2**70, 1]


def test_empty_results_keep_their_columns(her: graph.KnowledgeGraph) -> None:
    df = her.query("SELECT ?a ?b WHERE { ?a ?b 'no such thing at all' }").to_df()
    assert list(df.columns) == ["a", "b"] and len(df) == 0


def test_query_results_typed_from_the_graph(her: graph.KnowledgeGraph) -> None:
    rows = her.query("SELECT ?name ?count ?character WHERE { ?character schema:name ?name . "
                     "OPTIONAL { ?character hg:memberCount ?count } } ORDER BY ?name")
    df = rows.to_df()
    assert list(df.columns) == ["name", "count", "character"]
    assert str(df["count"].dtype) == "Int64"
    assert str(df["name"].dtype) == "string"
    people = df.set_index("name")
    assert people.loc["the 8,316 other people", "count"] == 8316
    assert pd.isna(people.loc["Theodore", "count"])
    assert people.loc["Theodore", "character"] == H + "Theodore"
    assert len(df) == len(rows)


def test_short_iris_use_the_graph_prefixes(her: graph.KnowledgeGraph) -> None:
    rows = her.run("influencers_of", character="Theodore")
    full = rows.to_df()
    short = rows.to_df(iris="short")
    assert full["influencer"].tolist() == [H + "Amy", H + "Catherine", H + "Samantha",
                                           H + "operating-systems"]
    assert short["influencer"].tolist() == [her.short(i) for i in full["influencer"]]
    assert short["influencer"].tolist() == ["her:Amy", "her:Catherine", "her:Samantha",
                                            "her:operating-systems"]
    assert short["name"].tolist() == full["name"].tolist()  # text is never shortened


def test_an_unknown_iri_style_is_refused(her: graph.KnowledgeGraph) -> None:
    with pytest.raises(HerGraphError, match="iris must be one of 'full', 'short'"):
        her.run("characters").to_df(iris="local")  # type: ignore[arg-type]


def test_rows_without_prefixes_keep_full_iris() -> None:
    rows = Rows(["x"], [{"x": IRI(H + "Amy")}])
    assert rows.to_df(iris="short")["x"].tolist() == [H + "Amy"]


def test_influence_answers_become_typed_frames(her: graph.KnowledgeGraph) -> None:
    reach = her.influence.who_influenced("Samantha", depth=None)
    df = reach.to_df(iris="short")
    assert df["label"].tolist() == [r.label for r in reach]
    assert df["depth"].tolist() == [r.depth for r in reach]
    assert str(df["depth"].dtype) == "int64"
    assert df["party"].tolist() == [her.short(str(r.party)) for r in reach]
    ranking = her.influence.rank_influence().to_df()
    assert str(ranking["pagerank"].dtype) == "float64"
    assert str(ranking["rank"].dtype) == "int64"
    assert ranking["pagerank"].sum() == pytest.approx(1.0)


def test_validation_reports_become_frames(tmp_path: Path) -> None:
    kg = graph.load()
    kg.update("DELETE { ?e hg:evidence ?q } WHERE { ?e hg:storyPosition 3 ; hg:evidence ?q }")
    source = tmp_path / "source.txt"
    source.write_text("nothing of the article", encoding="utf-8")
    report = kg.validate(source=source)
    df = report.to_df()
    shapes = df[df["check"] == "shapes"]
    assert shapes["focus"].tolist() == ["her:event-connection"]
    assert shapes["path"].tolist() == ["hg:evidence"]
    evidence = df[df["check"] == "evidence"]
    assert report.evidence is not None
    assert set(evidence["value"]) == {m.quote for m in report.evidence.missing}
    assert len(evidence) >= len(report.evidence.missing)
    html = report._repr_html_()
    assert "does not conform" in html and "her:event-connection" in html
    assert repr(report) == str(report)  # readable in a terminal, not a dataclass dump
    assert repr(report.evidence).startswith("evidence: ")


def test_without_pandas_the_error_names_the_extra(her: graph.KnowledgeGraph,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    for convert in (her.run("characters").to_df,
                    her.influence.rank_influence().to_df,
                    her.validate().to_df):
        with pytest.raises(HerGraphError) as raised:
            convert()
        assert "pip install 'her-graph[pandas]'" in str(raised.value)
