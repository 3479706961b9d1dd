"""Reading a SPARQL server's answers into rdflib terms, the same terms the local stores give.

Servers do not all write the SPARQL 1.1 results formats the same way. Virtuoso 7 writes
literals with a datatype as ``"type": "typed-literal"`` (the 2007 draft's spelling), labels
blank nodes ``nodeID://b10000`` (not a valid blank node label), lower-cases language tags
(``en-GB`` comes back ``en-gb``) and types plain strings ``xsd:string`` explicitly. JSON
results are read here, accepting those spellings; XML and TSV results, and graphs, by
Oxigraph's parsers. Every answer then holds the terms the memory store would give:

- a literal typed ``xsd:string`` is a plain literal (RDF 1.1 says they are the same);
- a blank node keeps its label only within one answer, with anything that cannot be in a label
  dropped (``nodeID://b10000`` becomes ``b10000``);
- language tags keep the server's case: rdflib compares them case-insensitively, so
  ``Literal("y", lang="en-gb") == Literal("y", lang="en-GB")``.

Example:
    >>> body = b'''{"head": {"vars": ["x", "n"]}, "results": {"bindings": [
    ...   {"x": {"type": "bnode", "value": "nodeID://b10000"},
    ...    "n": {"type": "typed-literal", "value": "Amy",
    ...          "datatype": "http://www.w3.org/2001/XMLSchema#string"}}]}}'''
    >>> outcome = parse_results("application/sparql-results+json", body, "http://host/sparql")
    >>> outcome.columns, outcome.rows
    (['x', 'n'], [(rdflib.term.BNode('b10000'), rdflib.term.Literal('Amy'))])
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import StoreError
from ..terms import from_oxigraph
from .backend import QueryOutcome, Triple

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NOT_IN_LABEL = re.compile(r"[^A-Za-z0-9_\-.]")


def _blank(label: str) -> BNode:
    if label.startswith("nodeID://"):
        label = label[len("nodeID://"):]
    return BNode(_NOT_IN_LABEL.sub("", label) or "b")


def _json_term(value: dict[str, Any]) -> Node:
    kind, text = value["type"], value["value"]
    if not isinstance(text, str):
        raise ValueError(f"a term's value is {type(text).__name__}, not a string")
    if kind == "uri":
        return URIRef(text)
    if kind in ("literal", "typed-literal"):
        language = value.get("xml:lang")
        if language:
            return Literal(text, lang=language)
        datatype = value.get("datatype")
        if datatype and datatype not in (_XSD_STRING, _LANG_STRING):
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    if kind == "bnode":
        return _blank(text)
    raise ValueError(f"unsupported term type {kind!r} (RDF-star quoted triples are not "
                     "supported)")


class TermMemory:
    """The rdflib terms made from a store's answers, kept across its answers (up to ``limit``).

    A term never changes meaning, and the same IRIs, names and labels come back answer after
    answer, while rdflib's constructors are slow. (A blank node label is read the same way in
    every answer, so remembering it changes nothing.)

    Example:
        >>> memory = TermMemory()
        >>> body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' \\
        ...        b'{"x": {"type": "uri", "value": "https://e/a"}}]}}'
        >>> first = parse_results("application/sparql-results+json", body, "h", memory)
        >>> again = parse_results("application/sparql-results+json", body, "h", memory)
        >>> first.rows[0][0] is again.rows[0][0]
        True
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.iris: dict[Any, Node] = {}  # JSON: an IRI, keyed by its text
        self.others: dict[Any, Node] = {}  # JSON: other terms by their fields; XML, TSV: by term

    def trimmed(self) -> TermMemory:
        """Itself, emptied first once it holds ``limit`` terms."""
        if len(self.iris) + len(self.others) >= self.limit:
            self.iris.clear()
            self.others.clear()
        return self


def _json_results(body: bytes, memory: TermMemory) -> QueryOutcome:
    document = json.loads(body)
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise ValueError("the boolean is not true or false")
        return QueryOutcome("ASK", boolean=document["boolean"])
    columns = [str(name) for name in document["head"]["vars"]]
    iris, others = memory.iris, memory.others  # an IRI, the usual term, keyed by its text
    rows: list[tuple[Node | None, ...]] = []
    for solution in document["results"]["bindings"]:
        row: list[Node | None] = []
        for column in columns:
            value = solution.get(column)
            if value is None:
                row.append(None)
            elif value.get("type") == "uri":
                node = iris.get(value.get("value"))
                if node is None:
                    node = iris[value["value"]] = _json_term(value)
                row.append(node)
            else:
                key = (value.get("type"), value.get("value"), value.get("xml:lang"),
                       value.get("datatype"))
                node = others.get(key)
                if node is None:
                    node = others[key] = _json_term(value)
                row.append(node)
        rows.append(tuple(row))
    return QueryOutcome("SELECT", columns=columns, rows=rows)


def parse_results(media_type: str, body: bytes, where: str,
                  memory: TermMemory | None = None) -> QueryOutcome:
    """The rows (or the boolean) of a SELECT or ASK answer in ``media_type``, its terms made
    once for all the answers that share ``memory`` (once for this answer without it).

    Raises:
        StoreError: the answer is not in a results format, or is malformed; the message
            names the endpoint ``where``.

    Example:
        >>> parse_results("application/sparql-results+json", b'{"head": {}, "boolean": true}',
        ...               "http://host/sparql").boolean
        True
    """
    fmt = RESULT_FORMATS.get(media_type)
    if fmt is None:
        raise StoreError(f"the SPARQL endpoint {where} answered in "
                         f"{media_type or 'an unnamed format'}, not SPARQL JSON or XML "
                         "results")
    if fmt == ox.QueryResultsFormat.JSON:
        try:
            return _json_results(body, memory.trimmed() if memory else TermMemory())
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise StoreError(f"the SPARQL endpoint {where} answered with malformed results: "
                             f"{type(error).__name__}: {error}") from None
    results = solution = None
    try:
        results = ox.parse_query_results(input=body, format=fmt)
        if isinstance(results, ox.QueryBoolean):
            return QueryOutcome("ASK", boolean=bool(results))
        columns = [v.value for v in results.variables]
        cache = (memory.trimmed() if memory else TermMemory()).others
        rows: list[tuple[Node | None, ...]] = []
        for solution in results:
            row: list[Node | None] = []
            for term in solution:
                if term is None:
                    row.append(None)
                    continue
                node = cache.get(term)
                if node is None:
                    node = cache[term] = from_oxigraph(term)
                row.append(node)
            rows.append(tuple(row))
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"the SPARQL endpoint {where} answered with malformed results: "
                         f"{error}") from None
    finally:
        results = solution = None  # freed in this thread, as pyoxigraph requires
    return QueryOutcome("SELECT", columns=columns, rows=rows)


def parse_graph(media_type: str, body: bytes, where: str) -> Iterator[Triple]:
    """The triples of a CONSTRUCT or DESCRIBE answer (or a download) in ``media_type``.

    Raises:
        StoreError: the answer is not in an RDF format, or is malformed.

    Example:
        >>> [str(t) for t in next(parse_graph("application/n-triples",
        ...                                   b'_:b1 <http://e/p> "x"@en-gb .', "http://h/sparql"))]
        ['b1', 'http://e/p', 'x']
    """
    fmt = GRAPH_FORMATS.get(media_type)
    if fmt is None:
        raise StoreError(f"the SPARQL endpoint {where} answered in "
                         f"{media_type or 'an unnamed format'}, not N-Triples, Turtle or RDF/XML")
    try:
        quads = list(ox.parse(input=body, format=fmt))
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"the SPARQL endpoint {where} answered with malformed RDF: "
                         f"{error}") from None
    cache: dict[object, Node] = {}

    def convert(term: object) -> Node:
        node = cache.get(term)
        if node is None:
            node = cache[term] = from_oxigraph(term)
        return node

    return iter([(convert(q.subject), convert(q.predicate), convert(q.object)) for q in quads])
