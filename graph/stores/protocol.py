"""Talking to a SPARQL server: the SPARQL 1.1 Protocol and Graph Store Protocol over HTTP.

Only the standard library (:mod:`http.client`), so that every request has a *total* deadline:
the socket's timeout is set to the time left before connecting, sending, and each read, and a
server that accepts the connection and then never answers (or answers one byte a minute) fails
at the deadline instead of hanging. Proxies set in the environment (``https_proxy``,
``no_proxy``, ...) are honoured.

Every failure is an error that names the endpoint (without any password or query string):

- refused connection, unknown host, TLS failure, dropped connection:
  :class:`~graph.errors.StoreError`;
- no answer in time: :class:`~graph.errors.QueryTimeoutError` for a query,
  :class:`~graph.errors.StoreError` for an upload or update;
- HTTP 400 on a query or update (the server rejects the SPARQL): :class:`~graph.errors.QueryError`
  with the server's message trimmed to one line;
- any other HTTP error: :class:`~graph.errors.StoreError` with the status and the message.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import math
import re
import socket
import ssl
import threading
import time
import urllib.request
from base64 import b64encode
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, cast
from urllib.parse import SplitResult, urlencode, urlsplit, urlunsplit

from ..errors import QueryError, QueryTimeoutError, StoreError

__all__ = ["MAX_RESPONSE_BYTES", "Endpoint", "Response", "display_url", "one_line"]

#: The longest answer the client reads by default (1 GiB); ``max_bytes=`` changes it.
MAX_RESPONSE_BYTES = 1 << 30

_USER_AGENT = "her-graph (SPARQL 1.1 Protocol client)"
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f]")  # no spaces or control characters (headers)
_MESSAGE_LIMIT = 300


def display_url(url: str) -> str:
    """``url`` without user name, password or query string, fit to show in a message.

    >>> display_url("https://ann:secret@example.org/sparql?access-token=x")
    'https://example.org/sparql'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def one_line(body: bytes, content_type: str = "") -> str:
    """A server's error body as one printable line of at most 300 characters.

    >>> one_line(b"<html><body><h1>Oops</h1>\\n<p>bad   query</p></body></html>", "text/html")
    'Oops bad query'
    """
    text = body.decode("utf-8", "replace")
    if "html" in content_type or text.lstrip().startswith("<"):
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = "".join(c if c.isprintable() else " " for c in text)  # no terminal escapes
    text = " ".join(text.split())
    if len(text) > _MESSAGE_LIMIT:
        text = text[: _MESSAGE_LIMIT - 1] + "…"
    return text or "(no message)"


class _NoAnswerInTime(StoreError):
    """The server did not answer before the deadline (a query turns it into a timeout)."""


@dataclass
class Response:
    """An HTTP answer: status, media type (without parameters) and body.

    Example:
        >>> response = Response(200, "OK", "application/sparql-results+json", b"{}")
        >>> response.status, response.media_type
        (200, 'application/sparql-results+json')
    """

    status: int
    reason: str
    media_type: str
    body: bytes


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


@dataclass
class Endpoint:
    """The URLs of one SPARQL server and how to reach them.

    Attributes:
        query_url: the SPARQL 1.1 Protocol query endpoint.
        update_url: the update endpoint.
        store_url: the Graph Store Protocol endpoint (for uploads).
        timeout: seconds every request may take at most, unless a call gives its own.
        auth: ``(user, password)`` for HTTP Basic authentication.
        headers: extra HTTP headers (e.g. ``{"Authorization": "Bearer ..."}``).
        max_bytes: the longest answer read, in bytes (:data:`MAX_RESPONSE_BYTES` by default):
            a server that streams without end is stopped there with an error, before the
            memory runs out.

    Example:
        >>> endpoint = Endpoint.from_url("http://localhost:3030/stories/query")
        >>> endpoint.update_url, endpoint.timeout
        ('http://localhost:3030/stories/update', 60.0)
    """

    query_url: str
    update_url: str
    store_url: str
    timeout: float = 60.0
    auth: tuple[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    max_bytes: int = 0  # 0: MAX_RESPONSE_BYTES

    @classmethod
    def from_url(cls, endpoint: str, *, update_endpoint: str | None = None,
                 graph_store: str | None = None, timeout: float = 60.0,
                 auth: tuple[str, str] | None = None,
                 headers: Mapping[str, str] | None = None,
                 max_bytes: int | None = None) -> Endpoint:
        """The endpoint at ``endpoint``, with the update and graph store URLs it implies.

        A server root (``http://host:7878``) or a URL ending in ``/query`` follows Oxigraph's
        layout (``/query``, ``/update``, ``/store``); any other URL (Fuseki's dataset URL,
        Virtuoso's ``/sparql``) serves every operation itself unless told otherwise.

        >>> e = Endpoint.from_url("http://localhost:7878")
        >>> e.query_url, e.update_url, e.store_url
        ('http://localhost:7878/query', 'http://localhost:7878/update', 'http://localhost:7878/store')

        Raises:
            StoreError: a URL is not an http(s) URL, or the timeout is not positive.
        """
        try:
            parts = urlsplit(endpoint)
            hostname = parts.hostname
        except ValueError:  # such as "http://[::1" (an unclosed IPv6 address)
            hostname = None
        if (not hostname or parts.scheme not in ("http", "https")
                or _UNSAFE_IN_URL.search(endpoint)):
            raise StoreError(f"{endpoint!r} is not a SPARQL endpoint URL: give an http:// or "
                             "https:// URL such as http://localhost:7878/query")
        base = endpoint.rstrip("/")
        if parts.path in ("", "/"):
            query, update, store = f"{base}/query", f"{base}/update", f"{base}/store"
        elif parts.path.rstrip("/").endswith("/query") and not parts.query:
            root = base[: -len("/query")]
            query, update, store = base, f"{root}/update", f"{root}/store"
        else:
            query = update = store = endpoint
        for url in (update_endpoint, graph_store):
            if url is not None and (urlsplit(url).scheme not in ("http", "https")
                                    or _UNSAFE_IN_URL.search(url)):
                raise StoreError(f"{url!r} is not an http:// or https:// URL")
        if not isinstance(timeout, int | float) or not math.isfinite(timeout) or timeout <= 0:
            raise StoreError(f"the request timeout must be a positive number of seconds, not "
                             f"{timeout!r}")
        if max_bytes is not None and (not isinstance(max_bytes, int) or max_bytes <= 0):
            raise StoreError(f"max_bytes must be a positive number of bytes, not {max_bytes!r}")
        return cls(query, update_endpoint or update, graph_store or store, float(timeout), auth,
                   dict(headers or {}), max_bytes or 0)

    # --------------------------------------------------------------------------------------
    # One request

    def request(self, method: str, url: str, *, params: Mapping[str, str] | None = None,
                body: bytes | IO[bytes] | None = None, length: int | None = None,
                content_type: str | None = None, accept: str | None = None,
                timeout: float | None = None, what: str = "request") -> Response:
        """Send one request and read the whole answer before a deadline.

        Raises:
            StoreError: the server cannot be reached, drops the connection, or does not
                answer in time (the caller turns a query's timeout into
                :class:`QueryTimeoutError`).
        """
        limit = timeout if timeout is not None else self.timeout
        deadline = time.monotonic() + limit
        target = url
        if params:
            target += ("&" if urlsplit(url).query else "?") + urlencode(params)
        parts = urlsplit(target)
        headers = {"User-Agent": _USER_AGENT, **self.headers}
        if accept:
            headers["Accept"] = accept
        if content_type:
            headers["Content-Type"] = content_type
        if body is not None:
            headers["Content-Length"] = str(length if length is not None else len(body))  # type: ignore[arg-type]
        credentials = self.auth or ((parts.username or "", parts.password or "")
                                    if parts.username else None)
        if credentials:
            token = b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        shown = display_url(url)

        def left() -> float:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            return remaining

        connection, path = _connect(parts, limit)
        cap = self.max_bytes or MAX_RESPONSE_BYTES
        # One deadline for the whole request: a socket timeout alone restarts at every read,
        # so a server trickling its headers a byte at a time would never meet it. At the
        # deadline the watchdog shuts the socket, which ends any read in progress.
        late = threading.Event()

        def expire() -> None:
            late.set()
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(limit, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            try:
                connection.connect()
                sock = connection.sock
                sock.settimeout(left())
                connection.request(method, path, body=body, headers=headers)
                sock.settimeout(left())
                answer = connection.getresponse()
                chunks = []
                size = 0
                while True:
                    sock.settimeout(left())
                    chunk = answer.read1(1 << 16)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > cap:
                        raise StoreError(
                            f"the SPARQL endpoint {shown} sent more than {cap:,} bytes for the "
                            f"{what}, the most her-graph reads; ask for less (LIMIT) or raise "
                            "max_bytes=")
                    chunks.append(chunk)
                if late.is_set():
                    raise TimeoutError
                return Response(answer.status, answer.reason, _media_type(answer.getheader(
                    "Content-Type")), b"".join(chunks))
            except (OSError, http.client.HTTPException):
                if late.is_set():  # the watchdog shut the socket: that is the timeout
                    raise TimeoutError from None
                raise
        except TimeoutError:
            raise _NoAnswerInTime(f"the SPARQL endpoint {shown} did not answer the {what} "
                                  f"within {limit:g} s; the server may be overloaded, or raise "
                                  "timeout=") from None
        except ConnectionRefusedError:
            raise StoreError(f"cannot reach the SPARQL endpoint {shown}: connection refused "
                             "(is the server running, on this host and port?)") from None
        except socket.gaierror as error:
            raise StoreError(f"cannot reach the SPARQL endpoint {shown}: unknown host "
                             f"{parts.hostname!r} ({error.strerror})") from None
        except ssl.SSLError as error:
            raise StoreError(f"cannot reach the SPARQL endpoint {shown}: TLS failed "
                             f"({error.reason or error})") from None
        except (http.client.HTTPException, ConnectionError) as error:
            raise StoreError(f"the SPARQL endpoint {shown} dropped the connection during the "
                             f"{what} ({type(error).__name__}: {error or 'no answer'})") from None
        except OSError as error:
            raise StoreError(f"cannot reach the SPARQL endpoint {shown}: "
                             f"{error.strerror or error}") from None
        except ValueError as error:  # http.client refuses a malformed URL or header value
            raise StoreError(f"cannot send the {what} to {shown}: {error}") from None
        finally:
            watchdog.cancel()
            connection.close()

    def check(self, response: Response, url: str, what: str, *,
              rejects_sparql: bool = False) -> Response:
        """Return ``response`` if it succeeded, else raise the error that says what happened."""
        if 200 <= response.status < 300:
            return response
        shown = display_url(url)
        message = one_line(response.body, response.media_type)
        status = f"HTTP {response.status} {response.reason}".strip()
        if rejects_sparql and response.status == 400:
            raise QueryError(f"the SPARQL endpoint {shown} rejected the {what} ({status}): "
                             f"{message}")
        if response.status in (401, 403):
            raise StoreError(f"the SPARQL endpoint {shown} refused the {what} ({status}): "
                             f"{message}; pass auth=(user, password) or headers= with a token")
        if response.status in (404, 405):
            raise StoreError(f"the SPARQL endpoint {shown} has no service for the {what} at this "
                             f"URL ({status}): {message}; check the URL (see the README's table "
                             "of servers)")
        raise StoreError(f"the SPARQL endpoint {shown} failed on the {what} ({status}): "
                         f"{message}")

    # --------------------------------------------------------------------------------------
    # The operations

    def query(self, text: str, *, accept: str, default_graph: str | None = None,
              timeout: float | None = None) -> Response:
        """POST a query (SPARQL 1.1 Protocol, "query via POST directly").

        Raises:
            QueryTimeoutError: no complete answer within the timeout.
            QueryError: the server rejected the query (HTTP 400).
            StoreError: any other failure.
        """
        params = {"default-graph-uri": default_graph} if default_graph else None
        try:
            response = self.request("POST", self.query_url, params=params,
                                    body=text.encode("utf-8"),
                                    content_type="application/sparql-query; charset=utf-8",
                                    accept=accept, timeout=timeout, what="query")
        except _NoAnswerInTime as error:
            raise QueryTimeoutError(str(error)) from None
        return self.check(response, self.query_url, "query", rejects_sparql=True)

    def update(self, text: str, *, timeout: float | None = None) -> Response:
        """POST an update (SPARQL 1.1 Protocol, "update via POST directly")."""
        response = self.request("POST", self.update_url, body=text.encode("utf-8"),
                                content_type="application/sparql-update; charset=utf-8",
                                timeout=timeout, what="update")
        return self.check(response, self.update_url, "update", rejects_sparql=True)

    def put_graph(self, graph: str | None, body: IO[bytes], length: int, *,
                  content_type: str = "application/n-triples",
                  timeout: float | None = None) -> Response:
        """Replace a graph with ``body`` (Graph Store Protocol ``PUT``); ``None``: the default."""
        params = {"graph": graph} if graph else {"default": ""}
        response = self.request("PUT", self.store_url, params=params, body=body, length=length,
                                content_type=content_type, timeout=timeout, what="upload")
        return self.check(response, self.store_url, "upload")


def _connect(parts: SplitResult, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection for the URL ``parts`` (through a proxy if the environment sets one)."""
    scheme, host = parts.scheme, parts.hostname or ""
    port = parts.port or (443 if scheme == "https" else 80)
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    proxy = urllib.request.getproxies().get(scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        via = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        proxy_port = via.port or 8080
        if scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                cast(str, via.hostname), proxy_port, timeout=timeout,
                context=ssl.create_default_context())
            connection.set_tunnel(host, port)
            return connection, path
        absolute = urlunsplit((scheme, f"{host}:{port}", parts.path or "/", parts.query, ""))
        return (http.client.HTTPConnection(cast(str, via.hostname), proxy_port, timeout=timeout),
                absolute)
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout,
                                           context=ssl.create_default_context()), path
    return http.client.HTTPConnection(host, port, timeout=timeout), path
