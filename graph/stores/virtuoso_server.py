"""A local OpenLink Virtuoso 7 server in a child process, for the tests and the benchmarks.

Debian's ``virtuoso-opensource`` package (``apt-get install virtuoso-opensource``) provides
``virtuoso-t`` and ``isql-vt``. :class:`VirtuosoServer` writes a throwaway ``virtuoso.ini`` into
a new temporary folder (the database, its log and transaction files all live there), starts
``virtuoso-t`` in the foreground on two free ports of 127.0.0.1 (HTTP, and SQL for ``isql-vt``),
waits until ``/sparql`` answers, lets the anonymous ``SPARQL`` user update (``GRANT
SPARQL_UPDATE``, and write access to every graph for the Graph Store endpoint), and on stop
terminates it and removes the folder.

How Virtuoso differs from Oxigraph, and what the client does about it (see also
:mod:`graph.stores.remote_results`):

- queries go to ``/sparql`` by ``GET`` or form-encoded ``POST``: it never answers a direct
  ``application/sparql-query`` POST;
- its default graph is the union of every graph, including its own system graphs, and its Graph
  Store endpoint (``/sparql-graph-crud``) has no default graph: publish into a named graph
  (``graph_iri=``) and query with ``graph=`` (sent as ``default-graph-uri``);
- the authenticated endpoints (``/sparql-auth``, ``/sparql-graph-crud-auth``) ask for HTTP
  Digest (user ``dba``, password ``dba`` here);
- ``ResultSetMaxRows`` caps every answer (10,000 rows in Debian's configuration, silently); the
  configuration written here raises it to 10 million, so that a whole-graph download is whole.

Example:
    >>> import graph
    >>> from graph.stores.remote import publish
    >>> with VirtuosoServer() as server:  # doctest: +SKIP
    ...     _ = publish(graph.load(), server.url, graph_iri="urn:her",
    ...                 graph_store=server.graph_store_url)
    ...     kg = graph.load(store="sparql", endpoint=server.url, graph="urn:her")
    ...     kg.run("influencers_of", character="Theodore").column("name")
    ['Catherine', 'Samantha']
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from ..errors import StoreError
from .server import free_port, peak_memory, stop_process, wait_until_answering

INSTALL_HINT = ("Virtuoso is not installed: apt-get install virtuoso-opensource (Debian, "
                "Ubuntu), or set HER_GRAPH_VIRTUOSO to the virtuoso-t command")

_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {folder}/www
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 600
MaxSortedTopRows = 10000000
"""

_GRANTS = ('GRANT SPARQL_UPDATE TO "SPARQL"; '
           "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")


def find_virtuoso() -> tuple[str, str]:
    """The paths of ``virtuoso-t`` and ``isql-vt``.

    Raises:
        StoreError: Virtuoso is not installed (the message says how to install it).

    Example:
        >>> try:
        ...     found = find_virtuoso()[1].endswith("isql-vt")
        ... except StoreError as error:
        ...     found = "apt-get install virtuoso-opensource" in str(error)
        >>> found
        True
    """
    server = shutil.which(os.environ.get("HER_GRAPH_VIRTUOSO") or "virtuoso-t")
    isql = (shutil.which("isql-vt", path=str(Path(server).parent)) if server else None) or \
        shutil.which("isql-vt")
    if not server or not isql:
        raise StoreError(INSTALL_HINT)
    return server, isql




class VirtuosoServer:
    """A Virtuoso server on free local ports, with a throwaway database folder.

    Args:
        host: the address to listen on (keep it local).
        startup_timeout: seconds to wait for the server to answer.
        buffers: Virtuoso's ``NumberOfBuffers`` (8 KiB pages of memory); the default suits a
            few million triples.

    Example:
        >>> server = VirtuosoServer()  # start() or ``with`` picks the ports and starts it
        >>> server.url, server.process
        ('http://127.0.0.1:0/sparql', None)
    """

    def __init__(self, *, host: str = "127.0.0.1", startup_timeout: float = 120.0,
                 buffers: int = 20000):
        self.host = host
        self.startup_timeout = startup_timeout
        self.buffers = buffers
        self.http_port = 0
        self.sql_port = 0
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def root(self) -> str:
        """The server's root URL."""
        return f"http://{self.host}:{self.http_port}"

    @property
    def url(self) -> str:
        """The SPARQL endpoint (queries and updates, anonymous)."""
        return f"{self.root}/sparql"

    @property
    def graph_store_url(self) -> str:
        """The Graph Store Protocol endpoint (anonymous)."""
        return f"{self.root}/sparql-graph-crud"

    @property
    def auth_url(self) -> str:
        """The SPARQL endpoint that asks for HTTP Digest (``dba`` / ``dba``)."""
        return f"{self.root}/sparql-auth"

    @property
    def auth_graph_store_url(self) -> str:
        """The Graph Store Protocol endpoint that asks for HTTP Digest."""
        return f"{self.root}/sparql-graph-crud-auth"

    def start(self) -> VirtuosoServer:
        """Start the server, wait until it answers, and let the anonymous user update.

        Raises:
            StoreError: Virtuoso is missing, exits, or does not answer in time.
        """
        executable, isql = find_virtuoso()
        try:
            self._start(executable, isql)
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self, executable: str, isql: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="her-graph-virtuoso-"))
        (self.folder / "www").mkdir()
        for _attempt in range(3):  # a free port may be taken before the server binds it
            self.http_port, self.sql_port = free_port(self.host), free_port(self.host)
            ini = self.folder / "virtuoso.ini"
            ini.write_text(_INI.format(folder=self.folder, host=self.host,
                                       sql_port=self.sql_port, http_port=self.http_port,
                                       buffers=self.buffers, dirty=self.buffers * 3 // 4),
                           encoding="utf-8")
            with (self.folder / "stdout.log").open("wb") as log:
                self.process = subprocess.Popen(
                    [executable, "-f", "-c", str(ini)], cwd=self.folder, stdout=log,
                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True)
            if self._wait_until_ready():
                break
        else:
            raise StoreError(f"Virtuoso did not start: {self.log_tail()}")
        result = subprocess.run(
            [isql, f"{self.host}:{self.sql_port}", "dba", "dba", f"exec={_GRANTS}"],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if result.returncode != 0 or "Error" in result.stdout + result.stderr:
            raise StoreError(f"cannot grant SPARQL updates on Virtuoso: "
                             f"{(result.stdout + result.stderr).strip()[:300]}")

    def _wait_until_ready(self) -> bool:
        assert self.process is not None
        return wait_until_answering(
            self.process, f"{self.url}?query=ASK%7B%7D", name="Virtuoso",
            timeout=self.startup_timeout, interval=0.2,
            port_taken=lambda: "address already in use" in self.log_tail().lower(),
            log_tail=self.log_tail)

    def log_tail(self) -> str:
        """The last lines of the server's log, as one line."""
        if self.folder is None:
            return "(no output)"
        lines: list[str] = []
        for name in ("virtuoso.log", "stdout.log"):
            path = self.folder / name
            if path.is_file():
                lines += path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return " | ".join(lines[-3:]) or "(no output)"

    def peak_memory(self) -> int | None:
        """The server process's peak resident memory in bytes (Linux), or ``None``."""
        return peak_memory(self.process)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and remove its folder."""
        stop_process(self.process, grace=30)
        self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
