"""The SPARQL-server store against real failures: refused, silent, slow, erroring servers.

Everything here talks only to 127.0.0.1: a real Oxigraph server (the `oxigraph` command), or a
tiny local server that misbehaves on purpose.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

import pytest

import graph
from graph.errors import QueryError, QueryTimeoutError, StoreError
from graph.stores.remote import publish
from graph.stores.server import OxigraphServer
from tests.conftest import run_cli

Handler = Callable[[BaseHTTPRequestHandler], None]


class FakeServer:
    """A local HTTP server whose answers a test scripts; it records every request."""

    def __init__(self, answer: Handler):
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handle(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                fake.requests.append({"method": self.command, "path": self.path, "body": body,
                                      "headers": dict(self.headers)})
                answer(self)

            do_GET = do_POST = do_PUT = _any

            def log_message(self, *args: object) -> None:
                pass

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up (a timeout test) closes the socket: expected

        self.server = Quiet(("127.0.0.1", 0), Handle)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake() -> Iterator[Callable[[Handler], FakeServer]]:
    servers: list[FakeServer] = []

    def start(answer: Handler) -> FakeServer:
        servers.append(FakeServer(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def reply(status: int, body: bytes | str, content_type: str) -> Handler:
    data = body.encode() if isinstance(body, str) else body

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return answer


ASK_TRUE = json.dumps({"head": {}, "boolean": True})


def fine(handler: BaseHTTPRequestHandler) -> None:
    """What a working server says: true to a question, 204 to an upload or update."""
    if handler.command == "GET":
        reply(200, ASK_TRUE, "application/sparql-results+json")(handler)
    else:
        reply(204, b"", "text/plain")(handler)


def sparql_json(rows: list[dict[str, Any]], variables: list[str]) -> str:
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}})


def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again: nothing listens there


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(5)
    for connection in held:
        connection.close()
    listener.close()


# ------------------------------------------------------------------------------------------
# Failures


def test_refused_connection_names_the_endpoint() -> None:
    port = refused_port()
    with pytest.raises(StoreError) as info:
        graph.load(store="sparql", endpoint=f"http://127.0.0.1:{port}/query")
    message = str(info.value)
    assert f"http://127.0.0.1:{port}/query" in message and "connection refused" in message
    assert "\n" not in message


def test_a_silent_server_times_out_instead_of_hanging(silent_server: str) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=r"did not answer the query within 0\.5 s"):
        graph.load(store="sparql", endpoint=silent_server, timeout=0.5)
    assert time.monotonic() - started < 10


def test_a_trickling_server_meets_the_total_deadline(fake: Callable[[Handler], FakeServer]
                                                     ) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        try:
            for _ in range(200):  # one byte every 0.1 s: each read is quick, the whole is not
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    server = fake(trickle)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="did not answer"):
        graph.load(store="sparql", endpoint=server.url, timeout=1)
    assert time.monotonic() - started < 10


def test_a_server_trickling_its_headers_meets_the_total_deadline(
        fake: Callable[[Handler], FakeServer]) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(200):  # a header line that never ends, one byte every 0.1 s
                handler.wfile.write(b"X")
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    server = fake(trickle)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=rf"{server.url}/sparql did not answer the "
                                                r"query within 1 s"):
        graph.load(store="sparql", endpoint=server.url + "/sparql", timeout=1)
    assert time.monotonic() - started < 10


def test_a_server_that_closes_mid_answer(fake: Callable[[Handler], FakeServer]) -> None:
    def cut(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b'{"head": {}, "boo')
        handler.wfile.flush()
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    server = fake(cut)
    with pytest.raises(StoreError, match=rf"{server.url}/sparql dropped the connection during "
                                         r"the query \(IncompleteRead"):
        graph.load(store="sparql", endpoint=server.url + "/sparql", timeout=5)
    with pytest.raises(StoreError, match="dropped the connection"):
        publish(graph.load(), server.url + "/sparql", timeout=5)
    assert [r["method"] for r in server.requests][-1] == "GET"  # nothing was uploaded


def test_an_html_page_with_status_200_is_not_a_server(fake: Callable[[Handler], FakeServer]
                                                      ) -> None:
    page = fake(reply(200, "<html><body>Welcome to nginx</body></html>", "text/html"))
    with pytest.raises(StoreError, match=rf"{page.url}/sparql answered in text/html, not "
                                         "SPARQL JSON or XML results"):
        publish(graph.load(), page.url + "/sparql", staging=True)
    assert [r["method"] for r in page.requests] == ["GET"]  # nothing was uploaded
    with pytest.raises(StoreError, match="answered in text/html"):
        graph.load(store="sparql", endpoint=page.url + "/sparql")


def test_html_answers_after_the_upload_are_never_reported_as_published(
        fake: Callable[[Handler], FakeServer]) -> None:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        if len(fake_server.requests) == 1:  # the first question is answered properly
            reply(200, ASK_TRUE, "application/sparql-results+json")(handler)
        else:
            reply(200, "<html>maintenance</html>", "text/html")(handler)

    fake_server = fake(answer)
    with pytest.raises(StoreError, match="gave no usable count of the uploaded graph"):
        publish(graph.load(), fake_server.url + "/sparql")


def test_server_error_is_one_line_with_the_servers_message(
        fake: Callable[[Handler], FakeServer]) -> None:
    page = "<html><body><h1>Internal error</h1>\n<pre>disk full\n at store.rs:42</pre>" + \
        "x" * 2000 + "</body></html>"
    server = fake(reply(500, page, "text/html"))
    with pytest.raises(StoreError) as info:
        graph.load(store="sparql", endpoint=server.url + "/sparql")
    message = str(info.value)
    assert message.startswith(f"the SPARQL endpoint {server.url}/sparql failed on the query "
                              "(HTTP 500")
    assert "Internal error disk full at store.rs:42" in message
    assert "\n" not in message and "<" not in message and len(message) < 500


def test_refused_access_says_how_to_authenticate(fake: Callable[[Handler], FakeServer]) -> None:
    server = fake(reply(401, "auth required", "text/plain"))
    with pytest.raises(StoreError, match=r"HTTP 401.*pass auth=\(user, password\)"):
        graph.load(store="sparql", endpoint=server.url + "/sparql", auth=("ann", "pw"))
    assert server.requests[0]["headers"]["Authorization"] == "Basic YW5uOnB3"


def test_a_header_that_cannot_be_sent(fake: Callable[[Handler], FakeServer]) -> None:
    server = fake(reply(200, ASK_TRUE, "application/sparql-results+json"))
    with pytest.raises(StoreError, match="cannot send the query"):
        graph.load(store="sparql", endpoint=server.url + "/sparql",
                   headers={"Authorization": "Bearer x\r\nX-Evil: 1"})
    assert server.requests == []


def test_passwords_never_appear_in_messages() -> None:
    port = refused_port()
    with pytest.raises(StoreError) as info:
        graph.load(store="sparql", endpoint=f"http://ann:s3cret@127.0.0.1:{port}/q?token=t0k")
    assert "s3cret" not in str(info.value) and "t0k" not in str(info.value)


def test_malformed_and_unexpected_answers(fake: Callable[[Handler], FakeServer]) -> None:
    broken = fake(reply(200, '{"head": {"vars": ["x"]}, "results": {"bindi', "application/json"))
    with pytest.raises(StoreError, match="malformed results"):
        graph.load(store="sparql", endpoint=broken.url + "/sparql")
    page = fake(reply(200, "<html>welcome</html>", "text/html"))
    with pytest.raises(StoreError, match=r"answered in text/html, not SPARQL"):
        graph.load(store="sparql", endpoint=page.url + "/sparql")


def test_not_an_endpoint_url() -> None:
    for url in ("localhost:7878", "ftp://host/sparql", "http://127.0.0.1:1/q\r\nX-Evil: 1",
                "http://127.0.0.1:1/a b", "http:///nohost", "http://127.0.0.1:99999/"):
        with pytest.raises(StoreError, match="not a SPARQL endpoint URL"):
            graph.load(store="sparql", endpoint=url)
    with pytest.raises(StoreError, match="not an http"):
        graph.load(store="sparql", endpoint="http://127.0.0.1:1", graph_store="file:///etc")
    with pytest.raises(StoreError, match="needs endpoint=URL"):
        graph.load(store="sparql")
    with pytest.raises(StoreError, match="timeout must be a positive number"):
        publish(graph.load(), "http://127.0.0.1:1", timeout=0)  # not "no timeout"


def test_the_real_server_rejects_a_query_rdflib_accepts(oxigraph_server: OxigraphServer
                                                        ) -> None:
    kg = graph.load(store="sparql", endpoint=oxigraph_server.url)
    with pytest.raises(QueryError, match=r"/query rejected the query \(HTTP 400"):
        kg.query("SELECT (1 AS ?x) (2 AS ?x) WHERE { }")
    with pytest.raises(QueryError, match=r"/update rejected the update \(HTTP 400"):
        kg.update("INSERT DATA { <urn:a> <urn:b> }")


def test_query_never_sends_an_update(fake: Callable[[Handler], FakeServer]) -> None:
    server = fake(reply(200, ASK_TRUE, "application/sparql-results+json"))
    kg = graph.load(store="sparql", endpoint=server.url + "/sparql")
    with pytest.raises(QueryError, match="UPDATE"):
        kg.query("DROP ALL")
    assert len(server.requests) == 1  # only the check made by load()
    assert "DROP" not in server.requests[0]["body"]


def _recording(fake: Callable[[Handler], FakeServer], *answers: str) -> FakeServer:
    replies = iter(answers)

    def answer(handler: BaseHTTPRequestHandler) -> None:
        reply(200, next(replies, ASK_TRUE), "application/sparql-results+json")(handler)

    return fake(answer)


def _fields(text: str) -> dict[str, str]:
    return {key: value[0] for key, value in parse_qs(text, keep_blank_values=True).items()}


def test_a_short_query_is_a_get(fake: Callable[[Handler], FakeServer]) -> None:
    rows = [{"n": {"type": "literal", "value": "Amy"}}]
    server = _recording(fake, ASK_TRUE, sparql_json(rows, ["n"]))
    kg = graph.load(store="sparql", endpoint=server.url + "/sparql",
                    graph="https://example.org/her")
    assert kg.query("SELECT ?n WHERE { ?c schema:name ?n }", c=graph.IRI(
        "https://w3id.org/her-graph/her/Amy")) == [{"n": "Amy"}]
    sent = server.requests[1]
    assert sent["method"] == "GET" and sent["body"] == ""
    path, _, query = sent["path"].partition("?")
    fields = _fields(query)
    assert path == "/sparql"
    assert fields["default-graph-uri"] == "https://example.org/her"
    assert "application/sparql-results+json" in sent["headers"]["Accept"]
    assert "VALUES (?c) { (<https://w3id.org/her-graph/her/Amy>) }" in fields["query"]
    assert "PREFIX schema: <https://schema.org/>" in fields["query"]


def test_a_long_query_is_a_form_post(fake: Callable[[Handler], FakeServer]) -> None:
    server = _recording(fake, ASK_TRUE, sparql_json([], ["n"]))
    kg = graph.load(store="sparql", endpoint=server.url + "/sparql", graph="urn:g")
    long = "SELECT ?n WHERE { ?c schema:name ?n FILTER(?n != '" + "x" * 3000 + "') }"
    assert kg.query(long) == []
    sent = server.requests[1]
    assert sent["method"] == "POST" and sent["path"] == "/sparql"
    assert sent["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    fields = _fields(sent["body"])
    assert fields["default-graph-uri"] == "urn:g" and "x" * 3000 in fields["query"]


@pytest.mark.parametrize(("method", "verb"), [("get", "GET"), ("post", "POST"),
                                              ("direct", "POST")])
def test_a_query_method_can_be_forced(fake: Callable[[Handler], FakeServer], method: str,
                                      verb: str) -> None:
    server = _recording(fake)
    graph.load(store="sparql", endpoint=server.url + "/sparql", query_method=method)
    sent = server.requests[0]
    assert sent["method"] == verb
    if method == "direct":
        assert sent["headers"]["Content-Type"].startswith("application/sparql-query")
        assert sent["body"] == "ASK { }"
    with pytest.raises(StoreError, match="query_method must be one of auto, get, post, direct"):
        graph.load(store="sparql", endpoint=server.url, query_method="PUT")


@pytest.mark.parametrize("method", ["form", "direct"])
def test_updates_are_form_encoded_or_direct(fake: Callable[[Handler], FakeServer],
                                            method: str) -> None:
    server = _recording(fake)
    kg = graph.load(store="sparql", endpoint=server.url + "/sparql", update_method=method)
    kg.update("INSERT DATA { her:Paul a hg:HumanCharacter }")
    sent = server.requests[1]
    assert sent["method"] == "POST"
    if method == "form":
        assert sent["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
        assert _fields(sent["body"])["update"].endswith(
            "INSERT DATA { her:Paul a hg:HumanCharacter }")
    else:
        assert sent["headers"]["Content-Type"].startswith("application/sparql-update")
        assert sent["body"].endswith("INSERT DATA { her:Paul a hg:HumanCharacter }")


def test_digest_authentication_when_the_server_asks(fake: Callable[[Handler], FakeServer]
                                                    ) -> None:
    """The server checks the Digest response itself (RFC 2617, qop=auth, MD5)."""
    nonce = "n0nce"

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    def answer(handler: BaseHTTPRequestHandler) -> None:
        header = handler.headers.get("Authorization", "")
        if header.startswith("Digest "):
            got = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[7:]))
            expected = md5(":".join([md5("ann:SPARQL:pw"), nonce, got["nc"], got["cnonce"],
                                     "auth", md5(f"{handler.command}:{got['uri']}")]))
            if got["response"] == expected and got["username"] == "ann":
                reply(200, ASK_TRUE, "application/sparql-results+json")(handler)
                return
        handler.send_response(401)
        handler.send_header("WWW-Authenticate", f'Digest realm="SPARQL", nonce="{nonce}", '
                                                'qop="auth", algorithm="MD5", opaque="o"')
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server = fake(answer)
    kg = graph.load(store="sparql", endpoint=server.url + "/sparql-auth", auth=("ann", "pw"))
    assert kg.query("ASK { }") is True
    kinds = [r["headers"].get("Authorization", "").split(" ")[0] for r in server.requests]
    assert kinds == ["Basic", "Digest", "Digest"]  # one challenge, then Digest straight away
    with pytest.raises(StoreError, match=r"refused the query \(HTTP 401"):
        graph.load(store="sparql", endpoint=server.url + "/sparql-auth", auth=("ann", "no"))


def test_a_bearer_token_is_sent_as_given(fake: Callable[[Handler], FakeServer]) -> None:
    server = _recording(fake)
    graph.load(store="sparql", endpoint=server.url + "/sparql",
               headers={"Authorization": "Bearer t0k"})
    assert server.requests[0]["headers"]["Authorization"] == "Bearer t0k"


# ------------------------------------------------------------------------------------------
# Publishing: nothing half-uploaded is reported as done


def short_count_server(fake: Callable[[Handler], FakeServer]) -> FakeServer:
    """A server that takes every upload but then counts fewer triples than were sent."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if handler.command == "GET" and "COUNT" in unquote(server.requests[-1]["path"]):
            count = {"n": {"type": "literal", "value": "7",
                           "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
            reply(200, sparql_json([count], ["n"]), "application/sparql-results+json")(handler)
        else:
            fine(handler)

    server = fake(answer)
    return server


def test_an_incomplete_upload_is_not_published(fake: Callable[[Handler], FakeServer]) -> None:
    server = short_count_server(fake)
    sent = f"{len(graph.load()):,}"
    with pytest.raises(StoreError, match=r"incomplete: the server holds 7 triples in the "
                                         rf"default graph, not the {sent} sent"):
        publish(graph.load(), server.url + "/sparql")
    assert [r["method"] for r in server.requests] == ["GET", "PUT", "GET"]
    assert server.requests[1]["path"] == "/sparql?default="
    assert server.requests[1]["headers"]["Content-Type"] == "application/n-triples"
    assert int(server.requests[1]["headers"]["Content-Length"]) > 100_000


def test_an_incomplete_staged_upload_never_reaches_the_target(
        fake: Callable[[Handler], FakeServer]) -> None:
    server = short_count_server(fake)
    sent = f"{len(graph.load()):,}"
    with pytest.raises(StoreError, match=rf"incomplete: the server holds 7 of the {sent} "
                                         r"triples sent; nothing was published"):
        publish(graph.load(), server.url + "/sparql", staging=True)
    bodies = [_fields(r["body"]).get("update", "") for r in server.requests]
    assert not any(b.startswith("MOVE") for b in bodies)
    assert bodies[-1].startswith("DROP SILENT GRAPH <urn:her-graph:upload:")


@pytest.mark.parametrize("staging", [False, True])
def test_a_failed_put_says_so(fake: Callable[[Handler], FakeServer], staging: bool) -> None:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        if handler.command == "PUT":
            reply(507, "Insufficient Storage", "text/plain")(handler)
        else:
            fine(handler)

    server = fake(answer)
    with pytest.raises(StoreError, match=r"failed on the upload \(HTTP 507"):
        publish(graph.load(), server.url + "/sparql", staging=staging)
    methods = [r["method"] for r in server.requests]
    if staging:  # the check that the server answers, the upload, the DROP of the staging graph
        assert methods == ["GET", "PUT", "POST"]
        assert "urn:her-graph:upload:" in unquote(server.requests[1]["path"])
        assert _fields(server.requests[2]["body"])["update"].startswith(
            "DROP SILENT GRAPH <urn:her-graph:upload:")
    else:
        assert methods == ["GET", "PUT"]


def test_publishing_to_a_silent_server_times_out(silent_server: str) -> None:
    started = time.monotonic()
    with pytest.raises(StoreError, match="did not answer the query within 1 s"):
        publish(graph.load(), silent_server, timeout=1)
    assert time.monotonic() - started < 15


def test_an_upload_the_server_never_acknowledges_times_out(
        fake: Callable[[Handler], FakeServer]) -> None:
    release = threading.Event()

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if handler.command == "PUT":
            release.wait(30)  # takes the triples, never answers
        fine(handler)

    server = fake(answer)
    started = time.monotonic()
    try:
        with pytest.raises(StoreError, match="did not answer the upload within 1 s"):
            publish(graph.load(), server.url + "/sparql", timeout=1)
    finally:
        release.set()
    assert time.monotonic() - started < 15
    assert not any("MOVE" in r["body"] for r in server.requests)


def test_publish_to_a_named_graph_and_replace_it(
        oxigraph_server_factory: Callable[[], OxigraphServer], tmp_path: Any) -> None:
    server = oxigraph_server_factory()
    her = graph.load()
    result = publish(her, server.url, graph_iri="https://example.org/graphs/her")
    assert str(result) == (f"published {len(her):,} triples to graph "
                           f"<https://example.org/graphs/her> of {server.url}/query")
    scoped = graph.load(store="sparql", endpoint=server.url,
                        graph="https://example.org/graphs/her")
    assert len(scoped) == len(her)
    assert scoped.run("influencers_of", character="Theodore") == \
        her.run("influencers_of", character="Theodore")
    assert len(graph.load(store="sparql", endpoint=server.url)) == 0  # default graph untouched
    small = tmp_path / "small.nt"
    small.write_text('<https://e/a> <https://schema.org/name> "A" .\n')
    again = graph.load(small, store="sparql", endpoint=server.url,
                       graph="https://example.org/graphs/her")
    assert len(again) == 1  # replaced, not added to
    unscoped = graph.load(store="sparql", endpoint=server.url)
    leftovers = unscoped.query("SELECT ?g WHERE { GRAPH ?g { } }")  # no staging graph left
    assert [r["g"] for r in leftovers] == ["https://example.org/graphs/her"]


def test_staged_publish_leaves_no_temporary_graph(
        oxigraph_server_factory: Callable[[], OxigraphServer]) -> None:
    server = oxigraph_server_factory()
    her = graph.load()
    result = publish(her, server.url, graph_iri="https://example.org/graphs/her", staging=True)
    assert result.triples == len(her)
    kg = graph.load(store="sparql", endpoint=server.url)
    graphs = kg.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert graphs == [{"g": "https://example.org/graphs/her", "n": len(her)}]


def test_publish_from_an_oxigraph_store(
        oxigraph_server_factory: Callable[[], OxigraphServer]) -> None:
    server = oxigraph_server_factory()
    fast = graph.load(store="oxigraph")
    assert publish(fast, server.url).triples == len(fast)
    remote = graph.load(store="sparql", endpoint=server.url)
    assert remote.run("relationships") == fast.run("relationships")


def test_updates_reach_the_server(oxigraph_server_factory: Callable[[], OxigraphServer]) -> None:
    server = oxigraph_server_factory()
    publish(graph.load(), server.url)
    kg = graph.load(store="sparql", endpoint=server.url)
    before = len(kg)
    kg.update('INSERT { ?c schema:nickname ?nick } WHERE { ?c schema:name "Samantha" }',
              nick='OS1 "} DROP ALL {')
    assert len(kg) == before + 1
    assert kg.query("SELECT ?n WHERE { her:Samantha schema:nickname ?n }") == [
        {"n": 'OS1 "} DROP ALL {'}]
    assert len(graph.load(store="sparql", endpoint=server.url)) == before + 1


def test_publish_command(oxigraph_server_factory: Callable[[], OxigraphServer]) -> None:
    server = oxigraph_server_factory()
    result = run_cli("publish", "--endpoint", server.url, check=True)
    assert result.stdout.strip() == (f"published {len(graph.load()):,} triples to the default "
                                     f"graph of {server.url}/query")
    kg = graph.load(store="sparql", endpoint=server.url)
    assert kg.run("characters") == graph.load().run("characters")
    port = refused_port()
    failed = run_cli("publish", "--endpoint", f"http://127.0.0.1:{port}")
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "connection refused" in failed.stderr
