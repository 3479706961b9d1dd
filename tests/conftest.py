"""Shared fixtures: the bundled graph, the source article, and helpers to run the CLI."""

from __future__ import annotations

import os
import subprocess as _subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.errors import StoreError
from graph.stores.remote import publish
from graph.stores.server import OxigraphServer
from graph.stores.virtuoso_server import INSTALL_HINT, VirtuosoServer, find_virtuoso
from tests.browser_fixtures import browser  # noqa: F401  (one Chromium for every browser test)

ROOT = Path(__file__).resolve().parent.parent
# The source article sits beside the checkout in the project's workspace (../shared/seeds);
# HER_GRAPH_SEEDS points elsewhere. It is not in the repository: only short quotes of it are.
SEEDS = Path(os.environ.get("HER_GRAPH_SEEDS", ROOT.parent / "shared" / "seeds"))


@pytest.fixture(scope="session")
def her() -> graph.KnowledgeGraph:
    """The bundled Her graph, loaded once (tests must not change it)."""
    return graph.load()


@pytest.fixture
def fresh_her() -> graph.KnowledgeGraph:
    """A private copy of the Her graph that a test may change."""
    return graph.load()


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The folder holding the source article; tests that need it skip when it is absent."""
    if not SEEDS.is_dir() or not any(SEEDS.iterdir()):
        pytest.skip(f"source article folder {SEEDS} not present")
    return SEEDS


def _exact(output: bytes) -> str:
    """Bytes written by the CLI as text, every character kept."""
    return output.decode("utf-8", "replace")


def _text(output: bytes) -> str:
    """Bytes written by the CLI as text, newlines translated as ``subprocess.run(text=True)``
    does (CRLF and CR become LF), so both ways of running compare the same."""
    return output.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


def run_cli(*args: str, cwd: Path | None = None, check: bool = False,
            env: dict[str, str] | None = None, subprocess: bool = False,
            raw: bool = False) -> _subprocess.CompletedProcess[str]:
    """Run ``her-graph ARGS`` as a user would: in this process by default, through the same
    ``main`` the command runs, with click's :class:`~click.testing.CliRunner` isolating the
    streams and the environment (fast); in a real subprocess with ``subprocess=True``, for the
    few end-to-end tests that need a fresh interpreter (hash seeds, entry points).

    ``raw=True`` keeps the output exactly as written (no newline translation), for the tests
    that look for raw carriage returns and other control characters."""
    if subprocess:
        result = _subprocess.run(
            [sys.executable, "-m", "graph.cli", *args],
            capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})},
            timeout=300,
        )
    else:
        here = os.getcwd()
        with CliRunner().isolation(env=env) as (out, err, _):
            try:
                if cwd is not None:
                    os.chdir(cwd)
                code = main(list(args))
            finally:
                os.chdir(here)
            decode = _exact if raw else _text
            result = _subprocess.CompletedProcess(
                ["her-graph", *args], code, decode(out.getvalue()), decode(err.getvalue()))
    if check and result.returncode != 0:
        raise AssertionError(f"her-graph {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


# ---------------------------------------------------------------------------------------------
# The stores. A real Oxigraph SPARQL server (the `oxigraph` command of the test extra) runs for
# the session, and a real Virtuoso 7 (Debian's virtuoso-opensource); "virtuoso" is the sparql
# store on Virtuoso. Tests that change data start their own servers with the factories.

STORE_NAMES = ("memory", "oxigraph", "sparql", "virtuoso")
# Virtuoso's Graph Store endpoint has no default graph: the Her graph goes into this one.
VIRTUOSO_GRAPH = "https://w3id.org/her-graph/graph/her"


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[OxigraphServer]:
    """A local Oxigraph SPARQL server holding the Her graph in its default graph."""
    with OxigraphServer() as server:
        publish(graph.load(), server.url)
        yield server


@pytest.fixture
def oxigraph_server_factory() -> Iterator[Callable[[], OxigraphServer]]:
    """Start fresh, empty Oxigraph servers for one test; all are stopped after it."""
    started: list[OxigraphServer] = []

    def start() -> OxigraphServer:
        server = OxigraphServer().start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _start_virtuoso() -> VirtuosoServer:
    try:
        find_virtuoso()
    except StoreError:
        if os.environ.get("HER_GRAPH_REQUIRE_VIRTUOSO"):  # set by .ci/run: CI must run them
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    return VirtuosoServer().start()


@pytest.fixture(scope="session")
def virtuoso_server() -> Iterator[VirtuosoServer]:
    """A local Virtuoso server (throwaway database) holding the Her graph in VIRTUOSO_GRAPH.

    Skips, saying how to install it, where Virtuoso is not installed (CI installs it).
    """
    server = _start_virtuoso()
    try:
        publish(graph.load(), server.url, graph_iri=VIRTUOSO_GRAPH,
                graph_store=server.graph_store_url)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_scratch() -> Iterator[VirtuosoServer]:
    """A second Virtuoso for the tests that write: each writes into graphs of its own."""
    server = _start_virtuoso()
    try:
        yield server
    finally:
        server.stop()


def load_her_on(store: str, server: OxigraphServer | VirtuosoServer | None = None
                ) -> graph.KnowledgeGraph:
    """The Her graph on ``store`` (for "sparql" and "virtuoso", as published on ``server``)."""
    if store == "sparql":
        assert isinstance(server, OxigraphServer)
        return graph.load(store="sparql", endpoint=server.url)
    if store == "virtuoso":
        assert isinstance(server, VirtuosoServer)
        return graph.load(store="sparql", endpoint=server.url, graph=VIRTUOSO_GRAPH)
    return graph.load(store=store)


SERVER_FIXTURES = {"sparql": "oxigraph_server", "virtuoso": "virtuoso_server"}


@pytest.fixture(scope="session", params=STORE_NAMES)
def her_on(request: pytest.FixtureRequest) -> graph.KnowledgeGraph:
    """The Her graph on each store in turn (tests must not change it)."""
    fixture = SERVER_FIXTURES.get(request.param)
    server = request.getfixturevalue(fixture) if fixture else None
    return load_her_on(request.param, server)
