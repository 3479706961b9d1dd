"""Compiling a story file (``story.yaml``) into RDF in the her-graph model.

:func:`compile_story` reads the file, checks all of it (keys, ids, references, every quote
against the source text) and raises one :class:`~graph.errors.StoryFileError` listing every
problem with its line, or returns the graph. :func:`write_story_graph` writes it as
deterministic Turtle, atomically. See :mod:`graph.authoring.anchoring` for how positions count.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..atomic import write_atomic
from ..errors import HerGraphError
from ..export import stable_graph
from ..namespaces import PREFIXES
from ..terms import BlankNodeNamer, from_oxigraph
from .anchoring import read_source
from .emit import Emitter, Owner, story_order
from .fields import text, too_long
from .paths import refuse_same_file
from .problems import Problems
from .quotes import anchor_quotes
from .spec import SPDX, default_base, iri_problem
from .story import Story, read_story
from .yamlfile import Mapping, load_yaml


@dataclass
class Compiled:
    """A compiled story: its graph, the checked story, and which entry made each triple.

    Example:
        >>> import pathlib, tempfile
        >>> from graph.authoring import new_story
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = new_story(folder)
        >>> compiled = compile_file(folder / "story.yaml")
        >>> sorted({owner[0] for owners in compiled.owners.values() for owner in owners})[:4]
        ['acts', 'characters', 'concepts', 'events']
    """

    graph: Graph
    story: Story
    owners: dict[tuple[Node, Node, Node], set[Owner]]


def _extra_graph(data: Mapping, problems: Problems) -> tuple[Graph, str]:
    head = data.get("story")
    if not isinstance(head, Mapping):
        head = Mapping()
    # The base read_story takes (whose problems it reports): `title: 1984` is "1984" there too.
    base = text(head, "base", Problems(""))
    if base is None or iri_problem(base) is not None:
        base = default_base(text(head, "title", Problems("")) or "Untitled story")
    extra = Graph(bind_namespaces="none")
    turtle = data.get("extra_turtle")
    if isinstance(turtle, str) and turtle.strip():
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
        header += f"@prefix : <{base}> .\n"
        document = (header + turtle).encode("utf-8")
        blank = BlankNodeNamer(hashlib.sha256(document).hexdigest())
        try:
            # Oxigraph, as the loader reads graph files: what compiles here loads there.
            for quad in ox.parse(input=document, format=ox.RdfFormat.TURTLE, base_iri=base):
                triple = (from_oxigraph(quad.subject, blank), from_oxigraph(quad.predicate, blank),
                          from_oxigraph(quad.object, blank))
                extra.add(triple)
        except SyntaxError as error:
            line, reason = _turtle_error(data, error, header.count("\n"))
            problems.add(line, f"`extra_turtle:` is not valid Turtle: {reason}")
        except ValueError as error:  # a term rdflib has no place for (a triple term)
            problems.add(data.key_line("extra_turtle"),
                         f"`extra_turtle:` holds what her-graph does not load: {error}")
        for literal in extra.objects():
            size = too_long(str(literal)) if isinstance(literal, Literal) else None
            if size is not None:
                problems.add(data.key_line("extra_turtle"), f"a text of `extra_turtle:` {size}")
                break
    return extra, base


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _turtle_error(data: Mapping, error: SyntaxError, header_lines: int) -> tuple[int, str]:
    """The story file's line of a Turtle error in ``extra_turtle:``, and the reason, on one
    line: the lines of a literal block (``extra_turtle: |``) are those of the Turtle."""
    message = str(error.msg or error)
    reason = message.split(": ", 1)[1] if message.startswith("Parser error") else message
    reason = _CONTROL.sub(lambda found: repr(found.group())[1:-1], " ".join(reason.split()))
    turtle_line = (error.lineno or 1) - header_lines
    node = data.scalars.get("extra_turtle") if hasattr(data, "scalars") else None
    if node is not None and node.style == "|" and turtle_line >= 1:
        return node.start_mark.line + 1 + turtle_line, reason
    if node is not None and turtle_line == 1 and node.start_mark.line == node.end_mark.line:
        return node.start_mark.line + 1, reason
    return data.key_line("extra_turtle"), f"{reason} (line {max(turtle_line, 1)} of the Turtle)"


def compile_file(path: str | os.PathLike[str], *, source: str | os.PathLike[str] | None = None,
                 anchor: bool = True) -> Compiled:
    """Like :func:`compile_story`, with the owner of each triple (for the decompiler).

    With ``anchor=False`` the source text is not read: each quote is evidence with its exact
    words only (no prefix, suffix, positions or checksum).

    Example:
        >>> import pathlib, tempfile
        >>> from graph.authoring import new_story
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = new_story(folder)
        >>> compile_file(folder / "story.yaml").story.title
        'The Lamp and the Lake'
    """
    path = Path(path)
    if not path.is_file():
        raise HerGraphError(f"{path}: no such story file")
    problems = Problems(str(path))
    data = load_yaml(path, problems)
    if not data:
        problems.raise_if_any()  # a file that is not YAML has nothing more to check
    extra, base = _extra_graph(data, problems)
    extra_ids = {str(s)[len(base):] for s in extra.subjects() if isinstance(s, URIRef)
                 and str(s).startswith(base)}
    story = read_story(data, path, problems, extra_ids=extra_ids)
    sha256, quotes = "", {}
    source_path = Path(source) if source is not None else None
    if source_path is None and isinstance(story.source.get("path"), str):
        source_path = path.parent / story.source["path"]
    if not anchor:
        quotes = anchor_quotes(story, None, problems)
    elif source_path is not None:
        try:
            text = read_source(source_path)
        except HerGraphError as error:
            problems.add(story.source.key_line("path"), str(error))
        else:
            sha256 = text.sha256
            quotes = anchor_quotes(story, text.text, problems)
    story_order(story, problems)
    problems.raise_if_any()
    emitter = Emitter(story, quotes, sha256)
    graph = emitter.emit()
    for triple in extra:
        graph.add(triple)
        emitter.owners.setdefault(triple, set()).add(("extra",))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("spdx", str(SPDX))
    if not any(base == ns for ns in PREFIXES.values()):
        graph.bind("story", base)
    return Compiled(graph, story, emitter.owners)


def compile_story(path: str | os.PathLike[str], *,
                  source: str | os.PathLike[str] | None = None) -> Graph:
    """Compile a story file into an rdflib Graph in the her-graph model.

    Every quote becomes evidence with W3C Web Annotation selectors into the source text: an
    ``oa:TextQuoteSelector`` (exact, prefix, suffix) refined by an ``oa:TextPositionSelector``
    (start, end, in code points of the text as read), and the source gets the SHA-256 of its
    bytes (``spdx:checksum``).

    Args:
        path: the story file.
        source: the source text, if not the ``source: path:`` of the file (relative to it).

    Raises:
        StoryFileError: listing every problem of the file, each with its line.

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "source.txt").write_text("Ada first met Orin by the lake.")
        >>> _ = (folder / "story.yaml").write_text(
        ...     "story: {title: Lake}\\nsource: {path: source.txt}\\n"
        ...     "characters:\\n  - {id: ada, name: Ada, kind: human}\\n"
        ...     "  - {id: orin, name: Orin, kind: ai}\\n"
        ...     "events:\\n  - {id: meeting, label: Ada meets Orin, participants: [ada, orin],"
        ...     " quote: first met Orin}\\n")
        >>> graph = compile_story(folder / "story.yaml")
        >>> sorted(int(o) for o in graph.objects(None, URIRef("http://www.w3.org/ns/oa#start")))
        [4]
    """
    return compile_file(path, source=source).graph


def story_turtle(graph: Graph) -> str:
    """Deterministic Turtle of a story graph: sorted, no blank nodes, prefixes bound.

    Example:
        >>> from rdflib import Graph, URIRef, Literal
        >>> g = Graph()
        >>> _ = g.add((URIRef("https://example.org/a"), URIRef("https://schema.org/name"),
        ...            Literal("A")))
        >>> print(story_turtle(g).strip().splitlines()[-2])
            schema:name "A" ;
    """
    stable = stable_graph(graph)
    for prefix, namespace in graph.namespaces():
        if prefix in ("story", "spdx"):
            stable.bind(prefix, namespace, override=True)
    return stable.serialize(format="longturtle")


def write_story_graph(path: str | os.PathLike[str], output: str | os.PathLike[str] | None = None,
                      *, source: str | os.PathLike[str] | None = None) -> Path:
    """Compile ``path`` and write its Turtle to ``output`` (default: beside it, ``.ttl``).

    Nothing is written when the story file has problems: the error lists them all.

    Raises:
        StoryFileError: listing every problem of the file.
        UsageError: the output is the story file or its source text (nothing is written).

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "source.txt").write_text("Ada sat alone on the shore.")
        >>> _ = (folder / "story.yaml").write_text(
        ...     "story: {title: Shore}\\nsource: {path: source.txt}\\n"
        ...     "characters:\\n  - {id: ada, name: Ada, kind: human, quote: alone}\\n")
        >>> write_story_graph(folder / "story.yaml").name
        'story.ttl'
    """
    path = Path(path)
    target = Path(output) if output is not None else path.with_suffix(".ttl")
    hint = ("give another output file with -o" if output is not None else
            "by default the graph goes beside the story file, with .ttl; name another file with -o")
    source_path = Path(source) if source is not None else None
    refuse_same_file(target, {"the story file": path, "the source text": source_path}, hint)
    compiled = compile_file(path, source=source)
    named = compiled.story.source.get("path")
    if source_path is None and isinstance(named, str):
        refuse_same_file(target, {"the source text": path.parent / named}, hint)
    return write_atomic(target, story_turtle(compiled.graph).encode("utf-8"))
