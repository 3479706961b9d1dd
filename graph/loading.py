"""Building a :class:`~graph.KnowledgeGraph`: the bundled Her data or a user's files, in a store.

The bundled data is found by :mod:`graph.read.bundled`; the stores are opened by
:mod:`graph.stores.registry`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from .errors import GraphLoadError, UnknownStoreError
from .knowledge_graph import KnowledgeGraph
from .read.bundled import data_dir
from .read.parsing import base_iri
from .sparql.queries import QueryLibrary
from .stores.registry import STORES, open_store

PathLike = str | os.PathLike[str]


def _is_symlink_loop(path: Path) -> bool:
    """Whether ``path`` is a symbolic link that never reaches a file (the parser would call it
    missing)."""
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


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
    base: str | None = None,
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
            1.1 server). See :mod:`graph.stores.backend`.
        queries: a folder of your own ``.rq`` named queries, added to the bundled ones.
        with_ontology: also load the her-graph ontology; the default is yes for the bundled
            graph and no for your own files (validation adds it when needed).
        base: the IRI that relative IRIs in the files (``<#alice>``) resolve against. By
            default ``https://w3id.org/her-graph/base/`` plus the file's name: the same on
            every machine, unlike the file's location.
        **store_options: options of the chosen store:

            ``store="oxigraph"``: ``path`` (a folder to persist the store in; without a source,
            reopen the store in that folder without parsing anything), ``read_only``.

            ``store="sparql"``: ``endpoint`` (the query URL, required; without a source, the
            graph is what the server holds, else the source is uploaded first, replacing the
            target graph; the named graphs of a dataset go to graphs of their names),
            ``graph`` (a named graph to use), ``graphs`` (the named graphs of the dataset, see
            :class:`graph.stores.remote.SparqlBackend`), ``update_endpoint``,
            ``graph_store``, ``staging`` (see :func:`graph.stores.remote.publish`), ``timeout``
            (seconds per request, default 60, one deadline for the whole request),
            ``max_bytes`` (the longest answer read, default 1 GiB), ``auth``
            (``(user, password)``), ``headers``.

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
        raise UnknownStoreError(f"unknown store {store!r}; known stores: {', '.join(STORES)}")
    bundled = source is None
    files: list[tuple[Path, str | None]] | None
    if bundled and _opens_existing(store, store_options):
        if with_ontology:
            raise GraphLoadError("with_ontology=True needs a source to load; the store is "
                                "opened as it is")
        files = None
    elif bundled:
        files = [(data_dir() / "her.ttl", None)]
    elif isinstance(source, str | os.PathLike):
        files = [(Path(source), format)]
    else:
        files = [(Path(p), format) for p in cast("Iterable[str | os.PathLike[str]]", source)]
        if not files:
            raise GraphLoadError("load() got an empty list of files")
    for path, _format in files or []:
        if _is_symlink_loop(path):
            raise GraphLoadError(f"{path}: is a symlink loop (a link that leads back to "
                                 "itself); point it at a file, or give the file itself",
                                 path=str(path))
    if files is not None and (with_ontology if with_ontology is not None else bundled):
        files.append((data_dir() / "ontology.ttl", None))
    with base_iri(base):
        backend = open_store(store, files, **store_options)
    library = QueryLibrary([data_dir() / "queries"])
    if queries is not None:
        library.add_directory(queries)
    sources = backend.sources or tuple(str(p) for p, _ in files or [])
    return KnowledgeGraph(backend, sources=sources, queries=library)
