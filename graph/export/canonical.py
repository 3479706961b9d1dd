"""Canonical blank node labels: the same graph gives the same labels, at the cost of reading it.

Exports must be byte-identical for the same graph, so blank nodes need labels that depend only
on what the graph says. rdflib's ``to_canonical_graph`` takes exponential time on ordinary
shapes (measured here: 100 identical ``[ :q "x" ]`` under different subjects never finished;
a generated story with 1.5k evidence blank nodes took 70 s against 0.8 s with IRIs), so:

- **Nested blank nodes** (each the object of at most one triple, no cycles: ``[ ... ]``,
  ``( ... )`` collections, the evidence of a claim) are labelled in linear time: a node's
  content hash is that of its triples, with nested nodes by their content hash (computed from
  the deepest up, without recursion), and its label hash adds where it hangs (the parent's
  label or IRI, the predicate, the graph). Two nodes with the same label hash are
  interchangeable (the same parent, predicate and content), so either order gives the same
  output.
- **Other blank nodes** (shared by several triples, or in a cycle) are labelled by RDFC-1.0,
  the W3C's canonicalisation, as implemented in Oxigraph. Its worst case is exponential in
  the number of such nodes, and Oxigraph cannot be interrupted, so a graph with more than
  :data:`MAX_SHARED_BLANK_NODES` of them is refused with an :class:`~graph.errors.ExportError`
  (give those nodes IRIs).

Labels are then numbered ``b0``, ``b1``, ... in a deterministic order.

Example:
    >>> from rdflib import BNode, Literal, URIRef
    >>> p, q = URIRef("https://e/p"), URIRef("https://e/q")
    >>> a, b = BNode(), BNode()
    >>> canonical_quads([(URIRef("https://e/s"), p, a, None), (a, q, Literal("x"), None)])[1]
    (rdflib.term.BNode('b0'), rdflib.term.URIRef('https://e/q'), rdflib.term.Literal('x'), None)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from rdflib import BNode
from rdflib.term import Node

from ..errors import ExportError
from ..terms import from_oxigraph, to_oxigraph

#: The most blank nodes that are not simply nested (shared or in a cycle) an export labels;
#: RDFC-1.0 took 0.7 s for a ring of 100 here, and its worst case is exponential.
MAX_SHARED_BLANK_NODES = 200

Quad = tuple[Node, Node, Node, Node | None]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _n3(term: Node | None) -> str:
    return "" if term is None else term.n3()


def canonical_quads(quads: Iterable[Quad]) -> list[Quad]:
    """``quads`` with every blank node renamed to its canonical label ``b0``, ``b1``, ...

    Raises:
        ExportError: more than :data:`MAX_SHARED_BLANK_NODES` blank nodes are shared or in a
            cycle.

    Example:
        >>> from rdflib import BNode, URIRef
        >>> p = URIRef("https://e/p")
        >>> ring = [BNode() for _ in range(3)]
        >>> out = canonical_quads([(ring[n], p, ring[(n + 1) % 3], None) for n in range(3)])
        >>> sorted(str(s) for s, _, _, _ in out)
        ['b0', 'b1', 'b2']
    """
    quads = list(quads)
    blanks: set[Node] = {t for quad in quads for t in quad if isinstance(t, BNode)}
    if not blanks:
        return quads
    parent: dict[Node, int] = {}  # a blank node -> the index of the one quad it is object of
    shared: set[Node] = {q[3] for q in quads if isinstance(q[3], BNode)}  # graph names
    for index, (_, _, o, _) in enumerate(quads):
        if isinstance(o, BNode):
            if o in parent:
                shared.add(o)
            parent[o] = index
    depth = _depths(quads, blanks, parent, shared)
    if shared:
        return _rdfc(quads, len(shared))
    outgoing: dict[Node, list[Quad]] = {b: [] for b in blanks}
    for quad in quads:
        if isinstance(quad[0], BNode):
            outgoing[quad[0]].append(quad)
    content: dict[Node, str] = {}
    for blank in sorted(blanks, key=depth.__getitem__, reverse=True):  # the deepest first
        content[blank] = _digest(*sorted(
            _digest(p.n3(), f"_:{content[o]}" if isinstance(o, BNode) else o.n3(), _n3(g))
            for _, p, o, g in outgoing[blank]))
    label: dict[Node, str] = {}
    number: dict[Node, int] = {}
    ordered = sorted(blanks, key=depth.__getitem__)  # parents before their children
    for blank in ordered:
        if blank in parent:
            s, p, _, g = quads[parent[blank]]
            where = f"_:{label[s]}" if isinstance(s, BNode) else s.n3()
            label[blank] = _digest(where, p.n3(), _n3(g), content[blank])
        else:
            label[blank] = content[blank]
    # Number level by level; among equal labels, by the parent's number (identical siblings
    # are interchangeable, and their children then follow their own parent).
    for level_start in sorted(set(depth.values())):
        level = [b for b in ordered if depth[b] == level_start]
        level.sort(key=lambda b: (label[b], _parent_number(b, quads, parent, number)))
        for blank in level:
            number[blank] = len(number)
    rename = {blank: BNode(f"b{n}") for blank, n in number.items()}
    return [tuple(rename.get(t, t) if t is not None else None for t in quad)  # type: ignore[misc]
            for quad in quads]


def _parent_number(blank: Node, quads: Sequence[Quad], parent: dict[Node, int],
                   number: dict[Node, int]) -> int:
    if blank not in parent:
        return -1
    return number.get(quads[parent[blank]][0], -1)


def _depths(quads: Sequence[Quad], blanks: set[Node], parent: dict[Node, int],
            shared: set[Node]) -> dict[Node, int]:
    """Each blank node's nesting depth (0 for one no triple points to); a node in a cycle is
    added to ``shared``. Iterative: nesting may be thousands deep."""
    depth: dict[Node, int] = {}
    for start in blanks:
        chain: list[Node] = []
        seen: set[Node] = set()
        node: Node = start
        base = 0
        while node not in depth:
            if node in seen:  # a cycle: none of it is nested
                shared.update(chain)
                base = 0
                break
            seen.add(node)
            chain.append(node)
            up = parent.get(node)
            if up is None or not isinstance(quads[up][0], BNode) or node in shared:
                base = -1
                break
            node = quads[up][0]
        else:
            base = depth[node]
        for offset, item in enumerate(reversed(chain)):
            depth[item] = base + 1 + offset
    return depth


def _rdfc(quads: Sequence[Quad], shared: int) -> list[Quad]:
    if shared > MAX_SHARED_BLANK_NODES:
        raise ExportError(
            f"the graph has {shared:,} blank nodes that are shared by several triples or form "
            f"a cycle; an export labels at most {MAX_SHARED_BLANK_NODES:,} of them (their "
            "canonical labelling can take exponential time): give them IRIs")
    import pyoxigraph as ox  # lazy: only graphs with shared blank nodes need it

    def convert(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        return to_oxigraph(node)

    dataset = ox.Dataset(
        ox.Quad(convert(s), convert(p), convert(o),  # type: ignore[arg-type]
                ox.DefaultGraph() if g is None else convert(g))  # type: ignore[arg-type]
        for s, p, o, g in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    # RDFC-1.0 labels are c14n0, c14n1, ...: keep their order, in her-graph's b0, b1, ...
    def back(term: object) -> Node:
        if isinstance(term, ox.BlankNode):
            return BNode("b" + term.value.removeprefix("c14n"))
        return from_oxigraph(term)

    return [(back(q.subject), back(q.predicate), back(q.object),
             None if isinstance(q.graph_name, ox.DefaultGraph) else back(q.graph_name))
            for q in dataset]


def nesting_depth(triples: Iterable[tuple[Node, Node, Node]]) -> int:
    """How deep blank nodes nest as objects (``[ :p [ :p [] ] ]`` is 3), counted without
    recursion; 0 without blank node objects.

    Example:
        >>> from rdflib import BNode, URIRef
        >>> p, a, b = URIRef("https://e/p"), BNode(), BNode()
        >>> nesting_depth([(URIRef("https://e/s"), p, a), (a, p, b)])
        2
    """
    parent: dict[Node, Node] = {}
    for s, _, o in triples:
        if isinstance(o, BNode) and o not in parent:
            parent[o] = s
    depth: dict[Node, int] = {}
    deepest = 0
    for start in parent:
        chain: list[Node] = []
        node: Node | None = start
        while node is not None and node not in depth and isinstance(node, BNode):
            if node in chain:  # a cycle: Turtle cannot nest it, so it does not count
                break
            chain.append(node)
            node = parent.get(node)
        base = depth.get(node, 0) if node is not None else 0
        for offset, item in enumerate(reversed(chain)):
            depth[item] = base + 1 + offset
        deepest = max(deepest, base + len(chain))
    return deepest
