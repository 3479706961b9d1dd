"""Where the triples live and how SPARQL runs on them.

A :class:`Backend` holds the graph and answers SPARQL. Every :class:`~graph.KnowledgeGraph`
has one; the rest of the package talks only to the backend interface, so the same queries,
projections and exports run on every store.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .errors import QueryError
from .namespaces import PREFIXES
from .timeouts import time_limit

__all__ = ["Backend", "MemoryBackend", "QueryOutcome", "check_read_only", "prepare"]

Triple = tuple[Node, Node, Node]


@dataclass
class QueryOutcome:
    """What a query returned, in rdflib terms, before conversion to plain Python."""

    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


def _syntax_message(error: Exception) -> str:
    line = getattr(error, "lineno", None)
    col = getattr(error, "col", None)
    where = f" at line {line}, column {col}" if line is not None else ""
    reason = getattr(error, "msg", None) or str(error).split("\n", 1)[0]
    return f"invalid SPARQL{where}: {reason}"


def check_read_only(text: str) -> None:
    """Raise :class:`QueryError` if ``text`` is not a valid read-only SPARQL query.

    An UPDATE (INSERT, DELETE, LOAD, CLEAR, DROP, ...) gets its own message, since read-only
    paths refuse it on purpose.
    """
    try:
        parseQuery(text)
    except Exception as query_error:  # pyparsing raises its own exception types
        try:
            parseUpdate(text)
        except Exception:
            raise QueryError(_syntax_message(query_error)) from None
        raise QueryError(
            "this is a SPARQL UPDATE, and queries are read-only here: use kg.update(...) "
            "(or `her-graph query --allow-update`) to change the graph"
        ) from None


@lru_cache(maxsize=256)
def prepare(text: str) -> Query:
    """Parse and compile a SPARQL query once (rdflib re-parses a string on every call).

    Raises:
        QueryError: the text is not a valid read-only query.
    """
    check_read_only(text)
    try:
        return prepareQuery(text, initNs=PREFIXES)
    except Exception as error:
        raise QueryError(_syntax_message(error)) from None


class Backend(ABC):
    """A store of triples that answers SPARQL."""

    #: The name users pass as ``graph.load(store=...)``.
    name: str = ""

    @property
    @abstractmethod
    def rdf(self) -> Graph:
        """An rdflib view of the graph."""

    @abstractmethod
    def query(self, text: str, bindings: Mapping[str, Node], *,
              timeout: float | None = None) -> QueryOutcome:
        """Run a read-only query with ``bindings`` bound to its variables."""

    @abstractmethod
    def update(self, text: str, bindings: Mapping[str, Node]) -> None:
        """Run a SPARQL UPDATE."""

    @abstractmethod
    def triples(self) -> Iterator[Triple]:
        """Every triple of the graph."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples."""


class MemoryBackend(Backend):
    """An in-memory rdflib graph: the default, and what ``kg.rdf`` is."""

    name = "memory"

    def __init__(self, graph: Graph | None = None):
        self._graph = graph if graph is not None else Graph()
        for prefix, namespace in PREFIXES.items():
            self._graph.bind(prefix, namespace, override=False)

    @property
    def rdf(self) -> Graph:
        return self._graph

    def query(self, text: str, bindings: Mapping[str, Node], *,
              timeout: float | None = None) -> QueryOutcome:
        prepared = prepare(text)
        with time_limit(timeout):
            try:
                result = self._graph.query(prepared, initBindings=dict(bindings))
                if result.type == "SELECT":
                    columns = [str(v) for v in result.vars or []]
                    rows = [tuple(row) for row in result]
                    return QueryOutcome("SELECT", columns=columns, rows=rows)
                if result.type == "ASK":
                    return QueryOutcome("ASK", boolean=bool(result.askAnswer))
                graph = Graph()
                for prefix, namespace in self._graph.namespaces():
                    graph.bind(prefix, namespace)
                for triple in result:
                    graph.add(triple)
                return QueryOutcome(result.type, graph=graph)
            except QueryError:
                raise
            except (TypeError, ValueError, KeyError, AttributeError) as error:
                raise QueryError(f"the query failed while running: {error}") from None

    def update(self, text: str, bindings: Mapping[str, Node]) -> None:
        try:
            self._graph.update(text, initNs=PREFIXES, initBindings=dict(bindings))
        except Exception as error:
            raise QueryError(_syntax_message(error)) from None

    def triples(self) -> Iterator[Triple]:
        return iter(self._graph.triples((None, None, None)))

    def __len__(self) -> int:
        return len(self._graph)
