"""The influence report and the influence chains of one story graph, as plain data (dicts and
lists, ready for JSON): what ``her-graph influence`` prints, and what
:meth:`InfluenceAnalysis.report <graph.analysis.InfluenceAnalysis.report>` and
:meth:`~graph.analysis.InfluenceAnalysis.chains` return.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..sparql.values import IRI
from ..stores.handle import StoryGraph
from .influence import influence_paths, who_influenced, whom_influenced
from .results import Hop

_NAME = """
SELECT ?name WHERE { ?node schema:name|rdfs:label|skos:prefLabel ?name } ORDER BY ?name LIMIT 1
"""


def display_name(kg: StoryGraph, iri: str) -> str:
    """The name of ``iri`` for people: its first name or label, else its local name.

    Example:
        >>> import graph
        >>> display_name(graph.load(), "https://w3id.org/her-graph/her/Amy")
        'Amy'
    """

    rows = kg.query(_NAME, node=IRI(iri))
    return str(rows[0]["name"]) if rows else IRI(iri).local_name


def _events(kg: StoryGraph, influences: list[str]) -> list[dict[str, Any]]:
    """The story events the qualified influences went through, in story order."""

    found: dict[str, dict[str, Any]] = {}
    for influence in influences:
        for row in kg.run("influence_events", influence=IRI(influence)):
            found[str(row["event"])] = {"position": row["position"], "iri": str(row["event"]),
                                        "label": str(row["label"] or IRI(row["event"]).local_name)}
    return sorted(found.values(), key=lambda e: (e["position"], e["iri"]))


def _entry(kg: StoryGraph, g: Any, hop: Hop, other: str) -> dict[str, Any]:
    edge = g.edges[hop.influencer, hop.influenced]
    influences = list(edge.get("influences", ()))
    return {
        "iri": other,
        "name": g.nodes[other]["label"],
        "how": hop.how,
        # Stated, interpreted or inferred, and why when inferred (see hg:basis).
        "basis": edge.get("basis", ""),
        "basis_note": edge.get("basis_note", ""),
        "influences": influences,
        "events": _events(kg, influences),
        "evidence": list(hop.evidence),
    }


def _by_name(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda e: (e["name"].casefold(), e["iri"]))


def influence_report(kg: StoryGraph, g: nx.DiGraph, character: str) -> dict[str, Any]:
    """Who influenced ``character`` and whom they influenced: how, through which events, on
    what evidence (:func:`graph.analysis.influence.who_influenced` and ``whom_influenced``, direct).

    Args:
        kg: the story graph.
        g: its ``"influence"`` view.
        character: a name, label or IRI (resolved with :meth:`KnowledgeGraph.resolve`).

    Returns:
        ``{"character": {"iri", "name"}, "influenced_by": [...], "influenced": [...]}``; each
        entry has ``iri``, ``name``, ``how``, ``influences`` (the qualified ``prov:Influence``
        IRIs), ``events`` (each with ``position``, ``iri``, ``label``, in story order) and
        ``evidence`` (the quotes, most telling first). Entries are sorted by name.

    Raises:
        UnknownNameError: no character has this name.

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> report = influence_report(kg, kg.to_networkx("influence"), "theodore")
        >>> [entry["name"] for entry in report["influenced_by"]]
        ['Amy', 'Catherine', 'Samantha', 'the operating systems']
    """
    iri = str(kg.resolve(character))
    influenced_by, influenced = [], []
    if iri in g:
        influenced_by = [_entry(kg, g, r.path.hops[0], str(r.party))
                         for r in who_influenced(g, iri)]
        influenced = [_entry(kg, g, r.path.hops[0], str(r.party))
                      for r in whom_influenced(g, iri)]
    return {
        "character": {"iri": iri, "name": display_name(kg, iri)},
        "influenced_by": _by_name(influenced_by),
        "influenced": _by_name(influenced),
    }


def influence_chains(kg: StoryGraph, g: nx.DiGraph, source: str,
                     target: str) -> list[list[dict[str, Any]]]:
    """The shortest chains of influence from ``source`` to ``target``
    (:func:`graph.analysis.influence.influence_paths`, capped at the shortest length).

    A chain is a list of steps, each ``{"from", "from_name", "to", "to_name", "how",
    "influences", "events", "evidence"}``: ``from`` influenced ``to``. Chains are sorted; an
    empty list means the influence of ``source`` does not reach ``target``.

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> [[step["to_name"] for step in path] for path in
        ...  influence_chains(kg, kg.to_networkx("influence"), "Catherine", "Samantha")]
        [['Theodore', 'Samantha']]
    """
    start, end = str(kg.resolve(source)), str(kg.resolve(target))
    if start not in g or end not in g or start == end:
        return []
    try:
        shortest = nx.shortest_path_length(g, start, end)
    except nx.NetworkXNoPath:
        return []
    chains = []
    for path in influence_paths(g, start, end, max_hops=shortest):
        steps = []
        for hop in path.hops:
            step = _entry(kg, g, hop, str(hop.influenced))
            del step["iri"], step["name"]
            steps.append({"from": str(hop.influencer), "from_name": hop.influencer_label,
                          "to": str(hop.influenced), "to_name": hop.influenced_label, **step})
        chains.append(steps)
    return sorted(chains, key=lambda c: [(s["from"], s["to"]) for s in c])
