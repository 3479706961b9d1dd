"""Network metrics of a character network: per network, per character, and removal impact.

Plain functions of a NetworkX graph, networkx style (graph first, keyword-only options, no
printing). Each works on any graph: a multigraph is first made simple (parallel edges summed into
``weight``, counted as 1 each when they have none), and the measures that need an undirected
graph (components, distances, clustering, betweenness, closeness, eigenvector centrality) use
the undirected version. PageRank follows the edges' direction when the graph has one.

On a disconnected graph, distances are not defined between components, so :func:`network_metrics`
gives the diameter and the average path length *of the largest component* and says so in
``measured_on``; closeness is *harmonic* closeness (the mean of 1/distance, 0 for an unreachable
node), which stays meaningful there.

Example:
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    >>> row = network_metrics(G)
    >>> row["components"], row["diameter"], row["measured_on"]
    (2, 2, 'largest of 2 components (3 of 5 nodes)')
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx


def simple_graph(G: nx.Graph, *, directed: bool = False) -> nx.Graph:
    """``G`` as a simple graph (undirected unless ``directed``), parallel edges summed into
    ``weight`` (an edge with no ``weight`` counts 1); node attributes are kept.

    Example:
        >>> M = nx.MultiGraph([("a", "b"), ("a", "b"), ("b", "c")])
        >>> simple_graph(M).edges["a", "b"]["weight"]
        2
    """
    out: nx.Graph = nx.DiGraph() if directed and G.is_directed() else nx.Graph()
    out.add_nodes_from(sorted(G.nodes(data=True), key=lambda n: str(n[0])))
    for u, v, data in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        if u == v:
            continue
        weight = data.get("weight", 1)
        if out.has_edge(u, v):
            out.edges[u, v]["weight"] += weight
        else:
            out.add_edge(u, v, weight=weight)
    return out


def _label(G: nx.Graph, node: Any) -> str:
    return str(G.nodes[node].get("label", node))


def network_metrics(G: nx.Graph) -> dict[str, Any]:
    """The measures of a whole network (or of one window of story time).

    - ``nodes``, ``edges``: counted on the simple undirected graph;
    - ``density``: edges / (n(n-1)/2);
    - ``components``: connected components;
    - ``diameter``: the longest shortest path, and ``average_path_length`` the mean shortest
      path length (unweighted), both of the largest component when there are several, which
      ``measured_on`` says (``"whole graph"`` otherwise); ``None`` with fewer than 2 nodes;
    - ``average_clustering``: the mean local clustering coefficient (unweighted);
    - ``average_degree``: 2 * edges / nodes;
    - ``max_degree`` and ``max_degree_nodes``: the highest degree and the labels that have it.

    Example:
        >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
        >>> m = network_metrics(G)
        >>> m["density"], m["diameter"], round(m["average_clustering"], 3), m["max_degree_nodes"]
        (0.6666666666666666, 2, 0.583, 'c')
    """
    U = simple_graph(G)
    n, e = U.number_of_nodes(), U.number_of_edges()
    components = sorted(nx.connected_components(U), key=lambda c: (-len(c), min(map(str, c))))
    diameter: int | None = None
    average: float | None = None
    measured_on = "whole graph"
    if components:
        largest = U.subgraph(components[0])
        if len(components) > 1:
            measured_on = (f"largest of {len(components)} components "
                           f"({largest.number_of_nodes()} of {n} nodes)")
        if largest.number_of_nodes() > 1:
            diameter = nx.diameter(largest)
            average = nx.average_shortest_path_length(largest)
    degrees = dict(U.degree())
    top = max(degrees.values(), default=0)
    return {
        "nodes": n,
        "edges": e,
        "density": nx.density(U),
        "components": len(components),
        "diameter": diameter,
        "average_path_length": average,
        "measured_on": measured_on,
        "average_clustering": nx.average_clustering(U) if n else 0.0,
        "average_degree": 2 * e / n if n else 0.0,
        "max_degree": top,
        "max_degree_nodes": ", ".join(sorted(_label(U, v) for v, d in degrees.items()
                                             if d == top and n)),
    }


def _eigenvector(U: nx.Graph) -> dict[Any, float]:
    if U.number_of_edges() == 0:
        return dict.fromkeys(U, 0.0)
    try:
        return nx.eigenvector_centrality(U, max_iter=2000, tol=1e-9, weight="weight")
    except nx.PowerIterationFailedConvergence:
        return dict.fromkeys(U, math.nan)


def pagerank(G: nx.Graph, *, alpha: float = 0.85, tol: float = 1e-10,
             max_iter: int = 500) -> dict[Any, float]:
    """PageRank by power iteration, weighted by ``weight``, in pure Python.

    The same quantity as :func:`networkx.pagerank` (which needs SciPy, not a dependency of
    her-graph): the stationary distribution of a walk that follows an out-edge with probability
    ``alpha`` (in proportion to its weight) and jumps to a random node otherwise; a node with no
    out-edge jumps to a random node. An undirected edge counts in both directions.

    Example:
        >>> ranks = pagerank(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]))
        >>> {k: round(v, 3) for k, v in ranks.items()}
        {'a': 0.333, 'b': 0.32, 'c': 0.31, 'd': 0.038}
    """
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    out: dict[Any, list[tuple[Any, float]]] = {v: [] for v in nodes}
    for u, v, data in G.edges(data=True):
        weight = float(data.get("weight", 1))
        out[u].append((v, weight))
        if not G.is_directed():
            out[v].append((u, weight))
    totals = {v: sum(w for _, w in out[v]) for v in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = sum(rank[v] for v in nodes if totals[v] == 0)
        base = (1.0 - alpha) / n + alpha * dangling / n
        new = dict.fromkeys(nodes, base)
        for v in nodes:
            if totals[v]:
                share = alpha * rank[v] / totals[v]
                for target, weight in out[v]:
                    new[target] += share * weight
        if sum(abs(new[v] - rank[v]) for v in nodes) < n * tol:
            return new
        rank = new
    return rank


def character_metrics(G: nx.Graph) -> list[dict[str, Any]]:
    """The centralities of every node, one dict per node, sorted by label then key.

    - ``degree``: the number of neighbours; ``weighted_degree`` the sum of edge weights;
    - ``betweenness``: the share of shortest paths between other nodes through the node
      (normalised, unweighted);
    - ``closeness``: harmonic closeness, the sum of 1/distance to every other node divided by
      n - 1 (an unreachable node adds 0, so it means something on a disconnected graph);
    - ``eigenvector``: eigenvector centrality (weighted; ``nan`` when it does not converge);
    - ``pagerank``: PageRank (damping 0.85, weighted, along the edges' direction).

    Example:
        >>> G = nx.Graph([("a", "b"), ("b", "c")])
        >>> [(r["node"], r["degree"], r["betweenness"], r["closeness"])
        ...  for r in character_metrics(G)]
        [('a', 1, 0.0, 0.75), ('b', 2, 1.0, 1.0), ('c', 1, 0.0, 0.75)]
    """
    U = simple_graph(G)
    n = U.number_of_nodes()
    if n == 0:
        return []
    betweenness = nx.betweenness_centrality(U)
    harmonic = nx.harmonic_centrality(U)
    eigenvector = _eigenvector(U)
    ranks = pagerank(simple_graph(G, directed=True))
    rows = []
    for node in U:
        rows.append({
            "node": node,
            "label": _label(U, node),
            "degree": U.degree(node),
            "weighted_degree": U.degree(node, weight="weight"),
            "betweenness": betweenness[node],
            "closeness": harmonic[node] / (n - 1) if n > 1 else 0.0,
            "eigenvector": eigenvector[node],
            "pagerank": ranks[node],
        })
    return sorted(rows, key=lambda r: (r["label"], str(r["node"])))


def removal_impact(G: nx.Graph) -> list[dict[str, Any]]:
    """What removing each node changes (Moretti's experiment), one dict per node.

    - ``components_before`` / ``components_after``: connected components of the network with
      and without the node;
    - ``efficiency_before`` / ``efficiency_after`` and ``efficiency_change``: global efficiency
      (the mean of 1/distance over all pairs of nodes), without the node;
    - ``unreachable``: the labels (sorted, comma-separated) of the nodes that were connected to
      another node through it and are cut off from the largest remaining part of its component.

    Example:
        >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
        >>> row = next(r for r in removal_impact(G) if r["node"] == "b")
        >>> row["components_after"], row["unreachable"]
        (2, 'a')
    """
    U = simple_graph(G)
    before_components = nx.number_connected_components(U)
    before = nx.global_efficiency(U)
    component_of = {v: frozenset(c) for c in nx.connected_components(U) for v in c}
    rows = []
    for node in U:
        rest = U.copy()
        rest.remove_node(node)
        after = nx.global_efficiency(rest) if rest.number_of_nodes() else 0.0
        others = component_of[node] - {node}
        pieces = sorted(nx.connected_components(rest.subgraph(others)),
                        key=lambda c: (-len(c), min(map(str, c))))
        cut = sorted(_label(U, v) for piece in pieces[1:] for v in piece)
        rows.append({
            "node": node,
            "label": _label(U, node),
            "components_before": before_components,
            "components_after": nx.number_connected_components(rest),
            "efficiency_before": before,
            "efficiency_after": after,
            "efficiency_change": after - before,
            "unreachable": ", ".join(cut),
        })
    return sorted(rows, key=lambda r: (r["label"], str(r["node"])))
