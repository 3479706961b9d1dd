"""Influence analysis by name: what ``kg.influence`` returns.

The functions of :mod:`graph.analysis.influence` take node keys (IRIs) of an influence graph;
here each
party is given as a researcher would write it (a name, a label, a prefixed name or an IRI) and
resolved through :meth:`~graph.KnowledgeGraph.resolve`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import TYPE_CHECKING, Any, cast

from rdflib import URIRef

from ..errors import AnalysisError, UnknownNameError
from ..views.labels import TermReader
from .influence import (
    PATHS_LIMIT,
    check_depth,
    describe_depth,
    influence_between,
    influence_paths,
    iter_influence_paths,
    mutual_influences,
    rank_influence,
    who_influenced,
    whom_influenced,
)
from .report import influence_chains, influence_report
from .results import Hop, InfluencePath, MutualPair, RankedParty, Reach, Results

if TYPE_CHECKING:
    import networkx as nx

    from ..stores.handle import StoryGraph
from ..views.projection import to_networkx


class InfluenceAnalysis:
    """The influence analysis of one story graph, by name: what ``kg.influence`` returns.

    Each method is the function of the same name in :mod:`graph.analysis.influence`, run on
    ``kg.to_networkx("influence")`` (built on first use and kept: after changing the graph, ask
    ``kg.influence`` again), with each party given by name, label or IRI and resolved through
    :meth:`~graph.KnowledgeGraph.resolve`. A character who took part in no influence gets empty
    answers; a name that matches nothing raises :class:`~graph.errors.UnknownNameError`.

    Example:
        >>> import graph
        >>> influence = graph.load().influence
        >>> [r.label for r in influence.whom_influenced("Catherine", depth=None)]
        ['Theodore', 'Amy', 'Samantha']
    """

    def __init__(self, kg: StoryGraph):
        self._kg = kg
        self._graph: nx.DiGraph | None = None

    @property
    def graph(self) -> nx.DiGraph:
        """The ``"influence"`` view the answers come from."""
        if self._graph is None:
            self._graph = cast("nx.DiGraph", to_networkx(self._kg, view="influence"))
        return self._graph

    def node(self, name: Hashable) -> Hashable:
        """The node key of a party given by name, label, prefixed name or IRI."""
        if name in self.graph:
            return name
        try:
            return str(self._kg.resolve(str(name), kind="character"))
        except UnknownNameError as error:
            try:
                return str(self._kg.resolve(str(name), kind="resource"))
            except UnknownNameError:
                raise error from None

    def _name(self, node: Hashable) -> str:
        """The label of a resolved party, in the influence graph or not."""
        if node in self.graph:
            return str(self.graph.nodes[node].get("label", node))
        return TermReader(self._kg.backend.patterns()).describe(URIRef(str(node)))["label"]

    def _results(self, results: Results[Any]) -> Results[Any]:
        results.namespaces = self._kg.backend.namespace_manager
        return results

    def influence_between(self, influencer: Hashable, influenced: Hashable) -> Hop:
        """See :func:`graph.analysis.influence.influence_between`."""
        a, b = self.node(influencer), self.node(influenced)
        if a not in self.graph or b not in self.graph:
            raise AnalysisError(f"{self._name(a)} did not influence {self._name(b)} directly "
                                "in this graph")
        hop: Hop = influence_between(self.graph, a, b)
        return hop

    def who_influenced(self, name: Hashable, *, depth: int | None = 1) -> Results[Reach]:
        """See :func:`graph.analysis.influence.who_influenced`."""
        node = self.node(name)
        if node not in self.graph:
            check_depth(depth)
            return self._results(
                Results(f"Who influenced {self._name(node)} ({describe_depth(depth)})"))
        return self._results(who_influenced(self.graph, node, depth=depth))

    def whom_influenced(self, name: Hashable, *, depth: int | None = 1) -> Results[Reach]:
        """See :func:`graph.analysis.influence.whom_influenced`."""
        node = self.node(name)
        if node not in self.graph:
            check_depth(depth)
            return self._results(
                Results(f"Whom {self._name(node)} influenced ({describe_depth(depth)})"))
        return self._results(whom_influenced(self.graph, node, depth=depth))

    def influence_paths(self, source: Hashable, target: Hashable, *,
                        max_hops: int | None = None, limit: int = PATHS_LIMIT
                        ) -> Results[InfluencePath]:
        """See :func:`graph.analysis.influence.influence_paths`."""
        a, b = self.node(source), self.node(target)
        if a not in self.graph or b not in self.graph:
            check_depth(max_hops, "max_hops")
            return self._results(Results(
                f"Influence paths from {self._name(a)} to {self._name(b)}"))
        return self._results(influence_paths(self.graph, a, b, max_hops=max_hops, limit=limit))

    def iter_influence_paths(self, source: Hashable, target: Hashable, *,
                             max_hops: int | None = None) -> Iterator[InfluencePath]:
        """See :func:`graph.analysis.influence.iter_influence_paths`.

        Example:
            >>> import graph
            >>> next(graph.load().influence.iter_influence_paths("Catherine", "Samantha")).labels
            ('Catherine', 'Theodore', 'Samantha')
        """
        a, b = self.node(source), self.node(target)
        if a not in self.graph or b not in self.graph:
            check_depth(max_hops, "max_hops")
            return iter(())
        paths: Iterator[InfluencePath] = iter_influence_paths(self.graph, a, b,
                                                              max_hops=max_hops)
        return paths

    def mutual_influences(self) -> Results[MutualPair]:
        """See :func:`graph.analysis.influence.mutual_influences`."""
        return self._results(mutual_influences(self.graph))

    def rank_influence(self, *, by: str = "pagerank", alpha: float = 0.85,
                       groups: bool = True) -> Results[RankedParty]:
        """See :func:`graph.analysis.influence.rank_influence`."""
        return self._results(rank_influence(self.graph, by=by, alpha=alpha, groups=groups))

    def report(self, character: Hashable) -> dict[str, Any]:
        """Who influenced ``character`` and whom they influenced, as plain data (what
        ``her-graph influence`` prints); see :func:`graph.analysis.report.influence_report`.

        Example:
            >>> import graph
            >>> [e["name"] for e in graph.load().influence.report("Theodore")["influenced"]]
            ['Amy', 'Catherine', 'Samantha']
        """
        return influence_report(self._kg, self.graph, str(character))

    def chains(self, source: Hashable, target: Hashable) -> list[list[dict[str, Any]]]:
        """The shortest chains of influence from ``source`` to ``target``, as plain data; see
        :func:`graph.analysis.report.influence_chains`.

        Example:
            >>> import graph
            >>> len(graph.load().influence.chains("Catherine", "Samantha"))
            1
        """
        return influence_chains(self._kg, self.graph, str(source), str(target))

    def __repr__(self) -> str:
        g = self.graph
        return (f"<InfluenceAnalysis: {g.number_of_nodes()} parties, "
                f"{g.number_of_edges()} influences>")
