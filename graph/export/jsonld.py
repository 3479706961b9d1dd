"""JSON-LD that reads well: a local context with prefixes and short property names.

rdflib's JSON-LD serializer drops the properties of a blank node that is referenced through a
term with ``"@type": "@id"`` (seen with rdflib 7.6), so the document is built here, in flattened
form: one node object per subject in ``@graph``, sorted. The context is derived from the data:

- every bound prefix whose namespace ends in ``/``, ``#`` or ``:`` (so JSON-LD 1.1 processors
  accept it as a prefix), and no prefix or term that is also the scheme of an IRI in the
  graph (``urn``, ``mailto``, ...);
- a short term for each property whose local name is unique in the graph (``"name"`` for
  ``schema:name``), with ``"@type": "@id"`` when all its values are resources and
  ``"@language"`` when all its values share one language, so most values are plain strings;
- integers and booleans in canonical form become JSON numbers and booleans.

The context is inline: reading the document never fetches anything. Read back, the document
gives a graph isomorphic to the source.

Example:
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''
    ...     @prefix ex: <http://example.org/> .
    ...     ex:amy ex:name "Amy" ; ex:knows ex:theo ; ex:age 32 .''', format="turtle")
    >>> document = jsonld_document(g, {"ex": "http://example.org/"})
    >>> document["@graph"]
    [{'@id': 'ex:amy', 'age': 32, 'knows': 'ex:theo', 'name': 'Amy'}]
    >>> document["@context"]["knows"]
    {'@id': 'ex:knows', '@type': '@id'}
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring
from typing import Any, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

_GEN_DELIMS = ("/", "#", ":", "?", "[", "]", "@")
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_TERM = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_INTEGER = re.compile(r"^-?(0|[1-9][0-9]*)$")
# Beyond 2**53 a JSON number loses precision in many readers: such integers stay strings.
_MAX_NATIVE = 2**53
# Names that read as JSON-LD keywords or as the node's own id/type: never used as terms.
_RESERVED = {"id", "type", "graph", "context", "value", "language", "base", "vocab"}
_RDF_TYPE, _XSD_STRING, _XSD_INTEGER, _XSD_BOOLEAN = RDF.type, XSD.string, XSD.integer, XSD.boolean
Triple = tuple[Node, Node, Node]


def _local_name(iri: str) -> str:
    for separator in ("#", "/", ":"):
        if separator in iri:
            return iri.rsplit(separator, 1)[1]
    return ""


class _Compactor:
    """Turns IRIs into compact IRIs (``her:Theodore``) with the usable prefixes."""

    def __init__(self, prefixes: Mapping[str, str], schemes: set[str]):
        self.prefixes = {
            prefix: namespace for prefix, namespace in sorted(prefixes.items())
            if prefix and _TERM.match(prefix) and prefix not in schemes
            and prefix not in _RESERVED and namespace.endswith(_GEN_DELIMS)
        }
        # The longest namespace first (so the most specific prefix wins), the first prefix by
        # name among those of one namespace; one dict probe per namespace length.
        self._by_text: dict[str, str] = {}
        for prefix, namespace in sorted(self.prefixes.items()):
            self._by_text.setdefault(namespace, prefix)
        self._lengths = sorted({len(ns) for ns in self._by_text}, reverse=True)
        self._known: dict[str, str] = {}
        self.used: set[str] = set()

    def __call__(self, iri: str) -> str:
        known = self._known.get(iri)
        if known is None:
            known = self._known[iri] = self._compact(iri)
        return known

    def _compact(self, iri: str) -> str:
        for length in self._lengths:
            prefix = self._by_text.get(iri[:length])
            if prefix is not None and _SAFE_LOCAL.fullmatch(iri, length):
                self.used.add(prefix)
                return f"{prefix}:{iri[length:]}"
        return iri


def _node_id(term: Node, compact: _Compactor) -> str:
    return f"_:{term}" if isinstance(term, BNode) else compact(str(term))


def _term_definitions(graph: Iterable[Triple], compact: _Compactor,
                      schemes: set[str]) -> dict[URIRef, tuple[str, dict[str, Any]]]:
    """Property -> (key used in node objects, its context entry or {} for none)."""
    objects: dict[URIRef, list[Any]] = defaultdict(list)
    for _s, p, o in graph:
        if p == _RDF_TYPE and not isinstance(o, Literal | BNode):
            continue
        objects[cast(URIRef, p)].append(o)
    by_local: dict[str, list[URIRef]] = defaultdict(list)
    for predicate in objects:
        by_local[_local_name(str(predicate))].append(predicate)
    # A term that is also an IRI scheme would turn "scheme:rest" values into compact IRIs.
    taken = set(compact.prefixes) | _RESERVED | schemes
    definitions: dict[URIRef, tuple[str, dict[str, Any]]] = {}
    for predicate in sorted(objects):
        values = objects[predicate]
        local = _local_name(str(predicate))
        expanded = compact(str(predicate))
        if not (_TERM.match(local) and len(by_local[local]) == 1 and local not in taken):
            definitions[predicate] = (expanded, {})
            continue
        entry: dict[str, str | None] = {"@id": expanded}
        if all(isinstance(v, URIRef | BNode) for v in values):
            entry["@type"] = "@id"
        else:
            languages = {v.language if isinstance(v, Literal) else None for v in values}
            if len(languages) == 1 and None not in languages:
                entry["@language"] = next(iter(languages))
        definitions[predicate] = (local, entry)
    return definitions


def _value(term: Any, entry: dict, compact: _Compactor) -> Any:
    if isinstance(term, URIRef | BNode):
        reference = _node_id(term, compact)
        return reference if entry.get("@type") == "@id" else {"@id": reference}
    literal: Literal = term
    text = str(literal)
    if literal.language is not None:
        if entry.get("@language") == literal.language:
            return text
        return {"@language": literal.language, "@value": text}
    if "@language" in entry:
        # A plain string under a term with a default language needs a value object.
        value: dict[str, Any] = {"@value": text}
        if literal.datatype is not None and literal.datatype != _XSD_STRING:
            value["@type"] = compact(str(literal.datatype))
        return value
    datatype = literal.datatype
    if datatype is None:
        return text
    if datatype == _XSD_INTEGER and _INTEGER.match(text) and abs(int(text)) < _MAX_NATIVE:
        return int(text)
    if datatype == _XSD_BOOLEAN and text in ("true", "false"):
        return text == "true"
    return {"@type": compact(str(datatype)), "@value": text}


def jsonld_document(graph: Graph | Iterable[Triple],
                    prefixes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON-LD document (a dict) of ``graph``, with a readable inline context.

    Args:
        graph: the triples (an rdflib graph or any iterable of triples); blank node labels are
            kept as they are (canonicalise them first, e.g. with
            :func:`graph.export.registry.canonical_triples`, for output that does not depend
            on how the graph was parsed).
        prefixes: prefix -> namespace to use; by default the prefixes bound in ``graph`` (none
            for triples that are not an rdflib graph).

    Returns:
        ``{"@context": {...}, "@graph": [...]}`` with nodes sorted by ``@id``, keys sorted, and
        the values of each property sorted.

    Example:
        >>> import graph
        >>> document = jsonld_document(graph.load().rdf)
        >>> sorted(document)
        ['@context', '@graph']
    """
    if prefixes is None:
        prefixes = ({prefix: str(namespace) for prefix, namespace in graph.namespaces()}
                    if isinstance(graph, Graph) else {})
    triples = graph if isinstance(graph, list) else list(graph)
    heads = set()
    for triple in triples:
        for term in triple:
            if isinstance(term, URIRef):
                heads.add(term[:term.find(":") + 1])
    schemes = {head[:-1] for head in heads if _SCHEME.match(head)}
    compact = _Compactor({p: str(ns) for p, ns in prefixes.items()}, schemes)
    definitions = _term_definitions(triples, compact, schemes)

    nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        node = nodes[_node_id(s, compact)]
        if p == _RDF_TYPE and isinstance(o, URIRef):
            node["@type"].append(compact(str(o)))
            continue
        key, entry = definitions[cast(URIRef, p)]
        node[key].append(_value(o, entry, compact))

    ordered_nodes = []
    for node_id in sorted(nodes):
        properties = nodes[node_id]
        node_object: dict[str, Any] = {"@id": node_id}
        for key in sorted(properties, key=lambda k: (k != "@type", k)):
            values = properties[key]
            if len(values) == 1:
                node_object[key] = values[0]
            else:
                node_object[key] = sorted(values, key=_sort_key)
        ordered_nodes.append(node_object)

    # Prefixes first, then the terms, each group sorted.
    context: dict[str, Any] = {p: compact.prefixes[p] for p in sorted(compact.used)}
    for key, entry in sorted(definitions.values(), key=lambda item: item[0]):
        if entry:
            context[key] = entry["@id"] if len(entry) == 1 else entry
    return {"@context": context, "@graph": ordered_nodes}


def _sort_key(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)  # what json.dumps gives, without its overhead
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _json(value: Any, indent: str, out: list[str]) -> None:
    """Append to ``out`` what ``json.dumps(value, indent=2, ensure_ascii=False)`` writes at
    the nesting ``indent``: the same bytes, with the C string encoder for every string (the
    indenting encoder of the standard library is pure Python)."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        out.append("{")
        separator = "\n" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(encode_basestring(key))
            out.append(": ")
            _json(item, inner, out)
            separator = ",\n" + inner
        out.append("\n" + indent + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        out.append("[")
        separator = "\n" + inner
        for item in value:
            out.append(separator)
            _json(item, inner, out)
            separator = ",\n" + inner
        out.append("\n" + indent + "]")
    else:  # int, bool (the document holds no floats and no None)
        out.append(json.dumps(value))


def jsonld_bytes(graph: Graph | Iterable[Triple], prefixes: Mapping[str, str] | None = None
                 ) -> bytes:
    """:func:`jsonld_document` as UTF-8 JSON, indented, ending with a newline.

    Example:
        >>> import graph, json
        >>> document = json.loads(jsonld_bytes(graph.load().rdf))
        >>> document["@context"]["her"]
        'https://w3id.org/her-graph/her/'
    """
    out: list[str] = []
    _json(jsonld_document(graph, prefixes), "", out)
    out.append("\n")
    return "".join(out).encode("utf-8")
