"""RDF to NetworkX: typed, labelled projections of a story graph.

Four views, each a graph any networkx algorithm can use. Nodes are keyed by IRI (a plain ``str``;
a blank node by ``"_:label"``) and carry ``label`` (a readable name) and ``type`` (a category
such as ``"human_character"``, see :data:`NODE_TYPES`).

``"influence"`` (:class:`networkx.DiGraph`)
    An edge *influencer -> influenced* for each ``prov:wasInfluencedBy``, or each qualified
    ``prov:Influence`` (which implies it). Edge attributes: ``how`` (str), ``events`` (tuple of
    the event IRIs it went through, in story order), ``event_labels`` (their labels), ``event``
    (the first of them, or ``""``), ``evidence`` (tuple of every supporting quote, most telling
    first), ``quote`` (the most telling one, or ``""``), ``influences`` (tuple of the qualified
    ``prov:Influence`` IRIs) and ``label`` (``"influenced"``).
``"relationships"`` (:class:`networkx.MultiGraph`)
    An edge between two parties of each ``hg:Relationship``, keyed by the relationship's IRI.
    Edge attributes: ``kind`` (label), ``kind_iri``, ``label``, ``status``, ``starts``, ``ends``
    (event IRIs or ``""``), ``quote``, ``evidence`` (most telling first) and ``relationship``.
``"timeline"`` (:class:`networkx.DiGraph`)
    One node per event, an edge to the event that follows it (``hg:precedes``, or else the next
    story position). Node attributes: ``position``, ``act``, ``act_number``, ``event_type``,
    ``participants`` (tuple of IRIs) and ``participant_names``.
``"cooccurrence"`` (:class:`networkx.Graph`)
    Characters who take part in the same event, weighted by the number of events they share,
    with those events as the evidence of each edge: see :mod:`graph.views.cooccurrence`.
``"full"`` (:class:`networkx.MultiDiGraph`)
    Every triple whose object is a resource, as an edge keyed by the predicate IRI; each literal
    as a node attribute named by its predicate IRI (an rdflib ``Literal``, or a tuple of them
    when there are several). :func:`to_rdf` turns it back into an isomorphic rdflib graph.

The most telling quote is the one that names the most of the parties it is about (by label,
as a whole word), then the shortest, then the first in alphabetical order; ``evidence`` lists
every quote in that order, so the same graph always gives the same answer.

The first three views (:mod:`graph.views.builders`) and the co-occurrence view read only the
triples they need, so their cost grows with the size of what they show, not of the graph: in
one SPARQL query from a store that runs SPARQL itself (Oxigraph, a SPARQL server), by pattern
from the memory store; the same builder makes the same graph either way. The full view
(:mod:`graph.views.full`) reads every triple once. ``benchmarks/bench_projection.py`` measures
them against rdflib's own converter, ``benchmarks/bench_oxigraph_projection.py`` against one
raw query.

Example:
    >>> import graph
    >>> g = graph.load().to_networkx("influence")
    >>> sorted(g.nodes[n]["label"] for n in g.predecessors("https://w3id.org/her-graph/her/Theodore"))
    ['Amy', 'Catherine', 'Samantha', 'the operating systems']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import UnknownViewError
from .builders import influence_view, relationships_view, timeline_view
from .cooccurrence import cooccurrence_graph
from .full import full_view
from .labels import TermReader
from .story_facts import Facts

if TYPE_CHECKING:
    import networkx as nx

    from ..stores.handle import StoryGraph

#: The registry of views: name -> the function that builds it. :data:`VIEWS`, the pages, the
#: exporters, the CLI's choices and the error for an unknown view all come from here.
_BUILDERS: dict[str, Callable[[StoryGraph, TermReader | None], nx.Graph]] = {
    "influence": lambda kg, reader: influence_view(kg, reader=reader),
    "relationships": lambda kg, reader: relationships_view(kg, reader=reader),
    "timeline": lambda kg, reader: timeline_view(kg, reader=reader),
    "cooccurrence": lambda kg, reader: cooccurrence_graph(
        Facts(kg.backend.patterns(), reader=reader)),
    "full": lambda kg, reader: full_view(kg.backend.triples()),
}

#: The names of the views, in the order pages and docs list them.
VIEWS: tuple[str, ...] = tuple(_BUILDERS)


def to_networkx(kg: StoryGraph, *, view: str = "influence",
                reader: TermReader | None = None) -> nx.Graph:
    """Project ``kg`` into a networkx graph; see the module documentation for the views.

    Args:
        kg: the story graph.
        view: ``"influence"``, ``"relationships"``, ``"timeline"``, ``"cooccurrence"`` or
            ``"full"``.
        reader: a :class:`~graph.views.labels.TermReader` of ``kg`` shared by several views
            (:meth:`TermReader.of <graph.views.labels.TermReader.of>`), so that each node is
            read once for all of them; by default the view reads with a reader of its own.

    Raises:
        HerGraphError: for an unknown view (the message lists the views).

    Example:
        >>> import graph
        >>> g = to_networkx(graph.load(), view="relationships")
        >>> her = "https://w3id.org/her-graph/her/"
        >>> shared = her + "rel-theodore-amy-shared-experience"
        >>> g.edges[her + "Theodore", her + "Amy", shared]["kind"]
        'shared experience'
    """
    try:
        builder = _BUILDERS[view]
    except (KeyError, TypeError):
        raise UnknownViewError(f"unknown view {view!r}; views: {', '.join(VIEWS)}") from None
    return builder(kg, reader)


#: The inverse of the ``"full"`` view, under the name networkx users look for.
