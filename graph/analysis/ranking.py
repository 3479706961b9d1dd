"""Ranking parties of an influence network in pure Python (no networkx, SciPy or NumPy).

:func:`graph.analysis.influence.rank_influence` and ``her-graph stats`` share these, so the command
line can rank characters without importing networkx (it starts faster), and both give the same
numbers.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from ..errors import AnalysisError

#: A node key: anything hashable (an IRI string, for the her-graph views).
K = TypeVar("K", bound=Hashable)

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
    """How many other nodes each node reaches by following links.

    Not one search per node (O(nodes × links), quadratic on a long chain or cycle): the nodes
    that reach each other (strongly connected components, found once in O(nodes + links)) reach
    the same nodes, and a component reaches its own nodes and everything its successor
    components reach. Each component's reach is a bit set (a Python int, one bit per node, the
    union done in C), built sinks first and dropped once every component that links to it has
    used it. Chains and cycles take time linear in their size; in general the unions cost
    O(links between components × nodes / 64) machine words.

    Example:
        >>> reach({"a": ["b"], "b": ["c"], "c": []})
        {'a': 2, 'b': 1, 'c': 0}
        >>> reach({"a": ["b"], "b": ["a", "c"], "c": []})
        {'a': 2, 'b': 2, 'c': 0}
    """
    components = _components(successors)  # sinks first
    component_of: dict[K, int] = {}
    for index, members in enumerate(components):
        for node in members:
            component_of[node] = index
    # Each component's successor components, and how many components still need its bits.
    links: list[set[int]] = [set() for _ in components]
    waiting = [0] * len(components)
    for index, members in enumerate(components):
        out = links[index]
        for node in members:
            for nxt in successors[node]:
                target = component_of[nxt]
                if target != index and target not in out:
                    out.add(target)
                    waiting[target] += 1
    bits: dict[int, int] = {}
    first = 0  # nodes are numbered in the order of their components
    counts: dict[K, int] = {}
    for index, members in enumerate(components):
        mask = ((1 << len(members)) - 1) << first
        first += len(members)
        for target in links[index]:
            mask |= bits[target]
            waiting[target] -= 1
            if not waiting[target]:
                del bits[target]
        if waiting[index]:
            bits[index] = mask
        total = mask.bit_count() - 1
        for node in members:
            counts[node] = total
    return {node: counts[node] for node in successors}


def _components(successors: Mapping[K, Sequence[K]]) -> list[list[K]]:
    """The strongly connected components, each after every component it links to (Tarjan's
    algorithm, iterative: O(nodes + links), no recursion limit).

    Example:
        >>> _components({"a": ["b"], "b": ["a", "c"], "c": []})
        [['c'], ['b', 'a']]
    """
    index: dict[K, int] = {}
    low: dict[K, int] = {}
    stack: list[K] = []
    on_stack: set[K] = set()
    found: list[list[K]] = []
    for root in successors:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors[root]))]
        while work:
            node, links = work[-1]
            for nxt in links:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(successors[nxt])))
                    break
                if nxt in on_stack and index[nxt] < low[node]:
                    low[node] = index[nxt]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    found.append(members)
    return found
