"""``her-graph serve``: the graph as a read-only SPARQL endpoint, as a user runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import graph
from graph.errors import StoreError

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
