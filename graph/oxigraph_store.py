"""The Oxigraph store: a fast embedded SPARQL engine, in memory or persisted in a folder.

``graph.load("corpus.nt", store="oxigraph")`` parses with Oxigraph's strict parsers straight into
an in-memory Oxigraph store (no rdflib on the way); ``path="corpus.db"`` persists it in a folder,
and ``graph.load(store="oxigraph", path="corpus.db")`` later reopens it in milliseconds without
parsing anything again.

How it keeps answers identical to the memory store:

- blank nodes get the labels the memory store gives them (derived from the file's digest), so
  projections and exports match even for graphs with blank nodes;
- named graphs of TriG / N-Quads files are merged into one graph, as rdflib's loader does;
- values are bound with the strict ``VALUES`` binder of :mod:`graph.sparql_text`.
  (pyoxigraph's own ``substitutions=`` follows SPARQL SEP-0007, which refuses a variable that the
  ``SELECT`` does not project, and a named query's parameter usually is not projected);
- result terms go through :mod:`graph.terms` (an ``xsd:string`` literal becomes a plain one).

A query given ``timeout=`` runs in a worker thread: the call returns at the limit with
:class:`~graph.errors.QueryTimeoutError`, and stops reading further rows, but Oxigraph cannot be
interrupted while it computes one row (an aggregate over a huge join), so that part runs on in
the background until it ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import threading
import uuid
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from .backends import Backend, QueryOutcome, SnapshotGraph, Triple, bound_graph, check_read_only
from .errors import GraphLoadError, QueryError, QueryTimeoutError, StoreError
from .formats import format_for
from .namespaces import PREFIXES
from .parsing import check_readable, iter_triples
from .sparql_text import analyse, bind
from .terms import from_oxigraph

__all__ = ["MARKER", "OxigraphBackend", "open_oxigraph"]

#: The file that marks a folder as a her-graph Oxigraph store, with what it was loaded from.
MARKER = "her-graph-store.json"

FileSpec = tuple[Path, str | None]


class _Converter:
    """Oxigraph terms to rdflib terms, remembering the frequent ones (IRIs, classes)."""

    def __init__(self) -> None:
        self.cache: dict[Any, Node] = {}

    def __call__(self, term: Any) -> Node | None:
        if term is None:
            return None
        node = self.cache.get(term)
        if node is None:
            try:
                node = from_oxigraph(term)
            except ValueError as error:
                raise QueryError(str(error)) from None
            if len(self.cache) < 100_000:
                self.cache[term] = node
        return node


def _rows(solutions: ox.QuerySolutions, convert: _Converter,
          cancelled: threading.Event) -> list[tuple[Node | None, ...]]:
    """The solutions as rows of rdflib terms; stops early once ``cancelled`` is set."""
    cache = convert.cache
    rows = []
    for count, solution in enumerate(solutions):
        if not count % 256 and cancelled.is_set():
            break
        row = []
        for term in solution:
            node = cache.get(term)
            row.append(node if node is not None or term is None else convert(term))
        rows.append(tuple(row))
    return rows


def _quads(path: Path, format: str | None) -> Iterator[ox.Quad]:
    """The file's triples as default-graph quads, blank nodes named as the memory store does."""
    check_readable(path)
    fmt = format_for(path, format)
    prefix = ""
    blank_node, default_graph, triple = ox.BlankNode, ox.DefaultGraph(), ox.Triple
    for quad in iter_triples(path, fmt):
        subject, obj = quad.subject, quad.object
        subject_type, object_type = type(subject), type(obj)
        if subject_type is triple or object_type is triple:
            raise GraphLoadError(f"{path}: RDF-star quoted triples are not supported",
                                 path=str(path))
        if subject_type is blank_node or object_type is blank_node:
            if not prefix:  # the same labels as graph.terms.BlankNodeNamer gives
                prefix = f"b{_digest(path)[:12]}x"
            if subject_type is blank_node:
                subject = blank_node(prefix + subject.value)
            if object_type is blank_node:
                obj = blank_node(prefix + obj.value)
        elif quad.graph_name == default_graph:
            yield quad
            continue
        yield ox.Quad(subject, quad.predicate, obj)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


class _Handle:
    """One opened pyoxigraph store, shared by every backend of this process on its folder.

    RocksDB opens a folder read-write once per process, so a notebook cell that opens (or
    reloads) the same folder again must reuse this opening, or close it first.
    """

    def __init__(self, store: ox.Store | None, key: str | None = None):
        self.store = store
        self.key = key
        self.users = 0
        self.generation = 0  # bumped on every change, so backends drop what they cached

    def get(self) -> ox.Store:
        if self.store is None:
            raise StoreError(f"the Oxigraph store {self.key} was closed")
        return self.store


class OxigraphBackend(Backend):
    """A pyoxigraph :class:`~pyoxigraph.Store`, in memory or in a folder.

    Make one with ``graph.load(..., store="oxigraph")``; see :func:`open_oxigraph`.

    Example:
        >>> import graph
        >>> kg = graph.load(store="oxigraph")
        >>> kg.store, len(kg) == len(graph.load())
        ('oxigraph', True)
        >>> kg.query("SELECT ?n WHERE { ?c a hg:AICharacter ; schema:name ?n }").column("n")
        ['Samantha']
    """

    name = "oxigraph"

    def __init__(self, store: ox.Store | _Handle, *, path: Path | None = None,
                 sources: tuple[str, ...] = ()):
        self._handle = store if isinstance(store, _Handle) else _Handle(store)
        self._handle.users += 1
        if self._handle.key is not None:
            weakref.finalize(self, _release, self._handle)
        self.path = path
        self.sources = sources
        self._names = bound_graph()
        self._seen = -1
        self._length: int | None = None
        self._snapshot: SnapshotGraph | None = None

    @property
    def _store(self) -> ox.Store:
        if self._seen != self._handle.generation:  # changed through another backend
            self._seen = self._handle.generation
            self._length = None
            self._snapshot = None
        return self._handle.get()

    @property
    def store(self) -> ox.Store:
        """The pyoxigraph store itself, for what only Oxigraph does (``dump``, ``backup``)."""
        return self._store

    @property
    def namespace_manager(self) -> NamespaceManager:
        return self._names.namespace_manager

    @property
    def rdf(self) -> Graph:
        """A read-only rdflib copy of the triples, made on first use (see the module notes)."""
        self._store  # noqa: B018 - drops a copy made before another backend's change
        if self._snapshot is None:
            self._snapshot = SnapshotGraph(self.name).fill(self.triples())
        return self._snapshot

    def _changed(self) -> None:
        self._handle.generation += 1

    # --------------------------------------------------------------------------------------
    # SPARQL

    def _syntax_error(self, text: str, error: SyntaxError) -> QueryError:
        check_read_only(text)  # raises the same message as the memory store when rdflib agrees
        return QueryError(f"invalid SPARQL for Oxigraph: {error.msg or error}")

    def _evaluate(self, text: str, bindings: Mapping[str, Node],
                  cancelled: threading.Event) -> QueryOutcome:
        # Blank nodes cannot be written in a query (_:x there is a fresh pattern node), so they
        # go through pyoxigraph's substitutions, which take only variables the query returns.
        blanks = {ox.Variable(k): ox.BlankNode(str(v)) for k, v in bindings.items()
                  if isinstance(v, BNode)}
        bound = bind(text, {k: v for k, v in bindings.items() if not isinstance(v, BNode)})
        result = triple = None
        try:
            try:
                result = self._store.query(bound, prefixes=PREFIXES, substitutions=blanks)
            except RuntimeError as error:
                if blanks and "projection" in str(error):
                    raise QueryError(
                        "on the Oxigraph store a blank node can only be bound to a variable the "
                        f"query returns ({error}); add it to the SELECT, or bind an IRI"
                    ) from None
                raise
            convert = _Converter()
            if isinstance(result, ox.QueryBoolean):
                return QueryOutcome("ASK", boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                columns = [v.value for v in result.variables]
                rows = _rows(result, convert, cancelled)
                return QueryOutcome("SELECT", columns=columns, rows=rows)
            graph = bound_graph()
            for triple in result:
                if cancelled.is_set():
                    break
                graph.add((convert(triple.subject), convert(triple.predicate),
                           convert(triple.object)))
            return QueryOutcome(analyse(text).form, graph=graph)
        except SyntaxError as error:
            raise self._syntax_error(text, error) from None
        except (RuntimeError, ValueError, TypeError) as error:
            raise QueryError(f"the query failed while running: {error}") from None
        except OSError as error:
            raise StoreError(f"the Oxigraph store{self._where()} failed: {error}") from None
        finally:
            # pyoxigraph's result iterators must be freed by the thread that made them; a
            # traceback handed to another thread would otherwise keep them alive.
            result = triple = None

    def query(self, text: str, bindings: Mapping[str, Node], *,
              timeout: float | None = None) -> QueryOutcome:
        if timeout is None:
            return self._evaluate(text, bindings, threading.Event())
        if timeout <= 0:
            raise ValueError("a time limit must be a positive number of seconds")
        cancelled = threading.Event()
        outcome: list[QueryOutcome | BaseException] = []

        def work() -> None:
            try:
                outcome.append(self._evaluate(text, bindings, cancelled))
            except BaseException as error:  # handed to the caller's thread
                outcome.append(error)

        worker = threading.Thread(target=work, name="her-graph-oxigraph-query", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive() or not outcome:
            cancelled.set()
            raise QueryTimeoutError(f"the query ran longer than its {timeout:g} s time limit and "
                                    "was stopped; simplify it or raise the limit")
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def update(self, text: str, bindings: Mapping[str, Node]) -> None:
        bound = bind(text, bindings)
        try:
            self._store.update(bound, prefixes=PREFIXES)
        except SyntaxError as error:
            raise QueryError(f"invalid SPARQL update: {error.msg or error}") from None
        except (RuntimeError, ValueError) as error:
            raise QueryError(f"the update failed: {error}") from None
        except OSError as error:
            raise StoreError(f"the Oxigraph store{self._where()} failed: {error}") from None
        finally:
            self._changed()

    # --------------------------------------------------------------------------------------
    # Triples

    def triples(self) -> Iterator[Triple]:
        convert = _Converter()
        for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield convert(quad.subject), convert(quad.predicate), convert(quad.object)  # type: ignore[misc]

    def __len__(self) -> int:
        store = self._store
        if self._length is None:  # counting is O(n) in Oxigraph: remember it until a change
            self._length = len(store)
        return self._length

    def _where(self) -> str:
        return f" in {self.path}" if self.path else ""

    def close(self) -> None:
        """Flush a persisted store to disk."""
        if self.path is not None:
            self._store.flush()


# ------------------------------------------------------------------------------------------
# Opening and building stores


def _read_marker(path: Path) -> dict[str, Any]:
    try:
        return json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _is_store(path: Path) -> bool:
    return (path / MARKER).is_file() or (path / "CURRENT").is_file()


def _held_by_another_process(path: Path) -> bool:
    """True if another process has the RocksDB folder open (it holds a POSIX lock on LOCK)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: RocksDB reports it when opening
        return False
    lock = path / "LOCK"
    if not lock.is_file():
        return False
    with lock.open("rb+") as handle:
        try:
            # A POSIX lock never conflicts with one the same process holds, so a store this
            # process opened earlier (a notebook cell run twice) can still be replaced.
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(handle, fcntl.LOCK_UN)
    return False


# The stores this process has open read-write, by folder.
_OPEN: dict[str, _Handle] = {}


def _release(handle: _Handle) -> None:
    """One backend less uses ``handle``; the last one closes the store."""
    handle.users -= 1
    if handle.users <= 0 and handle.key is not None and _OPEN.get(handle.key) is handle:
        del _OPEN[handle.key]
        handle.store = None


def _open_shared(path: Path, *, read_only: bool) -> _Handle:
    """Open the store at ``path``, sharing one read-write opening within this process."""
    if read_only:
        return _Handle(_open(path, read_only=True))
    key = str(path.resolve())
    handle = _OPEN.get(key)
    if handle is None:
        handle = _OPEN[key] = _Handle(None, key)
    if handle.store is None:
        handle.store = _open(path, read_only=False)
        handle.generation += 1
    return handle


def _open(path: Path, *, read_only: bool) -> ox.Store:
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as error:
        if "current process" in str(error).lower():
            raise StoreError(
                f"the Oxigraph store {path} is still open in this process (a pyoxigraph Store "
                "taken from kg.backend.store keeps it open); drop that reference first"
            ) from None
        if "lock" in str(error).lower():
            raise StoreError(
                f"the Oxigraph store {path} is open in another process (a store folder opens "
                "read-write in one process at a time); close it there, or pass read_only=True "
                "if no process is writing to it") from None
        raise StoreError(f"cannot open the Oxigraph store {path}: {error}") from None


def _fill(store: ox.Store, files: list[FileSpec]) -> None:
    for path, fmt in files:
        try:
            store.bulk_extend(_quads(path, fmt))
        except OSError as error:
            raise StoreError(f"cannot write {path} into the Oxigraph store: {error}") from None


def _build(files: list[FileSpec], path: Path) -> None:
    """Load ``files`` into a new store folder next to ``path``, then swap it into place."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file; give a folder for the Oxigraph store")
    if path.is_dir() and any(path.iterdir()) and not _is_store(path):
        raise StoreError(f"{path} exists and is not an Oxigraph store; not replacing what it "
                         "holds: choose a new or empty folder")
    if path.is_dir() and _held_by_another_process(path):
        raise StoreError(f"the Oxigraph store {path} is open in another process; close it there "
                         "before loading new data into it")
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.parent / f".{path.name}.loading-{uuid.uuid4().hex[:8]}"
    try:
        store = ox.Store(str(building))
        _fill(store, files)
        store.flush()
        triples = len(store)
        del store  # closes the folder, so it can move
        marker = {
            "her_graph_store": 1,
            "sources": [str(p.resolve()) for p, _ in files],
            "triples": triples,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        (building / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        # Close this process's opening of the old store (its backends get the new one), then
        # swap: the folder holds either the old complete store or the new complete one.
        shared = _OPEN.get(str(path.resolve()))
        if shared is not None:
            shared.store = None
        old = path.parent / f".{path.name}.old-{uuid.uuid4().hex[:8]}"
        if path.exists():
            os.replace(path, old)
        os.replace(building, path)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(building, ignore_errors=True)


def open_oxigraph(files: list[FileSpec] | None, *, path: str | os.PathLike[str] | None = None,
                  read_only: bool = False) -> OxigraphBackend:
    """Open an Oxigraph store: load ``files`` into it, or reopen the folder ``path``.

    Args:
        files: the RDF files to load, or ``None`` to reopen the store at ``path`` as it is.
        path: a folder to persist the store in; without it the store lives in memory. Loading
            files into a folder that already holds a her-graph store replaces that store, once
            the new one is complete (a failed load leaves the old one as it was).
        read_only: open the folder read-only (several processes can then share it, as long as
            none writes to it).

    Raises:
        GraphLoadError: a file is missing or invalid (nothing is written to ``path``).
        StoreError: the folder is not a store, is in use by another process, or cannot be
            written.
    """
    if path is None:
        if read_only:
            raise StoreError("read_only=True needs path=, the folder of a persisted store")
        if files is None:
            raise StoreError("store='oxigraph' without a source needs path=, the folder of a "
                             "store to reopen")
        store = ox.Store()
        _fill(store, files)
        return OxigraphBackend(store, sources=tuple(str(p) for p, _ in files))
    folder = Path(path)
    if files is not None:
        if read_only:
            raise StoreError("cannot load files into a store opened read_only=True")
        _build(files, folder)
    elif not folder.is_dir() or not _is_store(folder):
        what = "no such folder" if not folder.exists() else "not an Oxigraph store"
        raise StoreError(
            f"{folder}: {what}; to create one, load a source into it: "
            f"graph.load('story.ttl', store='oxigraph', path={str(folder)!r})")
    marker = _read_marker(folder)
    sources = tuple(marker.get("sources", ())) or (str(folder),)
    return OxigraphBackend(_open_shared(folder, read_only=read_only), path=folder,
                           sources=sources)
