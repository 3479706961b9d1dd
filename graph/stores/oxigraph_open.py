"""Opening an Oxigraph store: files loaded into one (in memory or a folder), or a folder reopened.

Files are parsed by Oxigraph's strict parsers and written straight into the store with its bulk
loader (no rdflib on the way). Blank nodes get the labels the memory store gives them and the
named graphs of TriG, N-Quads and JSON-LD files keep their names, so every store holds the same
dataset.

A folder is only ever replaced whole: the new store is built in a sibling folder and swapped in
once complete, and a folder that holds anything but a store is never touched. A marker file
(:data:`MARKER`) records what the store was loaded from.
"""

from __future__ import annotations

import datetime as dt
import json
import mmap
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from ..errors import GraphLoadError, StoreError
from ..read.formats import format_for
from ..read.parsing import (
    UTF8_BOM,
    base_iri_for,
    describe_syntax_error,
    describe_too_long,
    file_digest,
    iter_triples,
    readable_format,
)
from .oxigraph import _OPEN, OxigraphBackend, _Handle

#: The file that marks a folder as a her-graph Oxigraph store, with what it was loaded from.
MARKER = "her-graph-store.json"

FileSpec = tuple[Path, str | None]


def _quads(path: Path, format: str | None) -> Iterator[ox.Quad]:
    """The file's quads, graph names kept, blank nodes named as the memory store does."""
    fmt = readable_format(path, format)
    prefix = ""
    names: dict[str, ox.BlankNode] = {}
    blank_node, default_graph, triple = ox.BlankNode, ox.DefaultGraph, ox.Triple

    def rename(node: ox.BlankNode) -> ox.BlankNode:
        # The labels graph.terms.BlankNodeNamer gives: digest plus order of first appearance
        # (Oxigraph names Turtle's [ ... ] nodes at random, so its own labels cannot be kept).
        nonlocal prefix
        if not prefix:
            prefix = f"b{file_digest(path)[:12]}x"
        named = names.get(node.value)
        if named is None:
            named = names[node.value] = blank_node(f"{prefix}{len(names)}")
        return named

    for quad in iter_triples(path, fmt):
        subject, obj, graph_name = quad.subject, quad.object, quad.graph_name
        subject_type, object_type = type(subject), type(obj)
        if subject_type is triple or object_type is triple:
            raise GraphLoadError(f"{path}: RDF-star quoted triples are not supported",
                                 path=str(path))
        if subject_type is not blank_node and object_type is not blank_node and \
                type(graph_name) is not blank_node:
            yield quad
            continue
        # In the order the memory store names them: subject, predicate, object, graph.
        if subject_type is blank_node:
            subject = rename(cast(ox.BlankNode, subject))
        if object_type is blank_node:
            obj = rename(cast(ox.BlankNode, obj))
        if type(graph_name) is blank_node:
            graph_name = rename(graph_name)
        yield ox.Quad(subject, quad.predicate, obj,
                      default_graph() if type(graph_name) is default_graph else graph_name)


def _read_marker(path: Path) -> dict[str, Any]:
    try:
        marker: dict[str, Any] = json.loads((path / MARKER).read_text(encoding="utf-8"))
        return marker
    except (OSError, ValueError):
        return {}


def _is_store(path: Path) -> bool:
    return (path / MARKER).is_file() or (path / "CURRENT").is_file()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def _remove_dead_loaders(path: Path) -> list[Path]:
    """Remove what loaders of ``path`` that died (SIGKILL, a power cut) left beside it: the
    ``.NAME.loading-PID-xxxxxxxx`` and ``.NAME.old-PID-xxxxxxxx`` folders of processes that are
    gone (and, from older versions, ``.NAME.loading-xxxxxxxx`` folders no process holds open).

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> (folder / ".corpus.loading-999999999-0123abcd").mkdir()
        >>> [p.name for p in _remove_dead_loaders(folder / "corpus")]
        ['.corpus.loading-999999999-0123abcd']
    """
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(?:loading|old)-(?:(\d+)-)?[0-9a-f]{{8}}$")
    removed = []
    for entry in path.parent.iterdir():
        found = pattern.match(entry.name)
        if found is None or not entry.is_dir():
            continue
        pid = int(found.group(1)) if found.group(1) else None
        dead = (pid != os.getpid() and not _pid_alive(pid) if pid is not None
                else (entry / "LOCK").is_file() and not _held_by_another_process(entry))
        if dead:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


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


# Formats Oxigraph's bulk loader may read straight into the store (it keeps graph names): a
# file of theirs without blank-node or quoted-triple syntax needs no rewriting.
_PLAIN_FORMATS = {"ntriples", "turtle", "nquads", "trig"}
# Blank nodes (labelled, [ ... ], or the list nodes of a ( ... ) collection) and RDF-star.
_REWRITTEN_SYNTAX = (b"_:", b"[", b"(", b"<<")


def _loads_as_is(path: Path, fmt: str | None) -> bool:
    """True when the file can go to the bulk loader untouched: a byte scan finds no ``_:``,
    ``[``, ``(`` or ``<<`` (a match inside a literal or an IRI only costs the slower path,
    never correctness)."""
    if format_for(path, fmt).name not in _PLAIN_FORMATS or path.stat().st_size == 0:
        return False  # (an empty file cannot be mapped; it is an empty graph anyway)
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data[:3] == UTF8_BOM:  # the bulk loader refuses it; iter_triples skips it
            return False
        return all(data.find(token) == -1 for token in _REWRITTEN_SYNTAX)


def _bulk_load(store: ox.Store, path: Path, fmt: str | None) -> None:
    rdf_format = format_for(path, fmt)
    try:
        store.bulk_load(path=str(path), format=rdf_format.oxigraph,
                        base_iri=base_iri_for(path))
    except SyntaxError as error:
        raise describe_syntax_error(path, rdf_format, error) from None
    except MemoryError as error:
        raise describe_too_long(path, error) from None


def _fill(store: ox.Store, files: list[FileSpec]) -> None:
    for path, fmt in files:
        try:
            readable_format(path, fmt)
            if _loads_as_is(path, fmt):
                # About twice as fast as passing every quad through Python (4 s instead of 7 s
                # for a million triples), which only blank nodes and RDF-star need.
                _bulk_load(store, path, fmt)
                continue
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
    _remove_dead_loaders(path)
    building = path.parent / f".{path.name}.loading-{os.getpid()}-{uuid.uuid4().hex[:8]}"
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
        old = path.parent / f".{path.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
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

    Example:
        >>> import graph
        >>> backend = open_oxigraph([(graph.data_dir() / "her.ttl", None)])
        >>> backend.name, len(backend) > 1000
        ('oxigraph', True)
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
