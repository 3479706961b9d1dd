"""The Oxigraph store: a fast embedded SPARQL engine, in memory or persisted in a folder.

``graph.load("corpus.nt", store="oxigraph")`` parses with Oxigraph's strict parsers straight into
an in-memory Oxigraph store (no rdflib on the way); ``path="corpus.db"`` persists it in a folder,
and ``graph.load(store="oxigraph", path="corpus.db")`` later reopens it in milliseconds without
parsing anything again (:mod:`graph.stores.oxigraph_open` loads and opens stores).

How it keeps answers identical to the memory store:

- blank nodes get the labels the memory store gives them (the file's digest and the order of
  first appearance), so
  projections and exports match even for graphs with blank nodes;
- the named graphs of TriG, N-Quads and JSON-LD files keep their names (Oxigraph quads), and
  what reads the store as one graph sees the union of all its graphs, as on the memory store:
  queries run with ``use_default_graph_as_union``, and pattern lookups, the length and
  ``kg.rdf`` take each triple once, whichever graphs hold it. (A query without ``GRAPH``
  sees a triple that several graphs hold once per graph: Oxigraph's union is a bag. Use
  ``DISTINCT`` where that matters; the memory store sees it once.);
- values are bound with the strict ``VALUES`` binder of :mod:`graph.sparql.text`.
  (pyoxigraph's own ``substitutions=`` follows SPARQL SEP-0007, which refuses a variable that the
  ``SELECT`` does not project, and a named query's parameter usually is not projected);
- result terms go through :mod:`graph.terms` (an ``xsd:string`` literal becomes a plain one).

A query given ``timeout=`` runs in a worker thread: the call returns at the limit with
:class:`~graph.errors.QueryTimeoutError`, and stops reading further rows, but Oxigraph cannot be
interrupted while it computes one row (an aggregate over a huge join), so that part runs on in
the background until it ends.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Hashable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from ..errors import QueryError, QueryTimeoutError, StoreError, UsageError
from ..namespaces import PREFIXES
from ..sparql.text import analyse, bind, implied_prefixes
from ..terms import from_oxigraph, to_oxigraph
from .backend import (
    Backend,
    Quad,
    QueryOutcome,
    SnapshotGraph,
    Triple,
    bound_graph,
    check_read_only,
    sort_names,
)
from .oxigraph_patterns import OxigraphPatterns


class _Converter:
    """Oxigraph terms to rdflib terms, remembering up to ``limit`` of them across queries.

    Terms never change meaning, so the memory needs no invalidation: the same IRIs, names and
    labels come back query after query, and rdflib terms are slow to build.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.cache: dict[Any, Node] = {}
        self.limit = limit

    def __call__(self, term: Any) -> Node | None:
        if term is None:
            return None
        node = self.cache.get(term)
        if node is None:
            try:
                node = from_oxigraph(term)
            except ValueError as error:
                raise QueryError(str(error)) from None
            if len(self.cache) >= self.limit:
                self.cache.clear()
            self.cache[term] = node
        return node


def _names_dataset(text: str) -> bool:
    try:
        return analyse(text).names_dataset
    except QueryError:  # text the tokenizer cannot follow: Oxigraph reports the error
        return False


def _rows(solutions: ox.QuerySolutions, convert: _Converter,
          cancelled: threading.Event | None) -> list[tuple[Node | None, ...]]:
    """The solutions as rows of rdflib terms; stops early once ``cancelled`` is set."""
    cache = convert.cache
    rows = []
    for count, solution in enumerate(solutions):
        if cancelled is not None and not count % 256 and cancelled.is_set():
            break
        row = []
        for term in solution:
            node = cache.get(term)
            row.append(node if node is not None or term is None else convert(term))
        rows.append(tuple(row))
    return rows


class _Handle:
    """One opened pyoxigraph store, shared by every backend of this process on its folder.

    RocksDB opens a folder read-write once per process, so a notebook cell that opens (or
    reloads) the same folder again must reuse this opening, or close it first.
    """

    def __init__(self, store: ox.Store | None, key: str | None = None):
        self.store = store
        self.key = key
        self.users = 0
        self.generation = 0  # bumped on every change, so backends drop what they cached

    def get(self) -> ox.Store:
        if self.store is None:
            raise StoreError(f"the Oxigraph store {self.key} was closed")
        return self.store


class OxigraphBackend(Backend):
    """A pyoxigraph :class:`~pyoxigraph.Store`, in memory or in a folder.

    Make one with ``graph.load(..., store="oxigraph")``; see :func:`open_oxigraph`.

    Example:
        >>> import graph
        >>> kg = graph.load(store="oxigraph")
        >>> kg.store, len(kg) == len(graph.load())
        ('oxigraph', True)
        >>> kg.query("SELECT ?n WHERE { ?c a hg:AICharacter ; schema:name ?n }").column("n")
        ["Amy's operating system", 'Samantha']
    """

    name = "oxigraph"

    def __init__(self, store: ox.Store | _Handle, *, path: Path | None = None,
                 sources: tuple[str, ...] = ()):
        self._handle = store if isinstance(store, _Handle) else _Handle(store)
        self._handle.users += 1
        if self._handle.key is not None:
            weakref.finalize(self, _release, self._handle)
        self.path = path
        self.sources = sources
        self._names = bound_graph()
        self._convert = _Converter()
        self._seen = -1
        self._length: int | None = None
        self._named: bool | None = None
        self._snapshot: SnapshotGraph | None = None

    @property
    def _store(self) -> ox.Store:
        if self._seen != self._handle.generation:  # changed through another backend
            self._seen = self._handle.generation
            self._length = None
            self._named = None
            self._snapshot = None
        return self._handle.get()

    def has_named_graphs(self) -> bool:
        """Whether any named graph holds a triple (then lookups take the union of the graphs
        and drop the repeats of a triple that several graphs hold)."""
        store = self._store
        if self._named is None:
            self._named = any(next(iter(store.quads_for_pattern(None, None, None, name)), None)
                              is not None for name in store.named_graphs())
        return self._named

    @property
    def store(self) -> ox.Store:
        """The pyoxigraph store itself, for what only Oxigraph does (``dump``, ``backup``)."""
        return self._store

    @property
    def namespace_manager(self) -> NamespaceManager:
        return self._names.namespace_manager

    @property
    def rdf(self) -> Graph:
        """A read-only rdflib copy of the triples, made on first use (see the module notes)."""
        self._store  # noqa: B018 - drops a copy made before another backend's change
        if self._snapshot is None:
            self._snapshot = SnapshotGraph(self.name).fill(self.triples())
        return self._snapshot

    def _changed(self) -> None:
        self._handle.generation += 1

    @property
    def revision(self) -> Hashable:
        """Bumped by every change, through this backend or another on the same store."""
        return self._handle.generation

    # --------------------------------------------------------------------------------------
    # SPARQL

    def _syntax_error(self, text: str, error: SyntaxError) -> QueryError:
        check_read_only(text)  # raises the same message as the memory store when rdflib agrees
        return QueryError(f"invalid SPARQL for Oxigraph: {error.msg or error}")

    def _evaluate(self, text: str, bindings: Mapping[str, Node],
                  cancelled: threading.Event | None) -> QueryOutcome:
        # Blank nodes cannot be written in a query (_:x there is a fresh pattern node), so they
        # go through pyoxigraph's substitutions, which take only variables the query returns.
        blanks: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): ox.BlankNode(str(v)) for k, v in bindings.items()
            if isinstance(v, BNode)}
        bound = bind(text, {k: v for k, v in bindings.items() if not isinstance(v, BNode)})
        result = triple = None
        try:
            # Without FROM, a query sees the union of the graphs, as on the other stores; with
            # FROM, the graphs it names (pyoxigraph's union option would override them).
            union = not _names_dataset(text)
            try:
                result = self._store.query(bound, prefixes=implied_prefixes(text, PREFIXES),
                                           substitutions=blanks or None,
                                           use_default_graph_as_union=union)
            except RuntimeError as error:
                if blanks and "projection" in str(error):
                    raise QueryError(
                        "on the Oxigraph store a blank node can only be bound to a variable the "
                        f"query returns ({error}); add it to the SELECT, or bind an IRI"
                    ) from None
                raise
            convert = self._convert
            if isinstance(result, ox.QueryBoolean):
                return QueryOutcome("ASK", boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                columns = [v.value for v in result.variables]
                rows = _rows(result, convert, cancelled)
                return QueryOutcome("SELECT", columns=columns, rows=rows)
            graph = bound_graph()
            for triple in result:
                if cancelled is not None and cancelled.is_set():
                    break
                graph.add(cast("tuple[Node, Node, Node]", (
                    convert(triple.subject), convert(triple.predicate), convert(triple.object))))
            return QueryOutcome(analyse(text).form, graph=graph)
        except SyntaxError as error:
            raise self._syntax_error(text, error) from None
        except (RuntimeError, ValueError, TypeError) as error:
            raise QueryError(f"the query failed while running: {error}") from None
        except OSError as error:
            raise StoreError(f"the Oxigraph store{self._where()} failed: {error}") from None
        finally:
            # pyoxigraph's result iterators must be freed by the thread that made them; a
            # traceback handed to another thread would otherwise keep them alive.
            result = triple = None

    def query(self, text: str, bindings: Mapping[str, Node], *,
              timeout: float | None = None) -> QueryOutcome:
        if timeout is None:
            return self._evaluate(text, bindings, None)
        if timeout <= 0:
            raise UsageError("a time limit must be a positive number of seconds")
        cancelled = threading.Event()
        outcome: list[QueryOutcome | BaseException] = []

        def work() -> None:
            try:
                outcome.append(self._evaluate(text, bindings, cancelled))
            except BaseException as error:  # handed to the caller's thread
                # Without the frames it was raised through: they hold pyoxigraph's result
                # iterator, which must be freed in this thread (pyo3 reports any other).
                error.__context__ = error.__cause__ = None
                outcome.append(error.with_traceback(None))

        worker = threading.Thread(target=work, name="her-graph-oxigraph-query", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive() or not outcome:
            cancelled.set()
            raise QueryTimeoutError(f"the query ran longer than its {timeout:g} s time limit and "
                                    "was stopped; simplify it or raise the limit")
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def update(self, text: str, bindings: Mapping[str, Node]) -> None:
        bound = bind(text, bindings)
        try:
            self._store.update(bound, prefixes=implied_prefixes(text, PREFIXES))
        except SyntaxError as error:
            raise QueryError(f"invalid SPARQL update: {error.msg or error}") from None
        except (RuntimeError, ValueError) as error:
            raise QueryError(f"the update failed: {error}") from None
        except OSError as error:
            raise StoreError(f"the Oxigraph store{self._where()} failed: {error}") from None
        finally:
            self._changed()

    # --------------------------------------------------------------------------------------
    # Triples

    def match(self, subject: Node | None = None, predicate: Node | None = None,
              obj: Node | None = None) -> Iterator[Triple]:
        # Oxigraph's own indexes: no query to parse, no copy of the graph.
        s, p, o = (None if term is None else to_oxigraph(term)
                   for term in (subject, predicate, obj))
        if isinstance(s, ox.Literal) or (p is not None and not isinstance(p, ox.NamedNode)):
            return  # no triple has a literal subject or a predicate that is not an IRI
        convert = self._convert
        if not self.has_named_graphs():
            for quad in self._store.quads_for_pattern(s, p, o, ox.DefaultGraph()):
                yield convert(quad.subject), convert(quad.predicate), convert(quad.object)  # type: ignore[misc]
            return
        seen: set[ox.Triple] = set()
        for quad in self._store.quads_for_pattern(s, p, o, None):
            triple = quad.triple
            if triple not in seen:
                seen.add(triple)
                yield convert(quad.subject), convert(quad.predicate), convert(quad.object)  # type: ignore[misc]

    def graph_names(self) -> list[Node]:
        store = self._store
        return sort_names(
            self._convert(name) for name in store.named_graphs()  # type: ignore[misc]
            if next(iter(store.quads_for_pattern(None, None, None, name)), None) is not None)

    def quads(self) -> Iterator[Quad]:
        convert = self._convert
        for quad in self._store.quads_for_pattern(None, None, None, None):
            name = quad.graph_name
            yield (convert(quad.subject), convert(quad.predicate),  # type: ignore[misc]
                   convert(quad.object),
                   None if isinstance(name, ox.DefaultGraph) else convert(name))

    def patterns(self) -> OxigraphPatterns:
        """Lookups on Oxigraph's indexes that convert only the terms they return."""
        return OxigraphPatterns(self, lambda: self._store, self._convert,
                               self.has_named_graphs)

    def __len__(self) -> int:
        store = self._store
        if self._length is None:  # counting is O(n) in Oxigraph: remember it until a change
            # len(store) counts quads; with named graphs, a triple two graphs hold is one.
            self._length = (len(store) if not self.has_named_graphs()
                            else sum(1 for _ in self.match()))
        return self._length

    def _where(self) -> str:
        return f" in {self.path}" if self.path else ""

    def close(self) -> None:
        """Flush a persisted store to disk."""
        if self.path is not None:
            self._store.flush()


# The stores this process has open read-write, by folder.
_OPEN: dict[str, _Handle] = {}


def _release(handle: _Handle) -> None:
    """One backend less uses ``handle``; the last one closes the store."""
    handle.users -= 1
    if handle.users <= 0 and handle.key is not None and _OPEN.get(handle.key) is handle:
        del _OPEN[handle.key]
        handle.store = None
