"""The names of the views that have story time (no heavy imports: the CLI's choices).

>>> "cooccurrence" in TIMED_VIEWS
True
"""

from __future__ import annotations

#: The views that can be cut at a point of story time (see :mod:`graph.views.cooccurrence`).
TIMED_VIEWS: tuple[str, ...] = ("influence", "relationships", "timeline", "cooccurrence")
