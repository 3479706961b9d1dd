"""The front of ``her-graph serve``: a read-only SPARQL endpoint that never fetches for a client.

Oxigraph's ``serve-read-only`` refuses updates, but still runs a client's ``SERVICE <url>``
clause: it then fetches any URL the client names, from the machine serving (a server-side
request forgery as soon as the port is reachable beyond loopback). :class:`GuardedServer`
therefore puts a small HTTP front before a read-only Oxigraph server that listens on a private
loopback port. The front reads each request's query (``GET ?query=``, a form-encoded ``POST``,
or a direct ``application/sparql-query`` ``POST``) and refuses, with ``400`` and a one-line
SPARQL error, every query that uses ``SERVICE`` in any spelling, nesting or Unicode escape, or
that it cannot read; it refuses every update (``LOAD`` included) with ``403``. Everything else is
passed to Oxigraph and its answer passed back unchanged.

Example:
    >>> import tempfile, urllib.request, urllib.parse, urllib.error
    >>> import pyoxigraph
    >>> folder = tempfile.mkdtemp()
    >>> pyoxigraph.Store(folder).flush()  # an empty store, to serve
    >>> with GuardedServer(folder) as server:
    ...     url = server.query_url + "?" + urllib.parse.urlencode(
    ...         {"query": "SELECT * { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }"})
    ...     try:
    ...         urllib.request.urlopen(url)
    ...     except urllib.error.HTTPError as error:
    ...         print(error.code, error.read().decode())
    400 the query uses SERVICE, which would make this server fetch from another address: ...
"""

from __future__ import annotations

import errno
import http.client
import os
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from ..errors import StoreError
from ..sparql.offline import network_uses
from .server import OxigraphServer

# SPARQL 1.1 section 19.2: \uXXXX and \UXXXXXXXX may stand for any character anywhere in a query.
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_CODE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                       r"|'(?:[^'\\\n]|\\.)*'|<[^<>\s\"{}|^`\\]*>|#[^\n]*"
                       r"|[?$]\w+|[\w-]*:[\w.-]*")
_FETCHING = re.compile(r"(?<![\w:?$-])(SERVICE|LOAD)(?![\w:-])", re.IGNORECASE)
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
               "proxy-authenticate", "proxy-authorization", "content-length"}
_MAX_BODY = 10 * 1024 * 1024


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def refusal(query: str) -> str | None:
    """Why the front refuses ``query`` (``None``: it may run).

    A query is refused when, with its codepoint escapes read and its strings, IRIs, comments,
    variables and prefixed names set aside, the word ``SERVICE`` or ``LOAD`` remains in any
    letter case. That over-refuses nothing a query needs: neither word is anything else in
    SPARQL.

    >>> refusal("SELECT * WHERE { ?s <http://x/service> 'SERVICE' }") is None
    True
    >>> print(refusal("SELECT * { { SELECT * { sErViCe <http://evil/> { ?s ?p ?o } } } }"))
    the query uses SERVICE, which would make this server fetch from another address: ...
    >>> refusal("SELECT * { \\\\u0053ERVICE <http://evil/> { ?s ?p ?o } }") is not None
    True
    """
    text = _unescape(query)
    code = _NOT_CODE.sub(" ", text)
    found = {word.upper() for word in _FETCHING.findall(code)}
    found.update(use.split(" ", 1)[0] for use in network_uses(text))  # rdflib's parse too
    if not found:
        return None
    return (f"the query uses {' and '.join(sorted(found))}, which would make this server fetch "
            "from another address: it is refused here (her-graph serve never fetches on a "
            "client's behalf)")


class _Front(ThreadingHTTPServer):
    daemon_threads = True
    backend_host = "127.0.0.1"
    backend_port = 0
    timeout_s: float = 60.0


class _Front6(_Front):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Front
    protocol_version = "HTTP/1.1"
    server_version = "her-graph-serve"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _refuse(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.close_connection = True

    def _body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._refuse(411, "send the request with a Content-Length")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= _MAX_BODY:
            self._refuse(413, "the request body is missing its length or is too large")
            return None
        return self.rfile.read(length) if length else b""

    def _queries(self, body: bytes) -> list[str] | None:
        """Every query text in the request (None: it is not one the front can read)."""
        parts = urlsplit(self.path)
        fields = parse_qs(parts.query, keep_blank_values=True)
        texts = list(fields.get("query", []))
        if "update" in fields:
            return None
        if self.command == "POST":
            kind = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    return None
                texts += form.get("query", [])
            elif kind == "application/sparql-query":
                texts.append(body.decode("utf-8", "replace"))
            elif body:
                return None
        return texts

    def _handle(self) -> None:
        body = self._body()
        if body is None:
            return
        path = urlsplit(self.path).path
        if path.rstrip("/").endswith("/update") or (self.command == "POST"
                                                    and path.rstrip("/").endswith("/store")):
            self._refuse(403, "this server is read-only: updates (LOAD included) are refused")
            return
        queries = self._queries(body)
        if queries is None:
            self._refuse(403, "this server is read-only and answers only SPARQL queries: "
                              "updates (LOAD included) are refused")
            return
        for text in queries:
            reason = refusal(text)
            if reason:
                self._refuse(400, reason)
                return
        self._forward(body)

    def _forward(self, body: bytes) -> None:
        connection = http.client.HTTPConnection(self.server.backend_host,
                                                self.server.backend_port,
                                                timeout=self.server.timeout_s)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers["Host"] = f"{self.server.backend_host}:{self.server.backend_port}"
        try:
            # Only a POST's body is read as a query above, so only a POST's body is passed on.
            sent = body if self.command == "POST" and body else None
            if sent is None:
                headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
            connection.request(self.command, self.path, body=sent, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as error:
            self._refuse(502, f"the store behind this server did not answer: {error}")
            return
        finally:
            connection.close()
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in _HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_HEAD = do_OPTIONS = _handle

    def _not_allowed(self) -> None:
        self._refuse(405, "this server is read-only: only GET and POST queries are answered")

    do_PUT = do_DELETE = do_PATCH = _not_allowed


class GuardedServer:
    """``her-graph serve``: a read-only Oxigraph server behind a front that refuses fetching.

    Args:
        location: the Oxigraph store folder to serve (read-only).
        host: the address the front listens on.
        port: its port; 0 picks a free one.
        options: more options for ``oxigraph serve-read-only`` (``--cors``, ``--timeout-s``).

    Example:
        >>> GuardedServer("her.oxigraph", port=8000).query_url  # nothing started yet
        'http://127.0.0.1:8000/query'
    """

    def __init__(self, location: str | os.PathLike[str], *, host: str = "127.0.0.1",
                 port: int = 0, options: list[str] | None = None):
        self.location = Path(location)
        self.host = host
        self.port = port
        self.backend = OxigraphServer(self.location, host="127.0.0.1", read_only=True,
                                      options=options)
        self._front: _Front | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The root URL clients use."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return f"{self.url}/query"

    def log_tail(self) -> str:
        """The last lines Oxigraph wrote, as one line."""
        return self.backend.log_tail()

    def start(self) -> GuardedServer:
        """Start Oxigraph on a private port, then the front on ``host:port``.

        Raises:
            StoreError: Oxigraph cannot start, or the front's port is in use.
        """
        kind = _Front6 if ":" in self.host else _Front
        try:
            front = kind((self.host, self.port), _Handler)
        except OSError as error:
            why = ("the port is in use; choose another with --port"
                   if error.errno == errno.EADDRINUSE else error.strerror or str(error))
            raise StoreError(f"cannot serve on {self.host}:{self.port}: {why}") from None
        try:
            self.backend.start()
        except BaseException:
            front.server_close()
            raise
        front.backend_port = self.backend.port
        self.port = int(front.server_address[1])
        self._front = front
        self._thread = threading.Thread(target=front.serve_forever, daemon=True,
                                        name="her-graph serve front")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the front and the Oxigraph server."""
        if self._front is not None:
            self._front.shutdown()
            self._front.server_close()
            self._front = None
        self.backend.stop()

    def __enter__(self) -> GuardedServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
