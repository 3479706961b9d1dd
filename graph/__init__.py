"""her-graph: the narrative of the film *Her* as a knowledge graph, and a toolkit for any story.

>>> import graph
>>> kg = graph.load()
>>> kg.resolve("Samantha")
IRI('https://w3id.org/her-graph/her/Samantha')
"""

from __future__ import annotations

from . import errors, namespaces
from .errors import HerGraphError
from .knowledge_graph import KnowledgeGraph
from .namespaces import HER, HG
from .results import IRI, Rows
from .store import data_dir, load

__all__ = [
    "HER",
    "HG",
    "IRI",
    "HerGraphError",
    "KnowledgeGraph",
    "Rows",
    "data_dir",
    "errors",
    "load",
    "namespaces",
]

__version__ = "0.1.0"
