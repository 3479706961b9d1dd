"""Helpers for the hostile-input tests: a listener that notices fetches, bounded CLI runs, the
CLI in-process, and running code as an unprivileged user."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import run_cli


@dataclass
class Listener:
    """A TCP port on 127.0.0.1 that records every connection made to it."""

    url: str
    connections: list[bytes]


@contextlib.contextmanager
def listener() -> Iterator[Listener]:
    """A local address to point hostile input at: if anything connects, the test knows."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    port = server.getsockname()[1]
    seen = Listener(f"http://127.0.0.1:{port}", [])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                connection.settimeout(1)
                try:
                    seen.connections.append(connection.recv(4096))
                except OSError:
                    seen.connections.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()
        server.close()


@dataclass
class Outcome:
    """What a CLI run printed and returned."""

    code: int
    stdout: str
    stderr: str

    @property
    def error_line(self) -> str:
        """The one error line; fails if there is not exactly one, or if it is a traceback."""
        assert "Traceback" not in self.stderr, self.stderr
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("her-graph: error: "), self.stderr
        assert "a bug in her-graph" not in lines[0], lines[0]
        return lines[0]


def cli(*args: str) -> Outcome:
    """Run ``her-graph ARGS`` in this process, through the suite's one runner
    (:func:`tests.conftest.run_cli`), its output kept byte for byte: these tests look for raw
    control characters that newline translation would hide."""
    result = run_cli(*args, raw=True)
    return Outcome(result.returncode, result.stdout, result.stderr)


def cli_bounded(*args: str, cwd: Path | None = None, seconds: float = 120,
                memory: int = 3 << 30) -> Outcome:
    """Run ``her-graph ARGS`` in a subprocess limited in time and memory, for input that could
    make a broken build hang or eat the machine: the test then fails instead."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    try:
        result = subprocess.run([sys.executable, "-m", "graph.cli", *args], capture_output=True,
                                text=True, cwd=cwd, timeout=seconds, preexec_fn=limit,
                                check=False)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"her-graph {' '.join(args)} ran over {seconds} s") from None
    return Outcome(result.returncode, result.stdout, result.stderr)


def unprivileged(work: Callable[[], str]) -> str:
    """Run ``work`` where file permissions apply: as is for a normal user; for root (as in
    many CI containers), in a forked child that has become ``nobody``. Returns what ``work``
    returned (a string), or raises AssertionError with the child's failure.

    Everything ``work`` calls must be imported already: a lock another thread held at the
    fork would never be released in the child.
    """
    if os.geteuid() != 0:
        return work()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            text = work()
        except BaseException as error:
            text, status = f"{type(error).__name__}: {error}", 1
        with os.fdopen(write, "w", encoding="utf-8") as pipe:
            pipe.write(text)
        os._exit(status)
    os.close(write)
    deadline = time.monotonic() + 120
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0:
        if time.monotonic() > deadline:  # a lock some thread held at the fork: give up
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
            raise AssertionError("the unprivileged child did not finish")
        time.sleep(0.02)
    with os.fdopen(read, encoding="utf-8") as pipe:
        text = pipe.read()
    if os.waitstatus_to_exitcode(done[1]) != 0:
        raise AssertionError(f"as an unprivileged user: {text}")
    return text


def long_label_story(folder: Path) -> Path:
    """A generated story whose film title, three names and one quote are a million characters
    long (the longest name a single word without spaces), as N-Triples in ``folder``."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SDO

    from graph.generate import generate_story
    from graph.namespaces import HG, OA

    g: Graph = generate_story(characters=3, seed=5).to_rdflib()
    name = URIRef("https://schema.org/name")
    work = next(g.subjects(RDF.type, SDO.Movie))
    characters = sorted(g.subjects(RDF.type, HG.HumanCharacter))[:3]
    for subject in (work, *characters):
        g.set((subject, name, Literal(f"{subject.split('/')[-1]} " + "long " * 200_000)))
    g.set((characters[0], name, Literal("Wolfeschlegelsteinhausenbergerdorff" * 40_000)))
    selector = sorted(g.subjects(OA.exact, None))[0]
    g.set((selector, OA.exact, Literal("quoted " * 200_000)))
    path = folder / "long.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    return path
