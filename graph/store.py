"""Building a :class:`~graph.KnowledgeGraph`: the bundled Her data or a user's files, in a store.

The bundled data lives in ``data/`` of a checkout and in ``graph/data/`` of an installed wheel;
:func:`data_dir` finds whichever is there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from rdflib import Graph

from .backends import Backend, MemoryBackend
from .errors import HerGraphError
from .knowledge_graph import KnowledgeGraph
from .parsing import parse_into
from .queries import QueryLibrary

__all__ = ["STORES", "bundled_graph", "data_dir", "load"]

PathLike = str | os.PathLike[str]


def data_dir() -> Path:
    """The folder holding ``her.ttl``, ``ontology.ttl``, ``shapes.ttl`` and ``queries/``.

    Example:
        >>> sorted(p.name for p in data_dir().glob("*.ttl"))
        ['her.ttl', 'ontology.ttl', 'shapes.ttl']
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "ontology.ttl").is_file():
            return candidate
    raise HerGraphError(f"the bundled data is missing: neither {here / 'data'} nor "
                        f"{here.parent / 'data'} holds ontology.ttl; reinstall her-graph")


@lru_cache(maxsize=8)
def _bundled_triples(name: str) -> tuple[tuple, ...]:
    graph = Graph()
    parse_into(graph, data_dir() / name)
    return tuple(graph)


def bundled_graph(name: str) -> Graph:
    """A fresh rdflib graph of one bundled file (``"ontology.ttl"``, ``"shapes.ttl"``, ...).

    Example:
        >>> len(bundled_graph("shapes.ttl")) > 100
        True
    """
    graph = Graph()
    for triple in _bundled_triples(name):
        graph.add(triple)
    return graph


def _memory_backend(files: list[tuple[Path, str | None]] | None, **options: object) -> Backend:
    if options:
        raise HerGraphError(f"store='memory' takes no options; got {', '.join(options)}")
    graph = Graph()
    for path, fmt in files or []:
        parse_into(graph, path, fmt)
    return MemoryBackend(graph, sources=tuple(str(p) for p, _ in files or []))


def _oxigraph_backend(files: list[tuple[Path, str | None]] | None,
                      **options: Any) -> Backend:
    from .oxigraph_open import open_oxigraph

    _check_options("oxigraph", options, {"path", "read_only"})
    return open_oxigraph(files, **options)


def _sparql_backend(files: list[tuple[Path, str | None]] | None, **options: Any) -> Backend:
    from .remote import open_sparql

    _check_options("sparql", options, {"endpoint", "graph", "update_endpoint", "graph_store",
                                       "staging", "timeout", "auth", "headers", "query_method",
                                       "update_method", "chunk"})
    return open_sparql(files, **options)


def _check_options(store: str, options: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(options) - known)
    if unknown:
        raise HerGraphError(f"store={store!r} takes no option {', '.join(unknown)}; its options: "
                            f"{', '.join(sorted(known))}")


#: Store name -> factory(files, **options) -> Backend. ``files`` is ``None`` when no source is
#: given and the store already holds data (a persisted Oxigraph folder, a SPARQL server). The
#: CLI's choices come from here.
STORES: dict[str, Callable[..., Backend]] = {
    "memory": _memory_backend,
    "oxigraph": _oxigraph_backend,
    "sparql": _sparql_backend,
}


def _opens_existing(store: str, options: dict[str, Any]) -> bool:
    """Whether ``load(store=..., **options)`` without a source opens data the store holds."""
    return store == "sparql" or (store == "oxigraph" and options.get("path") is not None)


def load(
    source: PathLike | Iterable[PathLike] | None = None,
    *,
    format: str | None = None,
    store: str = "memory",
    queries: PathLike | None = None,
    with_ontology: bool | None = None,
    **store_options: object,
) -> KnowledgeGraph:
    """Load a story graph.

    Args:
        source: ``None`` for the bundled *Her* graph (data and ontology), or the path of a story
            graph file (Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML, told apart by
            extension), or several paths to load together.
        format: the RDF format of ``source`` when its extension does not say (``"turtle"``,
            ``"ntriples"``, ``"json-ld"``, ``"rdfxml"``, ...).
        store: where the triples live: ``"memory"`` (rdflib, the default), ``"oxigraph"``
            (an embedded Oxigraph store, much faster on big graphs) or ``"sparql"`` (a SPARQL
            1.1 server). See :mod:`graph.backends`.
        queries: a folder of your own ``.rq`` named queries, added to the bundled ones.
        with_ontology: also load the her-graph ontology; the default is yes for the bundled
            graph and no for your own files (validation adds it when needed).
        **store_options: options of the chosen store:

            ``store="oxigraph"``: ``path`` (a folder to persist the store in; without a source,
            reopen the store in that folder without parsing anything), ``read_only``.

            ``store="sparql"``: ``endpoint`` (the query URL, required; without a source, the
            graph is what the server holds, else the source is uploaded first, replacing the
            target graph), ``graph`` (a named graph to use), ``update_endpoint``,
            ``graph_store``, ``staging`` and ``chunk`` (see :func:`graph.remote.publish`),
            ``timeout`` (seconds per request, default 60), ``auth`` (``(user, password)``:
            Basic, or Digest when the server asks), ``headers``, ``query_method`` and
            ``update_method`` (see :class:`graph.protocol.Endpoint`).

    Returns:
        The :class:`~graph.KnowledgeGraph`.

    Raises:
        GraphLoadError: a file is missing, empty, or not valid RDF (the message names the file
            and line).
        StoreError: the store cannot be opened or reached (the message names the folder or
            endpoint).

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> kg.resolve("samantha")
        IRI('https://w3id.org/her-graph/her/Samantha')
    """
    if store not in STORES:
        raise HerGraphError(f"unknown store {store!r}; known stores: {', '.join(STORES)}")
    bundled = source is None
    files: list[tuple[Path, str | None]] | None
    if bundled and _opens_existing(store, store_options):
        if with_ontology:
            raise HerGraphError("with_ontology=True needs a source to load; the store is "
                                "opened as it is")
        files = None
    elif bundled:
        files = [(data_dir() / "her.ttl", None)]
    elif isinstance(source, str | os.PathLike):
        files = [(Path(source), format)]
    else:
        files = [(Path(p), format) for p in cast("Iterable[str | os.PathLike[str]]", source)]
        if not files:
            raise HerGraphError("load() got an empty list of files")
    if files is not None and (with_ontology if with_ontology is not None else bundled):
        files.append((data_dir() / "ontology.ttl", None))
    backend = STORES[store](files, **store_options)
    library = QueryLibrary([data_dir() / "queries"])
    if queries is not None:
        library.add_directory(queries)
    sources = backend.sources or tuple(str(p) for p, _ in files or [])
    return KnowledgeGraph(backend, sources=sources, queries=library)
