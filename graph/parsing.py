"""Reading RDF files: strict parsing with Oxigraph, handed to rdflib, with errors people can act on.

rdflib's own Turtle parser accepts documents the specification calls invalid (bad IRIs, bad
escapes) and is about ten times slower than Oxigraph's. A loader users can trust rejects invalid
input with the file and line, so every file is parsed by Oxigraph and its terms converted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from .errors import GraphLoadError
from .formats import RdfFormat, format_for
from .terms import BlankNodeNamer, from_oxigraph

__all__ = ["check_readable", "describe_syntax_error", "iter_triples", "parse_into"]

_REMOTE_CONTEXT_HINT = "LoadDocumentCallback"


def check_readable(path: Path) -> None:
    """Raise :class:`GraphLoadError` unless ``path`` is a readable, non-empty text file.

    Example:
        >>> import pathlib, tempfile
        >>> empty = pathlib.Path(tempfile.mkdtemp()) / "empty.ttl"
        >>> _ = empty.write_text("", encoding="utf-8")
        >>> check_readable(empty)
        Traceback (most recent call last):
            ...
        graph.errors.GraphLoadError: ...
    """
    if not path.exists():
        raise GraphLoadError(f"{path}: no such file", path=str(path))
    if path.is_dir():
        raise GraphLoadError(f"{path}: is a directory, not an RDF file", path=str(path))
    if not os.access(path, os.R_OK):
        raise GraphLoadError(f"{path}: permission denied", path=str(path))
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head.strip():
        raise GraphLoadError(f"{path}: the file is empty; it holds no RDF", path=str(path))
    if b"\x00" in head:
        raise GraphLoadError(
            f"{path}: this is a binary file, not RDF text; pass a Turtle, N-Triples, JSON-LD or "
            "RDF/XML file",
            path=str(path),
        )


def describe_syntax_error(path: Path, fmt: RdfFormat, error: SyntaxError) -> GraphLoadError:
    message = str(error.msg) if error.msg else str(error)
    if _REMOTE_CONTEXT_HINT in message:
        return GraphLoadError(
            f"{path}: the JSON-LD refers to a remote @context, which her-graph does not fetch "
            "(it works offline); inline the context or point it to a local file's content",
            path=str(path),
        )
    line = error.lineno
    where = f"{path}:{line}" if line else str(path)
    if error.offset:
        where += f":{error.offset}"
    # Oxigraph prefixes positions itself ("Parser error at line 3 ..."); keep only the reason.
    reason = message.split(": ", 1)[1] if message.startswith("Parser error") else message
    return GraphLoadError(
        f"{where}: invalid {fmt.label}: {reason} (fix the file, or pass format= if it is not "
        f"{fmt.label})",
        path=str(path),
        line=line,
    )


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def iter_triples(path: Path, fmt: RdfFormat,
                 prefixes: dict[str, str] | None = None) -> Iterator[ox.Quad]:
    """Yield the quads Oxigraph parses from ``path``, translating its errors.

    Once the quads are exhausted, ``prefixes`` (if given) holds the prefixes the file declares.

    Example:
        >>> import graph
        >>> from graph.formats import format_for
        >>> path = graph.data_dir() / "her.ttl"
        >>> from rdflib import Graph
        >>> sum(1 for _ in iter_triples(path, format_for(path))) == parse_into(Graph(), path)
        True
    """
    try:
        parser = ox.parse(path=str(path), format=fmt.oxigraph, base_iri=path.resolve().as_uri())
        yield from parser
        if prefixes is not None:
            prefixes.update(parser.prefixes)
    except SyntaxError as error:
        raise describe_syntax_error(path, fmt, error) from None
    except UnicodeDecodeError as error:
        raise GraphLoadError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})",
                             path=str(path)) from None
    except (OSError, ValueError) as error:
        raise GraphLoadError(f"{path}: cannot read it as {fmt.label}: {error}",
                             path=str(path)) from None


def parse_into(graph: Graph, path: str | os.PathLike[str], format: str | None = None) -> int:
    """Parse the RDF file at ``path`` into ``graph``; return how many triples it held.

    Named graphs (TriG, N-Quads) are merged into ``graph``. Blank nodes get labels derived from
    the file's content, so the same file always gives the same graph and two files never share
    a blank node. The prefixes the file declares are bound in ``graph`` (a prefix already bound
    there keeps its namespace).

    Raises:
        GraphLoadError: the file is missing, empty, binary, not valid in its format, or uses a
            remote JSON-LD context.

    Example:
        >>> import graph
        >>> from rdflib import Graph
        >>> g = Graph()
        >>> parse_into(g, graph.data_dir() / "her.ttl") == len(g) > 1000
        True
    """
    path = Path(path)
    check_readable(path)
    fmt = format_for(path, format)
    blank = BlankNodeNamer(_digest(path))
    cache: dict[object, Node] = {}

    def convert(term: object) -> Node:
        node = cache.get(term)
        if node is None:
            try:
                node = from_oxigraph(term, blank)
            except ValueError as error:
                raise GraphLoadError(f"{path}: {error}", path=str(path)) from None
            if len(cache) < 200_000:
                cache[term] = node
        return node

    count = 0
    add = graph.add
    declared: dict[str, str] = {}
    for quad in iter_triples(path, fmt, declared):
        add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        count += 1
    # The file's own prefixes, so exports and short names read as the author wrote them; a
    # prefix already bound keeps its namespace.
    for prefix, namespace in sorted(declared.items()):
        if prefix and namespace:
            graph.bind(prefix, namespace, override=False)
    return count
