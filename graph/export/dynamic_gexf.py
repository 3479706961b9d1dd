"""The story as a dynamic GEXF graph (1.2draft, with its dynamics module), for Gephi's timeline.

Time is story time: the integer ``step`` of each event in the linear order of
:class:`~graph.views.story_order.StoryOrder` (1 for the first event; it equals the derived
``hg:storyPosition`` wherever the positions agree with ``hg:precedes``), written with
``timeformat="integer"``, one the schema allows. At step k the graph is the state at the k-th
event (:mod:`graph.views.story_time`): what is certainly before it. In a partial order something
can hold at one step, not at the next (an event unordered with the next one), and hold again
later, so every node and edge has ``<spells>``: the runs of steps at which it holds, each an
inclusive ``[start, end]``.

- Nodes: the characters who have appeared and the parties of the relationships and influences
  that hold. Static attributes ``type`` and ``iri``; dynamic ``degree``, ``betweenness`` and
  ``pagerank``, measured on the co-occurrence network at each step
  (:func:`graph.analysis.metrics.character_metrics`; 0 while a node has no co-occurrence).
- Edges: each relationship (undirected, id = its IRI) with a dynamic ``stage`` (the current
  stage type, ``""`` before any), each influence (directed, id = the ``prov:Influence`` IRI)
  and each co-occurrence (undirected, id ``cooccurrence <a> <b>``) with a dynamic
  ``shared_events``. Static attributes ``kind``, ``relation`` and ``evidence`` (one quote).

A value that stays the same over a run of steps is written once, with ``start`` and ``end``.
The output is byte-for-byte the same for the same graph.

Example:
    >>> import graph
    >>> from graph.views.story_time import story_time
    >>> data = dynamic_gexf(story_time(graph.load().rdf))
    >>> b'timeformat="integer"' in data and b'mode="dynamic"' in data
    True
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

from rdflib import BNode, URIRef
from rdflib.term import Node

from ..analysis.metrics import character_metrics
from ..views.cooccurrence import cooccurrence_graph

if TYPE_CHECKING:
    from ..views.story_time import StoryState, StoryTime

GEXF_NAMESPACE = "http://www.gexf.net/1.2draft"
_NODE_DYNAMIC = ("degree", "betweenness", "pagerank")


def runs(steps: Iterable[int]) -> list[tuple[int, int]]:
    """The maximal runs of consecutive integers in ``steps``, as inclusive ``(start, end)``.

    >>> runs([1, 2, 3, 5, 7, 8])
    [(1, 3), (5, 5), (7, 8)]
    """
    found: list[tuple[int, int]] = []
    for step in sorted(set(steps)):
        if found and found[-1][1] == step - 1:
            found[-1] = (found[-1][0], step)
        else:
            found.append((step, step))
    return found


def _number(value: float) -> str:
    return format(round(float(value), 6), "g") if value == value else "0"


class _Timeline:
    """What holds at each step: node -> steps, edge id -> steps, and the dynamic values."""

    def __init__(self) -> None:
        self.node_steps: dict[str, list[int]] = defaultdict(list)
        self.edge_steps: dict[str, list[int]] = defaultdict(list)
        self.edges: dict[str, dict[str, Any]] = {}
        self.values: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)

    def value(self, owner: str, attribute: str, step: int, value: str) -> None:
        self.values[(owner, attribute)].append((step, value))

    def add_state(self, time: StoryTime, step: int, state: StoryState) -> None:
        facts = time.facts
        nodes = set(state.nodes) - set(state.events)
        for relationship in state.relationships:
            a, b = relationship.parties[:2]
            self._edge(relationship.relationship, a, b, step, "relationship",
                       relationship.kind, relationship.evidence, directed=False)
            self.value(relationship.relationship, "stage", step, relationship.stage_type)
        for influence in state.influences:
            key = influence.influence or f"influence {influence.influencer} {influence.influenced}"
            self._edge(key, influence.influencer, influence.influenced, step, "influence",
                       "influenced", influence.evidence, directed=True)
        co = cooccurrence_graph(facts, events=state.events)
        for a, b, data in co.edges(data=True):
            key = f"cooccurrence {a} {b}"
            self._edge(key, a, b, step, "cooccurrence", "takes part with", data["evidence"],
                       directed=False)
            self.value(key, "shared_events", step, str(data["weight"]))
        measured = {row["node"]: row for row in character_metrics(co)}
        for node in sorted(nodes):
            self.node_steps[node].append(step)
            row = measured.get(node)
            for attribute in _NODE_DYNAMIC:
                self.value(node, attribute, step, _number(row[attribute]) if row else "0")

    def _edge(self, key: str, source: str, target: str, step: int, kind: str, relation: str,
              evidence: tuple[str, ...], *, directed: bool) -> None:
        self.edge_steps[key].append(step)
        self.edges.setdefault(key, {"source": source, "target": target, "kind": kind,
                                    "relation": relation, "directed": directed,
                                    "evidence": evidence[0] if evidence else ""})


def _declare(graph: Element, cls: str, mode: str, titles: list[tuple[str, str]]) -> None:
    attributes = SubElement(graph, "attributes", {"class": cls, "mode": mode})
    for ident, kind in titles:
        SubElement(attributes, "attribute", {"id": ident, "title": ident, "type": kind})


def _spells(parent: Element, steps: list[int]) -> None:
    spells = SubElement(parent, "spells")
    for start, end in runs(steps):
        SubElement(spells, "spell", {"start": str(start), "end": str(end)})


def _values(parent: Element, owner: str, static: list[tuple[str, str]],
            timeline: _Timeline, dynamic: Iterable[str]) -> None:
    values = SubElement(parent, "attvalues")
    for ident, value in static:
        SubElement(values, "attvalue", {"for": ident, "value": value})
    for attribute in dynamic:
        changes = timeline.values.get((owner, attribute), [])
        grouped: list[tuple[str, list[int]]] = []
        for step, value in changes:
            if grouped and grouped[-1][0] == value and grouped[-1][1][-1] == step - 1:
                grouped[-1][1].append(step)
            else:
                grouped.append((value, [step]))
        for value, steps in grouped:
            SubElement(values, "attvalue", {"for": attribute, "value": value,
                                            "start": str(steps[0]), "end": str(steps[-1])})


def dynamic_gexf(time: StoryTime, *, title: str = "") -> bytes:
    """The dynamic GEXF (UTF-8) of a story's states; see the module documentation.

    Args:
        time: the story's :class:`~graph.views.story_time.StoryTime`.
        title: the ``<description>`` of the file.

    Example:
        >>> from rdflib import Graph
        >>> story = Graph().parse(format="turtle", data='''
        ...     @prefix hg: <https://w3id.org/her-graph/ontology#> .
        ...     @prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
        ...     @prefix ex: <http://example.org/> .
        ...     ex:meet a hg:StoryEvent ; hg:storyPosition 1 ; sem:hasActor ex:a, ex:b ;
        ...         hg:precedes ex:part .
        ...     ex:part a hg:StoryEvent ; hg:storyPosition 2 ; sem:hasActor ex:a .''')
        >>> from graph.views.story_time import story_time
        >>> print(dynamic_gexf(story_time(story)).decode().split("<spells>")[1].split("</")[0])
        <BLANKLINE>
                  <spell start="1" end="2" />
        <BLANKLINE>
    """
    timeline = _Timeline()
    order = time.order
    for step, state in enumerate(time.timeline(), start=1):
        timeline.add_state(time, step, state)
    root = Element("gexf", {"xmlns": GEXF_NAMESPACE, "version": "1.2"})
    meta = SubElement(root, "meta")
    SubElement(meta, "creator").text = "her-graph"
    SubElement(meta, "description").text = (
        (title + ": " if title else "") + "the story as it unfolds; time is the step of each "
        "event in story order (what holds at a step is what is certainly before that event)")
    graph = SubElement(root, "graph", {"mode": "dynamic", "defaultedgetype": "undirected",
                                       "timeformat": "integer", "start": "1",
                                       "end": str(max(len(order), 1))})
    _declare(graph, "node", "static", [("type", "string"), ("iri", "string")])
    _declare(graph, "node", "dynamic", [(name, "double") for name in _NODE_DYNAMIC])
    _declare(graph, "edge", "static", [("kind", "string"), ("relation", "string"),
                                       ("evidence", "string")])
    _declare(graph, "edge", "dynamic", [("stage", "string"), ("shared_events", "integer")])
    nodes = SubElement(graph, "nodes", {"count": str(len(timeline.node_steps))})
    for key in sorted(timeline.node_steps):
        node = SubElement(nodes, "node", {"id": key, "label": time.facts.label(key)})
        kind = time.facts.reader.describe(_term(key))["type"]
        _values(node, key, [("type", kind), ("iri", key)], timeline, _NODE_DYNAMIC)
        _spells(node, timeline.node_steps[key])
    edges = SubElement(graph, "edges", {"count": str(len(timeline.edges))})
    for key in sorted(timeline.edges):
        data = timeline.edges[key]
        edge = SubElement(edges, "edge", {
            "id": key, "source": data["source"], "target": data["target"],
            "type": "directed" if data["directed"] else "undirected",
            "label": data["relation"]})
        _values(edge, key, [("kind", data["kind"]), ("relation", data["relation"]),
                            ("evidence", data["evidence"])], timeline,
                ("stage", "shared_events"))
        _spells(edge, timeline.edge_steps[key])
    indent(root)
    buffer = io.BytesIO()
    ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"


def _term(key: str) -> Node:
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key)
