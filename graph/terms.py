"""Conversion of RDF terms between pyoxigraph and rdflib.

Oxigraph parses and queries fast and strictly; rdflib is the graph users hold. These functions
carry terms across without changing what they mean in SPARQL: an ``xsd:string`` literal becomes
a plain rdflib literal (so ``"Theodore"`` still matches ``"Theodore"``), a language-tagged string
keeps its tag, and every other literal keeps its datatype.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import UnsupportedTermError

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class BlankNodeNamer:
    """Gives the blank nodes of one document stable rdflib labels, distinct from other documents.

    The label is the document's digest plus the order in which the parser first met the node.
    Oxigraph names anonymous nodes (``[ ... ]`` in Turtle) at random, so its labels cannot be
    used; the order of first appearance is the same on every parse. The same input therefore
    always yields the same graph (deterministic exports), while two documents never share a
    blank node by accident.

    Example:
        >>> name = BlankNodeNamer("d1")
        >>> name("b0") == name("b0"), name("b0") == BlankNodeNamer("d2")("b0")
        (True, False)
    """

    def __init__(self, document_digest: str):
        self._prefix = f"b{document_digest[:12]}x"
        self._names: dict[str, BNode] = {}

    def __call__(self, label: str) -> BNode:
        node = self._names.get(label)
        if node is None:
            node = self._names[label] = BNode(f"{self._prefix}{len(self._names)}")
        return node


def from_oxigraph(term: object, blank: BlankNodeNamer | None = None) -> Node:
    """Return the rdflib term for a pyoxigraph term.

    Raises:
        ValueError: for an RDF-star quoted triple, which rdflib cannot hold.

    Example:
        >>> import pyoxigraph
        >>> from_oxigraph(pyoxigraph.Literal("8316", datatype=pyoxigraph.NamedNode(
        ...     "http://www.w3.org/2001/XMLSchema#integer"))).toPython()
        8316
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        if datatype == _RDF_LANG_STRING:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return blank(term.value) if blank is not None else BNode(term.value)
    raise UnsupportedTermError(f"unsupported RDF term {term!r} (RDF-star quoted triples are not "
                               "supported)")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Return the pyoxigraph term for an rdflib term.

    Example:
        >>> from rdflib import URIRef
        >>> to_oxigraph(URIRef("https://w3id.org/her-graph/her/Amy"))
        <NamedNode value=https://w3id.org/her-graph/her/Amy>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")
