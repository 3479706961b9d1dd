"""``python -m graph.cli``: the ``her-graph`` command."""

from . import run

run()
