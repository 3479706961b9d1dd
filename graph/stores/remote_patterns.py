"""Reading part of a SPARQL server's graph by pattern, in few requests.

A projection reads the graph node by node: the influences, then each influence's parties,
events and evidence, then each piece of evidence's quote. Over HTTP, one request per node
would make thousands of round trips; downloading the whole graph costs as much as the graph.
:class:`BatchedPatterns` does neither. A view first asks for everything it will read in one
query (:meth:`BatchedPatterns.read_rows`, see :meth:`graph.views.labels.TermReader.read_ahead`).
Lookups that query did not answer are batched: every resource a lookup returns is remembered,
and the first time the triples of a node are asked for, those of up to ``batch`` remembered
nodes come in the same request (a ``VALUES`` block of strictly written IRIs, see
:func:`graph.sparql.text.sparql_term`).

Blank nodes: a server labels a blank node anew in every answer, so one cannot be looked up in a
later request. The first time an answer holds a blank node, the reader switches to a download
of the whole graph (``backend.rdf``) and answers every later lookup from it. That is
consistent: the terms it returned before were all IRIs and literals, which are the same in the
download.

Example:
    >>> import graph
    >>> from rdflib import URIRef
    >>> from rdflib.namespace import SDO
    >>> from graph.stores.backend import MemoryBackend
    >>> patterns = BatchedPatterns(MemoryBackend(graph.load().rdf))  # any backend answers
    >>> amy = URIRef("https://w3id.org/her-graph/her/Amy")
    >>> [str(name) for name in patterns.objects(amy, SDO.name)]
    ['Amy']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..sparql.text import sparql_term
from .backend import Backend, Triple, TriplePatterns

_PROPS = "SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {subjects} }} ?s ?p ?o }}"


class _HoldsBlankNode(Exception):
    """An answer held a blank node: from now on, read the downloaded graph."""


class BatchedPatterns(TriplePatterns):
    """A :class:`~graph.stores.backend.TriplePatterns` that fetches what many nodes say in one
    request.

    Example:
        >>> import graph
        >>> from graph.stores.backend import MemoryBackend
        >>> from rdflib.namespace import PROV
        >>> patterns = BatchedPatterns(MemoryBackend(graph.load().rdf), batch=50)
        >>> pairs = list(patterns.subject_objects(PROV.wasInfluencedBy))
        >>> len(pairs), patterns.requests
        (10, 1)
        >>> _ = [list(patterns.predicate_objects(s)) for s, o in pairs]
        >>> patterns.requests  # the parties of all four influences came in one request
        2
    """

    def __init__(self, backend: Backend, *, batch: int = 400):
        super().__init__(backend)
        self.batch = batch
        #: Requests sent so far.
        self.requests = 0
        self._said: dict[Node, list[tuple[Node, Node]]] = {}
        self._pending: dict[Node, None] = {}  # an ordered set
        self._whole: Graph | None = None

    # The lookups that read what one node says go through the batches; the others through
    # _match, below.

    def objects(self, subject: Node | None = None,
                predicate: Node | None = None) -> Iterator[Node]:
        if subject is not None:
            return (o for p, o in self.predicate_objects(subject)
                    if predicate is None or p == predicate)
        return super().objects(None, predicate)

    def predicate_objects(self, subject: Node | None = None) -> Iterator[tuple[Node, Node]]:
        if subject is None:
            return super().predicate_objects(None)
        if self._whole is None and isinstance(subject, URIRef):
            said = self._said.get(subject)
            if said is None:
                try:
                    self._fetch(subject)
                except _HoldsBlankNode:
                    return self._download().predicate_objects(subject)
                said = self._said[subject]
            return iter(said)
        if isinstance(subject, Literal):
            return iter(())
        return self._download().predicate_objects(subject)

    def read_rows(self, text: str) -> list[tuple[str, Node, Node | None]] | None:
        """The rows ``?k ?s ?o`` of a SELECT, in one request, ``?k`` as text: a view asks for
        everything it reads at once this way (see
        :meth:`graph.views.labels.TermReader.read_ahead`). ``None`` when the answer holds a
        blank node (the server labels those anew in each answer, so the view reads by pattern,
        from the downloaded graph), or once the graph was downloaded."""
        if self._whole is not None:
            return None
        self.requests += 1
        rows = []
        for k, s, o in self.backend.query(text, {}).rows:
            # The results readers make exact BNodes; type() is much faster than isinstance()
            # on rdflib's terms (ABCs), and a view reads thousands of rows.
            if type(s) is BNode or type(o) is BNode or s is None:
                return None
            rows.append((str(k), s, o))
        return rows

    # -----------------------------------------------------------------------------------------

    def _match(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[Triple]:
        if self._whole is None and not any(isinstance(t, BNode) for t in (s, p, o)):
            self.requests += 1
            found = list(self.backend.match(s, p, o))
            if not any(isinstance(term, BNode) for triple in found for term in triple):
                self._remember(term for triple in found for term in (triple[0], triple[2]))
                return iter(found)
        return iter(self._download().triples((s, p, o)))

    def _fetch(self, subject: URIRef) -> None:
        """Ask for the triples of ``subject`` and of up to ``batch - 1`` remembered nodes."""
        self._pending.pop(subject, None)
        wanted: list[Node] = [subject]
        while self._pending and len(wanted) < self.batch:
            node = next(iter(self._pending))
            del self._pending[node]
            wanted.append(node)
        text = _PROPS.format(subjects=" ".join(sparql_term(node) for node in wanted))
        self.requests += 1
        rows = self.backend.query(text, {}).rows
        said: dict[Node, list[tuple[Node, Node]]] = {node: [] for node in wanted}
        for s, p, o in rows:
            if isinstance(s, BNode) or isinstance(o, BNode):
                raise _HoldsBlankNode
            if s is not None and p is not None and o is not None:
                said.setdefault(s, []).append((p, o))
        self._said.update(said)
        self._remember(o for pairs in said.values() for _, o in pairs)

    def _remember(self, terms: Iterable[Node]) -> None:
        for term in terms:
            if isinstance(term, URIRef) and term not in self._said:
                self._pending[term] = None

    def _download(self) -> Graph:
        if self._whole is None:
            self._whole = self.backend.rdf
            self._said.clear()
            self._pending.clear()
        return self._whole
