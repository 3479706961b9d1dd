"""Pattern lookups straight on Oxigraph's indexes, converting only the terms asked for.

:class:`~graph.stores.backend.TriplePatterns` answers each lookup through
:meth:`Backend.match`, which turns every term of every triple into an rdflib term, then keeps
one or two of them. The projections ask "every (predicate, value) of this node" tens of
thousands of times on a large graph, so this reader asks ``quads_for_pattern`` itself and
converts only the positions the caller gets back (through the store's term cache).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from ..terms import to_oxigraph
from .backend import TriplePatterns

_DEFAULT = ox.DefaultGraph()


def _distinct(quads: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
    """Each triple of ``quads`` once, whichever graphs hold it: the union of the graphs."""
    seen: set[ox.Triple] = set()
    for quad in quads:
        triple = quad.triple
        if triple not in seen:
            seen.add(triple)
            yield quad


class OxigraphPatterns(TriplePatterns):
    """:class:`TriplePatterns` over a ``pyoxigraph.Store``, converting terms with ``convert``.

    Example:
        >>> import graph
        >>> from rdflib import URIRef
        >>> from rdflib.namespace import SDO
        >>> patterns = graph.load(store="oxigraph").backend.patterns()
        >>> amy = URIRef("https://w3id.org/her-graph/her/Amy")
        >>> [str(name) for name in patterns.objects(amy, SDO.name)]
        ['Amy']
        >>> patterns.properties(amy)["https://schema.org/name"]
        [rdflib.term.Literal('Amy')]
    """

    def __init__(self, backend: Any, store: Callable[[], ox.Store],
                 convert: Callable[[Any], Node | None],
                 named: Callable[[], bool] = lambda: False):
        super().__init__(backend)
        self._store = store
        self._convert = convert
        self._named = named  # whether named graphs hold triples: then the union, each once

    def _quads(self, subject: Node | None, predicate: Node | None,
               obj: Node | None) -> Iterator[ox.Quad]:
        s, p, o = (None if term is None else to_oxigraph(term)
                   for term in (subject, predicate, obj))
        if isinstance(s, ox.Literal) or (p is not None and not isinstance(p, ox.NamedNode)):
            return iter(())  # no triple has a literal subject or a predicate that is not an IRI
        if not self._named():
            return iter(self._store().quads_for_pattern(s, p, o, _DEFAULT))
        return _distinct(self._store().quads_for_pattern(s, p, o, None))

    def subjects(self, predicate: Node | None = None,
                 obj: Node | None = None) -> Iterator[Node]:
        convert = self._convert
        return (convert(q.subject) for q in self._quads(None, predicate, obj))  # type: ignore[misc]

    def objects(self, subject: Node | None = None,
                predicate: Node | None = None) -> Iterator[Node]:
        convert = self._convert
        return (convert(q.object) for q in self._quads(subject, predicate, None))  # type: ignore[misc]

    def subject_objects(self, predicate: Node | None = None) -> Iterator[tuple[Node, Node]]:
        convert = self._convert
        return ((convert(q.subject), convert(q.object))  # type: ignore[misc]
                for q in self._quads(None, predicate, None))

    def predicate_objects(self, subject: Node | None = None) -> Iterator[tuple[Node, Node]]:
        convert = self._convert
        return ((convert(q.predicate), convert(q.object))  # type: ignore[misc]
                for q in self._quads(subject, None, None))

    def properties(self, subject: Node) -> dict[str, list[Node]]:
        """Predicate IRI (text) -> the values ``subject`` has for it, in one lookup: what
        :meth:`graph.views.labels.TermReader.props` builds, without making rdflib predicates."""
        convert = self._convert
        found: dict[str, list[Node]] = {}
        for quad in self._quads(subject, None, None):
            found.setdefault(quad.predicate.value, []).append(
                convert(quad.object))  # type: ignore[arg-type]
        return found

    def read_rows(self, text: str) -> list[tuple[str, Node, Node | None]]:
        """The rows ``?k ?s ?o`` of a SELECT run on the default graph: ``?k`` as text, ``?s`` and
        ``?o`` as rdflib terms (converted through the store's term cache). A view asks for
        everything it reads at once this way (see
        :meth:`graph.views.labels.TermReader.read_ahead`).

        Example:
            >>> import graph
            >>> patterns = graph.load(store="oxigraph").backend.patterns()
            >>> patterns.read_rows('SELECT ?k ?s ?o WHERE { BIND("0 0" AS ?k) '
            ...     'BIND(<https://w3id.org/her-graph/her/Amy> AS ?s) '
            ...     '?s <https://schema.org/name> ?o }')
            [('0 0', rdflib.term.URIRef('https://w3id.org/her-graph/her/Amy'), \
rdflib.term.Literal('Amy'))]
        """
        convert = self._convert
        cache: dict[Any, Node] = getattr(convert, "cache", {})  # the store's term cache
        rows: list[tuple[str, Node, Node | None]] = []
        solutions: Any = self._store().query(text)
        try:
            for k, s, o in solutions:
                subject = cache.get(s)
                if subject is None:
                    subject = convert(s)
                value = cache.get(o) if o is not None else None
                if value is None and o is not None:
                    value = convert(o)
                rows.append((k.value, subject, value))  # type: ignore[arg-type]
            return rows
        finally:
            solutions = None  # freed in this thread (pyoxigraph's iterators must be)
