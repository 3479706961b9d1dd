"""What the interactive page shows: nodes and edges with their text, built from a story graph.

A :class:`PageModel` is plain data (no HTML, no styling): every node with its label, type,
description, evidence quotes and a few facts; every edge with its kind, label, description and
quotes. :mod:`graph.page.html` lays it out and renders it. Keeping the two apart lets a test
check *what* the page says without a browser, and *how* it says it with one.

Views:

``"story"`` (the default, the page a film scholar opens first)
    Characters, groups, actors, the events in story order, themes and places; relationship
    edges, influence edges, the sequence of events, who takes part in what, who plays whom and
    which themes each character and event carries. Evidence quotes are in the tooltips, not
    nodes on the canvas.
``"influence"``, ``"relationships"``, ``"timeline"``, ``"full"``
    The projections of :mod:`graph.views.projection`, node for node and edge for edge (the full view
    shows every resource and every resource-valued triple).

Example:
    >>> import graph
    >>> from graph.page.model import page_model
    >>> model = page_model(graph.load(), view="influence")
    >>> sorted(n.label for n in model.nodes)[:4]
    ['Amy', "Amy's operating system", 'Catherine', 'Samantha']
    >>> edge = next(e for e in model.edges if e.label == "influenced")
    >>> edge.kind, bool(edge.quotes)
    ('influence', True)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any, cast

from rdflib.namespace import RDF, SDO, SKOS

from ..errors import UnknownViewError
from ..namespaces import HG, SEM
from ..views.index import TripleIndex
from ..views.labels import TermReader, basis_name, basis_phrase
from ..views.projection import VIEWS

if TYPE_CHECKING:
    import networkx as nx

    from ..stores.handle import StoryGraph
from ..views.projection import to_networkx

#: Every view a page can show: the story view first (the default), then the projections.
PAGE_VIEWS: tuple[str, ...] = ("story", *VIEWS)

_STORY_TYPES = frozenset({"human_character", "ai_character", "character", "group", "person",
                          "event", "theme", "place"})
_MAX_QUOTES = 6
# Predicate IRIs read per node, as text: each DefinedNamespace attribute is a Python call.
_STORY_POSITION = str(HG.storyPosition)
_IN_ACT = str(HG.inAct)
_ACT_NOTE = str(HG.actNote)
_ACT_BASIS = str(HG.actBasis)
_EVENT_TYPE = str(SEM.eventType)
_BASIS = str(HG.basis)
_BASIS_NOTE = str(HG.basisNote)
_QUALIFIED_THEME = str(HG.qualifiedTheme)
_THEME = str(HG.theme)
_PERFORMANCE_TYPE = str(HG.performanceType)
_ACTOR = str(SDO.actor)
_PRECEDES = str(HG.precedes)
_LATER = str(HG.later)
#: The order facts are listed in a tooltip.
_FACT_ORDER = ("Scene", "Act", "Kind", "Who", "Occupation", "Played by", "Voiced by", "Members",
               "Also called")


def _sorted_facts(facts: Any) -> tuple[tuple[str, str], ...]:
    def rank(fact: tuple[str, str]) -> tuple[int, str, str]:
        name, value = fact
        return (_FACT_ORDER.index(name) if name in _FACT_ORDER else len(_FACT_ORDER), name, value)

    return tuple(sorted(set(facts), key=rank))


@dataclass(frozen=True)
class PageNode:
    """One node of the page: ``id`` is its IRI (or ``_:label``), ``type`` its category.

    Example:
        >>> import graph
        >>> model = page_model(graph.load(), view="influence")
        >>> sorted(node.label for node in model.nodes if node.type == "human_character")
        ['Amy', 'Catherine', 'Theodore']
    """

    id: str
    label: str
    type: str
    description: str = ""
    quotes: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    order: int | None = None  # story position, for events


@dataclass(frozen=True)
class PageEdge:
    """One edge of the page: ``kind`` styles it, ``label`` is drawn on it.

    Example:
        >>> import graph
        >>> model = page_model(graph.load(), view="influence")
        >>> sorted({edge.kind for edge in model.edges})
        ['influence']
    """

    source: str
    target: str
    kind: str
    label: str
    description: str = ""
    quotes: tuple[str, ...] = ()
    directed: bool = True
    key: str = ""  # what makes two edges between the same nodes different

    def sort_key(self) -> tuple[str, ...]:
        return (self.source, self.target, self.kind, self.label, self.key, self.description)


@dataclass(frozen=True)
class PageModel:
    """The nodes and edges of one page, sorted, with its title and the sources it cites.

    Example:
        >>> import graph
        >>> model = page_model(graph.load(), view="timeline")
        >>> model.title, len(model.nodes)
        ('Her (2013)', 14)
    """

    view: str
    title: str
    subtitle: str
    sources: tuple[str, ...]
    nodes: tuple[PageNode, ...] = field(repr=False)
    edges: tuple[PageEdge, ...] = field(repr=False)


# ---------------------------------------------------------------------------------------------
# What every view needs: categories, labels, descriptions, quotes


def _titles(index: TripleIndex) -> tuple[str, tuple[str, ...]]:
    """The story's title (the first work's name and year) and the names of its sources."""
    work = ""
    for key in sorted(k for k, kind in index.categories.items() if kind == "work"):
        name = index.label(key)
        if name:
            year = index.first(key, SDO.datePublished)[:4]
            work = f"{name} ({year})" if year else name
            break
    sources = sorted({index.label(key) for key, kind in index.categories.items()
                      if kind == "source" and index.label(key)})
    return work or "Story graph", tuple(sources)


class _Context:
    """The graph, its triple index, and how to name and describe a node."""

    def __init__(self, kg: StoryGraph):
        self.kg = kg
        self.index = TripleIndex.of(kg)
        # The projections of every page of a build (and story time) read nodes through one
        # reader, each node once.
        self.reader = TermReader.of(kg)

    def label(self, key: str) -> str:
        label = self.index.label(key)
        if label:
            return label
        return key if key.startswith("_:") else self.kg.short(key)

    def named(self, key: str) -> str:
        """The label, in quotation marks when it is an event's or a theme's (a phrase)."""
        label = self.label(key)
        return f"“{label}”" if self.index.category(key) in ("event", "theme") else label

    def node(self, key: str, *, type: str | None = None, label: str | None = None,
             facts: Any = (), order: int | None = None) -> PageNode:
        basis = self.basis(key)
        return PageNode(
            id=key,
            label=label if label is not None else self.label(key),
            type=type or self.index.category(key),
            description=self.index.description(key),
            quotes=self.index.quotes(key)[:_MAX_QUOTES],
            facts=_sorted_facts([*facts, ("Basis", basis)] if basis else facts),
            order=order,
        )

    def event_facts(self, key: str, total: int) -> list[tuple[str, str]]:
        facts = []
        position = self.index.integer(key, _STORY_POSITION)
        if position is not None:
            # A display order derived from the partial story order, not a scene number.
            facts.append(("Order", f"{position} of {total}"))
        act = self.index.first(key, _IN_ACT)
        if act:
            note = self.index.first(key, _ACT_NOTE)
            inferred = basis_name(self.index.first(key, _ACT_BASIS)) == "inferred"
            facts.append(("Act", self.label(act) + (f" (inferred: {note})" if inferred and note
                                                    else " (inferred)" if inferred else "")))
        kinds = sorted({self.label(kind) for kind in self.index.values(key, _EVENT_TYPE)})
        if kinds:
            facts.append(("Kind", ", ".join(kinds)))
        return facts

    def basis(self, key: str) -> str:
        """How the source backs the claim ``key`` (its ``hg:basis``), in words, or ``""``."""
        return basis_phrase(basis_name(self.index.first(key, _BASIS) or None),
                            self.index.first(key, _BASIS_NOTE))


def _model(view: str, ctx: _Context, nodes: dict[str, PageNode],
           edges: list[PageEdge]) -> PageModel:
    title, sources = _titles(ctx.index)
    subtitle = {
        "story": "Characters, relationships, influence, events in story order, and themes",
        "influence": "Who influenced whom",
        "relationships": "Relationships between characters",
        "timeline": "The events in story order",
        "cooccurrence": "Characters who take part in the same events",
        "full": "Every resource and every link in the graph",
    }[view]
    return PageModel(
        view=view, title=title, subtitle=subtitle, sources=sources,
        nodes=tuple(nodes[key] for key in sorted(nodes)),
        edges=tuple(sorted(edges, key=PageEdge.sort_key)),
    )


def _influence_edge(ctx: _Context, source: str, target: str, data: dict[str, Any]) -> PageEdge:
    through = [ctx.label(event) for event in data.get("events", ())]
    description = data.get("how", "")
    if through:
        description += ("\n" if description else "") + "Through: " + "; ".join(through)
    basis = basis_phrase(data.get("basis", ""), data.get("basis_note", ""))
    if basis:
        description += ("\n" if description else "") + basis
    return PageEdge(source, target, "influence", "influenced", description,
                    tuple(data.get("evidence", ()))[:_MAX_QUOTES],
                    key=",".join(data.get("influences", ())))


def _relationship_edge(ctx: _Context, a: str, b: str, data: dict[str, Any]) -> PageEdge:
    lines = [data.get("label", "")]
    if data.get("status"):
        lines.append(f"Status: {data['status']}")
    for field_name, word in (("starts", "Begins with"), ("ends", "Ends with")):
        if data.get(field_name):
            lines.append(f"{word}: {ctx.label(data[field_name])}")
    lines.append(basis_phrase(data.get("basis", ""), data.get("basis_note", "")))
    return PageEdge(a, b, "relationship", data.get("kind") or "related", "\n".join(
        line for line in lines if line), tuple(data.get("evidence", ()))[:_MAX_QUOTES],
        directed=False, key=data.get("relationship", ""))


# ---------------------------------------------------------------------------------------------
# The projection views, node for node and edge for edge


def _projection_model(kg: StoryGraph, view: str) -> PageModel:
    ctx = _Context(kg)
    g = to_networkx(kg, view=view, reader=ctx.reader)
    nodes = {}
    for key, data in g.nodes(data=True):
        facts: list[tuple[str, str]] = []
        order = data.get("position") if view == "timeline" else None
        if view == "timeline":
            facts += ctx.event_facts(key, g.number_of_nodes())
            if data.get("participant_names"):
                facts.append(("Who", ", ".join(data["participant_names"])))
        label = data.get("label") or ctx.label(key)
        nodes[key] = ctx.node(key, type=data.get("type"), label=label, facts=facts, order=order)
    edges: list[PageEdge] = []
    if view == "influence":
        edges = [_influence_edge(ctx, s, t, d) for s, t, d in g.edges(data=True)]
    elif view == "relationships":
        edges = [_relationship_edge(ctx, a, b, d) for a, b, d in g.edges(data=True)]
    elif view == "timeline":
        edges = [PageEdge(s, t, "sequence", "then") for s, t in g.edges()]
    elif view == "cooccurrence":
        # The shared events are the evidence (listed); one quote of theirs is shown, as the
        # quotes of several events side by side could reproduce a passage of the source.
        edges = [PageEdge(a, b, "cooccurrence", d["label"], "\n".join(d["event_labels"]),
                          tuple(d["evidence"][:1]), directed=False)
                 for a, b, d in g.edges(data=True)]
    else:
        for s, t, predicate in cast("nx.MultiDiGraph", g).edges(keys=True):
            edges.append(PageEdge(s, t, "link", kg.short(predicate), key=predicate))
    return _model(view, ctx, nodes, edges)


# ---------------------------------------------------------------------------------------------
# The story view, read from the triple index (the same edges as the projections, much faster)


def _story_sequence(ctx: _Context, events: list[str]) -> list[PageEdge]:
    index = ctx.index
    links = [(event, after) for event in events for after in index.values(event, _PRECEDES)]
    if not links:
        links = list(pairwise(events))
    # The hg:Precedence node of each link says how the source orders the two events.
    qualified = {(earlier, later): link
                 for link, earliers in index.subjects(HG.earlier).items()
                 for earlier in earliers for later in index.values(link, _LATER)}
    edges = []
    for a, b in links:
        link = qualified.get((a, b), "")
        edges.append(PageEdge(a, b, "sequence", "then", ctx.basis(link) if link else "",
                              index.quotes(link)[:_MAX_QUOTES] if link else ()))
    return edges


def _story_influences(ctx: _Context) -> list[PageEdge]:
    """The influence edges: those of the ``"influence"`` projection, so the story page and the
    influence page show the same quotes in the same order."""
    g = to_networkx(ctx.kg, view="influence", reader=ctx.reader)
    return [_influence_edge(ctx, s, t, d) for s, t, d in g.edges(data=True)]


def _story_relationships(ctx: _Context) -> list[PageEdge]:
    """The relationship edges: those of the ``"relationships"`` projection."""
    g = to_networkx(ctx.kg, view="relationships", reader=ctx.reader)
    return [_relationship_edge(ctx, a, b, d) for a, b, d in g.edges(data=True)]


def _story_links(ctx: _Context, facts: dict[str, list[tuple[str, str]]]) -> list[PageEdge]:
    """Who takes part in what, themes, roles, groups and places."""
    index = ctx.index
    edges = []
    for event, actors in index.subjects(SEM.hasActor).items():
        edges += [PageEdge(who, event, "participation", "takes part in",
                           f"{ctx.named(who)} takes part in {ctx.named(event)}") for who in actors]
    for node, themes in index.subjects(HG.hasTheme).items():
        attributions = index.values(node, _QUALIFIED_THEME)
        for theme in themes:
            carried = [a for a in attributions if theme in index.values(a, _THEME)]
            quotes = sorted({q for a in carried for q in index.quotes(a)})
            basis = ctx.basis(carried[0]) if carried else ""
            edges.append(PageEdge(node, theme, "theme", "theme",
                                  f"{ctx.named(theme)} is a theme of {ctx.named(node)}"
                                  + (f"\n{basis}" if basis else ""),
                                  tuple(quotes[:_MAX_QUOTES])))
    for node, broader_themes in index.subjects(SKOS.broader).items():
        edges += [PageEdge(node, broader, "broader", "is a kind of",
                           f"{ctx.named(node)} is a kind of {ctx.named(broader)}")
                  for broader in broader_themes]
    for role, characters in index.subjects(HG.portrays).items():
        voice = any(k.endswith("VoiceRole") for k in index.values(role, _PERFORMANCE_TYPE))
        verb = "voices" if voice else "plays"
        for person in index.values(role, _ACTOR):
            for character in characters:
                edges.append(PageEdge(person, character, "portrayal", verb,
                                      f"{ctx.label(person)} {verb} {ctx.label(character)}",
                                      index.quotes(role)[:_MAX_QUOTES]))
                facts[character].append(("Voiced by" if voice else "Played by",
                                         ctx.label(person)))
    for predicate, how in ((HG.memberOf, "member of"), (HG.subgroupOf, "part of")):
        for member, groups in index.subjects(predicate).items():
            edges += [PageEdge(member, group, "membership", how,
                               f"{ctx.label(member)} is {how} {ctx.label(group)}")
                      for group in groups]
    for event, places in index.subjects(SEM.hasPlace).items():
        edges += [PageEdge(event, place, "place", "takes place in",
                           f"{ctx.named(event)} takes place in {ctx.named(place)}")
                  for place in places]
    return edges


def _story_model(kg: StoryGraph) -> PageModel:
    ctx = _Context(kg)
    index = ctx.index
    keep = {key for key, kind in index.categories.items() if kind in _STORY_TYPES}
    facts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for predicate, name in ((HG.memberCount, "Members"), (SDO.alternateName, "Also called")):
        for node, values in index.subjects(predicate).items():
            facts[node] += [(name, value) for value in values]
    for node, occupations in index.subjects(SDO.hasOccupation).items():
        facts[node] += [("Occupation", ctx.label(o)) for o in occupations]
    events = sorted((k for k, classes in index.subjects(RDF.type).items()
                     if str(HG.StoryEvent) in classes),
                    key=lambda e: (index.integer(e, _STORY_POSITION) or 1 << 62, e))
    for event in events:
        facts[event] += ctx.event_facts(event, len(events))
    edges = [*_story_sequence(ctx, events), *_story_influences(ctx),
             *_story_relationships(ctx), *_story_links(ctx, facts)]
    edges = [e for e in edges if e.source in keep and e.target in keep]
    nodes = {key: ctx.node(key, facts=facts.get(key, ()),
                           order=index.integer(key, _STORY_POSITION)
                           if index.category(key) == "event" else None) for key in keep}
    return _model("story", ctx, nodes, edges)


def page_model(kg: StoryGraph, *, view: str = "story") -> PageModel:
    """The nodes and edges the page for ``view`` shows.

    Args:
        kg: the story graph.
        view: one of :data:`PAGE_VIEWS`.

    Raises:
        HerGraphError: for an unknown view (the message lists the views).

    Example:
        >>> import graph
        >>> model = page_model(graph.load())
        >>> model.view, len(model.nodes) > 40
        ('story', True)
    """
    if view == "story":
        return _story_model(kg)
    if view not in VIEWS:
        raise UnknownViewError(f"unknown view {view!r}; views: {', '.join(PAGE_VIEWS)}")
    return _projection_model(kg, view)
