"""Analyses of the NetworkX projections: influence (who shaped whom), rankings.

``InfluenceAnalysis`` loads networkx on first use; the rankings do not need it.

>>> import graph
>>> from graph.analysis import InfluenceAnalysis
>>> isinstance(graph.load().influence, InfluenceAnalysis)
True
"""

from __future__ import annotations

from typing import Any

from .ranking import pagerank, reach

__all__ = ["InfluenceAnalysis", "pagerank", "reach"]


def __getattr__(name: str) -> Any:
    if name == "InfluenceAnalysis":
        from .named import InfluenceAnalysis  # lazy: start-up time (networkx)

        return InfluenceAnalysis
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
