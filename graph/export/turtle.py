"""Turtle written in one pass over the triples: sorted, stable prefixes, blank nodes nested.

rdflib's ``longturtle`` writer asks its store for every subject's properties, computes a
prefixed name per term through rdflib's namespace manager and recurses per node: 5 s for
100k triples, where this writer takes a few tenths. The layout keeps longturtle's
one-statement-per-line shape, which diffs well:

- ``PREFIX`` lines for the prefixes used, sorted by name;
- subjects in the order of their IRI text, then the blank nodes that are not written inside
  another node (``_:b0``, ...), each followed by its properties one per line (``a`` first, then
  by predicate IRI), values sorted, and a line with ``.``;
- a blank node that is the value of exactly one triple is written there as ``[ ... ]`` (a
  well-formed list as ``( ... )``);
- literals in the short forms Turtle allows where the text already is one (``3``, ``2.5``,
  ``true``), otherwise quoted, with control characters escaped so that ``cat`` shows them
  harmlessly.

Blank node labels are what the caller gives: canonical ones (see
:mod:`graph.export.canonical`) make the bytes independent of how the graph was parsed.

Example:
    >>> from rdflib import BNode, Literal, URIRef
    >>> e = "https://e/"
    >>> b = BNode("b0")
    >>> print(turtle_text([(URIRef(e + "a"), URIRef(e + "p"), b),
    ...                    (b, URIRef(e + "q"), Literal(3))], {"ex": e}), end="")
    PREFIX ex: <https://e/>
    <BLANKLINE>
    ex:a
        ex:p [
            ex:q 3 ;
        ] ;
    .
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

# Each pattern is used with fullmatch (a "$" would also match before a final newline).
_PN_PREFIX = re.compile(r"([A-Za-z]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")
# A conservative PN_LOCAL: ASCII name characters, no leading '-' or '.', no trailing '.'.
_PN_LOCAL = re.compile(r"([A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STRING_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f]')
_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BARE = {
    str(XSD.integer): re.compile(r"[+-]?[0-9]+"),
    str(XSD.decimal): re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    str(XSD.double): re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    str(XSD.boolean): re.compile(r"true|false"),
}
_RDF_TYPE, _FIRST, _REST, _NIL = RDF.type, RDF.first, RDF.rest, RDF.nil
_INDENT = "    "


# Whether a term's class is a blank node's, by class: isinstance on rdflib's terms goes through
# ABCMeta, a third of this writer's time when asked for every term.
_BLANK_CLASSES: dict[type, bool] = {URIRef: False, Literal: False, BNode: True}


def _is_blank(term: Node) -> bool:
    blank = _BLANK_CLASSES.get(type(term))
    if blank is None:
        blank = _BLANK_CLASSES[type(term)] = isinstance(term, BNode)
    return blank


def _escape_string(text: str) -> str:
    return _STRING_ESCAPE.sub(
        lambda found: _SHORT_ESCAPES.get(found.group(), f"\\u{ord(found.group()):04X}"), text)


def _escape_iri(text: str) -> str:
    return _IRI_ESCAPE.sub(lambda found: f"\\u{ord(found.group()):04X}", text)


class _Names:
    """Writes terms, with the longest bound namespace that leaves a valid local name."""

    def __init__(self, prefixes: Mapping[str, str]):
        self.by_namespace: dict[str, str] = {}
        for prefix, namespace in sorted(prefixes.items()):
            if _PN_PREFIX.fullmatch(prefix) and namespace not in self.by_namespace:
                self.by_namespace[namespace] = prefix
        self.lengths = sorted({len(ns) for ns in self.by_namespace}, reverse=True)
        self.used: set[str] = set()
        self.known: dict[Node, str] = {}

    def iri(self, text: str, mark: bool = True) -> str:
        for length in self.lengths:
            prefix = self.by_namespace.get(text[:length])
            if prefix is not None and _PN_LOCAL.fullmatch(text, length):
                if mark:
                    self.used.add(prefix)
                return f"{prefix}:{text[length:]}"
        return f"<{_escape_iri(text)}>"

    def literal(self, term: Literal) -> str:
        text = str(term)
        if term.language is not None:
            return f'"{_escape_string(text)}"@{term.language}'
        datatype = term.datatype
        if datatype is None:
            return f'"{_escape_string(text)}"'
        bare = _BARE.get(str(datatype))
        if bare is not None and bare.fullmatch(text):
            return text
        return f'"{_escape_string(text)}"^^{self.iri(str(datatype))}'

    def __call__(self, term: Node) -> str:
        known = self.known.get(term)
        if known is None:
            if isinstance(term, URIRef):
                known = "a" if term == _RDF_TYPE else self.iri(str(term))
            elif isinstance(term, Literal):
                known = self.literal(term)
            else:
                known = f"_:{term}"
            self.known[term] = known
        return known


def turtle_text(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> str:
    """Turtle of ``triples`` (see the module documentation for the layout).

    Args:
        triples: the triples; blank node labels are written as given (``_:label``) where a
            node is not nested.
        prefixes: prefix -> namespace that may be used; only those used are declared.

    Example:
        >>> from rdflib import Literal, URIRef
        >>> e = "https://e/"
        >>> text = turtle_text([(URIRef(e + "a"), URIRef(e + "name"), Literal("A", lang="en")),
        ...                     (URIRef(e + "a"), URIRef(e + "name"), Literal("Ä", lang="de"))],
        ...                    {"ex": e, "unused": "https://u/"})
        >>> print(text, end="")
        PREFIX ex: <https://e/>
        <BLANKLINE>
        ex:a
            ex:name
                "A"@en ,
                "Ä"@de ;
        .
    """
    names = _Names(prefixes)
    outgoing: dict[Node, list[tuple[str, Node]]] = defaultdict(list)
    references: dict[Node, int] = defaultdict(int)
    for s, p, o in triples:
        outgoing[s].append((names(p), o))
        if _is_blank(o):
            references[o] += 1
    inline = {node for node, count in references.items() if count == 1}
    # How rdf:first and rdf:rest are written, without declaring rdf: if no list is written.
    first, rest = names.iri(str(_FIRST), mark=False), names.iri(str(_REST), mark=False)
    written: set[Node] = set()

    def list_items(node: Node) -> list[tuple[Node, Node]] | None:
        """[(list node, element), ...] when ``node`` starts a well-formed nested list."""
        items: list[tuple[Node, Node]] = []
        while node != _NIL:
            properties = outgoing.get(node, ())
            if (not _is_blank(node) or len(properties) != 2 or node in written
                    or node not in inline or any(node is n for n, _ in items)):
                return None
            by = dict(properties)
            if first not in by or rest not in by:
                return None
            items.append((node, by[first]))
            node = by[rest]
        return items

    def value(node: Node, indent: str) -> str:
        """The text of ``node`` as an object, over several lines for a nested node."""
        if not _is_blank(node):
            return names(node)
        if node not in inline or node in written:
            return f"_:{node}"
        items = list_items(node)
        if items is not None:
            written.update(n for n, _ in items)
            inner = indent + _INDENT
            return "(\n" + "".join(f"{inner}{value(e, inner)}\n" for _, e in items) + indent + ")"
        written.add(node)
        properties = outgoing.get(node)
        if not properties:
            return "[]"
        return "[\n" + "\n".join(predicate_list(properties, indent + _INDENT)) + f"\n{indent}]"

    def predicate_list(properties: list[tuple[str, Node]], indent: str) -> list[str]:
        by_predicate: dict[str, list[Node]] = defaultdict(list)
        for predicate, obj in properties:
            by_predicate[predicate].append(obj)
        out = []
        inner = indent + _INDENT
        for predicate in sorted(by_predicate, key=lambda p: (p != "a", p)):
            objects = by_predicate[predicate]
            if len(objects) == 1:
                out.append(f"{indent}{predicate} {value(objects[0], indent)} ;")
                continue
            objects.sort(key=object_key)
            out.append(f"{indent}{predicate}")
            out.extend(f"{inner}{value(obj, inner)} ," for obj in objects)
            out[-1] = out[-1][:-2] + " ;"
        return out

    def object_key(node: Node) -> str:
        return f"_:{node}" if _is_blank(node) else names(node)

    lines: list[str] = []

    def block(subject: Node, label: str) -> None:
        written.add(subject)
        lines.append("")
        lines.append(label)
        lines.extend(predicate_list(outgoing[subject], _INDENT))
        lines.append(".")

    for subject in sorted((s for s in outgoing if not _is_blank(s)), key=str):
        block(subject, names(subject))
    # Blank nodes not nested in one value: by label, each nesting what it holds; then any
    # left (nested ones in a cycle, which no one else reaches).
    blanks = sorted((s for s in outgoing if _is_blank(s)), key=str)
    for subject in blanks:
        if subject not in inline:
            block(subject, f"_:{subject}")
    for subject in blanks:
        if subject not in written:
            block(subject, f"_:{subject}")
    header = [f"PREFIX {prefix}: <{_escape_iri(ns)}>" for ns, prefix in
              sorted(names.by_namespace.items(), key=lambda item: item[1])
              if prefix in names.used]
    return "\n".join(header + lines) + "\n"
