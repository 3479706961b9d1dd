"""``her-graph influence``: who influenced a character, whom they influenced, and influence paths.

The computation is the analysis object's (``kg.influence.report`` and ``kg.influence.chains``,
in :mod:`graph.analysis.report`), which returns plain data; the command only formats it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ..views.labels import basis_phrase
from .common import echo, emit, graph_options, json_text, load_graph

if TYPE_CHECKING:
    from ..knowledge_graph import KnowledgeGraph

def influence_report(kg: KnowledgeGraph, character: str) -> dict[str, Any]:
    """``kg.influence.report(character)``: see :func:`graph.analysis.report.influence_report`.

    Example:
        >>> import graph
        >>> [e["name"] for e in influence_report(graph.load(), "theodore")["influenced_by"]]
        ['Amy', 'Catherine', 'Samantha', 'the operating systems']
    """
    return kg.influence.report(character)


def influence_paths(kg: KnowledgeGraph, source: str, target: str) -> list[list[dict[str, Any]]]:
    """``kg.influence.chains(source, target)``: see
    :func:`graph.analysis.report.influence_chains`.

    Example:
        >>> import graph
        >>> [[step["to_name"] for step in path]
        ...  for path in influence_paths(graph.load(), "Catherine", "Samantha")]
        [['Theodore', 'Samantha']]
    """
    return kg.influence.chains(source, target)


def _echo_entry(entry: dict[str, Any], title: str) -> None:
    echo(f"  {title}")
    if entry["how"]:
        echo(f"      how: {entry['how']}")
    if entry["events"]:
        events = "; ".join(f"{e['label']} (event {e['position']})" for e in entry["events"])
        echo(f"      through: {events}")
    if entry.get("basis"):
        echo(f"      basis: {basis_phrase(entry['basis'], entry.get('basis_note', ''))}")
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
    from ..analysis.report import display_name  # lazy: start-up time (networkx)

    a, b = display_name(kg, kg.resolve(source)), display_name(kg, kg.resolve(target))
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
            emit(json_text(paths))
        else:
            _echo_paths(kg, source, target, paths)
        return
    report = influence_report(kg, character or "")
    if output == "json":
        emit(json_text(report))
    else:
        _echo_report(report)
