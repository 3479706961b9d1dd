"""The bundled data: ``data/`` of a checkout or ``graph/data/`` of an installed wheel.

:func:`data_dir` finds whichever is there; :func:`bundled_graph` parses one of its files once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from ..errors import GraphLoadError
from .parsing import parse_into


def data_dir() -> Path:
    """The folder holding ``her.ttl``, ``ontology.ttl``, ``shapes.ttl`` and ``queries/``.

    Example:
        >>> sorted(p.name for p in data_dir().glob("*.ttl"))
        ['her.ttl', 'ontology.ttl', 'shapes.ttl']
    """
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "ontology.ttl").is_file():
            return candidate
    raise GraphLoadError(f"the bundled data is missing: neither {here / 'data'} nor "
                         f"{here.parent / 'data'} holds ontology.ttl; reinstall her-graph")


@lru_cache(maxsize=8)
def _bundled_triples(name: str) -> tuple[tuple, ...]:
    graph = Graph()
    parse_into(graph, data_dir() / name)
    return tuple(graph)


def bundled_graph(name: str) -> Graph:
    """A fresh rdflib graph of one bundled file (``"ontology.ttl"``, ``"shapes.ttl"``, ...).

    Example:
        >>> len(bundled_graph("shapes.ttl")) > 100
        True
    """
    graph = Graph()
    for triple in _bundled_triples(name):
        graph.add(triple)
    return graph
