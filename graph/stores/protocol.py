"""Talking to a SPARQL server: the SPARQL 1.1 Protocol and Graph Store Protocol over HTTP.

Each request is one :func:`graph.protocol_http.exchange`: the standard library's HTTP client,
with a deadline that bounds the *whole* request, whatever the server does. (``requests`` and
``httpx`` bound each read, not the whole request, so they would need the same watchdog; they
would not earn a dependency.)

How requests are sent, as servers expect them (SPARQL 1.1 Protocol):

- a query by ``GET`` when its URL stays under 2,000 characters, else as a form-encoded ``POST``
  (``query_method="auto"``); ``"get"``, ``"post"`` (form) or ``"direct"`` (the
  ``application/sparql-query`` body, which Virtuoso 7 never answers) force one way;
- an update as a form-encoded ``POST`` (``update_method="form"``) or a direct one
  (``"direct"``);
- results and graphs by content negotiation (``Accept``);
- ``auth=(user, password)``: HTTP Basic, or HTTP Digest when the server's challenge asks for it
  (Virtuoso's ``/sparql-auth``); the Digest response is computed by :mod:`urllib.request`'s
  handler. Other schemes (a bearer token) go in ``headers``.

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

import html
import math
import re
import time
import urllib.error
import urllib.request
from base64 import b64encode
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Literal, cast
from urllib.parse import unquote, urlencode, urlsplit

from ..errors import QueryError, QueryTimeoutError, StoreError
from .protocol_http import (
    MAX_RESPONSE_BYTES,
    NoAnswerInTime,
    Passwords,
    Response,
    display_url,
    exchange,
)

_USER_AGENT = "her-graph (SPARQL 1.1 Protocol client)"
_GET_LIMIT = 2000  # longest URL sent as GET; longer queries go as a form-encoded POST
_FORM = "application/x-www-form-urlencoded"
QueryMethod = Literal["auto", "get", "post", "direct"]
UpdateMethod = Literal["form", "direct"]
QUERY_METHODS: tuple[str, ...] = ("auto", "get", "post", "direct")
UPDATE_METHODS: tuple[str, ...] = ("form", "direct")
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f]")  # no spaces or control characters (headers)
_MESSAGE_LIMIT = 300


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


@dataclass
class Endpoint:
    """The URLs of one SPARQL server and how to reach them.

    Attributes:
        query_url: the SPARQL 1.1 Protocol query endpoint.
        update_url: the update endpoint.
        store_url: the Graph Store Protocol endpoint (for uploads).
        timeout: seconds every request may take at most, unless a call gives its own.
        auth: ``(user, password)`` for HTTP Basic authentication, or Digest when the server
            asks for it.
        headers: extra HTTP headers (e.g. ``{"Authorization": "Bearer ..."}``).
        query_method: ``"auto"`` (GET, or a form POST when long), ``"get"``, ``"post"`` (form)
            or ``"direct"`` (POST of the query itself).
        update_method: ``"form"`` (a form POST) or ``"direct"`` (POST of the update itself).
        max_bytes: the longest answer read, in bytes (0: :data:`MAX_RESPONSE_BYTES`, 1 GiB): a
            server that streams without end is stopped there with an error, before the
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
    query_method: QueryMethod = "auto"
    update_method: UpdateMethod = "form"
    max_bytes: int = 0
    _challenge: str = field(default="", repr=False)  # the server's last Digest challenge
    _digest: urllib.request.AbstractDigestAuthHandler | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, endpoint: str, *, update_endpoint: str | None = None,
                 graph_store: str | None = None, timeout: float = 60.0,
                 auth: tuple[str, str] | None = None,
                 headers: Mapping[str, str] | None = None, query_method: str = "auto",
                 update_method: str = "form", max_bytes: int | None = None) -> Endpoint:
        """The endpoint at ``endpoint``, with the update and graph store URLs it implies.

        A server root (``http://host:7878``) or a URL ending in ``/query`` follows Oxigraph's
        layout (``/query``, ``/update``, ``/store``); any other URL (Fuseki's dataset URL,
        Virtuoso's ``/sparql``) serves every operation itself unless told otherwise.

        >>> e = Endpoint.from_url("http://localhost:7878")
        >>> e.query_url, e.update_url, e.store_url
        ('http://localhost:7878/query', 'http://localhost:7878/update', 'http://localhost:7878/store')

        Raises:
            StoreError: a URL is not an http(s) URL, the timeout is not positive, or a method
                is not one of those above.
        """
        try:
            parts = urlsplit(endpoint)
            hostname = parts.hostname
            parts.port  # noqa: B018  (raises on a port out of range, such as 99999)
        except ValueError:  # such as "http://[::1" (an unclosed IPv6 address), or that port
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
        if query_method not in QUERY_METHODS:
            raise StoreError(f"query_method must be one of {', '.join(QUERY_METHODS)}, not "
                             f"{query_method!r}")
        if update_method not in UPDATE_METHODS:
            raise StoreError(f"update_method must be one of {', '.join(UPDATE_METHODS)}, not "
                             f"{update_method!r}")
        if max_bytes is not None and (not isinstance(max_bytes, int) or max_bytes <= 0):
            raise StoreError(f"max_bytes must be a positive number of bytes, not {max_bytes!r}")
        return cls(query, update_endpoint or update, graph_store or store, float(timeout), auth,
                   dict(headers or {}), cast(QueryMethod, query_method),
                   cast(UpdateMethod, update_method), max_bytes or 0)

    # --------------------------------------------------------------------------------------
    # One request

    def request(self, method: str, url: str, *,
                params: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
                body: bytes | IO[bytes] | None = None, length: int | None = None,
                content_type: str | None = None, accept: str | None = None,
                timeout: float | None = None, what: str = "request") -> Response:
        """Send one request and read the whole answer before a deadline.

        With credentials, a ``401`` that asks for HTTP Digest is answered once more with the
        Digest response (within the same deadline); a seekable ``body`` is sent again.

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
        credentials = self.auth or ((unquote(parts.username or ""), unquote(parts.password or ""))
                                    if parts.username else None)
        start = body.tell() if body is not None and not isinstance(body, bytes) else 0

        def send(authorization: str | None) -> Response:
            if body is not None and not isinstance(body, bytes):
                body.seek(start)
            if authorization:
                headers["Authorization"] = authorization
            elif credentials:
                headers.pop("Authorization", None)
            return exchange(method, target, headers, body, deadline, limit, what,
                            max_bytes=self.max_bytes or MAX_RESPONSE_BYTES)

        if not credentials:
            return send(None)
        response = send(self._authorization(credentials, method, target))
        if response.status != 401:
            return response
        challenge = response.challenge
        if not challenge and not self._challenge:
            # Virtuoso answers a Basic attempt with a bare 401: ask again without credentials
            # to learn which scheme it wants.
            challenge = send(None).challenge
        if (not challenge.lower().lstrip().startswith("digest")
                or challenge == self._challenge):
            return response
        self._challenge = challenge
        return send(self._authorization(credentials, method, target))

    def _authorization(self, credentials: tuple[str, str], method: str, url: str) -> str:
        """The Authorization header: Digest once the server asked for it, else Basic."""
        if self._challenge:
            if self._digest is None:
                self._digest = urllib.request.AbstractDigestAuthHandler(Passwords(credentials))
            challenge = self._challenge.split(" ", 1)[1] if " " in self._challenge else ""
            fields = urllib.request.parse_keqv_list(
                [item for item in urllib.request.parse_http_list(challenge) if item])
            try:
                answer = self._digest.get_authorization(
                    urllib.request.Request(url, method=method), fields)
            except (urllib.error.URLError, ValueError, UnicodeError) as error:
                raise StoreError(f"cannot answer the HTTP Digest challenge of "
                                 f"{display_url(url)}: {error}") from None
            if answer:
                return f"Digest {answer}"
        token = b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode("ascii")
        return f"Basic {token}"

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

    def query(self, text: str, *, accept: str, default_graph: str | Sequence[str] | None = None,
              named_graphs: Sequence[str] = (), timeout: float | None = None) -> Response:
        """Send a query: GET, or a form-encoded POST (see ``query_method``).

        ``default_graph`` (one IRI or several, whose merge is then the default graph) and
        ``named_graphs`` go as the protocol's ``default-graph-uri`` and ``named-graph-uri``.

        Raises:
            QueryTimeoutError: no complete answer within the timeout.
            QueryError: the server rejected the query (HTTP 400).
            StoreError: any other failure.
        """
        defaults = [default_graph] if isinstance(default_graph, str) else list(default_graph or ())
        dataset = [("default-graph-uri", iri) for iri in defaults if iri]
        dataset += [("named-graph-uri", iri) for iri in named_graphs]
        fields = [("query", text), *dataset]
        method = self.query_method
        if method == "auto":
            long = len(self.query_url) + len(urlencode(fields)) + 1 > _GET_LIMIT
            method = "post" if long else "get"
        try:
            if method == "get":
                response = self.request("GET", self.query_url, params=fields, accept=accept,
                                        timeout=timeout, what="query")
            elif method == "post":
                response = self.request("POST", self.query_url,
                                        body=urlencode(fields).encode("ascii"),
                                        content_type=_FORM, accept=accept, timeout=timeout,
                                        what="query")
            else:
                params = dataset or None
                response = self.request("POST", self.query_url, params=params,
                                        body=text.encode("utf-8"),
                                        content_type="application/sparql-query; charset=utf-8",
                                        accept=accept, timeout=timeout, what="query")
        except NoAnswerInTime as error:
            raise QueryTimeoutError(str(error)) from None
        return self.check(response, self.query_url, "query", rejects_sparql=True)

    def update(self, text: str, *, timeout: float | None = None) -> Response:
        """Send an update as a form-encoded or direct POST (see ``update_method``)."""
        if self.update_method == "form":
            response = self.request("POST", self.update_url,
                                    body=urlencode({"update": text}).encode("ascii"),
                                    content_type=_FORM, timeout=timeout, what="update")
        else:
            response = self.request("POST", self.update_url, body=text.encode("utf-8"),
                                    content_type="application/sparql-update; charset=utf-8",
                                    timeout=timeout, what="update")
        return self.check(response, self.update_url, "update", rejects_sparql=True)

    def put_graph(self, graph: str | None, body: IO[bytes], length: int, *,
                  content_type: str = "application/n-triples",
                  timeout: float | None = None, merge: bool = False) -> Response:
        """Replace a graph with ``body`` (Graph Store Protocol ``PUT``); ``None``: the default.

        ``merge=True`` adds ``body`` to what the graph holds instead (``POST``).
        """
        params = {"graph": graph} if graph else {"default": ""}
        response = self.request("POST" if merge else "PUT", self.store_url, params=params,
                                body=body, length=length, content_type=content_type,
                                timeout=timeout, what="upload")
        return self.check(response, self.store_url, "upload")
