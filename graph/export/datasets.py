"""Exports that carry graph names: N-Triples, N-Quads, TriG, and what the other formats do with a
dataset's named graphs.

A graph loaded from TriG, N-Quads or JSON-LD may hold named graphs (``kg.graphs``). Each export
format does one of three things with them, never a silent merge:

- **keeps** them: N-Quads, TriG and JSON-LD (a named graph is a ``{"@id": name, "@graph":
  [...]}`` object with a context of its own);
- **records** them: GraphML, GEXF and the CSV tables give every link a ``graph`` attribute
  (column) naming the graphs that hold its triple, and every node one naming the graphs that
  hold what is said about it (its types, label, description), comma-separated, the default
  graph as ``@default``; absent when only the default graph holds it;
- **refuses**, saying which format to use: Turtle and N-Triples (no place for a graph name) and
  the interactive page (it draws one graph).

Blank nodes get the canonical labels of :mod:`graph.export.canonical`, computed over the quads
(the graph names take part), and every file lists its statements sorted, so the same dataset
gives the same bytes. A graph without named graphs gives exactly what it gave before.

Example:
    >>> from rdflib import Literal, URIRef
    >>> s, p = URIRef("https://e/s"), URIRef("https://e/p")
    >>> quads = [(s, p, Literal("in g"), URIRef("https://e/g")), (s, p, Literal("default"), None)]
    >>> print(nquads_bytes(quads).decode(), end="")
    <https://e/s> <https://e/p> "default" .
    <https://e/s> <https://e/p> "in g" <https://e/g> .
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.term import Node

from ..errors import ExportError
from ..terms import to_oxigraph
from .canonical import Quad
from .jsonld import jsonld_document
from .network import EDGE_COLUMNS, NODE_COLUMNS, _key, _Shortener
from .spreadsheet import csv_text

if TYPE_CHECKING:
    import networkx as nx

#: How the default graph is written in a ``graph`` attribute of GraphML, GEXF and CSV.
DEFAULT_GRAPH = "@default"

# Control characters: in an export they would drive the terminal of whoever runs `cat`. Oxigraph
# escapes them in literals already; this is the same guard as the Turtle export's.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Datatypes TriG writes without naming them: plain, language-tagged, integer, decimal, double
# and boolean literals.
_IMPLIED = {"http://www.w3.org/2001/XMLSchema#string",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
            "http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#decimal",
            "http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#boolean"}


def _ox_quad(quad: Quad) -> ox.Quad:
    s, p, o, g = quad
    return ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o),  # type: ignore[arg-type]
                   ox.DefaultGraph() if g is None else to_oxigraph(g))  # type: ignore[arg-type]


def _order(quad: ox.Quad) -> tuple[int, str, str, str, str]:
    """Default graph first, then the graphs by name; within each, subject, predicate, object."""
    graph = quad.graph_name
    named = not isinstance(graph, ox.DefaultGraph)
    return (int(named), str(graph) if named else "", str(quad.subject), str(quad.predicate),
            str(quad.object))


def _sorted(quads: Iterable[Quad]) -> list[ox.Quad]:
    return sorted({_ox_quad(quad) for quad in quads}, key=_order)


def _safe(data: bytes | None) -> bytes:
    text = (data or b"").decode("utf-8")
    return _CONTROL.sub(lambda found: f"\\u{ord(found.group()):04X}", text).encode("utf-8")


def ntriples_bytes(triples: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """Canonical N-Triples of ``triples``, one per line, sorted.

    Example:
        >>> from rdflib import Literal, URIRef
        >>> ntriples_bytes([(URIRef("https://e/s"), URIRef("https://e/p"), Literal("x"))])
        b'<https://e/s> <https://e/p> "x" .\\n'
    """
    quads = _sorted((s, p, o, None) for s, p, o in triples)
    return _safe(ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES))


def nquads_bytes(quads: Iterable[Quad]) -> bytes:
    """N-Quads of ``quads`` (``None`` as the graph: the default graph), sorted: the default
    graph first, then each named graph by name."""
    return _safe(ox.serialize(_sorted(quads), format=ox.RdfFormat.N_QUADS))


def _used_prefixes(quads: Sequence[ox.Quad], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts an IRI of ``quads`` (and only those, sorted)."""
    iris = {term.value for quad in quads for term in quad
            if isinstance(term, ox.NamedNode)}
    iris.update(term.datatype.value for quad in quads for term in quad  # (not written for
                if isinstance(term, ox.Literal) and term.datatype.value not in _IMPLIED)  # these)
    return {prefix: namespace for prefix, namespace in sorted(prefixes.items())
            if prefix and any(iri.startswith(namespace) for iri in iris)}


def trig_bytes(quads: Iterable[Quad], prefixes: Mapping[str, str]) -> bytes:
    """TriG of ``quads``: the used ``prefixes``, the default graph's triples, then each named
    graph in a block, statements grouped by subject and sorted.

    Example:
        >>> from rdflib import Literal, URIRef
        >>> s, p = URIRef("https://e/s"), URIRef("https://e/p")
        >>> print(trig_bytes([(s, p, Literal("x"), URIRef("https://e/g"))],
        ...                  {"e": "https://e/"}).decode().replace("\\t", "  "), end="")
        @prefix e: <https://e/> .
        e:g {
          e:s e:p "x" .
        }
    """
    ordered = _sorted(quads)
    used = _used_prefixes(ordered, prefixes)
    lines = _safe(ox.serialize(ordered, format=ox.RdfFormat.TRIG, prefixes=used)).split(b"\n")
    # The prefix lines in prefix order, whatever order Oxigraph keeps them in.
    header = sum(1 for _ in itertools.takewhile(lambda line: line.startswith(b"@prefix "),
                                                lines))
    return b"\n".join(sorted(lines[:header]) + lines[header:])


def jsonld_dataset_bytes(quads: Iterable[Quad], prefixes: Mapping[str, str]) -> bytes:
    """JSON-LD of a dataset: the default graph's node objects as :mod:`graph.export.jsonld`
    writes them, then one object per named graph, ``{"@context": [null, {...}], "@id": name,
    "@graph": [...]}``, each with a readable context of its own (``null`` first, so that the
    outer context cannot change how it reads).

    Example:
        >>> from rdflib import Literal, URIRef
        >>> s, p, g = URIRef("https://e/s"), URIRef("https://e/p"), URIRef("https://e/g")
        >>> document = json.loads(jsonld_dataset_bytes([(s, p, Literal("x"), g)], {}))
        >>> [(item["@id"], item["@graph"]) for item in document["@graph"]]
        [('https://e/g', [{'@id': 'https://e/s', 'p': 'x'}])]
    """
    graphs: dict[Node | None, Graph] = defaultdict(Graph)
    for s, p, o, g in quads:
        graphs[g].add((s, p, o))
    document = jsonld_document(graphs.get(None, Graph()), prefixes)
    for name in sorted((g for g in graphs if g is not None),
                       key=lambda g: (isinstance(g, BNode), str(g))):
        inner = jsonld_document(graphs[name], prefixes)
        document["@graph"].append({
            "@context": [None, inner["@context"]],
            "@id": f"_:{name}" if isinstance(name, BNode) else str(name),
            "@graph": inner["@graph"],
        })
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def shown_names(names: Sequence[Node], limit: int = 3) -> str:
    """A few graph names for a message: ``<https://e/g1>, <https://e/g2> and 3 more``.

    Example:
        >>> from rdflib import URIRef
        >>> shown_names([URIRef(f"https://e/g{n}") for n in range(5)])
        '<https://e/g0>, <https://e/g1>, <https://e/g2> and 2 more'
    """
    shown = ", ".join(f"_:{n}" if isinstance(n, BNode) else f"<{n}>" for n in names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


def refuse_named(what: str, names: Sequence[Node], instead: str) -> ExportError:
    """The error of a format that has no place for graph names, given a dataset that has some.

    Example:
        >>> from rdflib import URIRef
        >>> print(refuse_named("Turtle", [URIRef("https://e/g")], "TriG"))
        ... # doctest: +NORMALIZE_WHITESPACE
        Turtle has no graph names, and this graph has 1 named graph (<https://e/g>): writing
        it would merge them; export as TriG
    """
    count = f"{len(names):,} named graph{'s' if len(names) != 1 else ''}"
    return ExportError(f"{what} has no graph names, and this graph has {count} "
                       f"({shown_names(names)}): writing it would merge them; export as "
                       f"{instead}")


def _names(found: set[Node | None], short: _Shortener) -> str:
    """The ``graph`` attribute: the graphs that hold something, or ``""`` for the default
    graph alone."""
    if found <= {None}:
        return ""
    return ", ".join(sorted(DEFAULT_GRAPH if g is None else short(g) for g in found))


def record_graphs(network: nx.MultiDiGraph, quads: Iterable[Quad],
                  graph: Graph) -> nx.MultiDiGraph:
    """``network`` (a :func:`graph.export.network.resource_graph` of the union of ``quads``)
    with a ``graph`` attribute on every node and link that a named graph holds: the graphs,
    as prefixed names where ``graph``'s prefixes cover them, comma-separated.

    Example:
        >>> from rdflib import URIRef
        >>> from graph.export.network import resource_graph
        >>> a, b, knows = URIRef("https://e/a"), URIRef("https://e/b"), URIRef("https://e/knows")
        >>> g = Graph()
        >>> _ = g.add((a, knows, b))
        >>> network = record_graphs(resource_graph(g), [(a, knows, b, URIRef("https://e/g"))], g)
        >>> [data["graph"] for _, _, data in network.edges(data=True)]
        ['https://e/g']
    """
    short = _Shortener(graph)
    by_edge: dict[tuple[str, str, str], set[Node | None]] = defaultdict(set)
    by_node: dict[str, set[Node | None]] = defaultdict(set)
    for s, p, o, g in quads:
        by_node[_key(s)].add(g)
        by_edge[(_key(s), _key(o), short(p))].add(g)
    for node, data in network.nodes(data=True):
        names = _names(by_node.get(node, set()), short)
        if names:
            data["graph"] = names
    for source, target, data in network.edges(data=True):
        names = _names(by_edge.get((source, target, data["predicate"]), set()), short)
        if names:
            data["graph"] = names
    return network


def csv_tables_with_graphs(network: nx.MultiDiGraph, *,
                           spreadsheet_safe: bool = True) -> tuple[bytes, bytes]:
    """:func:`graph.export.network.csv_tables` with one more column, ``graph`` (see
    :func:`record_graphs`), for a dataset with named graphs.

    Example:
        >>> import networkx as nx
        >>> g = nx.MultiDiGraph()
        >>> g.add_node("https://e/a", label="a", graph="https://e/g")
        >>> nodes, _ = csv_tables_with_graphs(g)
        >>> nodes.decode().splitlines()[1]
        'https://e/a,a,,,,,,https://e/g'
    """
    node_columns = (*NODE_COLUMNS, "graph")
    edge_columns = (*EDGE_COLUMNS, "graph")
    nodes = csv_text(node_columns, (
        [key, *(data.get(column, "") for column in node_columns[1:])]
        for key, data in network.nodes(data=True)), spreadsheet_safe=spreadsheet_safe)
    edges = csv_text(edge_columns, (
        [source, target, data["label"], data["predicate"], data.get("graph", "")]
        for source, target, data in network.edges(data=True)),
        spreadsheet_safe=spreadsheet_safe)
    return nodes.encode("utf-8"), edges.encode("utf-8")

