"""The story-time slider of a page: what the page shows at each event of the story.

For each event, in story order, :func:`story_steps` lists the page's nodes and links that hold
then, as :meth:`KnowledgeGraph.at <graph.KnowledgeGraph.at>` says (what is *certainly* before the
event):

- a node shows when it is in :attr:`StoryState.nodes <graph.views.story_time.StoryState.nodes>`
  (a character who has appeared, a party of a relationship or influence that holds, an event
  that holds); nodes outside story time (themes, places, actors, the film) are hidden while the
  slider is on an event, and shown again on its last stop, "the whole story";
- a link shows when both its ends show and it holds: an influence once exerted, a relationship
  once it exists (with its current stage, ``stages``), a sequence link between two events that
  hold, a participation in an event that holds, a co-occurrence counted so far.

Indexes refer to the page data's ``nodes`` and ``edges`` lists. Pages with more than
:data:`MAX_CELLS` step-by-item entries get no slider (the data would outweigh the page).

Example:
    >>> import graph
    >>> from graph.page.model import page_model
    >>> kg = graph.load()
    >>> steps = story_steps(kg, page_model(kg, view="influence"))
    >>> len(steps["steps"]), steps["steps"][0]["label"]
    (14, 'Theodore mourns his lost love with Catherine')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..views.cooccurrence import cooccurrence_graph
from ..views.story_time import shared_story_time

if TYPE_CHECKING:
    from ..stores.handle import StoryGraph
    from ..views.story_time import StoryState, StoryTime
    from .model import PageEdge, PageModel

#: The most steps x (nodes + links) a page carries a slider for.
MAX_CELLS = 400_000
#: The page views that have a story-time slider.
TIMED_PAGE_VIEWS = ("story", "influence", "relationships", "timeline", "cooccurrence")


class _Held:
    """What one state holds, in the terms page links use."""

    def __init__(self, time: StoryTime, state: StoryState, with_cooccurrence: bool):
        self.state = state
        self.influences = {(i.influencer, i.influenced) for i in state.influences}
        self.stages = {r.relationship: r.stage_type for r in state.relationships}
        self.cooccurrences: set[frozenset[str]] = set()
        if with_cooccurrence:
            co = cooccurrence_graph(time.facts, events=state.events)
            self.cooccurrences = {frozenset(edge) for edge in co.edges()}


def edge_holds(edge: PageEdge, held: _Held) -> bool:
    """Whether a page link holds in a state (its ends aside).

    Example:
        >>> import graph
        >>> from graph.page.model import PageEdge
        >>> kg, her = graph.load(), "https://w3id.org/her-graph/her/"
        >>> state = shared_story_time(kg).at(her + "event-fight")
        >>> held = _Held(shared_story_time(kg), state, with_cooccurrence=False)
        >>> edge_holds(PageEdge(her + "Catherine", her + "Theodore", "influence", ""), held)
        True
    """
    if edge.kind == "influence":
        return (edge.source, edge.target) in held.influences
    if edge.kind == "relationship":
        return edge.key in held.stages
    if edge.kind == "sequence":
        return held.state.holds(edge.source) and held.state.holds(edge.target)
    if edge.kind == "participation":
        return held.state.holds(edge.target)
    if edge.kind == "cooccurrence":
        return frozenset((edge.source, edge.target)) in held.cooccurrences
    return False


def story_steps(kg: StoryGraph, model: PageModel) -> dict[str, Any] | None:
    """The slider's data for a page: one step per event; ``None`` when the page has none.

    Each step has ``event`` (the IRI), ``label``, ``position``, ``node`` (the index of the
    event's node on the page, or ``-1``), ``nodes`` and ``edges`` (indexes of what shows) and
    ``stages`` (edge index -> the relationship's current stage type).

    Example:
        >>> import graph
        >>> from graph.page.model import page_model
        >>> kg = graph.load()
        >>> steps = story_steps(kg, page_model(kg, view="relationships"))["steps"]
        >>> sorted(set(steps[3]["stages"].values()))
        ['Ends', 'TurningPoint']
    """
    if model.view not in TIMED_PAGE_VIEWS:
        return None
    time = shared_story_time(kg)
    events = time.order.events
    if not events or len(events) * (len(model.nodes) + len(model.edges)) > MAX_CELLS:
        return None
    node_index = {node.id: i for i, node in enumerate(model.nodes)}
    with_co = any(edge.kind == "cooccurrence" for edge in model.edges)
    steps = []
    for state in time.timeline():
        held = _Held(time, state, with_co)
        shown = {node_index[n] for n in state.nodes if n in node_index}
        edges, stages = [], {}
        for j, edge in enumerate(model.edges):
            if (node_index[edge.source] in shown and node_index[edge.target] in shown
                    and edge_holds(edge, held)):
                edges.append(j)
                if edge.kind == "relationship" and held.stages.get(edge.key):
                    stages[str(j)] = held.stages[edge.key]
        steps.append({"event": state.point, "label": state.label, "position": state.position,
                      "node": node_index.get(state.point, -1), "nodes": sorted(shown),
                      "edges": edges, "stages": stages})
    return {"steps": steps}
