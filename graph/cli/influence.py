"""``her-graph influence``: who influenced a character, whom they influenced, and influence paths.

The computation is in :func:`influence_report` and :func:`influence_paths`, plain functions over
the public API (the ``"influence"`` NetworkX view and the ``influence_events`` named query) that
return plain data; the command only formats it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ..sparql.results import IRI
from .common import echo, graph_options, json_text, load_graph

if TYPE_CHECKING:
    from ..analysis.results import Hop
    from ..knowledge_graph import KnowledgeGraph

__all__ = ["influence", "influence_paths", "influence_report"]

_NAME = """
SELECT ?name WHERE { ?node schema:name|rdfs:label|skos:prefLabel ?name } ORDER BY ?name LIMIT 1
"""


def _name(kg: KnowledgeGraph, iri: str) -> str:

    rows = kg.query(_NAME, node=IRI(iri))
    return str(rows[0]["name"]) if rows else IRI(iri).local_name


def _events(kg: KnowledgeGraph, influences: list[str]) -> list[dict[str, Any]]:
    """The story events the qualified influences went through, in story order."""

    found: dict[str, dict[str, Any]] = {}
    for influence in influences:
        for row in kg.run("influence_events", influence=IRI(influence)):
            found[str(row["event"])] = {"position": row["position"], "iri": str(row["event"]),
                                        "label": str(row["label"] or IRI(row["event"]).local_name)}
    return sorted(found.values(), key=lambda e: (e["position"], e["iri"]))


def _entry(kg: KnowledgeGraph, g: Any, hop: Hop, other: str) -> dict[str, Any]:
    influences = list(g.edges[hop.influencer, hop.influenced].get("influences", ()))
    return {
        "iri": other,
        "name": g.nodes[other]["label"],
        "how": hop.how,
        "influences": influences,
        "events": _events(kg, influences),
        "evidence": list(hop.evidence),
    }


def _by_name(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda e: (e["name"].casefold(), e["iri"]))


def influence_report(kg: KnowledgeGraph, character: str) -> dict[str, Any]:
    """Who influenced ``character`` and whom they influenced: how, through which events, on
    what evidence (:func:`graph.analysis.influence.who_influenced` and ``whom_influenced``, direct).

    Args:
        kg: the story graph.
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
        >>> report = influence_report(graph.load(), "theodore")
        >>> [entry["name"] for entry in report["influenced_by"]]
        ['Amy', 'Catherine', 'Samantha', 'the operating systems']
    """
    from ..analysis.influence import (  # lazy: start-up time (networkx)
        who_influenced,
        whom_influenced,
    )

    iri = str(kg.resolve(character))
    g = kg.to_networkx("influence")
    influenced_by, influenced = [], []
    if iri in g:
        influenced_by = [_entry(kg, g, r.path.hops[0], str(r.party))
                         for r in who_influenced(g, iri)]
        influenced = [_entry(kg, g, r.path.hops[0], str(r.party))
                      for r in whom_influenced(g, iri)]
    return {
        "character": {"iri": iri, "name": _name(kg, iri)},
        "influenced_by": _by_name(influenced_by),
        "influenced": _by_name(influenced),
    }


def influence_paths(kg: KnowledgeGraph, source: str, target: str) -> list[list[dict[str, Any]]]:
    """The shortest chains of influence from ``source`` to ``target``
    (:func:`graph.analysis.influence.influence_paths`, capped at the shortest length).

    A chain is a list of steps, each ``{"from", "from_name", "to", "to_name", "how",
    "influences", "events", "evidence"}``: ``from`` influenced ``to``. Chains are sorted; an
    empty list means the influence of ``source`` does not reach ``target``.

    Example:
        >>> import graph
        >>> [[step["to_name"] for step in path]
        ...  for path in influence_paths(graph.load(), "Catherine", "Samantha")]
        [['Theodore', 'Samantha']]
    """
    import networkx as nx

    from ..analysis.influence import (
        influence_paths as influence_paths_between,  # lazy: start-up time (networkx)
    )

    start, end = str(kg.resolve(source)), str(kg.resolve(target))
    g = kg.to_networkx("influence")
    if start not in g or end not in g or start == end:
        return []
    try:
        shortest = nx.shortest_path_length(g, start, end)
    except nx.NetworkXNoPath:
        return []
    chains = []
    for path in influence_paths_between(g, start, end, max_hops=shortest):
        steps = []
        for hop in path.hops:
            step = _entry(kg, g, hop, str(hop.influenced))
            del step["iri"], step["name"]
            steps.append({"from": str(hop.influencer), "from_name": hop.influencer_label,
                          "to": str(hop.influenced), "to_name": hop.influenced_label, **step})
        chains.append(steps)
    return sorted(chains, key=lambda c: [(s["from"], s["to"]) for s in c])


def _echo_entry(entry: dict[str, Any], title: str) -> None:
    echo(f"  {title}")
    if entry["how"]:
        echo(f"      how: {entry['how']}")
    if entry["events"]:
        events = "; ".join(f"{e['label']} (event {e['position']})" for e in entry["events"])
        echo(f"      through: {events}")
    for number, quote in enumerate(entry["evidence"]):
        echo(f"      {'evidence: ' if number == 0 else '          '}“{quote}”")


def _echo_report(report: dict[str, Any]) -> None:
    name = report["character"]["name"]
    echo(f"{name} <{report['character']['iri']}>")
    for key, heading, none in (("influenced_by", f"{name} was influenced by", "nobody"),
                               ("influenced", f"{name} influenced", "nobody")):
        entries = report[key]
        echo("")
        echo(f"{heading} ({len(entries)}):" if entries else f"{heading}: {none}")
        for entry in entries:
            _echo_entry(entry, entry["name"])


def _echo_paths(kg: KnowledgeGraph, source: str, target: str,
                paths: list[list[dict[str, Any]]]) -> None:
    a, b = _name(kg, kg.resolve(source)), _name(kg, kg.resolve(target))
    if not paths:
        echo(f"No chain of influence leads from {a} to {b}.")
        if influence_paths(kg, target, source):
            echo(f"One leads from {b} to {a}: her-graph influence --path '{b}' '{a}'")
        return
    steps = len(paths[0])
    echo(f"{'The shortest chain' if len(paths) == 1 else f'{len(paths)} shortest chains'}"
               f" of influence from {a} to {b} ({steps} step{'s' if steps != 1 else ''}):")
    for number, path in enumerate(paths, 1):
        if len(paths) > 1:
            echo(f"\nChain {number}:")
        for step in path:
            _echo_entry(step, f"{step['from_name']} -> {step['to_name']}")


@click.command()
@click.argument("character", required=False)
@click.option("--path", "path", nargs=2, metavar="FROM TO",
              help="Show the shortest chains of influence from FROM to TO instead.")
@click.option("-f", "--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the answer.")
@graph_options
def influence(character: str | None, path: tuple[str, str] | None, output: str,
              graph_file: str | None, rdf_format: str | None) -> None:
    """Who influenced CHARACTER and whom they influenced, with the evidence.

    Each influence says how it worked, the story events it went through, and the quotes from
    the source that show it. Names match case-insensitively (a name, label or IRI).

    \b
    Examples:
      her-graph influence Theodore
      her-graph influence samantha --format json
      her-graph influence --path Catherine Samantha
    """
    if path and character:
        raise click.UsageError("give a CHARACTER or --path FROM TO, not both")
    if not path and not character:
        raise click.UsageError("give a CHARACTER (e.g. Theodore) or --path FROM TO")
    kg = load_graph(graph_file, rdf_format)
    if path:
        source, target = path
        if kg.resolve(source) == kg.resolve(target):
            raise click.UsageError("--path needs two different characters")
        paths = influence_paths(kg, source, target)
        if output == "json":
            click.echo(json_text(paths))
        else:
            _echo_paths(kg, source, target, paths)
        return
    report = influence_report(kg, character or "")
    if output == "json":
        click.echo(json_text(report))
    else:
        _echo_report(report)
