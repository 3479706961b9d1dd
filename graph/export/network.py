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

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SDO, SH, SKOS
from rdflib.term import Node

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

_TYPE_RANK = {iri: (rank, name) for rank, (iri, name) in enumerate(NODE_TYPES)}
_SAFE_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
# Characters XML 1.0 forbids; a literal may hold them, an XML file may not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _key(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


class _Shortener:
    def __init__(self, graph: Graph):
        namespaces = [(str(ns), prefix) for prefix, ns in graph.namespaces() if prefix]
        self._namespaces = sorted(namespaces, key=lambda item: (-len(item[0]), item[1]))
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
        for namespace, prefix in self._namespaces:
            if text.startswith(namespace) and _SAFE_LOCAL.match(text[len(namespace):]):
                return f"{prefix}:{text[len(namespace):]}"
        return text


def _vocabulary(graph: Graph) -> set[Node]:
    """Vocabulary-defining resources, with the blank nodes (lists, restrictions) they hold."""
    found: set[Node] = set()
    for cls in VOCABULARY_CLASSES:
        found.update(s for s in graph.subjects(RDF.type, cls) if not isinstance(s, Literal))
    pending = [n for n in found]
    while pending:
        node = pending.pop()
        for obj in graph.objects(node, None):
            if isinstance(obj, BNode) and obj not in found:
                found.add(obj)
                pending.append(obj)
    return found


def resource_graph(graph: Graph) -> nx.MultiDiGraph:
    """The resources of ``graph`` and the triples between them, as a networkx graph.

    See the module documentation for the attributes.

    Args:
        graph: an rdflib graph. Blank node keys use its labels: canonicalise first (as the
            exporters do) for keys that do not depend on how the graph was parsed.

    Example:
        >>> import graph
        >>> network = resource_graph(graph.load().rdf)
        >>> network.nodes["https://w3id.org/her-graph/her/Theodore"]["label"]
        'Theodore'
    """
    import networkx as nx

    short = _Shortener(graph)
    skip = _vocabulary(graph)
    classes: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, dict[Node, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    categories: dict[str, tuple[int, str]] = {}
    nodes: dict[str, Node] = {}
    edges: set[tuple[str, str, str, str]] = set()
    wanted = set(LABEL_PREDICATES) | set(DESCRIPTION_PREDICATES) | {HG.storyPosition}
    for s, p, o in graph:
        if s in skip or isinstance(s, Literal):
            continue
        s_key = _key(s)
        nodes[s_key] = s
        if isinstance(o, Literal):
            if p in wanted:
                literals[s_key][p].append(o)
            continue
        if p == RDF.type:
            classes[s_key].add(short(o))
            rank = _TYPE_RANK.get(cast(URIRef, o))
            if rank is not None and (s_key not in categories or rank < categories[s_key]):
                categories[s_key] = rank
            continue
        if o in skip:
            continue
        o_key = _key(o)
        nodes[o_key] = o
        edges.add((s_key, o_key, short(p), local_name(str(p))))

    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for key in sorted(nodes):
        found = literals.get(key, {})
        label = next((best_text(found[p]) or "" for p in LABEL_PREDICATES if found.get(p)),
                     local_name(key))
        attributes: dict[str, Any] = {
            "label": label,
            "type": categories[key][1] if key in categories else "resource",
            "classes": ", ".join(sorted(classes.get(key, ()))),
            "iri": short(nodes[key]),
            "description": next((best_text(found[p]) or "" for p in DESCRIPTION_PREDICATES
                                 if found.get(p)), ""),
        }
        # An absent attribute, not an empty one, in GraphML and GEXF.
        attributes = {k: v for k, v in attributes.items() if v != "" or k == "label"}
        positions = [lit.toPython() for lit in found.get(HG.storyPosition, ())]
        integers = sorted(v for v in positions if isinstance(v, int) and not isinstance(v, bool))
        if integers:
            attributes["position"] = integers[0]
        g.add_node(key, **attributes)
    for number, (source, target, predicate, label) in enumerate(sorted(edges)):
        g.add_edge(source, target, key=f"e{number}", label=label, predicate=predicate)
    return g


def _xml_safe(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose strings hold only characters XML allows (others become U+FFFD)."""
    import networkx as nx

    def clean(value: Any) -> Any:
        return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value

    safe: nx.MultiDiGraph = nx.MultiDiGraph()
    for node, data in g.nodes(data=True):
        safe.add_node(clean(node), **{k: clean(v) for k, v in data.items()})
    for source, target, key, data in g.edges(keys=True, data=True):
        safe.add_edge(clean(source), clean(target), key=key,
                      **{k: clean(v) for k, v in data.items()})
    return safe


def _canonical_ids(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with GraphML's canonical node ids ``n0``, ``n1``, ... (in the order of ``g``) and
    each node's full IRI (or ``_:label``) in a ``uri`` attribute.

    The GraphML schema types node ids (and edges' ``source`` and ``target``) as XML name
    tokens, which cannot hold the ``/`` and ``#`` of an IRI.
    """
    import networkx as nx

    ids = {node: f"n{number}" for number, node in enumerate(g.nodes)}
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    for node, data in g.nodes(data=True):
        out.add_node(ids[node], uri=node, **data)
    for source, target, key, data in g.edges(keys=True, data=True):
        out.add_edge(ids[source], ids[target], key=key, **data)
    return out


def graphml_bytes(network: nx.MultiDiGraph) -> bytes:
    """GraphML of a :func:`resource_graph` (UTF-8, indented), as Gephi, Cytoscape and yEd read.

    Valid against the GraphML schema: node ids are ``n0``, ``n1``, ... (an IRI is not an XML
    name token), and each node's full IRI is its ``uri`` attribute.

    Example:
        >>> from rdflib import Graph
        >>> g = Graph().parse(data="<http://e/a> <http://e/knows> <http://e/b> .", format="nt")
        >>> text = graphml_bytes(resource_graph(g)).decode()
        >>> '<node id="n0">' in text and '<data key="d0">http://e/a</data>' in text
        True
    """
    import networkx as nx

    buffer = io.BytesIO()
    # The pure-Python writer, not lxml's: the bytes must not depend on what else is installed.
    nx.write_graphml_xml(_canonical_ids(_xml_safe(network)), buffer, encoding="utf-8",
                         prettyprint=True)
    return buffer.getvalue()


def gexf_bytes(network: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 of a :func:`resource_graph` (UTF-8, indented), Gephi's own format.

    networkx stamps the file with today's date and its version, adds a ``networkx_key``
    attribute to each edge of a multigraph, and writes ``name=""`` on ``<graph>`` (which the
    GEXF 1.2draft schema does not allow); all four are removed, so the same graph gives the
    same bytes on any day and any networkx release.

    Example:
        >>> import graph
        >>> gexf_bytes(resource_graph(graph.load().rdf)).startswith(b"<?xml")
        True
    """
    from xml.etree.ElementTree import ElementTree

    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    g = _xml_safe(network)
    for _source, _target, key, data in g.edges(keys=True, data=True):
        data["id"] = key
    writer.add_graph(g)
    root = writer.xml
    for element in root.iter("graph"):
        element.attrib.pop("name", None)  # networkx writes name="", which the schema forbids
    meta = root.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "her-graph"
    for attributes in root.iter("attributes"):
        for declaration in list(attributes):
            if declaration.get("title") == "networkx_key":
                attributes.remove(declaration)
                _drop_values(root, declaration.get("id", ""))
    writer.indent(root)
    buffer = io.BytesIO()
    ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"


def _drop_values(root: Any, attribute_id: str) -> None:
    for values in root.iter("attvalues"):
        for value in list(values):
            if value.get("for") == attribute_id:
                values.remove(value)
    for parent in root.iter():
        for child in list(parent):
            if child.tag == "attvalues" and len(child) == 0:
                parent.remove(child)


def _csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]], *,
              spreadsheet_safe: bool = True) -> bytes:
    return csv_text(header, rows, spreadsheet_safe=spreadsheet_safe).encode("utf-8")


def csv_tables(network: nx.MultiDiGraph, *, spreadsheet_safe: bool = True
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
    g = network
    nodes = _csv_text(NODE_COLUMNS, (
        [key, *(data.get(column, "") for column in NODE_COLUMNS[1:])]
        for key, data in g.nodes(data=True)), spreadsheet_safe=spreadsheet_safe)
    edges = _csv_text(EDGE_COLUMNS, (
        [source, target, data["label"], data["predicate"]]
        for source, target, data in g.edges(data=True)), spreadsheet_safe=spreadsheet_safe)
    return nodes, edges
