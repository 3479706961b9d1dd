"""Uploading a graph to a SPARQL server so that half a graph is never reported as published.

The triples go as N-Triples through the Graph Store Protocol. In one request by default: a
``PUT`` that replaces the target graph (a single transaction on Oxigraph, Fuseki, GraphDB,
Neptune). A server that limits a request's size takes the graph in parts of ``chunk`` triples
(``her-graph publish --chunk N``): then the parts always go to a temporary named graph (the
first part by ``PUT``, the others by ``POST``, which adds), and only once that graph holds
every triple is it moved onto the target with one ``MOVE``, so the target never holds part of
the upload. Triples with a blank node all travel in the last part: a server reads each request
as its own document, so a blank node split over two requests would become two.

Either way, the server's count of the target graph must then equal the number of triples sent
(or, for a default graph that is the union of all graphs, as on Virtuoso, at least that many),
or the upload fails with an error. On any failure a temporary graph is dropped.

**Named graphs** (a TriG, N-Quads or JSON-LD dataset): each named graph goes to the graph of
that name on the server, and the default graph to the target. They always go through staging:
every graph is uploaded to a temporary graph of its own, each count is checked, and then one
update request moves them all onto their targets (``MOVE <tmp1> TO <g1> ; MOVE <tmp2> TO
DEFAULT ; ...``). No target is touched until every graph has arrived complete; on a server
that runs one update request as one transaction (Oxigraph, Fuseki, GraphDB) the moves are
atomic together, while on others (Virtuoso runs each operation of a request on its own) a
failure between two moves can leave some graphs replaced and others not: the error says so,
and publishing again completes it. The limits: a graph named by a blank node cannot be a graph
of a server (give it an IRI), and a blank node that two graphs share becomes one blank node per
graph (each graph travels as its own document).

Example:
    >>> import graph
    >>> from graph.stores.protocol import Endpoint
    >>> from graph.stores.server import OxigraphServer
    >>> with OxigraphServer(in_memory=True) as server:
    ...     print(upload(graph.load().backend, Endpoint.from_url(server.url),
    ...                  graph="urn:her", chunk=500).triples == len(graph.load()))
    True
"""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox
from rdflib import BNode
from rdflib.term import Node

from ..errors import QueryTimeoutError, StoreError
from ..sparql.text import check_iri
from ..terms import to_oxigraph
from .backend import Backend
from .oxigraph import OxigraphBackend
from .protocol import Endpoint
from .protocol_http import Response, display_url
from .remote_results import parse_results

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"


@dataclass(frozen=True)
class PublishResult:
    """What :func:`graph.stores.remote.publish` did: how many triples went to which graph of
    which server.

    Example:
        >>> print(PublishResult("http://127.0.0.1:7878/query", None, 1294))
        published 1,294 triples to the default graph of http://127.0.0.1:7878/query
    """

    endpoint: str
    graph: str | None
    triples: int
    #: The named graphs published beside the target (a dataset's), by name.
    named_graphs: tuple[str, ...] = ()

    def __str__(self) -> str:
        target = f"graph <{self.graph}>" if self.graph else "the default graph"
        named = len(self.named_graphs)
        also = (f" and {named:,} named graph{'s' if named != 1 else ''}" if named else "")
        return f"published {self.triples:,} triples to {target}{also} of {self.endpoint}"


def _triples(backend: Backend) -> Iterator[ox.Triple]:
    if isinstance(backend, OxigraphBackend):
        for quad in backend.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield quad.triple
        return
    for s, p, o in backend.triples():
        yield ox.Triple(cast("ox.NamedNode | ox.BlankNode", to_oxigraph(s)),
                        cast(ox.NamedNode, to_oxigraph(p)), to_oxigraph(o))


def _write_parts(backend: Backend, chunk: int | None, stack: contextlib.ExitStack
                 ) -> tuple[list[tuple[IO[bytes], int]], int]:
    """N-Triples files of at most ``chunk`` triples each (the blank-node ones last, together).

    Returns the files with their lengths in bytes, and the number of triples.
    """
    return _write_triples(_triples(backend), chunk, stack)


def _write_triples(triples: Iterable[ox.Triple], chunk: int | None,
                   stack: contextlib.ExitStack) -> tuple[list[tuple[IO[bytes], int]], int]:
    """:func:`_write_parts` of any triples."""
    parts: list[tuple[IO[bytes], int]] = []

    def write(triples: list[ox.Triple]) -> None:
        handle = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (closed by stack)
        ox.serialize(triples, handle, format=ox.RdfFormat.N_TRIPLES)
        parts.append((handle, handle.tell()))
        handle.seek(0)

    count = 0
    plain: list[ox.Triple] = []
    blank: list[ox.Triple] = []
    for triple in triples:
        count += 1
        if chunk and (isinstance(triple.subject, ox.BlankNode)
                      or isinstance(triple.object, ox.BlankNode)):
            blank.append(triple)
            continue
        plain.append(triple)
        if chunk and len(plain) >= chunk:
            write(plain)
            plain = []
    if plain or blank or not parts:
        write(plain + blank)
    return parts, count


def _ask(endpoint: Endpoint, text: str, timeout: float) -> Response:
    """A query of the upload: its timeout is a failed upload (a StoreError) like any other."""
    try:
        return endpoint.query(text, accept=RESULTS_ACCEPT, timeout=timeout)
    except QueryTimeoutError as error:
        raise StoreError(str(error)) from None


def _count_graph(endpoint: Endpoint, graph: str | None, timeout: float) -> int:
    text = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}" if graph
            else "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    response = _ask(endpoint, text, timeout)
    where = display_url(endpoint.query_url)
    try:
        rows = parse_results(response.media_type, response.body, where).rows
        return int(cast(str, rows[0][0]))
    except (StoreError, IndexError, ValueError, TypeError):
        raise StoreError(f"the SPARQL endpoint {where} gave no usable count of the uploaded "
                         "graph (is this URL a SPARQL endpoint?)") from None


def upload(backend: Backend, endpoint: Endpoint, *, graph: str | None = None,
           timeout: float | None = None, staging: bool = False,
           chunk: int | None = None) -> PublishResult:
    """Replace ``graph`` (``None``: the default graph) on the server with ``backend``'s triples.

    Args:
        backend: the store whose triples to send.
        endpoint: the server.
        graph: the named graph to replace; ``None`` for the default graph.
        timeout: seconds each request may take (default: the endpoint's, at least 300).
        staging: send to a temporary graph and ``MOVE`` it onto the target once complete.
        chunk: at most this many triples per request (then staging is implied).

    Raises:
        StoreError: the server is unreachable, refuses, or holds a different number of
            triples than were sent.

    Example:
        >>> import graph
        >>> upload(graph.load().backend, Endpoint.from_url("http://127.0.0.1:7878"), chunk=0)
        Traceback (most recent call last):
        ...
        graph.errors.StoreError: chunk must be a positive number of triples, not 0
    """
    if chunk is not None and chunk < 1:
        raise StoreError(f"chunk must be a positive number of triples, not {chunk!r}")
    limit = timeout if timeout is not None else max(endpoint.timeout, 300.0)
    target = check_iri(graph, "graph IRI") if graph else None
    where = display_url(endpoint.query_url)
    shown = f"<{target}>" if target else "the default graph"
    named = backend.graph_names()
    _check_names(named, target)
    # Fail fast (refused, wrong URL, needs a password) before serialising and sending it all.
    ping = _ask(endpoint, "ASK { }", min(limit, endpoint.timeout))
    parse_results(ping.media_type, ping.body, where)  # an HTML page is not an endpoint
    if named:
        return _upload_dataset(backend, endpoint, target, chunk, limit)
    with contextlib.ExitStack() as stack:
        parts, sent = _write_parts(backend, chunk, stack)
        if staging or len(parts) > 1:
            _staged(endpoint, parts, sent, target, limit)
        else:
            endpoint.put_graph(target, parts[0][0], parts[0][1], timeout=limit)
    held = _count_graph(endpoint, target, limit)
    # A default graph that is the union of all graphs (a server option) may hold more.
    if held < sent or (target and held != sent):
        raise StoreError(f"the upload to {where} is incomplete: the server holds {held:,} "
                         f"triples in {shown}, not the {sent:,} sent; publish again, in parts if "
                         "the graph is large (--chunk 100000, chunk=100_000): Virtuoso 7 can lose "
                         "triples of a large upload")
    return PublishResult(where, target, sent)


def _staged(endpoint: Endpoint, parts: list[tuple[IO[bytes], int]], sent: int,
            target: str | None, limit: float) -> None:
    """Upload to a temporary graph, check it holds everything, then MOVE it onto the target."""
    staging = f"urn:her-graph:upload:{uuid.uuid4()}"
    where = display_url(endpoint.query_url)
    try:
        for number, (handle, length) in enumerate(parts):
            endpoint.put_graph(staging, handle, length, timeout=limit, merge=number > 0)
        held = _count_graph(endpoint, staging, limit)
        if held != sent:
            raise StoreError(f"the upload to {where} is incomplete: the server holds {held:,} "
                             f"of the {sent:,} triples sent; nothing was published (publish "
                             "again, in smaller parts if the graph is large: --chunk)")
        endpoint.update(f"MOVE <{staging}> TO {f'<{target}>' if target else 'DEFAULT'}",
                        timeout=limit)
    except BaseException:
        with contextlib.suppress(StoreError):  # the first error is the one to report
            endpoint.update(f"DROP SILENT GRAPH <{staging}>", timeout=min(limit, 30.0))
        raise


def _check_names(named: list[Node], target: str | None) -> None:
    """Refuse graph names a server cannot hold: a blank node, or the target's own name."""
    for name in named:
        if isinstance(name, BNode):
            raise StoreError(f"the graph _:{name} is named by a blank node, which a SPARQL "
                             "server cannot hold as a graph name; give it an IRI in the file")
        if target is not None and str(name) == target:
            raise StoreError(f"the dataset has a named graph <{name}>, the graph its default "
                             "graph would replace; choose another graph= (--graph-iri)")


def _upload_dataset(backend: Backend, endpoint: Endpoint, target: str | None,
                    chunk: int | None, limit: float) -> PublishResult:
    """Upload a dataset with named graphs: every graph staged, then all moved in one request."""
    where = display_url(endpoint.query_url)
    graphs: dict[str | None, list[ox.Triple]] = {}
    for s, p, o, g in backend.quads():
        graphs.setdefault(None if g is None else str(g), []).append(ox.Triple(
            cast("ox.NamedNode | ox.BlankNode", to_oxigraph(s)), cast(ox.NamedNode, to_oxigraph(p)),
            to_oxigraph(o)))
    staging = {name: f"urn:her-graph:upload:{uuid.uuid4()}" for name in graphs}
    sent: dict[str | None, int] = {}
    try:
        with contextlib.ExitStack() as stack:
            for name, triples in graphs.items():
                parts, sent[name] = _write_triples(triples, chunk, stack)
                for number, (handle, length) in enumerate(parts):
                    endpoint.put_graph(staging[name], handle, length, timeout=limit,
                                       merge=number > 0)
        for name, temporary in staging.items():
            held = _count_graph(endpoint, temporary, limit)
            if held != sent[name]:
                shown = f"<{name}>" if name else "the default graph"
                raise StoreError(f"the upload to {where} is incomplete: the server holds "
                                 f"{held:,} of the {sent[name]:,} triples sent for {shown}; "
                                 "nothing was published (publish again, in smaller parts if "
                                 "the graph is large: --chunk)")
        default = f"<{target}>" if target else "DEFAULT"
        moves = [f"MOVE <{staging[name]}> TO {f'<{name}>' if name else default}"
                 for name in graphs]
        if None not in graphs:  # the dataset's default graph is empty: so becomes the target
            moves.insert(0, f"CLEAR SILENT GRAPH {default}" if target else "CLEAR SILENT DEFAULT")
        endpoint.update(" ;\n".join(moves), timeout=limit)
    except BaseException:
        with contextlib.suppress(StoreError):  # the first error is the one to report
            endpoint.update(" ;\n".join(f"DROP SILENT GRAPH <{temporary}>"
                                        for temporary in staging.values()),
                            timeout=min(limit, 30.0))
        raise
    for name, count in sent.items():
        if name is None:
            continue
        held = _count_graph(endpoint, name, limit)
        if held != count:
            raise StoreError(f"the upload to {where} is incomplete: the server holds {held:,} "
                             f"triples in <{name}>, not the {count:,} sent; publish again")
    default_sent = sent.get(None, 0)
    held = _count_graph(endpoint, target, limit)
    if held < default_sent or (target and held != default_sent):
        raise StoreError(f"the upload to {where} is incomplete: the server holds {held:,} "
                         f"triples in {f'<{target}>' if target else 'the default graph'}, not "
                         f"the {default_sent:,} sent; publish again")
    return PublishResult(where, target, sum(sent.values()),
                         tuple(sorted(name for name in graphs if name is not None)))
