"""The story as a network of resources, for Gephi, Cytoscape and spreadsheets: GraphML, GEXF, CSV.

:func:`resource_graph` turns an RDF graph into a :class:`networkx.MultiDiGraph`:

- a node for every resource (IRI or blank node) that is the subject of a triple or the object
  of one other than ``rdf:type``, keyed by its IRI (``"_:label"`` for a blank node), with the
  attributes ``label`` (its name, label or quote), ``type`` (a category such as
  ``"human_character"``, see :data:`graph.views.labels.NODE_TYPES`), ``classes`` (its
  ``rdf:type`` classes as prefixed names, comma-separated), ``iri`` (the prefixed name, or the
  full IRI when no prefix covers it), ``description`` (its description, definition or comment)
  and, for events, ``position`` (the story position, an integer); ``classes`` and
  ``description`` are absent when there is none;
- an edge for every triple between two resources except ``rdf:type`` (types are node
  attributes), with ``label`` (the predicate's local name, such as ``"wasInfluencedBy"``) and
  ``predicate`` (its prefixed name).

In GraphML the nodes are ``n0``, ``n1``, ... with the full IRI as a ``uri`` attribute, since
the GraphML schema allows only XML name tokens as node ids; GEXF and CSV use the IRIs as ids.

Vocabulary definitions (OWL classes and properties, the ontology header, SHACL shapes) are left
out: they describe the vocabulary, not the story. Every attribute is a string or an integer, never
a list, so Gephi and Cytoscape read them as columns. Nodes and edges are added in sorted order,
so the files are byte-for-byte the same for the same graph.

Example:
    >>> from rdflib import Graph
    >>> g = resource_graph(Graph().parse(data='''
    ...     @prefix schema: <https://schema.org/> .
    ...     @prefix ex: <http://example.org/> .
    ...     ex:amy a schema:Person ; schema:name "Amy" ; schema:knows ex:theo .''',
    ...     format="turtle"))
    >>> g.nodes["http://example.org/amy"]["classes"], g.nodes["http://example.org/amy"]["label"]
    ('schema:Person', 'Amy')
    >>> [(data["label"], data["predicate"]) for _, _, data in g.edges(data=True)]
    [('knows', 'schema:knows')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Union, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SDO, SH, SKOS
from rdflib.term import Node

from ..errors import ExportError
from ..namespaces import HG
from ..views.labels import LABEL_PREDICATES, NODE_TYPES, best_text, local_name
from .spreadsheet import csv_text

if TYPE_CHECKING:
    import networkx as nx

#: Classes whose instances define a vocabulary rather than tell a story: left out of the network.
VOCABULARY_CLASSES = frozenset({
    OWL.Ontology, OWL.Class, RDFS.Class, RDF.Property, OWL.ObjectProperty,
    OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty, OWL.TransitiveProperty, OWL.SymmetricProperty,
    OWL.AsymmetricProperty, OWL.ReflexiveProperty, OWL.IrreflexiveProperty, OWL.Restriction,
    SH.NodeShape, SH.PropertyShape,
})

DESCRIPTION_PREDICATES = (SDO.description, SKOS.definition, RDFS.comment, DCTERMS.description)

#: The columns of the nodes CSV and the edges CSV, in order.
NODE_COLUMNS = ("id", "label", "type", "classes", "iri", "description", "position")
EDGE_COLUMNS = ("source", "target", "label", "predicate")

_RDF_TYPE, _POSITION = RDF.type, HG.storyPosition
Triple = tuple[Node, Node, Node]
_TYPE_RANK = {iri: (rank, name) for rank, (iri, name) in enumerate(NODE_TYPES)}
_SAFE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# Characters XML 1.0 forbids; a literal may hold them, an XML file may not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# A term's kind by its class (0 literal, 1 blank node, 2 IRI): isinstance on rdflib's terms goes
# through ABCMeta, which for every term of a big graph is most of the network's build time.
_KINDS: dict[type, int] = {Literal: 0, BNode: 1, URIRef: 2}


def _kind(term: Node) -> int:
    kind = _KINDS.get(type(term))
    if kind is None:
        kind = _KINDS[type(term)] = (0 if isinstance(term, Literal) else
                                     1 if isinstance(term, BNode) else 2)
    return kind


def _key(term: Node) -> str:
    """A node's key in the network: its IRI, or ``_:label`` for a blank node."""
    return f"_:{term}" if _kind(term) == 1 else str(term)


class _Shortener:
    def __init__(self, prefixes: Mapping[str, str] | Graph):
        if isinstance(prefixes, Graph):
            prefixes = {prefix: str(ns) for prefix, ns in prefixes.namespaces()}
        # The longest namespace first, the first prefix by name among those of one namespace;
        # one dict probe per namespace length.
        self._by_text: dict[str, str] = {}
        for prefix, namespace in sorted(prefixes.items()):
            if prefix:
                self._by_text.setdefault(str(namespace), prefix)
        self._lengths = sorted({len(ns) for ns in self._by_text}, reverse=True)
        self._known: dict[Node, str] = {}

    def __call__(self, term: Node) -> str:
        known = self._known.get(term)
        if known is None:
            known = self._known[term] = self._shorten(term)
        return known

    def _shorten(self, term: Node) -> str:
        if isinstance(term, BNode):
            return f"_:{term}"
        text = str(term)
        for length in self._lengths:
            prefix = self._by_text.get(text[:length])
            if prefix is not None and _SAFE_LOCAL.fullmatch(text, length):
                return f"{prefix}:{text[length:]}"
        return text


def _vocabulary(triples: Iterable[Triple]) -> set[Node]:
    """Vocabulary-defining resources, with the blank nodes (lists, restrictions) they hold."""
    found: set[Node] = set()
    blank_objects: dict[Node, list[Node]] = defaultdict(list)
    is_type: dict[Node, bool] = {}  # rdflib's == is Python code: once per predicate
    for s, p, o in triples:
        kind = _kind(o)
        if kind == 1:
            blank_objects[s].append(o)
        elif kind == 2:
            typed = is_type.get(p)
            if typed is None:
                typed = is_type[p] = p == _RDF_TYPE
            if typed and o in VOCABULARY_CLASSES and _kind(s) != 0:
                found.add(s)
    pending = list(found)
    while pending:
        node = pending.pop()
        for obj in blank_objects.get(node, ()):
            if obj not in found:
                found.add(obj)
                pending.append(obj)
    return found


class ResourceRows(NamedTuple):
    """The resource network as rows, what the writers read: the same nodes, edges and
    attributes as :func:`resource_graph`, in the same order, without a networkx graph (whose
    building is most of the cost of a big network export).

    Example:
        >>> from rdflib import Graph
        >>> rows = resource_rows(Graph().parse(
        ...     data="<http://e/a> <http://e/knows> <http://e/b> .", format="nt"))
        >>> rows.edges
        [('http://e/a', 'http://e/b', 'e0', {'label': 'knows', 'predicate': 'http://e/knows'})]
    """

    #: (key, attributes) of each node, sorted by key.
    nodes: list[tuple[str, dict[str, Any]]]
    #: (source, target, key, attributes) of each edge, sorted.
    edges: list[tuple[str, str, str, dict[str, Any]]]


Network = Union["nx.MultiDiGraph", ResourceRows]


def _rows(network: Network) -> ResourceRows:
    if isinstance(network, ResourceRows):
        return network
    return ResourceRows(list(network.nodes(data=True)),
                        list(network.edges(keys=True, data=True)))


def resource_graph(graph: Graph | Iterable[Triple], prefixes: Mapping[str, str] | None = None
                   ) -> nx.MultiDiGraph:
    """The resources of ``graph`` and the triples between them, as a networkx graph.

    See the module documentation for the attributes.

    Args:
        graph: an rdflib graph, or its triples. Blank node keys use its labels: canonicalise
            first (as the exporters do) for keys that do not depend on how the graph was parsed.
        prefixes: prefix -> namespace for the prefixed names; by default those bound in
            ``graph`` (none for triples that are not an rdflib graph).

    Example:
        >>> import graph
        >>> network = resource_graph(graph.load().rdf)
        >>> network.nodes["https://w3id.org/her-graph/her/Theodore"]["label"]
        'Theodore'
    """
    import networkx as nx  # lazy: start-up time (the writers do without it)

    rows = resource_rows(graph, prefixes)
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    g.add_nodes_from(rows.nodes)
    edges: list[Any] = rows.edges  # (u, v, key, data): networkx takes it, its stubs leave it out
    g.add_edges_from(edges)
    return g


def resource_rows(graph: Graph | Iterable[Triple], prefixes: Mapping[str, str] | None = None
                  ) -> ResourceRows:
    """:func:`resource_graph` as :class:`ResourceRows` (see there for the arguments).

    Example:
        >>> import graph
        >>> rows = resource_rows(graph.load().rdf)
        >>> dict(rows.nodes)["https://w3id.org/her-graph/her/Theodore"]["label"]
        'Theodore'
    """
    if prefixes is None:
        prefixes = ({prefix: str(ns) for prefix, ns in graph.namespaces()}
                    if isinstance(graph, Graph) else {})
    triples = graph if isinstance(graph, list) else list(graph)
    short = _Shortener(prefixes)
    skip = _vocabulary(triples)
    classes: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, dict[Node, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    categories: dict[str, tuple[int, str]] = {}
    nodes: dict[str, Node] = {}
    edges: set[tuple[str, str, str, str]] = set()
    wanted = set(LABEL_PREDICATES) | set(DESCRIPTION_PREDICATES) | {_POSITION}
    keys: dict[Node, str] = {}  # a term -> its node key (its IRI, or "_:label")
    predicates: dict[Node, tuple[str, str]] = {}  # -> its prefixed name and its local name
    roles: dict[Node, int] = {}  # -> 1 rdf:type, 2 a literal kept, 0 other (== once each)
    for s, p, o in triples:
        s_key = keys.get(s)
        if s_key is None:
            kind = _kind(s)
            if kind == 0 or s in skip:
                continue
            s_key = keys[s] = f"_:{s}" if kind == 1 else str(s)
            nodes[s_key] = s
        role = roles.get(p)
        if role is None:
            role = roles[p] = 1 if p == _RDF_TYPE else 2 if p in wanted else 0
        if _kind(o) == 0:
            if role == 2:
                literals[s_key][p].append(cast(Literal, o))
            continue
        if role == 1:
            classes[s_key].add(short(o))
            rank = _TYPE_RANK.get(cast(URIRef, o))
            if rank is not None and (s_key not in categories or rank < categories[s_key]):
                categories[s_key] = rank
            continue
        o_key = keys.get(o)
        if o_key is None:
            if o in skip:
                continue
            o_key = keys[o] = f"_:{o}" if _kind(o) == 1 else str(o)
            nodes[o_key] = o
        names = predicates.get(p)
        if names is None:
            names = predicates[p] = (short(p), local_name(str(p)))
        edges.add((s_key, o_key, *names))

    rows = []
    for key in sorted(nodes):
        found = literals.get(key)
        label: str | None = None
        description = ""
        position = None
        if found is not None:
            label = next((best_text(found[p]) or "" for p in LABEL_PREDICATES if p in found),
                         None)
            description = next((best_text(found[p]) or "" for p in DESCRIPTION_PREDICATES
                                if p in found), "")
            if _POSITION in found:
                integers = sorted(v for v in (lit.toPython() for lit in found[_POSITION])
                                  if isinstance(v, int) and not isinstance(v, bool))
                position = integers[0] if integers else None
        # An absent attribute, not an empty one, in GraphML and GEXF.
        attributes: dict[str, Any] = {
            "label": local_name(key) if label is None else label,
            "type": categories[key][1] if key in categories else "resource"}
        if key in classes:
            attributes["classes"] = ", ".join(sorted(classes[key]))
        attributes["iri"] = short(nodes[key])
        if description:
            attributes["description"] = description
        if position is not None:
            attributes["position"] = position
        rows.append((key, attributes))
    return ResourceRows(rows, [
        (source, target, f"e{number}", {"label": label, "predicate": predicate})
        for number, (source, target, predicate, label) in enumerate(sorted(edges))])


def _text(value: Any) -> str:
    """``value`` as XML character data: what ElementTree writes, with the characters XML
    forbids made U+FFFD (a literal may hold them, an XML file may not)."""
    text = _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else str(value)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(value: Any) -> str:
    """``value`` as an XML attribute value, escaped as ElementTree escapes it."""
    text = _text(value)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


# The attribute types GraphML and GEXF declare for a Python value (networkx's names).
_XML_TYPES = {str: "string", int: "long"}


def _xml_type(value: Any) -> str:
    found = _XML_TYPES.get(type(value))
    if found is None:
        raise ExportError(f"network attribute value {value!r} is neither text nor an integer")
    return found


_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')


def graphml_bytes(network: Network) -> bytes:
    """GraphML of a :func:`resource_graph` (UTF-8, indented), as Gephi, Cytoscape and yEd read.

    Valid against the GraphML schema: node ids are ``n0``, ``n1``, ... (an IRI is not an XML
    name token), and each node's full IRI is its ``uri`` attribute. The bytes are those of
    networkx's pure-Python GraphML writer (``write_graphml_xml``, indented) for that graph,
    written in one pass over the network instead of through an ElementTree.

    Example:
        >>> from rdflib import Graph
        >>> g = Graph().parse(data="<http://e/a> <http://e/knows> <http://e/b> .", format="nt")
        >>> text = graphml_bytes(resource_graph(g)).decode()
        >>> '<node id="n0">' in text and '<data key="d0">http://e/a</data>' in text
        True
    """
    keys: dict[tuple[str, str, str], str] = {}

    def key(name: str, value: Any, scope: str) -> str:
        found = keys.get((name, _xml_type(value), scope))
        if found is None:
            found = keys[(name, _xml_type(value), scope)] = f"d{len(keys)}"
        return found

    body: list[str] = []
    ids: dict[Any, str] = {}
    rows = _rows(network)
    for number, (node, data) in enumerate(rows.nodes):
        ids[node] = f"n{number}"
        body.append(f'\n    <node id="n{number}">')
        for name, value in (("uri", node), *data.items()):
            body.append(_graphml_data(key(name, value, "node"), value))
        body.append("\n    </node>")
    for source, target, edge, data in rows.edges:
        body.append(f'\n    <edge source="{ids[source]}" target="{ids[target]}" '
                    f'id="{_attribute(edge)}"')
        if data:
            body.append(">")
            for name, value in data.items():
                body.append(_graphml_data(key(name, value, "edge"), value))
            body.append("\n    </edge>")
        else:
            body.append(" />")
    head = [_GRAPHML_HEAD]
    for (name, kind, scope), key_id in reversed(keys.items()):  # networkx puts each first
        head.append(f'\n  <key id="{key_id}" for="{scope}" attr.name="{_attribute(name)}" '
                    f'attr.type="{kind}" />')
    if body:
        text = "".join(head) + '\n  <graph edgedefault="directed">' + "".join(body) + \
            "\n  </graph>\n</graphml>\n"
    else:
        text = "".join(head) + '\n  <graph edgedefault="directed" />\n</graphml>\n'
    return text.encode("utf-8")


def _graphml_data(key: str, value: Any) -> str:
    text = _text(value)
    if not text:
        return f'\n      <data key="{key}" />'
    return f'\n      <data key="{key}">{text}</data>'


_GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns="http://www.gexf.net/1.2draft" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
    'version="1.2">\n'
    "  <meta>\n"
    "    <creator>her-graph</creator>\n"
    "  </meta>\n"
    '  <graph defaultedgetype="directed" mode="static">')


def gexf_bytes(network: Network) -> bytes:
    """GEXF 1.2 of a :func:`resource_graph` (UTF-8, indented), Gephi's own format.

    The layout is networkx's GEXF writer's, less what would make the bytes depend on the day
    or the release or break the schema: no date, no library version (the creator is
    her-graph), no ``networkx_key`` attribute on edges and no ``name=""`` on ``<graph>`` (which
    the GEXF 1.2draft schema does not allow). Each edge's id is its key in the network; a
    node's ``label`` and an edge's ``label`` are XML attributes, the rest ``attvalues``.

    Example:
        >>> import graph
        >>> gexf_bytes(resource_graph(graph.load().rdf)).startswith(b"<?xml")
        True
    """
    # One numbering for node and edge attributes, in the order first met; networkx also
    # numbered each edge's key (dropped here), which the numbers keep a place for.
    declared: dict[tuple[str, str], tuple[str, str]] = {}

    def declare(kind: str, name: str, value: Any) -> str:
        found = declared.get((kind, name))
        if found is None:
            found = declared[(kind, name)] = (str(len(declared)), _xml_type(value))
        return found[0]

    rows = _rows(network)
    nodes: list[str] = []
    for node, data in rows.nodes:
        label = data.get("label", node)
        nodes.append(f'\n      <node id="{_attribute(node)}" label="{_attribute(label)}"')
        values = [(declare("node", name, value), value) for name, value in data.items()
                  if name != "label"]
        nodes.append(_attvalues(values, "node") if values else " />")
    edges: list[str] = []
    for source, target, edge, data in rows.edges:
        label = f' label="{_attribute(data["label"])}"' if "label" in data else ""
        edges.append(f'\n      <edge source="{_attribute(source)}" target="{_attribute(target)}" '
                     f'id="{_attribute(edge)}"{label}')
        values = [(declare("edge", name, value), value) for name, value in data.items()
                  if name != "label"]
        declare("edge", "networkx_key", edge)
        edges.append(_attvalues(values, "edge") if values else " />")
    out = [_GEXF_HEAD]
    for kind in ("edge", "node"):  # networkx puts each class's declarations first
        mine = [(name, number, xml_type) for (k, name), (number, xml_type) in declared.items()
                if k == kind and name != "networkx_key"]
        if mine:
            out.append(f'\n    <attributes mode="static" class="{kind}">')
            out.extend(f'\n      <attribute id="{number}" title="{_attribute(name)}" '
                       f'type="{xml_type}" />' for name, number, xml_type in mine)
            out.append("\n    </attributes>")
        elif kind == "edge" and ("edge", "networkx_key") in declared:
            out.append('\n    <attributes mode="static" class="edge" />')
    out.append("\n    <nodes>" + "".join(nodes) + "\n    </nodes>" if nodes else "\n    <nodes />")
    out.append("\n    <edges>" + "".join(edges) + "\n    </edges>" if edges else "\n    <edges />")
    out.append("\n  </graph>\n</gexf>\n\n")
    return "".join(out).encode("utf-8")


def _attvalues(values: list[tuple[str, Any]], tag: str) -> str:
    """The rest of a ``<node`` or ``<edge`` element holding ``values`` as attvalues."""
    lines = "".join(f'\n          <attvalue for="{number}" value="{_attribute(value)}" />'
                    for number, value in values)
    return f">\n        <attvalues>{lines}\n        </attvalues>\n      </{tag}>"


def _csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]], *,
              spreadsheet_safe: bool = True) -> bytes:
    return csv_text(header, rows, spreadsheet_safe=spreadsheet_safe).encode("utf-8")


def csv_tables(network: Network, *, spreadsheet_safe: bool = True
               ) -> tuple[bytes, bytes]:
    """The nodes CSV and the edges CSV of a :func:`resource_graph` (UTF-8, one header row).

    The columns are :data:`NODE_COLUMNS` and :data:`EDGE_COLUMNS`: ``id``, ``source`` and
    ``target`` hold full IRIs (``_:label`` for blank nodes), as Gephi's and Cytoscape's table
    importers expect.

    Args:
        network: a :func:`resource_graph`.
        spreadsheet_safe: put an apostrophe before a text a spreadsheet would run as a
            formula (``=...``, ``@...``; see :mod:`graph.export.spreadsheet`, whose ``restore``
            undoes
            it); ``False`` writes every text exactly.

    Example:
        >>> import graph
        >>> nodes, edges = csv_tables(resource_graph(graph.load().rdf))
        >>> nodes.splitlines()[0].decode(), edges.splitlines()[0].decode()[:13]
        ('id,label,type,classes,iri,description,position', 'source,target')
    """
    rows = _rows(network)
    nodes = _csv_text(NODE_COLUMNS, (
        [key, *(data.get(column, "") for column in NODE_COLUMNS[1:])]
        for key, data in rows.nodes), spreadsheet_safe=spreadsheet_safe)
    edges = _csv_text(EDGE_COLUMNS, (
        [source, target, data["label"], data["predicate"]]
        for source, target, _key, data in rows.edges), spreadsheet_safe=spreadsheet_safe)
    return nodes, edges
