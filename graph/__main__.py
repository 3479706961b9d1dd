"""``python -m graph``: the ``her-graph`` command."""

from .cli import run

run()
