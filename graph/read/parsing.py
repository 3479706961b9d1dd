"""Reading RDF files: strict parsing with Oxigraph, handed to rdflib, with errors people can act on.

rdflib's own Turtle parser accepts documents the specification calls invalid (bad IRIs, bad
escapes) and is about ten times slower than Oxigraph's. A loader users can trust rejects invalid
input with the file and line, so every file is parsed by Oxigraph and its terms converted.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import cast
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import IdentifiedNode, Node

from ..errors import GraphLoadError
from ..terms import BlankNodeNamer, from_oxigraph
from .formats import RdfFormat, format_for
from .json_guard import check_jsonld
from .xml_guard import check_rdfxml

_REMOTE_CONTEXT_HINT = "LoadDocumentCallback"
UTF8_BOM = b"\xef\xbb\xbf"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BUFFER_LIMIT = re.compile(r"buffer maximal size of (\d+)")


def _looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a binary file, not RDF text.

    A NUL byte alone does not decide it: a literal may hold one, and rdflib writes it as it
    is. Binary files (images, archives, spreadsheets) have NULs and are not UTF-8.
    """
    if b"\x00" not in head:
        return False
    if head.count(b"\x00") * 10 > len(head):  # UTF-16 without its byte order mark, ...
        return True
    try:  # an incomplete character at the end of the block is not an error
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return True
    return False


#: Relative IRIs in a file resolve against this plus the file's name: the same IRIs on every
#: machine (the file's location, ``file:///home/...``, would differ), and two files' ``<#x>``
#: stay apart. ``w3id.org/her-graph`` is the project's own namespace.
DEFAULT_BASE = "https://w3id.org/her-graph/base/"

# Formats in which a document holding nothing (or only comments) is a valid, empty graph.
_EMPTY_IS_VALID = {"turtle", "ntriples", "nquads", "trig", "n3"}


_BASE: ContextVar[str | None] = ContextVar("her_graph_base", default=None)


def check_base(base: str) -> str:
    """``base`` if it is an absolute IRI, else a :class:`GraphLoadError` saying so.

    Example:
        >>> check_base("https://example.org/stories/")
        'https://example.org/stories/'
    """
    try:
        list(ox.parse(input=b"", format=ox.RdfFormat.TURTLE, base_iri=base))
    except (ValueError, SyntaxError):
        raise GraphLoadError(f"the base IRI {base!r} is not an absolute IRI; give one such as "
                             "https://example.org/stories/") from None
    return base


@contextmanager
def base_iri(base: str | None) -> Iterator[None]:
    """Within the block, relative IRIs of the files read resolve against ``base`` (all files
    alike) instead of :data:`DEFAULT_BASE` plus each file's name; ``None`` changes nothing.

    Example:
        >>> with base_iri("https://example.org/"):
        ...     base_iri_for(Path("story.ttl"))
        'https://example.org/'
    """
    token = _BASE.set(check_base(base) if base is not None else _BASE.get())
    try:
        yield
    finally:
        _BASE.reset(token)


def use_base(base: str | None) -> None:
    """From now on (in this context), read relative IRIs against ``base``; ``None`` restores
    the default. The CLI's ``--base`` calls it; in Python prefer ``graph.load(..., base=)``.

    Example:
        >>> use_base(None)
    """
    _BASE.set(check_base(base) if base is not None else None)


def base_iri_for(path: Path) -> str:
    """The base IRI of ``path``'s relative IRIs: the one :func:`base_iri` set, or else
    :data:`DEFAULT_BASE` and the file name.

    Example:
        >>> base_iri_for(Path("/home/me/story one.ttl"))
        'https://w3id.org/her-graph/base/story%20one.ttl'
    """
    chosen = _BASE.get()
    if chosen is not None:
        return chosen
    return DEFAULT_BASE + quote(path.name)


def check_readable(path: Path, fmt: RdfFormat | None = None) -> None:
    """Raise :class:`GraphLoadError` unless ``path`` is a readable text file, not empty unless
    ``fmt`` is one where an empty document is a valid empty graph (Turtle, N-Triples, N-Quads,
    TriG).

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
    if not path.is_file():
        # A pipe would block until a writer comes, and could not be read twice (the head
        # here, then the parser): it is refused instead.
        raise GraphLoadError(f"{path}: not a regular file (a pipe, a device or a socket); save "
                             "the RDF to a file and pass that", path=str(path))
    if not os.access(path, os.R_OK):
        raise GraphLoadError(f"{path}: permission denied", path=str(path))
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head.removeprefix(UTF8_BOM).strip():
        if fmt is not None and fmt.name in _EMPTY_IS_VALID:
            return
        raise GraphLoadError(f"{path}: the file is empty; it holds no RDF", path=str(path))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GraphLoadError(f"{path}: this is UTF-16 text; RDF files are UTF-8: save it as "
                             "UTF-8 and load it again", path=str(path))
    if _looks_binary(head):
        raise GraphLoadError(
            f"{path}: this is a binary file, not RDF text; pass a Turtle, N-Triples, JSON-LD or "
            "RDF/XML file",
            path=str(path),
        )


def readable_format(path: Path, format: str | None = None) -> RdfFormat:
    """:func:`check_readable` and :func:`~graph.read.formats.format_for` together: the format
    of a file that can be read, a missing file reported as missing whatever its extension.

    Example:
        >>> import graph
        >>> readable_format(graph.data_dir() / "her.ttl").name
        'turtle'
    """
    fmt = format_for(path, format) if path.is_file() else None
    check_readable(path, fmt)
    return fmt or format_for(path, format)


def describe_syntax_error(path: Path, fmt: RdfFormat, error: SyntaxError) -> GraphLoadError:
    """The one-line :class:`GraphLoadError` for a parser's ``SyntaxError``: file, line, column,
    the reason on one line, and what to do.

    Example:
        >>> from pathlib import Path
        >>> from graph.read.formats import format_for
        >>> error = SyntaxError("Parser error at line 3 column 5: expected '.'")
        >>> error.lineno, error.offset = 3, 5
        >>> path = Path("story.ttl")
        >>> print(describe_syntax_error(path, format_for(path), error))  # doctest: +ELLIPSIS
        story.ttl:3:5: invalid Turtle: expected '.' (fix the file, or pass format= ...
    """
    message = str(error.msg) if error.msg else str(error)
    if _REMOTE_CONTEXT_HINT in message or "remote context URL" in message:
        return _external_context(path)
    line = error.lineno
    where = f"{path}:{line}" if line else str(path)
    if error.offset:
        where += f":{error.offset}"
    # Oxigraph prefixes positions itself ("Parser error at line 3 ..."); keep only the reason,
    # on one line: it may quote a character of the file, such as a line break.
    reason = message.split(": ", 1)[1] if message.startswith("Parser error") else message
    reason = _CONTROL.sub(lambda found: repr(found.group())[1:-1], reason)
    return GraphLoadError(
        f"{where}: invalid {fmt.label}: {reason} (fix the file, or pass format= (--rdf-format) "
        f"if it is not {fmt.label})",
        path=str(path),
        line=line,
    )


_CONTEXT_IRI = re.compile(rb'"@(?:context|import)"\s*:\s*(?:\[\s*)?"([^"\\]{0,500})"')


def _external_context(path: Path) -> GraphLoadError:
    """The error for a JSON-LD ``@context`` given by reference: remote (a web address) or in
    another file (a relative or ``file:`` IRI); her-graph loads neither."""
    with path.open("rb") as handle:
        found = _CONTEXT_IRI.search(handle.read(1 << 20))
    iri = found.group(1).decode("utf-8", "replace") if found else ""
    if iri.lower().startswith(("http:", "https:", "//")):
        what = f"a remote @context ({iri}), which her-graph does not fetch (it works offline)"
    else:
        named = f" ({iri})" if iri else ""
        what = (f"an @context in another file{named}, which her-graph does not read (it reads "
                "only the file it is given)")
    what = _CONTROL.sub(lambda c: repr(c.group())[1:-1], what)
    return GraphLoadError(f"{path}: the JSON-LD refers to {what}; inline the context in the "
                          "file", path=str(path))


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a megabyte at a time.

    Example:
        >>> import graph
        >>> len(file_digest(graph.data_dir() / "her.ttl"))
        64
    """
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _first_line_longer_than(path: Path, limit: int) -> int | None:
    """The number of the first line of ``path`` longer than ``limit`` bytes, if any."""
    line, length = 1, 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            start = 0
            while (end := block.find(b"\n", start)) >= 0:
                if length + end - start > limit:
                    return line
                line, length, start = line + 1, 0, end + 1
            length += len(block) - start
    return line if length > limit else None


def describe_too_long(path: Path, error: MemoryError) -> GraphLoadError:
    """The one-line :class:`GraphLoadError` for a term longer than the parser's buffer, naming
    the first line of ``path`` that is longer than it.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "long.nt"
        >>> _ = path.write_text("<a:s> <a:p> " + '"' + "x" * 40 + '" .\\n')
        >>> error = MemoryError("The buffer maximal size of 32 is exceeded")
        >>> print(describe_too_long(path, error))  # doctest: +ELLIPSIS
        /.../long.nt:1: a single term (a literal or an IRI) is longer than the 0 MiB the ...
    """
    found = _BUFFER_LIMIT.search(str(error))
    limit = int(found.group(1)) if found else 16 << 20
    line = _first_line_longer_than(path, limit)
    where = f"{path}:{line}" if line else str(path)
    return GraphLoadError(
        f"{where}: a single term (a literal or an IRI) is longer than the {limit >> 20} MiB the "
        "parser holds at once; keep texts that long in files of their own and link to them",
        path=str(path), line=line)


def iter_triples(path: Path, fmt: RdfFormat,
                 prefixes: dict[str, str] | None = None) -> Iterator[ox.Quad]:
    """Yield the quads Oxigraph parses from ``path``, translating its errors.

    Once the quads are exhausted, ``prefixes`` (if given) holds the prefixes the file declares.
    An RDF/XML file is checked by :func:`graph.read.xml_guard.check_rdfxml` first, a JSON-LD
    file by :func:`graph.read.json_guard.check_jsonld`. A UTF-8 byte
    order mark, which Windows editors write and the Turtle family's parsers refuse, is skipped.

    Example:
        >>> import graph
        >>> from graph.read.formats import format_for
        >>> path = graph.data_dir() / "her.ttl"
        >>> from rdflib import Dataset, Graph
        >>> sum(1 for _ in iter_triples(path, format_for(path))) == parse_into(Graph(), path)
        True
    """
    if fmt.oxigraph == ox.RdfFormat.RDF_XML:
        check_rdfxml(path)
    elif fmt.oxigraph == ox.RdfFormat.JSON_LD:
        check_jsonld(path)
    try:
        with ExitStack() as stack:
            source: dict[str, object] = {"path": str(path)}
            with path.open("rb") as probe:
                has_bom = probe.read(3) == UTF8_BOM
            if has_bom:
                handle = stack.enter_context(path.open("rb"))
                handle.seek(3)
                source = {"input": handle}
            parser = ox.parse(**source, format=fmt.oxigraph,  # type: ignore[arg-type]
                              base_iri=base_iri_for(path))
            if fmt.oxigraph == ox.RdfFormat.N3:
                yield from _asserted_only(path, parser)
            else:
                yield from parser
            if prefixes is not None:
                prefixes.update(parser.prefixes)
    except SyntaxError as error:
        raise describe_syntax_error(path, fmt, error) from None
    except MemoryError as error:
        raise describe_too_long(path, error) from None
    except UnicodeDecodeError as error:
        raise GraphLoadError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})",
                             path=str(path)) from None
    except (OSError, ValueError) as error:
        raise GraphLoadError(f"{path}: cannot read it as {fmt.label}: {error}",
                             path=str(path)) from None


def _asserted_only(path: Path, quads: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads of an N3 document, refusing a quoted formula (``{ ... }``): Oxigraph gives
    its statements as quads in a graph named by a blank node, and merging them would assert
    what the file only quotes."""
    for quad in quads:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            raise GraphLoadError(
                f"{path}: the N3 file quotes a formula ({{ {quad.subject} {quad.predicate} "
                f"{quad.object} ... }}), which her-graph does not load: a quoted statement is "
                "not a fact of the graph, and RDF has no place for it; remove the formula or "
                "write the graph as Turtle", path=str(path))
        yield quad


def parse_into(graph: Graph, path: str | os.PathLike[str], format: str | None = None) -> int:
    """Parse the RDF file at ``path`` into ``graph``; return how many triples it held.

    Into an :class:`rdflib.Dataset` (what ``graph.load`` uses), the named graphs of a TriG,
    N-Quads or JSON-LD file keep their names: each goes into the dataset's graph of that name
    (a blank node name gets a label like the other blank nodes); into a plain
    :class:`rdflib.Graph`, which has no place for them, they are merged. Blank nodes get labels
    derived from the file's content, so the same file always gives the same graph and two files
    never share a blank node. The prefixes the file declares are bound in ``graph`` (a prefix
    already bound there keeps its namespace).

    Raises:
        GraphLoadError: the file is missing, empty, binary, not valid in its format, or uses a
            remote JSON-LD context.

    Example:
        >>> import graph
        >>> from rdflib import Dataset, Graph
        >>> g = Graph()
        >>> parse_into(g, graph.data_dir() / "her.ttl") == len(g) > 1000
        True
    """
    path = Path(path)
    fmt = readable_format(path, format)
    blank = BlankNodeNamer(file_digest(path))
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
    named: dict[object, Graph] = {}
    keeps_names = isinstance(graph, Dataset)
    default_graph = ox.DefaultGraph
    for quad in iter_triples(path, fmt, declared):
        triple = (convert(quad.subject), convert(quad.predicate), convert(quad.object))
        name = quad.graph_name
        if keeps_names and type(name) is not default_graph:
            target = named.get(name)
            if target is None:
                target = named[name] = cast(Dataset, graph).graph(
                    cast("IdentifiedNode", convert(name)))
            target.add(triple)
        else:
            add(triple)
        count += 1
    # The file's own prefixes, so exports and short names read as the author wrote them; a
    # prefix already bound keeps its namespace.
    for prefix, namespace in sorted(declared.items()):
        if prefix and namespace:
            graph.bind(prefix, namespace, override=False)
    return count


def parse_one_graph(path: str | os.PathLike[str], what: str) -> Graph:
    """The graph in the RDF file at ``path``, for a use with no place for graph names
    (``what``, such as ``"a story file"``): a file with named graphs is refused, never merged.

    Raises:
        GraphLoadError: the file cannot be read (see :func:`parse_into`), or has named graphs.

    Example:
        >>> import pathlib, tempfile
        >>> trig = pathlib.Path(tempfile.mkdtemp()) / "two.trig"
        >>> _ = trig.write_text("<https://e/g> { <https://e/a> <https://e/b> <https://e/c> }")
        >>> parse_one_graph(trig, "a story file")
        Traceback (most recent call last):
            ...
        graph.errors.GraphLoadError: ...
    """
    dataset = Dataset()
    parse_into(dataset, path)
    default = dataset.default_graph.identifier
    named = sorted(str(g.identifier) for g in dataset.graphs()
                   if g.identifier != default and len(g))
    if named:
        shown = ", ".join(f"<{name}>" for name in named[:3])
        more = f" and {len(named) - 3:,} more" if len(named) > 3 else ""
        raise GraphLoadError(
            f"{path}: the file has {len(named):,} named graph{'s' if len(named) != 1 else ''} "
            f"({shown}{more}), and {what} has no place for graph names: load it with "
            "graph.load() instead, or write the one graph you mean as Turtle",
            path=str(path))
    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, override=False)
    for triple in dataset.default_graph:
        graph.add(triple)
    return graph
