"""Run validation's own SPARQL (the shapes' SPARQL constraints and their targets) on Oxigraph.

rdflib parses each query with pyparsing (tens of milliseconds a query) and evaluates it in
Python; Oxigraph parses and evaluates in native code. Validation copies the data graph into an
in-memory Oxigraph store once (a few milliseconds for the Her graph) and asks it every query,
while pyshacl keeps the core shapes. The rows come back as rdflib terms, as rdflib would give
them, so the report is the same.

When a graph holds something Oxigraph cannot take (a blank node label or an IRI it refuses),
:func:`oxigraph_copy` returns None and the caller runs the queries on rdflib as before.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ..namespaces import PREFIXES
from ..terms import from_oxigraph, to_oxigraph

#: The her-graph prefixes, declared before each query as rdflib's ``initNs`` would bind them.
_PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


def oxigraph_copy(data: Graph) -> ox.Store | None:
    """An in-memory Oxigraph store holding ``data``'s triples, or None if it cannot hold them.

    Example:
        >>> from rdflib import Graph, URIRef
        >>> g = Graph()
        >>> _ = g.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"),
        ...            URIRef("https://example.org/b")))
        >>> len(oxigraph_copy(g))
        1
    """
    store = ox.Store()
    try:
        store.extend([ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
                      for s, p, o in data])
    except (TypeError, ValueError, OSError):
        return None
    return store


def select(store: ox.Store, text: str) -> Iterator[dict[str, Node]]:
    """The rows of the SELECT query ``text`` on ``store``, each a dict of its bound variables
    (as rdflib terms), as ``ResultRow.asdict()`` gives them.

    Example:
        >>> from rdflib import Graph, URIRef
        >>> g = Graph()
        >>> _ = g.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"),
        ...            URIRef("https://example.org/b")))
        >>> list(select(oxigraph_copy(g), "SELECT ?s WHERE { ?s ?p ?o }"))
        [{'s': rdflib.term.URIRef('https://example.org/a')}]
    """
    solutions = store.query(_PROLOGUE + text)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    for solution in solutions:
        row = {}
        for name, value in zip(names, solution, strict=True):
            if value is not None:
                row[name] = from_oxigraph(value)
        yield row
