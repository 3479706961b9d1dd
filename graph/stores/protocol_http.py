"""One HTTP exchange with a SPARQL server, bounded by a deadline however the server behaves.

The standard library's client (:mod:`http.client`): the socket's timeout is the time left
before connecting, sending and each read, and a watchdog shuts the socket down when the
deadline passes, so a server that accepts the connection and never answers, trickles its
headers or body a byte at a time, or stops halfway fails at the deadline instead of hanging;
an answer cut short is an error, not a shorter answer. Proxies set in the environment
(``https_proxy``, ``no_proxy``, ...) are honoured. :class:`graph.stores.protocol.Endpoint`
builds the requests (methods, authentication) on top of :func:`exchange`.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.request
from dataclasses import dataclass
from typing import IO, cast
from urllib.parse import SplitResult, urlsplit, urlunsplit

from ..errors import StoreError

#: The longest answer read by default (1 GiB); ``max_bytes=`` of the store changes it.
MAX_RESPONSE_BYTES = 1 << 30


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


class NoAnswerInTime(StoreError):
    """The server did not answer before the deadline (a query turns it into a timeout).

    Example:
        >>> issubclass(NoAnswerInTime, StoreError)  # an upload's timeout is a failed upload
        True
    """


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
    challenge: str = ""  # the WWW-Authenticate header of a 401


def media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


class _TooLong(Exception):
    """The answer is longer than the cap; carries the message."""


def exchange(method: str, target: str, headers: dict[str, str],
             body: bytes | IO[bytes] | None, deadline: float, limit: float,
             what: str, *, max_bytes: int = MAX_RESPONSE_BYTES) -> Response:
    """Send one request to ``target`` and read the whole answer before ``deadline``.

    ``limit`` (the seconds allowed) and ``what`` (``"query"``, ``"upload"``, ...) go into the
    messages; an answer longer than ``max_bytes`` is an error, read no further.

    Raises:
        NoAnswerInTime: the deadline passed first.
        StoreError: the server cannot be reached, or drops the connection.

    Example:
        >>> import time
        >>> exchange("GET", "http://127.0.0.1:9/sparql", {}, None, time.monotonic() + 5, 5,
        ...          "query")
        Traceback (most recent call last):
        ...
        graph.errors.StoreError: cannot reach the SPARQL endpoint http://127.0.0.1:9/sparql: ...
    """
    parts = urlsplit(target)
    shown = display_url(target)

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        return remaining

    expired = threading.Event()
    watchdog: threading.Timer | None = None
    connection: http.client.HTTPConnection | None = None

    def expire() -> None:  # wakes a read that a trickling server keeps alive
        expired.set()
        sock = connection.sock if connection is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    try:
        connection, path = connect(parts, left())
        connection.connect()
        watchdog = threading.Timer(left(), expire)
        watchdog.daemon = True
        watchdog.start()
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
            if size > max_bytes:  # an endless answer would otherwise fill the memory
                raise _TooLong(f"the SPARQL endpoint {shown} sent more than {max_bytes:,} bytes "
                               f"for the {what}, the most her-graph reads; ask for less "
                               "(LIMIT) or raise max_bytes=")
            chunks.append(chunk)
        if expired.is_set():
            raise TimeoutError
        if answer.length:  # read1 ends quietly where the server closed before the end
            raise http.client.IncompleteRead(b"".join(chunks), answer.length)
        return Response(answer.status, answer.reason, media_type(answer.getheader(
            "Content-Type")), b"".join(chunks), answer.getheader("WWW-Authenticate") or "")
    except _TooLong as error:
        raise StoreError(str(error)) from None
    except Exception as error:
        if expired.is_set() or isinstance(error, TimeoutError):
            raise NoAnswerInTime(f"the SPARQL endpoint {shown} did not answer the {what} "
                                  f"within {limit:g} s; the server may be overloaded, or "
                                  "raise timeout=") from None
        raise failure(error, shown, parts, what) from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        if connection is not None:
            connection.close()


class Passwords(urllib.request.HTTPPasswordMgr):
    """The one user name and password of an endpoint, for every realm and URL it asks about.

    Example:
        >>> Passwords(("ann", "pw")).find_user_password("SPARQL", "http://host/sparql-auth")
        ('ann', 'pw')
    """

    def __init__(self, credentials: tuple[str, str]):
        super().__init__()
        self.credentials = credentials

    def find_user_password(self, realm: str | None, authuri: str) -> tuple[str, str]:
        return self.credentials


def failure(error: Exception, shown: str, parts: SplitResult, what: str) -> Exception:
    """The error that says why a request failed (``error`` is what the socket raised)."""
    if isinstance(error, ConnectionRefusedError):
        return StoreError(f"cannot reach the SPARQL endpoint {shown}: connection refused "
                          "(is the server running, on this host and port?)")
    if isinstance(error, socket.gaierror):
        return StoreError(f"cannot reach the SPARQL endpoint {shown}: unknown host "
                          f"{parts.hostname!r} ({error.strerror})")
    if isinstance(error, ssl.SSLError):
        return StoreError(f"cannot reach the SPARQL endpoint {shown}: TLS failed "
                          f"({error.reason or error})")
    if isinstance(error, http.client.HTTPException | ConnectionError):
        return StoreError(f"the SPARQL endpoint {shown} dropped the connection during the "
                          f"{what} ({type(error).__name__}: {error or 'no answer'})")
    if isinstance(error, OSError):
        return StoreError(f"cannot reach the SPARQL endpoint {shown}: "
                          f"{error.strerror or error}")
    if isinstance(error, ValueError):  # http.client refuses a malformed URL or header value
        return StoreError(f"cannot send the {what} to {shown}: {error}")
    return error


def connect(parts: SplitResult, timeout: float) -> tuple[http.client.HTTPConnection, str]:
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
