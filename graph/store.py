"""Building a :class:`~graph.KnowledgeGraph`: the bundled Her data or a user's files, in a store.

The bundled data lives in ``data/`` of a checkout and in ``graph/data/`` of an installed wheel;
:func:`data_dir` finds whichever is there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from .backends import Backend, MemoryBackend
from .errors import HerGraphError
from .knowledge_graph import KnowledgeGraph
from .parsing import parse_into
from .queries import QueryLibrary

__all__ = ["STORES", "bundled_graph", "data_dir", "load"]

PathLike = str | os.PathLike[str]


def data_dir() -> Path:
    """The folder holding ``her.ttl``, ``ontology.ttl``, ``shapes.ttl`` and ``queries/``."""
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
    """A fresh rdflib graph of one bundled file (``"ontology.ttl"``, ``"shapes.ttl"``, ...)."""
    graph = Graph()
    for triple in _bundled_triples(name):
        graph.add(triple)
    return graph


def _memory_backend(files: list[tuple[Path, str | None]], **options: object) -> Backend:
    if options:
        raise HerGraphError(f"store='memory' takes no options; got {', '.join(options)}")
    graph = Graph()
    for path, fmt in files:
        parse_into(graph, path, fmt)
    return MemoryBackend(graph)


#: Store name -> factory(files, **options) -> Backend. The CLI's choices come from here.
STORES: dict[str, Callable[..., Backend]] = {
    "memory": _memory_backend,
}


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
        store: where the triples live; ``"memory"`` (rdflib, the default).
        queries: a folder of your own ``.rq`` named queries, added to the bundled ones.
        with_ontology: also load the her-graph ontology; the default is yes for the bundled
            graph and no for your own files (validation adds it when needed).
        **store_options: options of the chosen store.

    Returns:
        The :class:`~graph.KnowledgeGraph`.

    Raises:
        GraphLoadError: a file is missing, empty, or not valid RDF (the message names the file
            and line).

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> kg.resolve("samantha")
        IRI('https://w3id.org/her-graph/her/Samantha')
    """
    if store not in STORES:
        raise HerGraphError(f"unknown store {store!r}; known stores: {', '.join(STORES)}")
    bundled = source is None
    if bundled:
        files: list[tuple[Path, str | None]] = [(data_dir() / "her.ttl", None)]
    elif isinstance(source, str | os.PathLike):
        files = [(Path(source), format)]
    else:
        files = [(Path(p), format) for p in source]
        if not files:
            raise HerGraphError("load() got an empty list of files")
    if with_ontology if with_ontology is not None else bundled:
        files.append((data_dir() / "ontology.ttl", None))
    backend = STORES[store](files, **store_options)
    library = QueryLibrary([data_dir() / "queries"])
    if queries is not None:
        library.add_directory(queries)
    return KnowledgeGraph(backend, sources=tuple(str(p) for p, _ in files), queries=library)
