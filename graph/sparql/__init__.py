"""SPARQL: query text and binding, the offline guard, the named-query library, result rows
and DataFrames. Imports only the top-level base modules.

>>> from graph.sparql import IRI
>>> IRI("https://w3id.org/her-graph/her/Samantha")
IRI('https://w3id.org/her-graph/her/Samantha')
"""

from __future__ import annotations

from .queries import NamedQuery, QueryLibrary
from .results import Rows
from .values import IRI, BlankNode, Value

__all__ = ["IRI", "BlankNode", "NamedQuery", "QueryLibrary", "Rows", "Value"]
