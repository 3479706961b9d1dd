"""A local Oxigraph SPARQL server in a child process, for tests, benchmarks and trying things out.

The ``oxigraph`` package on PyPI (``pip install 'her-graph[server]'``) ships the Oxigraph server
as a command; :class:`OxigraphServer` starts it on a free port of 127.0.0.1, waits until it
answers, and stops it (also when the block inside ``with`` fails):

    >>> import graph
    >>> from graph.stores.remote import publish
    >>> with OxigraphServer() as server:
    ...     print(publish(graph.load(), server.url).triples == len(graph.load()))
    ...     kg = graph.load(store="sparql", endpoint=server.url)
    ...     print(kg.run("influencers_of", character="Theodore").column("name"))
    True
    ['Amy', 'Catherine', 'Samantha', 'the operating systems']
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from ..errors import StoreError


def find_oxigraph() -> str:
    """The path of the ``oxigraph`` server command.

    Looked for in ``$HER_GRAPH_OXIGRAPH``, beside the running Python, in the scripts folders of
    this environment and of its base, and on ``PATH``.

    Raises:
        StoreError: it is not installed.

    Example:
        >>> find_oxigraph().endswith("oxigraph")
        True
    """
    explicit = os.environ.get("HER_GRAPH_OXIGRAPH")
    if explicit:
        return explicit
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    folders = [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]
    base = sysconfig.get_path("scripts", vars={"base": sys.base_prefix,
                                               "platbase": sys.base_prefix})
    folders.append(Path(base))
    for folder in folders:
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise StoreError("the Oxigraph server command `oxigraph` is not installed; "
                     "pip install 'her-graph[server]' (or set HER_GRAPH_OXIGRAPH to its path)")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Ask Linux to send SIGTERM to this child when its parent dies, however it dies (even by
    SIGKILL), so the server is never left serving on its own."""
    try:
        import ctypes  # lazy: only in the child, and only on Linux
        import signal  # lazy: as above

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port(host: str) -> int:
    """A TCP port of ``host`` that nothing listens on now (for a server about to start).

    >>> 0 < free_port("127.0.0.1") < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def peak_memory(process: subprocess.Popen[bytes] | None) -> int | None:
    """A child process's peak resident memory in bytes (Linux's VmHWM), or ``None``.

    >>> peak_memory(None) is None
    True
    """
    if process is None:
        return None
    try:
        status = Path(f"/proc/{process.pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def stop_process(process: subprocess.Popen[bytes] | None, *, grace: float) -> None:
    """Stop a child server: SIGTERM, up to ``grace`` seconds to finish, then SIGKILL.

    >>> stop_process(None, grace=1)
    """
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_until_answering(process: subprocess.Popen[bytes], url: str, *, name: str,
                         timeout: float, interval: float, port_taken: Callable[[], bool],
                         log_tail: Callable[[], str]) -> bool:
    """Poll a starting SPARQL server until ``url`` (an ``ASK {}`` query) answers 200.

    Returns:
        True once it answers; False if the process exited because its port was taken
        (``port_taken()`` says so from its log), for the caller to try another port.

    Raises:
        StoreError: the process exited for another reason, or did not answer within
            ``timeout`` seconds (the message ends with ``log_tail()``).

    >>> import sys
    >>> quits = subprocess.Popen([sys.executable, "-c", "pass"])
    >>> wait_until_answering(quits, f"http://127.0.0.1:{free_port('127.0.0.1')}/", name="x",
    ...                      timeout=30, interval=0.05, port_taken=lambda: True,
    ...                      log_tail=lambda: "")
    False
    """
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if port_taken():
                return False
            raise StoreError(f"{name} exited ({process.returncode}): {log_tail()}")
        try:
            connection = http.client.HTTPConnection(parts.netloc, timeout=5)
            connection.request("GET", f"{parts.path}?{parts.query}",
                               headers={"Accept": "application/sparql-results+json"})
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return True
        except OSError:
            pass
        time.sleep(interval)
    raise StoreError(f"{name} did not answer within {timeout:g} s: {log_tail()}")


class OxigraphServer:
    """An Oxigraph server on a free local port, with its data in ``location``.

    Args:
        location: the folder for the server's data; a new temporary folder (removed on stop)
            if not given.
        host: the address to listen on (keep it local).
        startup_timeout: seconds to wait for the server to answer.
        in_memory: keep the data in memory (no folder): much faster to write to than a
            folder, where Oxigraph makes each upload one large transaction.
        port: the port to listen on; 0 (the default) picks a free one.
        read_only: serve ``location`` read-only (``oxigraph serve-read-only``): queries only,
            every update refused.
        options: more command-line options for ``oxigraph serve`` (e.g. ``["--timeout-s",
            "30"]``).

    Example:
        >>> import graph
        >>> from graph.stores.remote import publish
        >>> with OxigraphServer(in_memory=True) as server:
        ...     _ = publish(graph.load(), server.url)
        ...     remote = graph.load(store="sparql", endpoint=server.url)
        ...     len(remote) == len(graph.load())
        True
    """

    def __init__(self, location: str | os.PathLike[str] | None = None, *,
                 host: str = "127.0.0.1", in_memory: bool = False, port: int = 0,
                 read_only: bool = False, startup_timeout: float = 30.0,
                 options: list[str] | None = None):
        if read_only and (location is None or in_memory):
            raise StoreError("a read-only Oxigraph server serves an existing store folder: "
                             "give its location")
        self.host = host
        self.port = port
        self.fixed_port = port != 0
        self.read_only = read_only
        self.startup_timeout = startup_timeout
        self.options = list(options or [])
        self.in_memory = in_memory
        self._own_location = location is None
        self.location = Path(location) if location else None
        self.process: subprocess.Popen[bytes] | None = None
        self._log: Path | None = None

    @property
    def url(self) -> str:
        """The server's root URL (``graph.load(store="sparql", endpoint=server.url)``)."""
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return f"{self.url}/query"

    def start(self) -> OxigraphServer:
        """Start the server and wait until it answers a query.

        Raises:
            StoreError: the command is missing, exits, or does not answer in time.
        """
        try:
            return self._start()
        except BaseException:
            self.stop()  # nothing left behind: no process, no log, no temporary folder
            raise

    def _start(self) -> OxigraphServer:
        executable = find_oxigraph()
        if self.location is None:
            self.location = Path(tempfile.mkdtemp(prefix="her-graph-oxigraph-"))
        self._log = self.location.parent / f"{self.location.name}.log"
        where = [] if self.in_memory else ["--location", str(self.location)]
        command = "serve-read-only" if self.read_only else "serve"
        for _attempt in range(1 if self.fixed_port else 3):  # a free port may be taken first
            if not self.fixed_port:
                self.port = free_port(self.host)
            with self._log.open("wb") as log:
                self.process = subprocess.Popen(
                    [executable, command, *where, "--bind", f"{self.host}:{self.port}",
                     *self.options],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    preexec_fn=_die_with_parent if sys.platform == "linux" else None)
            if self._wait_until_ready():
                return self
        if self.fixed_port:
            raise StoreError(f"cannot serve on {self.host}:{self.port}: the port is in use; "
                             "choose another with --port")
        raise StoreError(f"the Oxigraph server did not start: {self.log_tail()}")

    def _wait_until_ready(self) -> bool:
        assert self.process is not None

        def port_taken() -> bool:  # the message precedes a backtrace: read the whole log
            return self._log is not None and "in use" in self._log.read_text(
                errors="replace").lower()

        return wait_until_answering(
            self.process, f"{self.url}/query?query=ASK%7B%7D", name="the Oxigraph server",
            timeout=self.startup_timeout, interval=0.05, port_taken=port_taken,
            log_tail=self.log_tail)

    def log_tail(self) -> str:
        """The last lines the server wrote, as one line."""
        if self._log is None or not self._log.is_file():
            return "(no output)"
        text = self._log.read_text(encoding="utf-8", errors="replace")
        return " | ".join(text.strip().splitlines()[-3:]) or "(no output)"

    def peak_memory(self) -> int | None:
        """The server process's peak resident memory in bytes (Linux), or ``None``."""
        return peak_memory(self.process)

    def stop(self) -> None:
        """Stop the server, remove its log file, and its folder if it made it."""
        stop_process(self.process, grace=10)
        self.process = None
        if self._own_location and self.location is not None:
            shutil.rmtree(self.location, ignore_errors=True)
        if self._log is not None:
            self._log.unlink(missing_ok=True)

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
