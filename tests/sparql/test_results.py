"""Query rows as plain Python values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from graph.sparql.results import Rows
from graph.sparql.values import IRI, BlankNode, to_python, to_rdf


@pytest.mark.parametrize(("term", "value", "kind"), [
    (Literal("Theodore"), "Theodore", str),
    (Literal("Theodore", lang="en"), "Theodore", str),
    (Literal(8316), 8316, int),
    (Literal("2.5", datatype=XSD.double), 2.5, float),
    (Literal("2.50", datatype=XSD.decimal), Decimal("2.50"), Decimal),
    (Literal(True), True, bool),
    (Literal("2013-12-18", datatype=XSD.date), dt.date(2013, 12, 18), dt.date),
    (Literal("2013", datatype=XSD.gYear), 2013, int),
    (Literal("oops", datatype=XSD.integer), "oops", str),
    (Literal("x", datatype=URIRef("https://example.org/custom")), "x", str),
    (URIRef("https://schema.org/Movie"), IRI("https://schema.org/Movie"), IRI),
    (BNode("b1"), BlankNode("b1"), BlankNode),
])
def test_to_python(term: object, value: object, kind: type) -> None:
    converted = to_python(term)
    assert converted == value
    assert type(converted) is kind


def test_none_is_none() -> None:
    assert to_python(None) is None


def test_iri_is_a_str_that_binds_as_a_resource() -> None:
    iri = IRI("https://w3id.org/her-graph/her/Amy")
    assert iri == "https://w3id.org/her-graph/her/Amy"
    assert iri.local_name == "Amy"
    assert to_rdf(iri) == URIRef(iri)
    assert to_rdf("https://w3id.org/her-graph/her/Amy") == Literal("https://w3id.org/her-graph/her/Amy")


def test_to_rdf_rejects_what_it_cannot_bind() -> None:
    with pytest.raises(TypeError, match="cannot bind a list"):
        to_rdf([1, 2])


def test_rows_behave_like_a_list_of_dicts() -> None:
    rows = Rows(["a", "b"], [{"a": 1, "b": "x\ny"}, {"a": 2, "b": None}])
    assert rows == [{"a": 1, "b": "x\ny"}, {"a": 2, "b": None}]
    assert rows.column("a") == [1, 2]
    with pytest.raises(KeyError, match="no column 'c'; columns: a, b"):
        rows.column("c")
    text = repr(rows)
    assert text.splitlines()[0].split() == ["a", "b"]
    assert "(2 rows)" in text
    assert "<script>" not in Rows(["a"], [{"a": "<script>"}])._repr_html_()
