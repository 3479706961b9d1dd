"""Linear-time traversals behind :mod:`graph.analysis.influence`: shortest-path trees and lazy
paths.

A question about one party (who influenced it, whom it influenced, how far) is one breadth-first
search, O(nodes + links): the search keeps, for every party it reaches, the party it came from
(a parent pointer), and a :class:`TreePath` turns those pointers into hops only when they are
read. So ``n`` answers cost O(n) to find, not the O(n²) of building every chain up front (a
chain of 4,000 characters has 8 million hops in all its answers' chains).

Chains between two parties can be exponentially many: :func:`iter_simple_paths` yields them one
at a time, depth first, and skips every party from which the target is out of reach (one
backward search, done once).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from itertools import pairwise
from typing import Any

import networkx as nx

from .results import Hop, InfluencePath


def label(G: nx.DiGraph, node: Hashable) -> str:
    """A node's ``label`` attribute, else the node itself, as text.

    Example:
        >>> G = nx.DiGraph()
        >>> G.add_node("a", label="Amy")
        >>> label(G, "a")
        'Amy'
    """
    return str(G.nodes[node].get("label", node))


def order(G: nx.DiGraph) -> Callable[[Hashable], tuple[str, str]]:
    """The sort key of nodes: by label, case-insensitively, then by key.

    Example:
        >>> G = nx.DiGraph([("b", "a")])
        >>> sorted(G, key=order(G))
        ['a', 'b']
    """
    return lambda node: (label(G, node).casefold(), str(node))


def hop(G: nx.DiGraph, u: Hashable, v: Hashable) -> Hop:
    """The influence ``u -> v`` of ``G`` with its evidence, as a :class:`Hop`.

    Example:
        >>> G = nx.DiGraph()
        >>> G.add_edge("a", "b", quote="so it goes")
        >>> hop(G, "a", "b").quote
        'so it goes'
    """
    data = G.edges[u, v]
    quote = str(data.get("quote") or "")
    return Hop(
        influencer=u,
        influenced=v,
        influencer_label=label(G, u),
        influenced_label=label(G, v),
        how=str(data.get("how") or ""),
        events=tuple(data.get("events") or ()),
        event_labels=tuple(data.get("event_labels") or ()),
        quote=quote,
        evidence=tuple(data.get("evidence") or ((quote,) if quote else ())),
    )


def shortest_path_tree(G: nx.DiGraph, node: Hashable, depth: int | None, *, backwards: bool
                       ) -> tuple[dict[Hashable, Hashable], dict[Hashable, int]]:
    """Breadth-first search from ``node``, at most ``depth`` links out (None: no limit).

    Follows the links backwards (to influencers) when ``backwards``. Neighbours are visited in
    label order, so ties between chains of the same length break the same way every time.
    O(nodes + links), plus sorting each party's neighbours.

    Returns:
        ``(parent, distance)``: for each party reached (``node`` excluded), the party it was
        reached from; and the number of links from ``node`` to each party (``node`` included,
        at 0), in the order they were reached.

    Example:
        >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
        >>> shortest_path_tree(G, "a", None, backwards=False)
        ({'b': 'a', 'c': 'b'}, {'a': 0, 'b': 1, 'c': 2})
    """
    neighbours = G.pred if backwards else G.succ
    key = order(G)
    parent: dict[Hashable, Hashable] = {}
    distance = {node: 0}
    frontier = [node]
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        following = []
        for u in frontier:
            for v in sorted(neighbours[u], key=key):
                if v not in distance:
                    distance[v] = level
                    parent[v] = u
                    following.append(v)
        frontier = following
    return parent, distance


class TreePath(InfluencePath):
    """An :class:`InfluencePath` read from a shortest-path tree when it is used.

    It holds the tree's parent pointers and one end; its hops are built (O(length)) each time
    they are read, so a search that answers for ``n`` parties stores O(n), not every chain. It
    compares equal to an :class:`InfluencePath` with the same hops.

    Example:
        >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
        >>> parent, _ = shortest_path_tree(G, "a", None, backwards=False)
        >>> TreePath(G, parent, "c", backwards=False).nodes
        ('a', 'b', 'c')
    """

    _graph: nx.DiGraph
    _parent: dict[Hashable, Hashable]
    _end: Hashable
    _backwards: bool

    def __init__(self, G: nx.DiGraph, parent: dict[Hashable, Hashable], end: Hashable, *,
                 backwards: bool) -> None:
        # Frozen dataclass: set through object.__setattr__; ``hops`` is the property below.
        object.__setattr__(self, "_graph", G)
        object.__setattr__(self, "_parent", parent)
        object.__setattr__(self, "_end", end)
        object.__setattr__(self, "_backwards", backwards)

    @property
    def hops(self) -> tuple[Hop, ...]:
        """The hops, from the first influencer to the last one influenced."""
        chain = [self._end]
        parent = self._parent
        while chain[-1] in parent:
            chain.append(parent[chain[-1]])
        if not self._backwards:
            chain.reverse()  # the search's start ... end, in the direction of the influence
        G = self._graph
        return tuple(hop(G, a, b) for a, b in pairwise(chain))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InfluencePath):
            return NotImplemented
        return self.hops == other.hops

    def __hash__(self) -> int:
        return hash((self.hops,))  # as the dataclass hashes an InfluencePath

    def __repr__(self) -> str:
        return f"InfluencePath(hops={self.hops!r})"


def iter_simple_paths(G: nx.DiGraph, source: Hashable, target: Hashable,
                      max_hops: int | None = None) -> Iterator[list[Hashable]]:
    """Every simple path (no node twice, at least one link) from ``source`` to ``target``.

    Depth first, neighbours in label order, at most ``max_hops`` links. A backward search from
    ``target`` (once, O(nodes + links)) gives each node's distance to it, and the search never
    enters a node from which ``target`` is further than the links left, so it skips the dead ends
    that do not lead to ``target`` at all (it can still enter one whose only ways on run through
    the path itself).

    Example:
        >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
        >>> list(iter_simple_paths(G, "a", "c"))
        [['a', 'b', 'c'], ['a', 'c']]
    """
    if source == target:
        return
    parent, to_target = shortest_path_tree(G, target, max_hops, backwards=True)
    del parent
    if source not in to_target:
        return
    key = order(G)
    limit = len(G) if max_hops is None else max_hops
    successors: dict[Hashable, list[Hashable]] = {}

    def ahead(u: Hashable) -> list[Hashable]:
        if u not in successors:
            successors[u] = sorted((v for v in G.succ[u] if v in to_target), key=key)
        return successors[u]

    path: list[Hashable] = [source]
    on_path: set[Any] = {source}
    stack = [iter(ahead(source))]
    while stack:
        for v in stack[-1]:
            left = limit - len(path)  # links still allowed after the one to v
            if v in on_path or to_target[v] > left:
                continue
            if v == target:
                yield [*path, v]
                continue
            path.append(v)
            on_path.add(v)
            stack.append(iter(ahead(v)))
            break
        else:
            stack.pop()
            on_path.discard(path.pop())
