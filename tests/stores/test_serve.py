"""``her-graph serve``: the graph as a read-only SPARQL endpoint, as a user runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import graph
from graph.errors import QueryError, StoreError

pytest.importorskip("pyoxigraph")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", "serve", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()  # "Serving N triples read-only at URL"
    return process, line


def test_serve_answers_queries_refuses_updates_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    store_dir = tmp_path / "served"
    process, first = _start("--port", str(port), "--store-dir", str(store_dir))
    try:
        assert f"{len(graph.load()):,} triples read-only at http://127.0.0.1:{port}/query" in first
        remote = graph.load(store="sparql", endpoint=f"http://127.0.0.1:{port}", timeout=20)
        assert remote.run("influencers_of", character="Theodore").column("name") == [
            "Amy", "Catherine", "Samantha", "the operating systems"]
        with pytest.raises(StoreError):
            remote.update('INSERT DATA { her:Paul a hg:HumanCharacter ; schema:name "Paul" }')
        assert len(remote.query("SELECT ?c WHERE { ?c schema:name 'Paul' }")) == 0
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    # The kept store reopens without parsing.
    assert len(graph.load(store="oxigraph", path=store_dir)) == len(graph.load())


def test_serve_keeps_the_graph_names_of_a_dataset(tmp_path: Path) -> None:
    trig = tmp_path / "letters.trig"
    trig.write_text("""PREFIX schema: <https://schema.org/>
<https://e/theodore> schema:name "Theodore" .
<https://e/letters> { <https://e/theodore> schema:knows <https://e/catherine> . }
""", encoding="utf-8")
    port = _free_port()
    process, first = _start("-g", str(trig), "--port", str(port))
    try:
        assert "Serving 2 triples in 1 named graph and the default graph" in first
        remote = graph.load(store="sparql", endpoint=f"http://127.0.0.1:{port}", timeout=20)
        assert remote.graphs == ["https://e/letters"]
        assert len(remote) == 2  # without GRAPH: the union
        assert remote.query("SELECT ?g WHERE { GRAPH ?g { ?s schema:knows ?o } }"
                            ).column("g") == ["https://e/letters"]
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err


def test_serve_on_a_busy_port_is_one_clear_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "graph.cli", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=120,
                                env={**os.environ})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert f"127.0.0.1:{port}" in result.stderr and "in use" in result.stderr
    assert time.monotonic() - started < 60


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_serve_stopped_by_a_signal_leaves_no_server_folder_or_log(
        how: signal.Signals, tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", "serve", "--port",
                                str(_free_port())], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    assert "Serving" in process.stdout.readline()
    children = _children(process.pid)
    assert children
    process.send_signal(how)
    process.communicate(timeout=30)
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{c}").exists() and "Z" not in
              Path(f"/proc/{c}/stat").read_text().rsplit(")", 1)[1].split()[0]
              for c in children if Path(f"/proc/{c}").exists()) and time.monotonic() < deadline:
        time.sleep(0.1)
    for child in children:  # no orphaned server
        if Path(f"/proc/{child}").exists():
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
            assert state == "Z", f"the oxigraph server {child} still runs"
    if how == signal.SIGTERM:  # a SIGKILLed parent cannot clean up; its child still stops
        assert list(tmp_path.iterdir()) == []


def test_serve_on_a_busy_port_leaves_no_log(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "graph.cli", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=120,
                                env={**os.environ, "TMPDIR": str(tmp_path)})
    assert result.returncode == 1 and "in use" in result.stderr
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------
# The server never fetches on a client's behalf


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """`her-graph serve` running on a free loopback port, as a user starts it."""
    port = _free_port()
    process, first = _start("--port", str(port))
    try:
        assert f"http://127.0.0.1:{port}/query" in first, first
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


@pytest.fixture
def bait() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request: a SERVICE target that must stay idle."""
    seen: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    server.shutdown()
    server.server_close()


SERVICE_SPELLINGS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ sErViCe SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE\n# a comment\n<{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <http://example.org/> SELECT * WHERE {{ SERVICE <{url}> {{ ?s ex:p ?o }} }}",
]


@pytest.mark.parametrize("template", SERVICE_SPELLINGS)
def test_serve_refuses_service_in_any_spelling(served: str, bait: tuple[str, list[str]],
                                               template: str) -> None:
    url, seen = bait
    kg = graph.load(store="sparql", endpoint=served, timeout=20)
    with pytest.raises(QueryError, match=r"rejected the query \(HTTP 400.*uses SERVICE.*never "
                                         r"fetches on a client's behalf"):
        kg.query(template.format(url=url))
    assert seen == []


@pytest.mark.parametrize("how", ["get", "post", "direct"])
def test_serve_refuses_service_however_the_query_is_sent(
        served: str, bait: tuple[str, list[str]], how: str) -> None:
    url, seen = bait
    kg = graph.load(store="sparql", endpoint=served, timeout=20, query_method=how)
    with pytest.raises(QueryError, match="uses SERVICE"):
        kg.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert kg.query("ASK { her:Samantha a hg:AICharacter }") is True  # others still run
    assert seen == []


def test_serve_refuses_load_and_every_update(served: str, bait: tuple[str, list[str]]) -> None:
    url, seen = bait
    for method in ("form", "direct"):
        kg = graph.load(store="sparql", endpoint=served, timeout=20, update_method=method)
        with pytest.raises(StoreError, match=r"HTTP 403.*read-only.*LOAD included"):
            kg.update(f"LOAD <{url}>")
    # The same update sent to the query URL is refused too (never passed on).
    request = urllib.request.Request(
        f"{served}/query", data=urllib.parse.urlencode({"update": f"LOAD <{url}>"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=20)
    assert info.value.code == 403
    assert seen == []


def test_serve_binds_loopback_and_warns_on_another_address() -> None:
    # 192.0.2.1 is reserved for documentation (RFC 5737): never this machine's, so the bind
    # fails after the warning and nothing is ever exposed.
    result = subprocess.run([sys.executable, "-m", "graph.cli", "serve", "--host", "192.0.2.1",
                             "--port", str(_free_port())],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    warning, error = result.stderr.splitlines()
    assert warning.startswith("warning: serving on 192.0.2.1, not only to this machine")
    assert "cannot serve on 192.0.2.1" in error
    default = subprocess.run([sys.executable, "-m", "graph.cli", "serve", "--help"],
                             capture_output=True, text=True, timeout=60).stdout
    assert "[default: 127.0.0.1]" in default
