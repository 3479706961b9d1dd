"""The registry of stores: each name (``memory``, ``oxigraph``, ``sparql``) to the function that
opens it. The CLI's ``--store`` choices and the error for an unknown store come from here.

>>> sorted(STORES)
['memory', 'oxigraph', 'sparql']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UnknownStoreError
from ..read.parsing import parse_into
from .backend import Backend, MemoryBackend, UnionDataset
from .oxigraph_open import open_oxigraph
from .remote import open_sparql


def _memory_backend(files: list[tuple[Path, str | None]] | None, **options: object) -> Backend:
    if options:
        raise UnknownStoreError(f"store='memory' takes no options; got {', '.join(options)}")
    graph = UnionDataset()  # graph names kept; read as a graph, the union
    for path, fmt in files or []:
        parse_into(graph, path, fmt)
    return MemoryBackend(graph, sources=tuple(str(p) for p, _ in files or []))


def _oxigraph_backend(files: list[tuple[Path, str | None]] | None,
                      **options: Any) -> Backend:
    _check_options("oxigraph", options, {"path", "read_only"})
    return open_oxigraph(files, **options)


def _sparql_backend(files: list[tuple[Path, str | None]] | None, **options: Any) -> Backend:
    _check_options("sparql", options, {"endpoint", "graph", "update_endpoint", "graph_store",
                                       "staging", "timeout", "auth", "headers", "max_bytes",
                                       "query_method", "update_method", "chunk", "graphs"})
    return open_sparql(files, **options)


def _check_options(store: str, options: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(options) - known)
    if unknown:
        raise UnknownStoreError(f"store={store!r} takes no option {', '.join(unknown)}; its "
                                f"options: {', '.join(sorted(known))}")


#: Store name -> factory(files, **options) -> Backend. ``files`` is ``None`` when no source is
#: given and the store already holds data (a persisted Oxigraph folder, a SPARQL server). The
#: CLI's choices come from here.
STORES: dict[str, Callable[..., Backend]] = {
    "memory": _memory_backend,
    "oxigraph": _oxigraph_backend,
    "sparql": _sparql_backend,
}


def open_store(store: str, files: list[tuple[Path, str | None]] | None,
               **options: Any) -> Backend:
    """Open the store named ``store`` with ``files`` parsed into it.

    Raises:
        StoreError: no store has that name (the message lists the known ones).

    Example:
        >>> len(open_store("memory", []))
        0
    """
    if store not in STORES:
        raise UnknownStoreError(f"unknown store {store!r}; known stores: {', '.join(STORES)}")
    return STORES[store](files, **options)
