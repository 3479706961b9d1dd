"""Single values of query results: :class:`IRI`, :class:`BlankNode`, and the conversions between
rdflib terms and plain Python values.

IRIs come back as :class:`IRI`, a ``str`` subclass: it compares equal to the plain string, so
``row["character"] == "https://w3id.org/her-graph/her/Theodore"`` holds, and it can be passed
back as a query parameter, where a plain ``str`` would be bound as a string literal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node


class IRI(str):
    """An IRI in a query result: a ``str`` that says it names a resource.

    >>> iri = IRI("https://w3id.org/her-graph/her/Theodore")
    >>> iri == "https://w3id.org/her-graph/her/Theodore"
    True
    >>> iri.local_name
    'Theodore'
    """

    __slots__ = ()

    @property
    def local_name(self) -> str:
        """The part after the last ``#`` or ``/``."""
        for separator in ("#", "/"):
            if separator in self:
                tail = self.rsplit(separator, 1)[1]
                if tail:
                    return tail
        return str(self)

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


class BlankNode(str):
    """A blank node in a query result, by its label (meaningful only within one result).

    Example:
        >>> import graph
        >>> rows = graph.load().query("SELECT ?b WHERE { BIND(BNODE() AS ?b) }")
        >>> type(rows[0]["b"]).__name__
        'BlankNode'
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"BlankNode({str.__repr__(self)})"


Value = (str | int | float | bool | Decimal | dt.date | dt.datetime | dt.time | IRI | BlankNode
         | None)

_YEAR_TYPES = {XSD.gYear}
_FLOAT_TYPES = {XSD.double, XSD.float}


def to_python(term: Node | None) -> Value:
    """Turn an rdflib term into the plain Python value a result row holds.

    xsd integers become ``int``, doubles and floats ``float``, decimals :class:`~decimal.Decimal`,
    booleans ``bool``, dates and times :mod:`datetime` values, ``xsd:gYear`` an ``int`` year,
    IRIs :class:`IRI`, blank nodes :class:`BlankNode`, and every other literal its lexical
    ``str`` (a language tag is dropped; query ``LANG()`` to keep it).

    >>> from rdflib import Literal, URIRef
    >>> from rdflib.namespace import XSD
    >>> to_python(Literal(8316))
    8316
    >>> to_python(Literal("2013", datatype=XSD.gYear))
    2013
    >>> to_python(URIRef("https://schema.org/Movie"))
    IRI('https://schema.org/Movie')
    """
    if term is None:
        return None
    if isinstance(term, URIRef):
        return IRI(term)
    if isinstance(term, BNode):
        return BlankNode(term)
    if isinstance(term, Literal):
        datatype = term.datatype
        if datatype is None:
            return str(term)
        if datatype in _YEAR_TYPES:
            try:
                return int(str(term))
            except ValueError:
                return str(term)
        if datatype in _FLOAT_TYPES:
            try:
                return float(str(term))
            except ValueError:
                return str(term)
        value = term.toPython()
        if isinstance(value, Literal | Node) or value is None:
            return str(term)
        if isinstance(value, int | float | bool | Decimal | dt.date | dt.datetime | dt.time | str):
            return value
        return str(term)
    return str(term)


def to_rdf(value: Any) -> Node:
    """Turn a Python value into the rdflib term it binds as in a query.

    rdflib terms pass through; :class:`IRI` becomes an IRI; ``str`` a plain string literal; numbers,
    booleans and dates typed literals.

    >>> to_rdf(IRI("https://w3id.org/her-graph/her/Amy"))
    rdflib.term.URIRef('https://w3id.org/her-graph/her/Amy')
    >>> to_rdf(641)
    rdflib.term.Literal('641', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if isinstance(value, Node):
        return value
    if isinstance(value, IRI):
        return URIRef(str(value))
    if isinstance(value, BlankNode):
        return BNode(str(value))
    if isinstance(value, str | bool | int | float | Decimal | dt.date | dt.datetime | dt.time):
        return Literal(value)
    raise TypeError(
        f"cannot bind a {type(value).__name__} as a SPARQL value; pass str, int, float, bool, "
        "a date, graph.IRI(...) or an rdflib term"
    )


_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def short_iri(iri: str, namespaces: Iterable[tuple[str, Any]]) -> str:
    """The prefixed name of ``iri`` under the longest of ``namespaces`` that covers it.

    ``namespaces`` are ``(prefix, namespace IRI)`` pairs, as
    :meth:`rdflib.namespace.NamespaceManager.namespaces` gives them. The rest of the IRI must
    be a plain local name (letters, digits, ``_`` and ``-``); otherwise, or when no namespace
    covers it, the IRI comes back whole.

    >>> short_iri("https://w3id.org/her-graph/her/Theodore",
    ...           [("her", "https://w3id.org/her-graph/her/")])
    'her:Theodore'
    >>> short_iri("https://example.org/a/b", [("her", "https://w3id.org/her-graph/her/")])
    'https://example.org/a/b'
    """
    text = str(iri)
    best = ""
    best_prefix = ""
    for prefix, namespace in namespaces:
        ns = str(namespace)
        if text.startswith(ns) and len(ns) > len(best) and _LOCAL_NAME.match(text[len(ns):]):
            best, best_prefix = ns, prefix
    return f"{best_prefix}:{text[len(best):]}" if best else text
