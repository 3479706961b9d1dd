"""A SPARQL 1.1 server as the store: Oxigraph, Fuseki, GraphDB, Virtuoso, QLever, Neptune, ...

``graph.load(store="sparql", endpoint=URL)`` queries what the server holds;
``graph.load("story.ttl", store="sparql", endpoint=URL)`` first uploads the file (replacing the
target graph); :func:`publish` uploads any loaded graph (``her-graph publish --endpoint URL``).

Read-only by default: :meth:`SparqlBackend.query` refuses an UPDATE before anything is sent,
and only ``kg.update`` sends updates.

Parameters: a server only takes text, so values are bound by :func:`graph.sparql.text.bind`
(a ``VALUES`` block of strictly serialised, validated terms; never pasted).

Uploads never report half a graph as published. The triples replace the target graph in one
Graph Store Protocol ``PUT`` (a single transaction on Oxigraph, Fuseki, GraphDB, Neptune: a
failed upload leaves the old graph as it was), and then the server's count of the target graph
must equal the number of triples sent, or the upload fails with an error. For a server whose
``PUT`` is not atomic, ``staging=True`` (``her-graph publish --staging``) sends the triples to a
temporary named graph first, checks its count, and only then replaces the target with one
``MOVE``; on any failure the temporary graph is dropped and the target keeps what it had. It
costs a second copy on the server. Either way a timeout bounds every request.

Blank nodes: SPARQL gives a blank node a label that holds only within one answer, so a blank
node cannot be passed back as a parameter, and the labels differ from those of the local
stores (IRIs and literals are identical).
"""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from ..sparql.text import analyse, bind, check_iri, with_prefixes
from ..terms import from_oxigraph, to_oxigraph
from .backend import (
    UPDATE_REFUSED,
    Backend,
    QueryOutcome,
    SnapshotGraph,
    Triple,
    TriplePatterns,
    bound_graph,
)
from .oxigraph import OxigraphBackend
from .oxigraph_open import open_oxigraph
from .protocol import Endpoint, display_url
from .remote_patterns import BatchedPatterns

if TYPE_CHECKING:
    from .handle import StoryGraph

__all__ = ["PublishResult", "SparqlBackend", "open_sparql", "publish"]

_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class SparqlBackend(Backend):
    """A remote SPARQL 1.1 server, reached through the SPARQL 1.1 Protocol.

    Args:
        endpoint: the server's URLs and request settings.
        graph: a named graph to use as the default graph of every query (sent as the
            protocol's ``default-graph-uri``); ``None`` for the server's default graph.
            Updates go where their text says: name the graph in them (``WITH <graph>``,
            ``GRAPH <graph> { ... }``), or they change the server's default graph.

    Example:
        >>> import graph
        >>> from graph.stores.server import OxigraphServer
        >>> with OxigraphServer() as server:
        ...     kg = graph.load(graph.data_dir() / "her.ttl", store="sparql",
        ...                     endpoint=server.url)  # uploads, then queries the server
        ...     same = len(kg) == len(graph.load(graph.data_dir() / "her.ttl"))
        ...     print(kg.query("ASK { her:Samantha a hg:AICharacter }"), same)
        True True
    """

    name = "sparql"
    runs_locally = False  # the server runs SERVICE and LOAD, not this process

    def __init__(self, endpoint: Endpoint, *, graph: str | None = None):
        self.endpoint = endpoint
        self.graph = check_iri(graph, "graph IRI") if graph else None
        where = display_url(endpoint.query_url)
        self.sources = (f"{where} <{self.graph}>" if self.graph else where,)
        self._names = bound_graph()
        self._length: int | None = None
        self._snapshot: SnapshotGraph | None = None

    @property
    def namespace_manager(self) -> NamespaceManager:
        return self._names.namespace_manager

    @property
    def rdf(self) -> Graph:
        """A read-only rdflib copy of the graph, downloaded on first use (one CONSTRUCT)."""
        if self._snapshot is None:
            self._snapshot = SnapshotGraph(self.name).fill(self.triples())
        return self._snapshot

    def ping(self) -> None:
        """Ask the server an empty question, to fail early with a clear error if it cannot
        answer (refused, unknown host, wrong URL, needs a password)."""
        self.query("ASK { }", {})

    def refresh(self) -> None:
        """Forget the cached size and copy, to see changes other clients made to the server."""
        self._length = None
        self._snapshot = None

    def _send(self, text: str, bindings: Mapping[str, Node], timeout: float | None,
              accept: str) -> tuple[str, bytes]:
        body = with_prefixes(bind(text, bindings), PREFIXES)
        response = self.endpoint.query(body, accept=accept, default_graph=self.graph,
                                       timeout=timeout)
        return response.media_type, response.body

    def query(self, text: str, bindings: Mapping[str, Node], *,
              timeout: float | None = None) -> QueryOutcome:
        # Nothing that changes the server is ever sent from here. The form is all that is
        # checked locally: the server parses the query itself, and says what is wrong with it.
        form = analyse(text).form
        if form == "UPDATE":
            raise QueryError(UPDATE_REFUSED)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        media_type, body = self._send(text, bindings, timeout,
                                      _GRAPH_ACCEPT if graph_form else _RESULTS_ACCEPT)
        where = display_url(self.endpoint.query_url)
        if graph_form:
            graph = bound_graph()
            for triple in _parse_graph(media_type, body, where):
                graph.add(triple)
            return QueryOutcome(form, graph=graph)
        fmt = _RESULT_FORMATS.get(media_type)
        if fmt is None:
            raise StoreError(f"the SPARQL endpoint {where} answered in "
                             f"{media_type or 'an unnamed format'}, not SPARQL JSON or XML "
                             "results")
        results = solution = None
        try:
            results = ox.parse_query_results(input=body, format=fmt)
            if isinstance(results, ox.QueryBoolean):
                return QueryOutcome("ASK", boolean=bool(results))
            columns = [v.value for v in results.variables]
            cache: dict[object, Node] = {}
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

    def update(self, text: str, bindings: Mapping[str, Node]) -> None:
        try:
            self.endpoint.update(with_prefixes(bind(text, bindings), PREFIXES))
        finally:
            self.refresh()

    def patterns(self) -> TriplePatterns:
        # Not one request per node a projection reads, nor a download of the whole graph
        # (unless the part it reads holds blank nodes): see graph.stores.remote_patterns.

        return BatchedPatterns(self)

    def triples(self) -> Iterator[Triple]:
        media_type, body = self._send(_ALL_TRIPLES, {}, None, _GRAPH_ACCEPT)
        return _parse_graph(media_type, body, display_url(self.endpoint.query_url))

    def __len__(self) -> int:
        if self._length is None:
            outcome = self.query(_COUNT, {})
            self._length = int(outcome.rows[0][0])  # type: ignore[call-overload]
        return self._length


def _parse_graph(media_type: str, body: bytes, where: str) -> Iterator[Triple]:
    fmt = _GRAPH_FORMATS.get(media_type)
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


# ------------------------------------------------------------------------------------------
# Publishing


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` did: how many triples went to which graph of which server.

    Example:
        >>> print(PublishResult("http://127.0.0.1:7878/query", None, 1294))
        published 1,294 triples to the default graph of http://127.0.0.1:7878/query
    """

    endpoint: str
    graph: str | None
    triples: int

    def __str__(self) -> str:
        target = f"graph <{self.graph}>" if self.graph else "the default graph"
        return f"published {self.triples:,} triples to {target} of {self.endpoint}"


def _write_ntriples(kg_backend: Backend, handle: IO[bytes]) -> int:
    """Write every triple of the store as N-Triples to ``handle``; return the count."""

    if isinstance(kg_backend, OxigraphBackend):
        kg_backend.store.dump(handle, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return len(kg_backend)
    count = 0

    def converted() -> Iterator[ox.Triple]:
        nonlocal count
        for s, p, o in kg_backend.triples():
            count += 1
            yield ox.Triple(cast("ox.NamedNode | ox.BlankNode", to_oxigraph(s)),
                            cast(ox.NamedNode, to_oxigraph(p)), to_oxigraph(o))

    ox.serialize(converted(), handle, format=ox.RdfFormat.N_TRIPLES)
    return count


def _count_graph(endpoint: Endpoint, graph: str | None, timeout: float) -> int:
    text = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}" if graph
            else _COUNT)
    response = endpoint.query(text, accept=_RESULTS_ACCEPT, timeout=timeout)
    fmt = _RESULT_FORMATS.get(response.media_type, ox.QueryResultsFormat.JSON)
    solution = None
    try:
        solution = next(iter(cast(ox.QuerySolutions,
                                  ox.parse_query_results(input=response.body, format=fmt))))
        return int(solution[0].value)
    except (SyntaxError, ValueError, StopIteration, TypeError, AttributeError):
        raise StoreError(f"the SPARQL endpoint {display_url(endpoint.query_url)} gave no "
                         "usable count of the uploaded graph") from None
    finally:
        solution = None


def upload(backend: Backend, endpoint: Endpoint, *, graph: str | None = None,
           timeout: float | None = None, staging: bool = False) -> PublishResult:
    """Replace ``graph`` (``None``: the default graph) on the server with ``backend``'s triples.

    See the module notes for how nothing half-uploaded is ever reported as done.
    """
    limit = timeout if timeout is not None else max(endpoint.timeout, 300.0)
    target = check_iri(graph, "graph IRI") if graph else None
    where = display_url(endpoint.query_url)
    shown = f"<{target}>" if target else "the default graph"
    # Fail fast (refused, wrong URL, needs a password) before serialising and sending it all.
    endpoint.check(endpoint.request("POST", endpoint.query_url, body=b"ASK { }",
                                    content_type="application/sparql-query",
                                    accept=_RESULTS_ACCEPT, what="query",
                                    timeout=min(limit, endpoint.timeout)),
                   endpoint.query_url, "query")
    with tempfile.TemporaryFile() as handle:
        sent = _write_ntriples(backend, handle)
        length = handle.tell()
        handle.seek(0)
        if staging:
            _staged(endpoint, handle, length, sent, target, limit)
        else:
            endpoint.put_graph(target, handle, length, timeout=limit)
    held = _count_graph(endpoint, target, limit)
    # A default graph that is the union of all graphs (a server option) may hold more.
    if held < sent or (target and held != sent):
        raise StoreError(f"the upload to {where} is incomplete: the server holds {held:,} "
                         f"triples in {shown}, not the {sent:,} sent; publish again")
    return PublishResult(where, target, sent)


def _staged(endpoint: Endpoint, handle: object, length: int, sent: int, target: str | None,
            limit: float) -> None:
    """Upload to a temporary graph, check it holds everything, then MOVE it onto the target."""
    staging = f"urn:her-graph:upload:{uuid.uuid4()}"
    where = display_url(endpoint.query_url)
    try:
        endpoint.put_graph(staging, handle, length, timeout=limit)  # type: ignore[arg-type]
        held = _count_graph(endpoint, staging, limit)
        if held != sent:
            raise StoreError(f"the upload to {where} is incomplete: the server holds {held:,} "
                             f"of the {sent:,} triples sent; nothing was published")
        endpoint.update(f"MOVE <{staging}> TO {f'<{target}>' if target else 'DEFAULT'}",
                        timeout=limit)
    except BaseException:
        with contextlib.suppress(StoreError):  # the first error is the one to report
            endpoint.update(f"DROP SILENT GRAPH <{staging}>", timeout=min(limit, 30.0))
        raise


def publish(kg: StoryGraph, endpoint: str, *, graph_iri: str | None = None,
            update_endpoint: str | None = None, graph_store: str | None = None,
            staging: bool = False, timeout: float | None = None,
            auth: tuple[str, str] | None = None,
            headers: Mapping[str, str] | None = None) -> PublishResult:
    """Publish a graph to a SPARQL server, replacing what the target graph held.

    Args:
        kg: the graph to publish (any store).
        endpoint: the server's query endpoint (or an Oxigraph server's root URL).
        graph_iri: the named graph to replace; ``None`` replaces the default graph.
        update_endpoint: the update URL, when the server does not take updates at ``endpoint``.
        graph_store: the Graph Store Protocol URL, when not implied by ``endpoint``.
        staging: upload to a temporary graph first and ``MOVE`` it onto the target once
            complete, for a server whose ``PUT`` is not atomic (it costs a second copy).
        timeout: seconds each request may take (default: 300).
        auth: ``(user, password)`` for HTTP Basic authentication.
        headers: extra HTTP headers, e.g. a bearer token.

    Returns:
        What was published, e.g. ``published 2,468 triples to the default graph of ...``.

    Raises:
        StoreError: the server is unreachable, refuses, or holds a different number of triples
            than were sent (then the upload is reported as failed, never as done).

    Example:
        >>> import graph
        >>> from graph.stores.server import OxigraphServer
        >>> with OxigraphServer() as server:
        ...     print(publish(graph.load(), server.url, graph_iri="https://example.org/her"))
        ...     print(len(graph.load(store="sparql", endpoint=server.url,
        ...                          graph="https://example.org/her")) == len(graph.load()))
        published 1,... triples to graph <https://example.org/her> of http://127.0.0.1:.../query
        True
    """
    server = Endpoint.from_url(endpoint, update_endpoint=update_endpoint,
                               graph_store=graph_store, timeout=timeout or 300.0, auth=auth,
                               headers=headers)
    return upload(kg.backend, server, graph=graph_iri, timeout=timeout, staging=staging)


def open_sparql(files: list[tuple[Path, str | None]] | None, *, endpoint: str | None = None,
                graph: str | None = None, update_endpoint: str | None = None,
                graph_store: str | None = None, staging: bool = False, timeout: float = 60.0,
                auth: tuple[str, str] | None = None,
                headers: Mapping[str, str] | None = None,
                max_bytes: int | None = None) -> SparqlBackend:
    """The ``store="sparql"`` factory: connect, uploading ``files`` first if given.

    Files are parsed here first (strictly, by Oxigraph), so an invalid file is reported with
    its line before anything is sent.

    Example:
        >>> open_sparql(None)    # graph.load(store="sparql", endpoint=URL) calls it with the URL
        Traceback (most recent call last):
            ...
        graph.errors.StoreError: ...
    """
    if not endpoint:
        raise StoreError("store='sparql' needs endpoint=URL, e.g. "
                         "graph.load(store='sparql', endpoint='http://localhost:7878/query')")
    server = Endpoint.from_url(endpoint, update_endpoint=update_endpoint,
                               graph_store=graph_store, timeout=timeout, auth=auth,
                               headers=headers, max_bytes=max_bytes)
    backend = SparqlBackend(server, graph=graph)
    if files is not None:

        upload(open_oxigraph(files), server, graph=backend.graph, staging=staging)
    else:
        backend.ping()
    return backend

