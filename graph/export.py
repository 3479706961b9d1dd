"""Writing the graph to files: atomically, and byte-for-byte the same for the same input.

Every export goes through :func:`write_atomic`: the bytes are written to a temporary file in the
target folder, flushed to disk, then renamed over the target, so an interrupted run leaves the
previous file intact and never a half-written one. Exporters are chosen by name from
:data:`EXPORTERS`, which is also where the CLI's ``--format`` choices come from.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from .errors import ExportError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from .knowledge_graph import KnowledgeGraph

__all__ = ["EXPORTERS", "Exporter", "export", "render", "write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Raises:
        ExportError: the folder does not exist or cannot be written.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{folder}: the output folder does not exist; create it first")
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name to write to")
    try:
        # Not a context manager: the file must outlive the block to be renamed over the target.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    except OSError as error:
        raise ExportError(f"{folder}: cannot write here ({error.strerror})") from None
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ExportError(f"{path}: cannot write it ({error.strerror})") from None
        raise
    return path


def _stable_graph(graph: Graph) -> Graph:
    """The graph with canonical blank node labels, so serialisations do not depend on parsing."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        canonical = Graph()
        for triple in to_canonical_graph(graph):
            canonical.add(triple)
        graph = canonical
    out = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for prefix, namespace in graph.namespaces():
        if prefix not in PREFIXES and not prefix.startswith(("ns", "default")):
            out.bind(prefix, namespace, override=False)
    for triple in graph:
        out.add(triple)
    return out


def _turtle(kg: KnowledgeGraph) -> bytes:
    text = _stable_graph(kg.rdf).serialize(format="longturtle")
    return text.encode("utf-8")


def _sort_jsonld(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sort_jsonld(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_sort_jsonld(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True,
                                                         ensure_ascii=False))
    return value


def _jsonld(kg: KnowledgeGraph) -> bytes:
    graph = _stable_graph(kg.rdf)
    used = {str(ns) for ns in PREFIXES.values()}
    context = {prefix: namespace for prefix, namespace in PREFIXES.items() if namespace in used}
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(text)
    if "@graph" in document:
        nodes = document["@graph"]
    else:
        nodes = [{k: v for k, v in document.items() if k != "@context"}]
    nodes = sorted((_sort_jsonld(n) for n in nodes), key=lambda n: str(n.get("@id", "")))
    ordered = {"@context": dict(sorted(context.items())), "@graph": nodes}
    return (json.dumps(ordered, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _html(kg: KnowledgeGraph) -> bytes:
    from .visualize import render_html  # pyvis's assets and jinja2: only when writing HTML

    return render_html(kg).encode("utf-8")


@dataclass(frozen=True)
class Exporter:
    """One export format: its name, file extension, description and renderer."""

    name: str
    extension: str
    description: str
    render: Callable[[KnowledgeGraph], bytes]


#: Format name -> exporter. The CLI's ``--format`` choices come from this dict.
EXPORTERS: dict[str, Exporter] = {
    "ttl": Exporter("ttl", ".ttl", "Turtle, sorted, with stable prefixes", _turtle),
    "jsonld": Exporter("jsonld", ".jsonld", "JSON-LD with an inline context", _jsonld),
    "html": Exporter("html", ".html", "Interactive page, self-contained and offline", _html),
}


def _exporter(format: str) -> Exporter:
    try:
        return EXPORTERS[format]
    except KeyError:
        raise ExportError(f"unknown export format {format!r}; formats: "
                          f"{', '.join(EXPORTERS)}") from None


def render(kg: KnowledgeGraph, format: str) -> bytes:
    """The bytes of ``kg`` in ``format`` (one of :data:`EXPORTERS`)."""
    return _exporter(format).render(kg)


def export(kg: KnowledgeGraph, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write ``kg`` to ``path`` atomically, in ``format`` or the one its extension names.

    Example:
        >>> import graph, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> export(graph.load(), folder / "her.ttl").name
        'her.ttl'
    """
    path = Path(path)
    if format is None:
        matches = [e for e in EXPORTERS.values() if path.name.endswith(e.extension)]
        if not matches:
            raise ExportError(f"{path}: cannot tell the export format from the extension; "
                              f"pass format= (one of {', '.join(EXPORTERS)})")
        format = max(matches, key=lambda e: len(e.extension)).name
    return write_atomic(path, render(kg, format))
