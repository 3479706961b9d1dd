"""Exports of a story graph: one registry of exporters (Turtle, N-Triples, N-Quads, TriG, JSON-LD,
GraphML, GEXF, CSV, HTML).

>>> from graph.export import EXPORTERS
>>> "ttl" in EXPORTERS
True
"""

from __future__ import annotations

from ..atomic import remove_stale_temporaries, write_atomic, write_files_atomic
from .registry import (
    EXPORTERS,
    Exporter,
    export,
    export_all,
    export_files,
    exporter,
    format_of,
    refuse_replacing,
    render,
    stable_graph,
)

__all__ = [
    "EXPORTERS",
    "Exporter",
    "export",
    "export_all",
    "export_files",
    "exporter",
    "format_of",
    "refuse_replacing",
    "remove_stale_temporaries",
    "render",
    "stable_graph",
    "write_atomic",
    "write_files_atomic",
]
