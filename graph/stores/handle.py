"""What the layers below the facade use of a story graph: :class:`StoryGraph`.

The analyses, checks, pages and exporters take a story graph by this protocol, not by the
facade's class, so they need not import :mod:`graph.knowledge_graph` (which imports them):
:class:`~graph.KnowledgeGraph` satisfies it, and so does any object with these members.

>>> import graph
>>> isinstance(graph.load(), StoryGraph)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from rdflib import Graph
from rdflib.term import Node

from ..sparql.values import IRI
from .backend import Backend


@runtime_checkable
class StoryGraph(Protocol):
    """A story graph in a store, with prefixed names, queries and name lookup.

    Example:
        >>> import graph
        >>> kg: StoryGraph = graph.load()
        >>> kg.short(kg.resolve("Samantha"))
        'her:Samantha'
    """

    @property
    def backend(self) -> Backend:
        """The store the triples live in."""

    @property
    def rdf(self) -> Graph:
        """The triples as an :class:`rdflib.Graph`."""

    @property
    def store(self) -> str:
        """The name of the store (``"memory"``, ``"oxigraph"``, ``"sparql"``)."""

    def short(self, iri: str | Node) -> str:
        """The prefixed name of ``iri`` where a bound prefix covers it."""

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              timeout: float | None = None, allow_network: bool = False,
              **more_bindings: Any) -> Any:
        """The rows (or boolean, or graph) a read-only SPARQL query answers."""

    def run(self, name: str, *, timeout: float | None = None, allow_network: bool = False,
            **params: Any) -> Any:
        """The answer of the named query ``name`` with its parameters bound."""

    def resolve(self, name: str | Node, *, kind: str = "character") -> IRI:
        """The IRI of a resource given by name, label or IRI."""
