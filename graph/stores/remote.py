"""A SPARQL 1.1 server as the store: Oxigraph, Fuseki, GraphDB, Virtuoso, QLever, Neptune, ...

``graph.load(store="sparql", endpoint=URL)`` queries what the server holds;
``graph.load("story.ttl", store="sparql", endpoint=URL)`` first uploads the file (replacing the
target graph); :func:`publish` uploads any loaded graph (``her-graph publish --endpoint URL``).

Read-only by default: :meth:`SparqlBackend.query` refuses an UPDATE before anything is sent,
and only ``kg.update`` sends updates.

Parameters: a server only takes text, so values are bound by :func:`graph.sparql.text.bind`
(a ``VALUES`` block of strictly serialised, validated terms; never pasted).

Uploads never report half a graph as published (see :mod:`graph.stores.remote_upload`): the triples
replace the target graph in one Graph Store Protocol ``PUT`` (a single transaction on
Oxigraph, Fuseki, GraphDB, Neptune), or, with ``staging=True`` (``her-graph publish --staging``)
or in parts (``chunk=N``), go to a temporary named graph that replaces the target with one
``MOVE`` once its count is right; either way the server's count of the target must then equal
the number of triples sent, or the upload fails with an error. A timeout bounds every request.

How requests are sent (GET or form POST, Digest, deadlines): :mod:`graph.stores.protocol`. How
answers are read, including Virtuoso's spellings: :mod:`graph.stores.remote_results`.

Blank nodes: SPARQL gives a blank node a label that holds only within one answer, so a blank
node cannot be passed back as a parameter, and the labels differ from those of the local
stores (IRIs and literals are identical).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from ..errors import StoreError
from ..namespaces import PREFIXES
from ..sparql.text import analyse, bind, check_iri, with_prefixes
from .backend import (
    Backend,
    Quad,
    QueryOutcome,
    SnapshotGraph,
    Triple,
    TriplePatterns,
    bound_graph,
    update_refused,
)
from .oxigraph_open import open_oxigraph
from .protocol import Endpoint
from .protocol_http import display_url
from .remote_patterns import BatchedPatterns
from .remote_results import TermMemory, parse_graph, parse_results
from .remote_upload import RESULTS_ACCEPT as _RESULTS_ACCEPT
from .remote_upload import PublishResult, upload

if TYPE_CHECKING:
    from .handle import StoryGraph

_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


class SparqlBackend(Backend):
    """A remote SPARQL 1.1 server, reached through the SPARQL 1.1 Protocol.

    Args:
        endpoint: the server's URLs and request settings.
        graph: a named graph to use as the default graph of every query (sent as the
            protocol's ``default-graph-uri``); ``None`` for the server's default graph.
            Updates go where their text says: name the graph in them (``WITH <graph>``,
            ``GRAPH <graph> { ... }``), or they change the server's default graph.
        graphs: the named graphs of the dataset (set by an upload of a file that has some).
            ``kg.graphs`` lists them; with ``graph``, every query is sent with them as its
            named graphs (``named-graph-uri``: what ``GRAPH ?g`` ranges over) and merged with
            ``graph`` into its default graph, so that a query without ``GRAPH`` sees the
            union, as on the other stores. With ``graph`` and ``graphs=None``, the dataset is
            that one graph (``kg.graphs`` is empty). Without ``graph`` (the protocol cannot
            name the server's default graph in a dataset), queries see the server's own
            dataset (``kg.graphs`` lists every named graph it holds, unless ``graphs`` says
            which): without ``GRAPH``, its default graph, which is the union of all graphs on
            Virtuoso and on ``oxigraph serve --union-default-graph``, and the default graph
            alone on a plain ``oxigraph serve``.

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

    def __init__(self, endpoint: Endpoint, *, graph: str | None = None,
                 graphs: Iterable[str] | None = None):
        self.endpoint = endpoint
        self.graph = check_iri(graph, "graph IRI") if graph else None
        self.graphs = (None if graphs is None else
                       tuple(sorted({check_iri(g, "graph IRI") for g in graphs})))
        where = display_url(endpoint.query_url)
        self.sources = (f"{where} <{self.graph}>" if self.graph else where,)
        self._names = bound_graph()
        self._length: int | None = None
        self._snapshot: SnapshotGraph | None = None
        self._terms = TermMemory()

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
        # The protocol has no name for the server's default graph: with a dataset given, the
        # default graph is what default-graph-uri lists, so only graph= can take part in one.
        named = (self.graphs or ()) if self.graph else ()
        default = [self.graph, *named] if self.graph and named else self.graph
        response = self.endpoint.query(body, accept=accept, default_graph=default,
                                       named_graphs=named, timeout=timeout)
        return response.media_type, response.body

    def query(self, text: str, bindings: Mapping[str, Node], *,
              timeout: float | None = None) -> QueryOutcome:
        # Nothing that changes the server is ever sent from here. The form is all that is
        # checked locally: the server parses the query itself, and says what is wrong with it.
        form = analyse(text).form
        if form == "UPDATE":
            raise update_refused(text)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        media_type, body = self._send(text, bindings, timeout,
                                      _GRAPH_ACCEPT if graph_form else _RESULTS_ACCEPT)
        where = display_url(self.endpoint.query_url)
        if graph_form:
            graph = bound_graph()
            for triple in parse_graph(media_type, body, where):
                graph.add(triple)
            return QueryOutcome(form, graph=graph)
        return parse_results(media_type, body, where, self._terms)

    def update(self, text: str, bindings: Mapping[str, Node]) -> None:
        try:
            self.endpoint.update(with_prefixes(bind(text, bindings), PREFIXES))
        finally:
            self.refresh()

    def patterns(self) -> TriplePatterns:
        # Not one request per node a projection reads, nor a download of the whole graph
        # (unless the part it reads holds blank nodes): see graph.stores.remote_patterns.
        return BatchedPatterns(self)

    def graph_names(self) -> list[Node]:
        if self.graphs is not None:
            return [URIRef(name) for name in self.graphs]
        if self.graph:  # the dataset is that one graph (a server holds many others)
            return []
        return super().graph_names()

    def quads(self) -> Iterator[Quad]:
        if not (self.graph and self.graphs):
            yield from super().quads()
            return
        # One answer (blank node labels hold within one), the default graph being graph= alone.
        response = self.endpoint.query(with_prefixes(_ALL_QUADS, PREFIXES),
                                       accept=_RESULTS_ACCEPT, default_graph=self.graph,
                                       named_graphs=self.graphs)
        outcome = parse_results(response.media_type, response.body,
                                display_url(self.endpoint.query_url), self._terms)
        for s, p, o, g in outcome.rows:
            if s is not None and p is not None and o is not None:
                yield s, p, o, g

    def triples(self) -> Iterator[Triple]:
        media_type, body = self._send(_ALL_TRIPLES, {}, None, _GRAPH_ACCEPT)
        return parse_graph(media_type, body, display_url(self.endpoint.query_url))

    def __len__(self) -> int:
        if self._length is None:
            outcome = self.query(_COUNT, {})
            self._length = int(outcome.rows[0][0])  # type: ignore[call-overload]
        return self._length


# ------------------------------------------------------------------------------------------
# Publishing


def publish(kg: StoryGraph, endpoint: str, *, graph_iri: str | None = None,
            update_endpoint: str | None = None, graph_store: str | None = None,
            staging: bool = False, chunk: int | None = None, timeout: float | None = None,
            auth: tuple[str, str] | None = None,
            headers: Mapping[str, str] | None = None, query_method: str = "auto",
            update_method: str = "form") -> PublishResult:
    """Publish a graph to a SPARQL server, replacing what the target graph held.

    Args:
        kg: the graph to publish (any store).
        endpoint: the server's query endpoint (or an Oxigraph server's root URL).
        graph_iri: the named graph to replace; ``None`` replaces the default graph.
        update_endpoint: the update URL, when the server does not take updates at ``endpoint``.
        graph_store: the Graph Store Protocol URL, when not implied by ``endpoint``.
        staging: upload to a temporary graph first and ``MOVE`` it onto the target once
            complete, for a server whose ``PUT`` is not atomic (it costs a second copy).
        chunk: send at most this many triples per request, for a server that limits a
            request's size (the parts go through a staging graph, see
            :mod:`graph.stores.remote_upload`); ``None``: one request.
        timeout: seconds each request may take (default: 300).
        auth: ``(user, password)`` for HTTP Basic authentication, or Digest when the server
            asks for it.
        headers: extra HTTP headers, e.g. a bearer token.
        query_method: how queries are sent: ``"auto"``, ``"get"``, ``"post"`` or ``"direct"``
            (see :class:`graph.stores.protocol.Endpoint`).
        update_method: how updates are sent: ``"form"`` or ``"direct"``.

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
        published 2,... triples to graph <https://example.org/her> of http://127.0.0.1:.../query
        True
    """
    server = Endpoint.from_url(endpoint, update_endpoint=update_endpoint,
                               graph_store=graph_store,
                               timeout=300.0 if timeout is None else timeout, auth=auth,
                               headers=headers, query_method=query_method,
                               update_method=update_method)
    return upload(kg.backend, server, graph=graph_iri, timeout=timeout, staging=staging,
                  chunk=chunk)


def open_sparql(files: list[tuple[Path, str | None]] | None, *, endpoint: str | None = None,
                graph: str | None = None, update_endpoint: str | None = None,
                graph_store: str | None = None, staging: bool = False, timeout: float = 60.0,
                auth: tuple[str, str] | None = None,
                headers: Mapping[str, str] | None = None, query_method: str = "auto",
                update_method: str = "form", chunk: int | None = None,
                max_bytes: int | None = None,
                graphs: Iterable[str] | None = None) -> SparqlBackend:
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
                               headers=headers, query_method=query_method,
                               update_method=update_method, max_bytes=max_bytes)
    backend = SparqlBackend(server, graph=graph, graphs=graphs)
    if files is not None:
        sent = upload(open_oxigraph(files), server, graph=backend.graph, staging=staging,
                      chunk=chunk)
        if sent.named_graphs and graphs is None:
            backend = SparqlBackend(server, graph=graph, graphs=sent.named_graphs)
    else:
        backend.ping()
    return backend

