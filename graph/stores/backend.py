"""Where the triples live and how SPARQL runs on them.

A :class:`Backend` holds the graph and answers SPARQL. Every :class:`~graph.KnowledgeGraph`
has one; the rest of the package talks only to the backend interface, so the same queries,
projections and exports run on every store:

- :class:`MemoryBackend` (``store="memory"``, the default): an rdflib graph in memory;
- :class:`~graph.stores.oxigraph.OxigraphBackend` (``store="oxigraph"``): an embedded Oxigraph
  store, in memory or persisted in a folder;
- :class:`~graph.stores.remote.SparqlBackend` (``store="sparql"``): any SPARQL 1.1 server.

On the last two, ``kg.rdf`` is a :class:`SnapshotGraph`: an rdflib copy made on first use (one
pass over every triple; about as much memory as the memory store would take), read-only so that
a change cannot silently miss the store (change the store with ``kg.update``). What reads only
part of the graph (the projections, a label) asks the store by triple pattern instead
(:meth:`Backend.match`, :meth:`Backend.patterns`), so it never copies the whole graph; a
SPARQL server is asked for many nodes per request (:mod:`graph.stores.remote_patterns`).
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import NamespaceManager
from rdflib.store import TripleAddedEvent
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from ..sparql.text import EMPTY_QUERY, check_iri
from .timeouts import time_limit

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import ResultRow
    from rdflib.term import Identifier

Triple = tuple[Node, Node, Node]
#: A triple and the name of the graph that holds it (``None``: the default graph).
Quad = tuple[Node, Node, Node, Node | None]

#: Why a read-only path refuses an UPDATE, and what to do instead.
UPDATE_REFUSED = ("this is a SPARQL UPDATE, and queries are read-only here: use kg.update(...) "
                  "(or `her-graph query --allow-update`) to change the graph")

_NOTHING = re.compile(r"(?:\s|#[^\n]*)*")


def update_refused(text: str) -> QueryError:
    """The error for a read-only path given an update: an empty text says it is empty.

    >>> str(update_refused("  # nothing here"))
    'the query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query'
    """
    return QueryError(EMPTY_QUERY if _NOTHING.fullmatch(text) else UPDATE_REFUSED)


@dataclass
class QueryOutcome:
    """What a query returned, in rdflib terms, before conversion to plain Python.

    Example:
        >>> import graph
        >>> outcome = graph.load().backend.query("ASK { ?s ?p ?o }", {})
        >>> outcome.kind, outcome.boolean
        ('ASK', True)
    """

    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


_MATCH = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
_GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_ALL_QUADS = ("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")


class TriplePatterns:
    """The pattern lookups of an rdflib graph that the projections use, answered by a store.

    ``subjects``, ``objects``, ``subject_objects`` and ``predicate_objects`` behave as on
    :class:`rdflib.Graph`, but each is one lookup in the store (:meth:`Backend.match`), so
    reading part of a large Oxigraph or remote graph never copies all of it.

    Example:
        >>> import graph
        >>> from rdflib import URIRef
        >>> from rdflib.namespace import SDO
        >>> patterns = graph.load(store="oxigraph").backend.patterns()
        >>> amy = URIRef("https://w3id.org/her-graph/her/Amy")
        >>> [str(name) for name in patterns.objects(amy, SDO.name)]
        ['Amy']
    """

    def __init__(self, backend: Backend):
        self.backend = backend

    @property
    def namespace_manager(self) -> NamespaceManager:
        """The store's prefixes."""
        return self.backend.namespace_manager

    def subjects(self, predicate: Node | None = None,
                 obj: Node | None = None) -> Iterator[Node]:
        """The subjects of the triples ``(?, predicate, obj)``."""
        return (s for s, _, _ in self._match(None, predicate, obj))

    def objects(self, subject: Node | None = None,
                predicate: Node | None = None) -> Iterator[Node]:
        """The objects of the triples ``(subject, predicate, ?)``."""
        return (o for _, _, o in self._match(subject, predicate, None))

    def subject_objects(self, predicate: Node | None = None) -> Iterator[tuple[Node, Node]]:
        """The (subject, object) pairs of the triples ``(?, predicate, ?)``."""
        return ((s, o) for s, _, o in self._match(None, predicate, None))

    def predicate_objects(self, subject: Node | None = None) -> Iterator[tuple[Node, Node]]:
        """The (predicate, object) pairs of the triples ``(subject, ?, ?)``."""
        return ((p, o) for _, p, o in self._match(subject, None, None))

    def _match(self, subject: Node | None, predicate: Node | None,
               obj: Node | None) -> Iterator[Triple]:
        """Every lookup above goes through here: the store's :meth:`Backend.match`."""
        return self.backend.match(subject, predicate, obj)


def _syntax_message(error: Exception) -> str:
    line = getattr(error, "lineno", None)
    col = getattr(error, "col", None)
    where = f" at line {line}, column {col}" if line is not None else ""
    reason = getattr(error, "msg", None) or str(error).split("\n", 1)[0]
    return f"invalid SPARQL{where}: {reason}"


def _parse_read_only(text: str) -> Any:
    """rdflib's parse of a read-only query; :class:`QueryError` for an update or bad syntax."""
    # rdflib's SPARQL parser costs a fifth of a second to import: only when a query needs it.
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return parseQuery(text)
    except Exception as query_error:  # pyparsing raises its own exception types
        try:
            parseUpdate(text)
        except Exception:
            raise QueryError(_syntax_message(query_error)) from None
        raise update_refused(text) from None


@lru_cache(maxsize=256)
def check_read_only(text: str) -> None:
    """Raise :class:`QueryError` if ``text`` is not a valid read-only SPARQL query.

    An UPDATE (INSERT, DELETE, LOAD, CLEAR, DROP, ...) gets its own message, since read-only
    paths refuse it on purpose.
    """
    _parse_read_only(text)


@lru_cache(maxsize=256)
def prepare(text: str) -> Query:
    """Parse and compile a SPARQL query once (rdflib re-parses a string on every call).

    The one parse serves both the read-only check and the compiled query (as
    :func:`rdflib.plugins.sparql.prepareQuery` would build it): parsing is most of the cost.

    Raises:
        QueryError: the text is not a valid read-only query.
    """
    from rdflib.plugins.sparql.algebra import translateQuery

    tree = _parse_read_only(text)
    try:
        query = translateQuery(tree, None, PREFIXES)
    except Exception as error:
        raise QueryError(_syntax_message(error)) from None
    query._original_args = (text, PREFIXES, None)
    return query


_MAY_NAME_GRAPHS = re.compile(r"\b(?:FROM|USING)\b|\\[uU]", re.IGNORECASE)
_LOADING_SWITCH = threading.RLock()


@contextmanager
def graphs_never_downloaded(text: str) -> Iterator[None]:
    """While rdflib runs ``text``, ``FROM`` and ``USING`` name graphs of the store, never
    documents to fetch.

    Left to itself, rdflib reads a ``FROM <iri>`` (``FROM NAMED``, ``USING``) that names no
    graph it holds as a document to download: from any address, or a local file with a
    ``file:`` IRI, while the query runs. Oxigraph and SPARQL servers take such a graph as
    empty; so does the memory store inside this block. rdflib's switch for it
    (``SPARQL_LOAD_GRAPHS``) is global to the process, so it is turned off only while a query
    that may have such a clause runs, under a lock, and restored after.

    Example:
        >>> import rdflib.plugins.sparql as sparql
        >>> with graphs_never_downloaded("SELECT * FROM <https://example.org/g> WHERE {}"):
        ...     sparql.SPARQL_LOAD_GRAPHS
        False
        >>> sparql.SPARQL_LOAD_GRAPHS
        True
    """
    if not _MAY_NAME_GRAPHS.search(text):
        yield
        return
    import rdflib.plugins.sparql as sparql

    with _LOADING_SWITCH:
        before = sparql.SPARQL_LOAD_GRAPHS
        sparql.SPARQL_LOAD_GRAPHS = False
        try:
            yield
        finally:
            sparql.SPARQL_LOAD_GRAPHS = before


def check_bindings(bindings: Mapping[str, Node]) -> None:
    """Refuse a binding that no store could hold: an IRI (or datatype) that is not a valid IRI.

    Every store checks the same way, so a malformed IRI is a :class:`QueryError` everywhere
    rather than an empty answer on one store and an error on another.

    Example:
        >>> from rdflib import URIRef
        >>> check_bindings({"c": URIRef("https://w3id.org/her-graph/her/Amy")})
        >>> check_bindings({"c": URIRef("not an iri")})
        Traceback (most recent call last):
            ...
        graph.errors.QueryError: ...
    """
    for term in bindings.values():
        if isinstance(term, URIRef):
            check_iri(str(term))
        elif isinstance(term, Literal) and term.datatype is not None:
            check_iri(str(term.datatype), "datatype IRI")


def bound_graph(graph: Graph | None = None) -> Graph:
    """``graph`` (or a new empty graph) with the her-graph prefixes bound, as every store has.

    Example:
        >>> g = bound_graph()
        >>> dict(g.namespaces())["her"]
        rdflib.term.URIRef('https://w3id.org/her-graph/her/')
    """
    graph = graph if graph is not None else Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=False)
    return graph


class SnapshotGraph(Graph):
    """A read-only rdflib copy of a store's triples: what ``kg.rdf`` is on a non-rdflib store.

    Reading works as on any rdflib graph (pyshacl, serialisation, ``in``, ``triples``).
    Adding or removing raises :class:`~graph.errors.StoreError`: the change would reach only
    the copy, never the store, so it is refused rather than lost.

    Example:
        >>> import graph
        >>> snapshot = graph.load(store="oxigraph").rdf
        >>> isinstance(snapshot, SnapshotGraph), len(snapshot) > 1000
        (True, True)
    """

    def __init__(self, store_name: str):
        super().__init__()
        bound_graph(self)
        self._store_name = store_name

    def _refuse(self) -> StoreError:
        return StoreError(
            f"kg.rdf of the {self._store_name} store is a read-only copy of its triples; change "
            "the store itself with kg.update('INSERT DATA { ... }') (or load it with "
            "store='memory' to edit an rdflib graph in place)")

    def fill(self, triples: Iterator[Triple]) -> SnapshotGraph:
        """Add ``triples`` (while building the snapshot) and return the graph."""
        add = super().add
        for triple in triples:
            add(triple)
        return self

    def add(self, triple: Triple) -> Graph:  # type: ignore[override]
        raise self._refuse()

    def addN(self, quads: object) -> Graph:  # type: ignore[override]
        raise self._refuse()

    def remove(self, triple: object) -> Graph:  # type: ignore[override]
        raise self._refuse()


class UnionDataset(Dataset):
    """An rdflib :class:`~rdflib.Dataset` read as one graph: the union of all its graphs.

    What the memory store holds. Its named graphs keep their names (``GRAPH ?g { ... }`` in
    SPARQL, :meth:`graphs`), while everything that reads it as a graph sees the union of the
    default graph and every named graph, as on the other stores: iterating, ``len``,
    ``triples``, and SPARQL without ``GRAPH``. Adding a triple adds it to the default graph.

    Example:
        >>> from rdflib import Literal, URIRef
        >>> ds = UnionDataset()
        >>> s, p = URIRef("https://e/s"), URIRef("https://e/p")
        >>> ds.add((s, p, Literal("in the default graph")))
        <Graph identifier=... (<class 'graph.stores.backend.UnionDataset'>)>
        >>> _ = ds.graph(URIRef("https://e/g")).add((s, p, Literal("in a named graph")))
        >>> len(ds), sorted(str(o) for _, _, o in ds)
        (2, ['in a named graph', 'in the default graph'])
        >>> [str(row.g) for row in ds.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]
        ['https://e/g']
    """

    def __init__(self) -> None:
        super().__init__(default_union=True)

    def __iter__(self) -> Iterator[Triple]:  # type: ignore[override]
        # rdflib's Dataset iterates quads; read as a graph, this one gives triples.
        return (triple for triple in self.triples((None, None, None)))

    def add(self, triple_or_quad: Any) -> UnionDataset:
        """Add a triple to the default graph, or a quad to its graph."""
        if len(triple_or_quad) == 3:
            # Straight to the default graph: rdflib's own path warns of a deprecated name.
            self.default_graph.add(triple_or_quad)
            return self
        super().add(triple_or_quad)
        return self

    def __iadd__(self, other: Iterable[Any]) -> UnionDataset:  # type: ignore[misc]
        # rdflib's Dataset takes only quads here, but its SPARQL INSERT DATA hands it triples
        # (rdflib 7.6 fails on a Dataset with default_union): take both.
        for statement in other:
            self.add(statement)
        return self

    def named_graphs(self) -> list[Node]:
        """The names of the graphs that hold triples, other than the default graph."""
        return [g.identifier for g in self.graphs()
                if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]


def sort_names(names: Iterable[Node]) -> list[Node]:
    """Graph names in their listing order: IRIs by IRI, then blank nodes by label."""
    return sorted(set(names), key=lambda g: (isinstance(g, BNode), str(g)))


class Backend(ABC):
    """A store of triples that answers SPARQL.

    Example:
        >>> import graph
        >>> backend = graph.load().backend
        >>> isinstance(backend, Backend), backend.name, len(backend) > 1000
        (True, 'memory', True)
    """

    #: The name users pass as ``graph.load(store=...)``.
    name: str = ""

    #: Where the triples came from (files, a store folder, an endpoint), for display.
    sources: tuple[str, ...] = ()

    #: True when SPARQL runs in this process, so that ``SERVICE`` and ``LOAD`` would fetch
    #: from here (see :mod:`graph.sparql.offline`); False for a server, which runs them itself.
    runs_locally: bool = True

    @property
    @abstractmethod
    def rdf(self) -> Graph:
        """An rdflib view of the graph."""

    @property
    def namespace_manager(self) -> NamespaceManager:
        """The prefixes used to shorten IRIs (``her:Theodore``); the same on every store."""
        return self.rdf.namespace_manager

    @abstractmethod
    def query(self, text: str, bindings: Mapping[str, Node], *,
              timeout: float | None = None) -> QueryOutcome:
        """Run a read-only query with ``bindings`` bound to its variables."""

    @abstractmethod
    def update(self, text: str, bindings: Mapping[str, Node]) -> None:
        """Run a SPARQL UPDATE."""

    def triples(self) -> Iterator[Triple]:
        """Every triple of the graph: :meth:`match` of the empty pattern, unless a store has a
        faster way to hand over all of them."""
        return self.match()

    def graph_names(self) -> list[Node]:
        """The names of the store's named graphs (IRIs, or blank nodes from a file), in the
        order of :func:`sort_names`; the default graph is not one of them."""
        return sort_names(row[0] for row in self.query(_GRAPH_NAMES, {}).rows
                          if row[0] is not None)

    def quads(self) -> Iterator[Quad]:
        """Every triple with the graph that holds it: ``None`` for the default graph, else
        its name. A triple in several graphs comes once for each.

        This default asks the store once (blank nodes keep one label across the answer). A
        server whose default graph is the union of its graphs (Virtuoso, ``oxigraph serve
        --union-default-graph``) answers every triple of a named graph as a default-graph
        triple too: when the default graph holds every named-graph triple, those are taken
        as the union's and only the others are the default graph's.
        """
        if not self.graph_names():
            yield from ((s, p, o, None) for s, p, o in self.triples())
            return
        default: list[Triple] = []
        named: list[Quad] = []
        for row in self.query(_ALL_QUADS, {}).rows:
            s, p, o, g = row
            if s is None or p is None or o is None:
                continue
            if g is None:
                default.append((s, p, o))
            else:
                named.append((s, p, o, g))
        in_named = {quad[:3] for quad in named}
        if in_named <= set(default):
            default = [triple for triple in default if triple not in in_named]
        yield from ((s, p, o, None) for s, p, o in dict.fromkeys(default))
        yield from dict.fromkeys(named)

    def match(self, subject: Node | None = None, predicate: Node | None = None,
              obj: Node | None = None) -> Iterator[Triple]:
        """The triples that match a pattern (``None`` matches any term).

        This default asks the store with one SPARQL query, the pattern bound as values; the
        stores that hold their indexes in this process look them up directly.
        """
        bindings = {name: term for name, term in (("s", subject), ("p", predicate), ("o", obj))
                    if term is not None}
        outcome = self.query(_MATCH, bindings)
        for row in outcome.rows:
            s, p, o = (given if given is not None else found for given, found in
                       zip((subject, predicate, obj), row, strict=True))
            if s is not None and p is not None and o is not None:
                yield s, p, o

    def patterns(self) -> Graph | TriplePatterns:
        """What to read the graph from by pattern: ``rdf``'s lookups where the graph is an rdflib
        graph already, :class:`TriplePatterns` over :meth:`match` on the other stores."""
        return TriplePatterns(self)

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples."""

    @property
    def revision(self) -> Hashable | None:
        """A value that changes whenever the triples change, so that what was computed from
        them (the influence analysis) can be kept until then; ``None`` when the store cannot
        tell (a SPARQL server that other clients may change), and nothing is kept.

        Example:
            >>> import graph
            >>> kg = graph.load()
            >>> before = kg.backend.revision
            >>> kg.update("INSERT DATA { her:Amy schema:name 'Amy Q.' }")
            >>> kg.backend.revision != before
            True
        """
        return None

    def close(self) -> None:  # noqa: B027 - optional for stores that hold nothing open
        """Release what the store holds open (a folder's lock, connections)."""


class MemoryBackend(Backend):
    """An in-memory rdflib graph: the default, and what ``kg.rdf`` is.

    Example:
        >>> from rdflib import Graph, URIRef
        >>> g = Graph()
        >>> g.add((URIRef("https://example.org/a"), URIRef("https://example.org/knows"),
        ...        URIRef("https://example.org/b")))
        <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
        >>> backend = MemoryBackend(g)
        >>> backend.name, len(backend)
        ('memory', 1)
    """

    name = "memory"

    def __init__(self, graph: Graph | None = None, *, sources: tuple[str, ...] = ()):
        self._graph = bound_graph(graph)
        self.sources = sources
        # rdflib's stores announce every added triple (also those of a SPARQL update or of a
        # change made through ``kg.rdf``); a removal shows in the length.
        self._added = 0
        self._graph.store.dispatcher.subscribe(TripleAddedEvent, self._count_addition)

    def _count_addition(self, event: object) -> None:
        self._added += 1

    @property
    def revision(self) -> Hashable:
        return (self._added, len(self._graph))

    @property
    def rdf(self) -> Graph:
        return self._graph

    def query(self, text: str, bindings: Mapping[str, Node], *,
              timeout: float | None = None) -> QueryOutcome:
        check_bindings(bindings)
        prepared = prepare(text)
        with time_limit(timeout), graphs_never_downloaded(text):
            try:
                result = self._graph.query(
                    prepared, initBindings=cast("dict[str, Identifier]", dict(bindings)))
                if result.type == "SELECT":
                    columns = [str(v) for v in result.vars or []]
                    rows: list[tuple[Node | None, ...]] = [
                        tuple(cast("ResultRow", row)) for row in result]
                    return QueryOutcome("SELECT", columns=columns, rows=rows)
                if result.type == "ASK":
                    return QueryOutcome("ASK", boolean=bool(result.askAnswer))
                graph = Graph()
                for prefix, namespace in self._graph.namespaces():
                    graph.bind(prefix, namespace)
                for triple in result:
                    graph.add(cast("tuple[Node, Node, Node]", triple))
                return QueryOutcome(result.type, graph=graph)
            except QueryError:
                raise
            except Exception as error:  # rdflib's evaluator raises bare Exceptions too
                raise QueryError(f"the query failed while running: {error}") from None

    def update(self, text: str, bindings: Mapping[str, Node]) -> None:
        try:
            with graphs_never_downloaded(text):
                self._graph.update(text, initNs=PREFIXES,
                                   initBindings=cast("dict[str, Identifier]", dict(bindings)))
        except Exception as error:
            raise QueryError(_syntax_message(error)) from None

    def graph_names(self) -> list[Node]:
        graph = self._graph
        return sort_names(graph.named_graphs()) if isinstance(graph, UnionDataset) else []

    def quads(self) -> Iterator[Quad]:
        graph = self._graph
        if not isinstance(graph, UnionDataset):
            yield from ((s, p, o, None) for s, p, o in graph)
            return
        for s, p, o, g in graph.quads((None, None, None, None)):
            yield s, p, o, None if g is None or g == DATASET_DEFAULT_GRAPH_ID else g

    def match(self, subject: Node | None = None, predicate: Node | None = None,
              obj: Node | None = None) -> Iterator[Triple]:
        return iter(self._graph.triples((subject, predicate, obj)))

    def patterns(self) -> Graph | TriplePatterns:
        return self._graph

    def __len__(self) -> int:
        return len(self._graph)
