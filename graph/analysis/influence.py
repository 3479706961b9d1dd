"""Who influenced whom: influence analysis over the ``"influence"`` view, with evidence.

Plain functions in the networkx style: each takes the influence graph first (a
:class:`networkx.DiGraph` whose edge *u -> v* means *u influenced v*, as
``kg.to_networkx("influence")`` builds it), keyword-only options after, and returns
:class:`~graph.analysis.results.Results` whose every answer carries the evidence of each
influence it rests on (how, through which events, and the most telling quote). They work on any
DiGraph: a node's ``label`` attribute (else the node itself) names it, and the edge attributes
``how``, ``events``, ``event_labels``, ``quote`` and ``evidence`` are used when present.

Groups of characters (``type == "group"``, such as "the 8,316 other people") are parties like
any other: a group is one node, however many members it has.

With a story graph at hand, ``kg.influence`` (a :class:`graph.analysis.named.InfluenceAnalysis`)
offers the same functions with names resolved through :meth:`~graph.KnowledgeGraph.resolve`:

    >>> import graph
    >>> kg = graph.load()
    >>> print(kg.influence.who_influenced("theodore"))
    Who influenced Theodore (direct):
      Amy: “When Amy and Theodore finally disconnect from their virtual worlds and look up from their screens”
      Catherine: “Catherine and Samantha remain in Theodore’s life in immaterial, but equally influential, ways.”
      Samantha: “Theodore’s Letter To Catherine Shows How Samantha Changed Him”
      the operating systems: “Samantha tells Theodore that she needs to disconnect from their relationship permanently and that all operating systems are disconnecting”
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Hashable, Iterator
from itertools import islice, pairwise
from typing import Any

import networkx as nx
from networkx.utils import not_implemented_for

from ..errors import AnalysisError
from .ranking import pagerank as _pagerank
from .results import (
    Hop,
    InfluencePath,
    MutualPair,
    RankedParty,
    Reach,
    Results,
)
from .traversal import TreePath, hop, iter_simple_paths, label, order, shortest_path_tree

#: The orders :func:`rank_influence` can sort by.
RANKINGS = ("pagerank", "out_degree", "in_degree")


_label = label
_order = order
_hop = hop


def _check_node(G: nx.DiGraph, node: Hashable) -> None:
    if node not in G:
        examples = ", ".join(repr(n) for n in sorted(G, key=_order(G))[:3])
        raise AnalysisError(
            f"{node!r} is not a node of this influence graph ({G.number_of_nodes()} parties"
            f"{': ' + examples + ', ...' if examples else ''}); pass a node key such as an IRI, "
            "or use kg.influence, which resolves names")


def check_depth(depth: int | None, name: str = "depth") -> None:
    """Raise :class:`AnalysisError` unless ``depth`` is a whole number of 1 or more, or None.

    Example:
        >>> check_depth(2)
        >>> check_depth(0)
        Traceback (most recent call last):
            ...
        graph.errors.AnalysisError: depth must be a whole number of 1 or more...; got 0
    """
    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int)
                              or depth < 1):
        raise AnalysisError(f"{name} must be a whole number of 1 or more, or None for no limit; "
                            f"got {depth!r}")


@not_implemented_for("undirected")
@not_implemented_for("multigraph")
def influence_between(G: nx.DiGraph, influencer: Hashable, influenced: Hashable) -> Hop:
    """The direct influence of ``influencer`` on ``influenced``, with its evidence.

    Raises:
        AnalysisError: either node is missing, or there is no such influence.

    Example:
        >>> import networkx as nx
        >>> G = nx.DiGraph()
        >>> G.add_edge("catherine", "theodore", quote="you helped make me who I am")
        >>> print(influence_between(G, "catherine", "theodore"))
        catherine → theodore: “you helped make me who I am”
    """
    _check_node(G, influencer)
    _check_node(G, influenced)
    if not G.has_edge(influencer, influenced):
        raise AnalysisError(f"{_label(G, influencer)} did not influence "
                            f"{_label(G, influenced)} directly in this graph")
    return _hop(G, influencer, influenced)


def _reach(G: nx.DiGraph, node: Hashable, depth: int | None, *, backwards: bool
           ) -> list[Reach]:
    """One breadth-first search from ``node`` (O(nodes + links)); each answer's path is read
    from the search's parent pointers when it is used."""
    parent, distance = shortest_path_tree(G, node, depth, backwards=backwards)
    key = order(G)
    found = [Reach(party=party, label=label(G, party), type=str(G.nodes[party].get("type", "")),
                   depth=distance[party],
                   path=TreePath(G, parent, party, backwards=backwards))
             for party in parent]
    found.sort(key=lambda r: (r.depth, *key(r.party)))
    return found


def describe_depth(depth: int | None) -> str:
    """How far answers of this depth reach, in words: "direct", "within 2 hops", ...

    Example:
        >>> describe_depth(1), describe_depth(3), describe_depth(None)
        ('direct', 'within 3 hops', 'directly or not')
    """
    if depth == 1:
        return "direct"
    return "directly or not" if depth is None else f"within {depth} hops"


@not_implemented_for("undirected")
@not_implemented_for("multigraph")
def who_influenced(G: nx.DiGraph, node: Hashable, *, depth: int | None = 1
                   ) -> Results[Reach]:
    """The parties whose influence reaches ``node``, directly or through others.

    A party is listed when a chain of at most ``depth`` influences leads from it to ``node``:
    ``depth=1`` (the default) gives the direct influencers, ``depth=None`` every party whose
    influence reaches ``node`` at all (the ancestors of ``node``). ``node`` itself is never
    listed, even when its influence comes back to it through others (see
    :func:`mutual_influences`). Each answer's ``depth`` is the length of the shortest chain and
    its ``path`` one such chain, with the evidence of every hop.

    Answers are sorted by depth, then label.

    Raises:
        AnalysisError: ``node`` is not in ``G``, or ``depth`` is below 1.

    Example:
        >>> import networkx as nx
        >>> G = nx.DiGraph([("catherine", "theodore"), ("samantha", "theodore"),
        ...                 ("theodore", "samantha"), ("people", "samantha")])
        >>> [r.party for r in who_influenced(G, "theodore")]
        ['catherine', 'samantha']
        >>> [(r.party, r.depth) for r in who_influenced(G, "theodore", depth=None)]
        [('catherine', 1), ('samantha', 1), ('people', 2)]
    """
    _check_node(G, node)
    check_depth(depth)
    return Results(f"Who influenced {_label(G, node)} ({describe_depth(depth)})",
                   _reach(G, node, depth, backwards=True))


@not_implemented_for("undirected")
@not_implemented_for("multigraph")
def whom_influenced(G: nx.DiGraph, node: Hashable, *, depth: int | None = 1
                    ) -> Results[Reach]:
    """The parties ``node``'s influence reaches, directly or through others.

    The mirror of :func:`who_influenced`: ``depth=1`` gives the parties ``node`` influenced
    directly, ``depth=None`` every party its influence reaches (its descendants). Each
    answer's ``path`` runs from ``node`` to the party.

    Raises:
        AnalysisError: ``node`` is not in ``G``, or ``depth`` is below 1.

    Example:
        >>> import networkx as nx
        >>> G = nx.DiGraph([("catherine", "theodore"), ("theodore", "samantha")])
        >>> [(r.party, r.depth) for r in whom_influenced(G, "catherine", depth=2)]
        [('theodore', 1), ('samantha', 2)]
        >>> whom_influenced(G, "catherine", depth=2)[1].path.labels
        ('catherine', 'theodore', 'samantha')
    """
    _check_node(G, node)
    check_depth(depth)
    return Results(f"Whom {_label(G, node)} influenced ({describe_depth(depth)})",
                   _reach(G, node, depth, backwards=False))


#: The most paths :func:`influence_paths` collects; past it, it raises (use ``max_hops``, or
#: :func:`iter_influence_paths`, which yields them one at a time).
PATHS_LIMIT = 10_000


@not_implemented_for("undirected")
@not_implemented_for("multigraph")
def iter_influence_paths(G: nx.DiGraph, source: Hashable, target: Hashable, *,
                         max_hops: int | None = None) -> Iterator[InfluencePath]:
    """Yield the chains of influences from ``source`` to ``target`` one at a time, lazily.

    The same paths as :func:`influence_paths`, in depth-first order (neighbours by label)
    instead of shortest first, so the first ones come at once however many there are (a dense
    graph can have exponentially many). Parties from which ``target`` cannot be reached in the
    hops left are never entered.

    Raises:
        AnalysisError: a node is not in ``G``, or ``max_hops`` is below 1 (when the first path
            is asked for).

    Example:
        >>> import networkx as nx
        >>> G = nx.complete_graph(12, nx.DiGraph)
        >>> paths = iter_influence_paths(G, 0, 1)
        >>> [next(paths).nodes for _ in range(2)]
        [(0, 1), (0, 10, 1)]
    """
    _check_node(G, source)
    _check_node(G, target)
    check_depth(max_hops, "max_hops")
    for path in iter_simple_paths(G, source, target, max_hops):
        yield InfluencePath(tuple(hop(G, a, b) for a, b in pairwise(path)))


@not_implemented_for("undirected")
@not_implemented_for("multigraph")
def influence_paths(G: nx.DiGraph, source: Hashable, target: Hashable, *,
                    max_hops: int | None = None, limit: int = PATHS_LIMIT
                    ) -> Results[InfluencePath]:
    """Every chain of influences from ``source`` to ``target``, with the evidence of each hop.

    A path is a simple path in ``G`` (no party twice) of at least one hop; ``max_hops`` caps its
    length. Paths are sorted shortest first, then by their labels. The number of paths can grow
    exponentially with the size of a dense graph, so at most ``limit`` (:data:`PATHS_LIMIT`,
    10,000) are collected: past it, this raises rather than run for hours. Give ``max_hops``,
    or iterate over :func:`iter_influence_paths`, on large graphs.

    Raises:
        AnalysisError: a node is not in ``G``, ``max_hops`` is below 1, or there are more than
            ``limit`` paths.

    Example:
        >>> import networkx as nx
        >>> G = nx.DiGraph([("catherine", "theodore"), ("theodore", "samantha"),
        ...                 ("catherine", "samantha")])
        >>> [p.labels for p in influence_paths(G, "catherine", "samantha")]
        [('catherine', 'samantha'), ('catherine', 'theodore', 'samantha')]
    """
    _check_node(G, source)
    _check_node(G, target)
    check_depth(max_hops, "max_hops")
    key = order(G)
    found = list(islice(iter_influence_paths(G, source, target, max_hops=max_hops), limit + 1))
    if len(found) > limit:
        raise AnalysisError(
            f"more than {limit:,} chains of influence lead from {label(G, source)} to "
            f"{label(G, target)}; give max_hops, or iterate over iter_influence_paths")
    found.sort(key=lambda p: (len(p), [key(n) for n in p.nodes]))
    return Results(f"Influence paths from {label(G, source)} to {label(G, target)}", found)


@not_implemented_for("undirected")
@not_implemented_for("multigraph")
def mutual_influences(G: nx.DiGraph) -> Results[MutualPair]:
    """The pairs of parties who influenced each other (an edge each way), with both quotes.

    Each pair is listed once, its two parties in label order; pairs are sorted by label.

    Example:
        >>> import networkx as nx
        >>> G = nx.DiGraph([("samantha", "theodore"), ("theodore", "samantha"),
        ...                 ("catherine", "theodore")])
        >>> [(p.a, p.b) for p in mutual_influences(G)]
        [('samantha', 'theodore')]
    """
    order = _order(G)
    pairs = []
    for u, v in G.edges:
        if u != v and G.has_edge(v, u) and order(u) < order(v):
            pairs.append(MutualPair(a=u, b=v, a_label=_label(G, u), b_label=_label(G, v),
                                    a_to_b=_hop(G, u, v), b_to_a=_hop(G, v, u)))
    pairs.sort(key=lambda p: (order(p.a), order(p.b)))
    return Results("Mutual influences", pairs)


@not_implemented_for("undirected")
@not_implemented_for("multigraph")
def rank_influence(G: nx.DiGraph, *, by: str = "pagerank", alpha: float = 0.85,
                   groups: bool = True) -> Results[RankedParty]:
    """Rank the parties by influence, with every score shown.

    ``pagerank``
        PageRank of the *reversed* graph (each edge pointing from the influenced back to the
        influencer, damping ``alpha``): a party scores high when it influenced parties who
        themselves score high, so influence passed along a chain counts for its source. The
        scores sum to 1.
    ``out_degree``
        How many parties it influenced directly.
    ``in_degree``
        How many parties influenced it directly (how open it was to influence, not how
        influential).

    ``by`` chooses the order, highest first; equal scores share a rank (1, 1, 3, ...) and are
    listed by label. Groups are ranked like characters,
    each as one party; ``groups=False`` leaves them out of the list, while still counting their
    influence in everyone else's scores. The ranking covers the parties of the influence graph:
    a character who neither influenced nor was influenced is not in it.

    Raises:
        AnalysisError: ``by`` is not one of :data:`RANKINGS`, or ``alpha`` is not in [0, 1).

    Example:
        >>> import networkx as nx
        >>> G = nx.DiGraph([("people", "samantha"), ("samantha", "theodore"),
        ...                 ("catherine", "theodore"), ("theodore", "amy")])
        >>> [(r.label, round(r.pagerank, 2)) for r in rank_influence(G)]
        [('people', 0.28), ('theodore', 0.21), ('catherine', 0.2), ('samantha', 0.2), ('amy', 0.11)]
        >>> [(r.label, r.in_degree) for r in rank_influence(G, by="in_degree")][:2]
        [('theodore', 2), ('amy', 1)]
    """
    if by not in RANKINGS:
        raise AnalysisError(f"cannot rank by {by!r}; rank by one of {', '.join(RANKINGS)}")
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 <= alpha < 1:
        raise AnalysisError(f"alpha must be a number from 0 to below 1; got {alpha!r}")
    order = _order(G)
    scores = _pagerank({u: sorted(G.predecessors(u), key=order) for u in G}, alpha=alpha)
    entries: list[dict[str, Any]] = [
        {"party": u, "label": _label(G, u), "type": str(G.nodes[u].get("type", "")),
         "pagerank": scores[u], "out_degree": G.out_degree(u), "in_degree": G.in_degree(u)}
        for u in G
        if groups or G.nodes[u].get("type") != "group"
    ]
    # PageRank scores equal in exact arithmetic can differ in the last bits of a float.
    score = (lambda e: round(e[by], 9)) if by == "pagerank" else (lambda e: e[by])
    entries.sort(key=lambda e: (-score(e), *order(e["party"])))
    ranked, rank = [], 0
    for i, entry in enumerate(entries):
        if i == 0 or score(entry) != score(entries[i - 1]):
            rank = i + 1
        ranked.append(RankedParty(rank=rank, **entry))
    what = {"pagerank": "PageRank", "out_degree": "parties influenced directly",
            "in_degree": "direct influencers"}[by]
    return Results(f"Influence ranking by {what}", ranked)
