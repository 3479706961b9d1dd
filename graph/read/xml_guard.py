"""A check of RDF/XML files before they are parsed: no entity bombs, no fetching, no deep nesting.

An XML document can declare entities in its ``<!DOCTYPE>``. Three kinds of declaration turn a
small file into an attack on whoever loads it:

- entities defined through other entities (the "billion laughs"): ten levels of ten references
  expand a one-kilobyte file to gigabytes, and Oxigraph's RDF/XML parser expands them all (a
  1 kB file took 7 GB of memory here before it was stopped);
- external entities (``SYSTEM "file:///etc/passwd"`` or ``"http://..."``), which a parser
  that resolves them would read from disk or fetch from the network;
- parameter entities (``<!ENTITY % ...>``), the building block of external DTD tricks.

Separately, Oxigraph's RDF/XML parser takes time quadratic in the depth of element nesting (a
200,000-deep file of a few megabytes would parse for hours), in the number of attributes of an
element and in the number of namespace declarations (see :data:`MAX_ATTRIBUTES`,
:data:`MAX_NAMESPACES`). :func:`check_rdfxml` reads the
file once with the standard library's expat parser, which never fetches anything, and refuses
each of these with a :class:`~graph.errors.GraphLoadError` naming the file and line, before
Oxigraph sees it. Plain entities, such as the ``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``
that ontology editors write, are fine.

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bomb.rdf"
    >>> _ = path.write_text('''<?xml version="1.0"?>
    ... <!DOCTYPE r [ <!ENTITY a "haha"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
    ...   <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"> ]>
    ... <r>&c;</r>''')
    >>> check_rdfxml(path, max_entity_size=100)
    Traceback (most recent call last):
    ...
    graph.errors.GraphLoadError: .../bomb.rdf:3: the entity &c; expands to ... characters ...
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.parsers import expat

from ..errors import GraphLoadError

#: The deepest element nesting accepted (RDF/XML written by tools rarely nests past 20).
MAX_DEPTH = 1_000
#: The most attributes one element may carry (Oxigraph's time grows with their square: one
#: element with 400,000 attributes, 7.8 MB, took 162 s).
MAX_ATTRIBUTES = 10_000
#: The most namespace declarations (``xmlns``) a document may hold (100,000 took 22 s).
MAX_NAMESPACES = 10_000
#: The most characters one entity may expand to.
MAX_ENTITY_SIZE = 1 << 20
#: The most characters all entity references of a document may expand to, together.
MAX_EXPANSION = 32 << 20

_REFERENCE = re.compile(r"&([^\s&;#]+);")
_BLOCK = 1 << 20


class _Refused(Exception):
    """Raised inside the expat callbacks to stop parsing; carries the message."""


class _Checker:
    def __init__(self, path: Path, max_depth: int, max_entity_size: int, max_expansion: int):
        self.path = path
        self.max_depth = max_depth
        self.max_entity_size = max_entity_size
        self.max_expansion = max_expansion
        self.entities: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.depth = 0
        self.expanded = 0
        self.namespaces = 0
        self.parser = expat.ParserCreate()
        parser = self.parser
        # Never read a DTD or entity from outside the file, whatever it declares.
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.EntityDeclHandler = self.entity
        parser.EndDoctypeDeclHandler = self.end_doctype
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        # With a default handler set, references to internal entities in text are reported
        # here instead of being expanded, so their cost can be counted before anything grows.
        parser.DefaultHandler = self.default
        parser.CharacterDataHandler = None

    def refuse(self, reason: str) -> _Refused:
        line = self.parser.CurrentLineNumber
        return _Refused(f"{self.path}:{line}: {reason}")

    def entity(self, name: str, is_parameter: bool, value: str | None, _base: str | None,
               system_id: str | None, public_id: str | None, _notation: str | None) -> None:
        if is_parameter:
            raise self.refuse(f"the DOCTYPE declares the parameter entity %{name};, which "
                              "her-graph does not read; remove the DOCTYPE's entity "
                              "declarations or write the graph as Turtle")
        if value is None:
            target = system_id or public_id or "an outside resource"
            raise self.refuse(f"the DOCTYPE declares the external entity &{name}; "
                              f"({target!s}), which her-graph never reads or fetches (it works "
                              "offline and reads only the file it is given); put the text in "
                              "the file itself")
        self.entities[name] = value

    def size(self, name: str, seen: tuple[str, ...] = ()) -> int:
        """How many characters ``&name;`` expands to, following references inside it."""
        known = self.sizes.get(name)
        if known is not None:
            return known
        if name in seen:
            raise self.refuse(f"the entity &{name}; refers to itself "
                              f"({' -> '.join(f'&{n};' for n in (*seen, name))})")
        value = self.entities.get(name)
        if value is None:  # a predefined (&amp;) or undeclared entity: expat decides
            return 1
        total = len(_REFERENCE.sub("", value))
        for reference in _REFERENCE.findall(value):
            total += self.size(reference, (*seen, name))
            if total > self.max_entity_size:
                break
        if total > self.max_entity_size:
            raise self.refuse(
                f"the entity &{name}; expands to {total:,} characters or more (the limit is "
                f"{self.max_entity_size:,}): entities built from other entities are how an "
                "'entity expansion' (billion laughs) attack works, and her-graph refuses them; "
                "write the text out in the file instead")
        self.sizes[name] = total
        return total

    def end_doctype(self) -> None:
        for name in self.entities:
            self.size(name)

    def start(self, _name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise self.refuse(
                f"elements are nested more than {self.max_depth:,} deep, which her-graph "
                "refuses (RDF/XML parsing slows down with the square of the depth); write "
                "the graph as Turtle or N-Triples")
        if len(attributes) > MAX_ATTRIBUTES:
            raise self.refuse(
                f"an element carries {len(attributes):,} attributes (the limit is "
                f"{MAX_ATTRIBUTES:,}), which her-graph refuses (RDF/XML parsing slows down with "
                "their square); write the graph as Turtle or N-Triples")
        self.namespaces += sum(1 for name in attributes if name.startswith("xmlns"))
        if self.namespaces > MAX_NAMESPACES:
            raise self.refuse(
                f"the document declares more than {MAX_NAMESPACES:,} namespaces (xmlns), which "
                "her-graph refuses (RDF/XML parsing slows down with their square); write the "
                "graph as Turtle or N-Triples")
        if self.entities:  # attribute values arrive expanded: count what they cost
            self.count(sum(len(value) for value in attributes.values()))

    def end(self, _name: str) -> None:
        self.depth -= 1

    def default(self, text: str) -> None:
        if len(text) > 2 and text[0] == "&" and text[-1] == ";":
            self.count(self.size(text[1:-1]))

    def count(self, characters: int) -> None:
        self.expanded += characters
        if self.expanded > self.max_expansion:
            raise self.refuse(
                f"its entity references expand to more than {self.max_expansion:,} "
                "characters in all, which her-graph refuses (an entity expansion attack); "
                "write the text out in the file instead")

    def run(self) -> None:
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(_BLOCK), b""):
                self.parser.Parse(block, False)
            self.parser.Parse(b"", True)


def check_rdfxml(path: str | Path, *, max_depth: int = MAX_DEPTH,
                 max_entity_size: int = MAX_ENTITY_SIZE,
                 max_expansion: int = MAX_EXPANSION) -> None:
    """Refuse an RDF/XML file that declares external or parameter entities, whose entities
    expand beyond the limits, whose elements nest deeper than ``max_depth``, or that holds
    more attributes on one element or more namespace declarations than the parser handles in
    reasonable time (:data:`MAX_ATTRIBUTES`, :data:`MAX_NAMESPACES`).

    Raises:
        GraphLoadError: the file is refused, or is not well-formed XML; the message names the
            file, the line and why.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "secret.rdf"
        >>> entity = '<!ENTITY x SYSTEM "file:///etc/passwd">'
        >>> _ = path.write_text(f'<!DOCTYPE r [ {entity} ]><r>&x;</r>')
        >>> check_rdfxml(path)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        graph.errors.GraphLoadError: .../secret.rdf:1: ...
    """
    path = Path(path)
    checker = _Checker(path, max_depth, max_entity_size, max_expansion)
    try:
        checker.run()
    except _Refused as refused:
        raise GraphLoadError(f"{refused}", path=str(path),
                             line=checker.parser.CurrentLineNumber) from None
    except expat.ExpatError as error:
        # Not XML at all, so not RDF/XML: expat's reason is as precise as Oxigraph's, and
        # stopping here means no part of the file goes unchecked.
        raise GraphLoadError(
            f"{path}:{error.lineno}:{error.offset + 1}: invalid RDF/XML: not well-formed XML "
            f"({expat.ErrorString(error.code)}) (fix the file, or pass format= (--rdf-format) if "
            "it is not RDF/XML)", path=str(path), line=error.lineno) from None
