"""``her-graph serve``: the graph as a local, read-only SPARQL endpoint."""

from __future__ import annotations

import re
import shutil
import signal
import tempfile
import time
from pathlib import Path

import click

from ..stores.serve_guard import GuardedServer
from ..stores.server import find_oxigraph
from ..terms import to_oxigraph
from .common import echo, graph_options, load_graph


def _write_store(kg: object, folder: Path) -> int:
    """Copy the triples of ``kg`` into a new Oxigraph store in ``folder``, each in its graph;
    return how many (a triple two graphs hold counts twice)."""
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    store.bulk_extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o),  # type: ignore[arg-type]
                ox.DefaultGraph() if g is None else to_oxigraph(g))  # type: ignore[arg-type]
        for s, p, o, g in kg.backend.quads())  # type: ignore[attr-defined]
    store.flush()
    count = len(store)
    del store  # closes the folder, so the server can open it
    return count


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                      if hasattr(signal, name))


def _interrupt(_number: int, _frame: object) -> None:
    raise KeyboardInterrupt


# A host name: dot-separated labels of letters, digits and inner hyphens (RFC 1123).
_HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")


def _check_host(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """An IP address or a host name; numbers that are no address (999.1.1.1) are refused."""
    import ipaddress  # lazy: start-up time of every other command

    try:
        ipaddress.ip_address(value[1:-1] if value.startswith("[") and value.endswith("]")
                             else value)
        return value
    except ValueError:
        pass
    if (len(value) > 253 or not _HOST_NAME.fullmatch(value)
            or re.fullmatch(r"[\d.]+", value)):
        raise click.BadParameter(f"{value!r} is not an IP address or a host name; give one "
                                 "such as 127.0.0.1 (this machine only), ::1 or 0.0.0.0")
    return value


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine (``localhost``, 127.x, ``::1``)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, callback=_check_host,
              help="The address to listen on. Keep it local unless you mean to share it "
                   "(another address is warned about).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535),
              help="The port to listen on.")
@click.option("--store-dir", type=click.Path(file_okay=False), default=None,
              help="Keep the Oxigraph store in this new folder (reopen it later with "
                   "graph.load(store='oxigraph', path=...)); default: a temporary folder.")
@click.option("--cors", is_flag=True, help="Allow queries from web pages of other origins.")
@click.option("--timeout", "timeout_s", type=click.IntRange(min=1), default=None,
              help="Stop any query that runs longer than this many seconds.")
@graph_options
def serve(host: str, port: int, store_dir: str | None, cors: bool, timeout_s: int | None,
          graph_file: str | None, rdf_format: str | None) -> None:
    """Serve the graph as a read-only SPARQL endpoint until Ctrl-C.

    Any SPARQL client (a notebook, YASGUI, another program, graph.load(store="sparql",
    endpoint=URL)) can then query it over the SPARQL 1.1 Protocol. Updates (LOAD included)
    are refused, and so is any query that uses SERVICE: the server never fetches from another
    address on a client's behalf. It listens on 127.0.0.1 unless --host says otherwise.
    Needs the Oxigraph server: pip install 'her-graph[server]'.

    \b
    Examples:
      her-graph serve
      her-graph serve -g story.ttl --port 8000
    """

    find_oxigraph()  # say what to install before loading anything
    kg = load_graph(graph_file, rdf_format)
    if store_dir is not None and Path(store_dir).exists() and any(Path(store_dir).iterdir()):
        raise click.UsageError(f"--store-dir {store_dir} is not empty; give a new folder")
    folder = Path(store_dir) if store_dir else Path(tempfile.mkdtemp(prefix="her-graph-serve-"))
    options = (["--cors"] if cors else []) + (["--timeout-s", str(timeout_s)] if timeout_s else [])
    named = len(kg.graphs)
    if named:  # the union rule of every store: queries without GRAPH see all the graphs
        options.append("--union-default-graph")
    server = GuardedServer(folder, host=host, port=port, options=options)
    if not _is_loopback(host):
        click.echo(f"warning: serving on {host}, not only to this machine: anyone who can "
                   "reach this address can query the graph (--host 127.0.0.1 keeps it local)",
                   err=True)
    # SIGTERM and SIGHUP (kill, systemd, a closed terminal) stop it as Ctrl-C does, so the
    # server child and the temporary store folder go too; the old handlers come back after.
    previous = {number: signal.signal(number, _interrupt) for number in _STOP_SIGNALS}
    try:
        count = _write_store(kg, folder)
        server.start()
        kept = (f" in {named:,} named graph{'s' if named != 1 else ''} and the default graph "
                "(their union without GRAPH)" if named else "")
        echo(f"Serving {count:,} triples{kept} read-only at {server.query_url}")
        echo(f'  Python: graph.load(store="sparql", endpoint="{server.url}")')
        echo("Press Ctrl-C to stop.")
        while server.backend.process is not None and server.backend.process.poll() is None:
            time.sleep(0.5)
        if server.backend.process is not None:
            raise click.ClickException(f"the server stopped: {server.log_tail()}")
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        server.stop()
        if store_dir is None:
            shutil.rmtree(folder, ignore_errors=True)
        for number, handler in previous.items():
            signal.signal(number, handler)
