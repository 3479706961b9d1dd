"""her-graph: the narrative of the film *Her* as a knowledge graph, and a toolkit for any story.

>>> import graph
>>> kg = graph.load()
>>> kg.resolve("Samantha")
IRI('https://w3id.org/her-graph/her/Samantha')
"""

from __future__ import annotations

from . import errors, namespaces
from ._version import __version__
from .errors import HerGraphError
from .knowledge_graph import KnowledgeGraph
from .loading import load
from .namespaces import HER, HG
from .read.bundled import data_dir
from .sparql.results import Rows
from .sparql.values import IRI

__all__ = [
    "HER",
    "HG",
    "IRI",
    "HerGraphError",
    "KnowledgeGraph",
    "Rows",
    "__version__",
    "data_dir",
    "errors",
    "load",
    "namespaces",
]
