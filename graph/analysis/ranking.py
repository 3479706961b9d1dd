"""Ranking parties of an influence network in pure Python (no networkx, SciPy or NumPy).

:func:`graph.analysis.influence.rank_influence` and ``her-graph stats`` share these, so the command
line can rank characters without importing networkx (it starts faster), and both give the same
numbers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from ..errors import AnalysisError

#: A node key: anything hashable (an IRI string, for the her-graph views).
K = TypeVar("K", bound=Hashable)

__all__ = ["pagerank", "reach"]


def pagerank(successors: Mapping[K, Sequence[K]], *, alpha: float,
             tol: float = 1e-9, max_iter: int = 1000) -> dict[K, float]:
    """PageRank by power iteration, as :func:`networkx.pagerank` defines it.

    ``successors`` maps every node to the nodes it links to (every node must be a key).
    Teleportation is uniform, and a node without out-links spreads its score over every node.

    Example:
        >>> scores = pagerank({"a": ["b"], "b": [], "c": ["b"]}, alpha=0.85)
        >>> max(scores, key=scores.get)
        'b'
    """
    n = len(successors)
    if n == 0:
        return {}
    score = dict.fromkeys(successors, 1.0 / n)
    dangling = [u for u, out in successors.items() if not out]
    for _ in range(max_iter):
        previous = score
        base = (1.0 - alpha + alpha * sum(previous[u] for u in dangling)) / n
        score = dict.fromkeys(successors, base)
        for u, out in successors.items():
            if out:
                share = alpha * previous[u] / len(out)
                for v in out:
                    score[v] += share
        if sum(abs(score[u] - previous[u]) for u in score) < n * tol:
            return score
    raise AnalysisError(f"PageRank did not converge in {max_iter} iterations; use a lower alpha")


def reach(successors: Mapping[K, Sequence[K]]) -> dict[K, int]:
    """How many other nodes each node reaches by following links (breadth-first).

    Example:
        >>> reach({"a": ["b"], "b": ["c"], "c": []})
        {'a': 2, 'b': 1, 'c': 0}
    """
    counts = {}
    for start in successors:
        seen = {start}
        queue = deque([start])
        while queue:
            for nxt in successors[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        counts[start] = len(seen) - 1
    return counts
