"""``her-graph publish``: upload the graph to a SPARQL server.

See :func:`graph.stores.remote.publish`.
"""

from __future__ import annotations

import math
import os
from urllib.parse import urlsplit

import click

from ..errors import QueryError
from ..sparql.text import check_iri
from ..stores.protocol import QUERY_METHODS, UPDATE_METHODS
from ..stores.remote import publish as publish_graph
from .common import graph_options, load_graph

# No spaces or control characters: a URL goes into HTTP request lines and headers.
_UNSAFE_IN_URL = frozenset(map(chr, [*range(0x21), 0x7F]))


def _check_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """An http(s) URL with a host and a port that exists, checked before the graph loads."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError as error:  # such as "http://[::1" (an unclosed IPv6 address)
        raise click.BadParameter(f"{value!r} is not a usable URL ({error}); give an http:// "
                                 "or https:// URL such as http://localhost:7878") from None
    if parts.scheme not in ("http", "https") or not host or _UNSAFE_IN_URL & set(value):
        raise click.BadParameter(f"{value!r} is not an http:// or https:// URL; give one such "
                                 "as http://localhost:7878")
    try:
        port = parts.port  # raises for 99999 or "x"
    except ValueError:
        port = 0
    if port == 0:
        raise click.BadParameter(f"{value!r}: the port is not a number from 1 to 65535")
    return value


def _check_timeout(_ctx: click.Context, _param: click.Parameter, value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise click.BadParameter(f"{value} is not a number of seconds; give one above 0, "
                                 "such as 300")
    return value


def _check_graph_iri(_ctx: click.Context, _param: click.Parameter,
                     value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_iri(value, "graph IRI")
    except QueryError as error:
        raise click.BadParameter(str(error)) from None


@click.command()
@click.option("--endpoint", required=True, metavar="URL", callback=_check_url,
              help="The SPARQL server: its query URL, or an Oxigraph server's root URL.")
@click.option("--graph-iri", default=None, metavar="IRI", callback=_check_graph_iri,
              help="The named graph to replace (default: the server's default graph).")
@click.option("--graph-store", default=None, metavar="URL", callback=_check_url,
              help="The Graph Store Protocol URL, if --endpoint does not imply it.")
@click.option("--update-endpoint", default=None, metavar="URL", callback=_check_url,
              help="The update URL, if --endpoint does not imply it.")
@click.option("--staging", is_flag=True,
              help="Upload to a temporary graph, then MOVE it into place: for a server whose "
                   "PUT is not atomic.")
@click.option("--chunk", type=click.IntRange(min=1), default=None, metavar="N",
              help="Send at most N triples per request, for a server that limits a request's "
                   "size (the parts go through a staging graph).")
@click.option("--user", default=None,
              help="User for HTTP Basic or Digest auth (Digest when the server asks); the "
                   "password is read from $HER_GRAPH_SPARQL_PASSWORD or asked for.")
@click.option("--query-method", type=click.Choice(QUERY_METHODS), default="auto",
              show_default=True,
              help="How queries are sent: GET (or a form POST when long), get, post (form), "
                   "or direct (a POST of the query itself).")
@click.option("--update-method", type=click.Choice(UPDATE_METHODS), default="form",
              show_default=True, help="How updates are sent: form-encoded, or direct.")
@click.option("--timeout", type=float, default=300.0, show_default=True,
              callback=_check_timeout, help="Seconds each request may take (above 0).")
@graph_options
def publish(endpoint: str, graph_iri: str | None, graph_store: str | None,
            update_endpoint: str | None, staging: bool, chunk: int | None, user: str | None,
            query_method: str, update_method: str, timeout: float,
            graph_file: str | None, rdf_format: str | None) -> None:
    """Upload the graph to a SPARQL server, replacing what the target graph held.

    The server then answers the same named queries (graph.load(store="sparql",
    endpoint=URL)). After the upload the server's triple count is checked: nothing
    half-uploaded is reported as published.

    \b
    Examples:
      her-graph publish --endpoint http://localhost:7878
      her-graph publish --endpoint http://localhost:3030/her/sparql --graph-iri https://example.org/her
      her-graph publish --endpoint http://localhost:8890/sparql \\
        --graph-store http://localhost:8890/sparql-graph-crud --graph-iri https://example.org/her
    """

    auth = None
    if user:
        password = os.environ.get("HER_GRAPH_SPARQL_PASSWORD")
        if password is None:
            password = click.prompt(f"password for {user}", hide_input=True)
        auth = (user, password)
    kg = load_graph(graph_file, rdf_format)
    result = publish_graph(kg, endpoint, graph_iri=graph_iri, graph_store=graph_store,
                           update_endpoint=update_endpoint, staging=staging, chunk=chunk,
                           timeout=timeout, auth=auth, query_method=query_method,
                           update_method=update_method)
    click.echo(str(result))
