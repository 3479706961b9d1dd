"""NetworkX projections of a story graph, the one labelling module and the triple index.

``VIEWS`` and ``to_networkx`` load networkx on first use (``her-graph stats`` and ``import graph``
never need it).

>>> from graph.views import VIEWS
>>> sorted(VIEWS)
['cooccurrence', 'full', 'influence', 'relationships', 'timeline']
"""

from __future__ import annotations

from typing import Any

from .labels import best_text, category, local_name, node_key

__all__ = ["VIEWS", "best_text", "category", "local_name", "node_key", "to_networkx"]

_FROM_PROJECTION = ("VIEWS", "to_networkx")


def __getattr__(name: str) -> Any:
    if name in _FROM_PROJECTION:
        from . import projection  # lazy: start-up time (networkx)

        return getattr(projection, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
