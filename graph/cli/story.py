"""``her-graph metrics`` and ``her-graph at``: the network through story time, and the state of
the story at a point, with its evidence.

Each loads the graph, calls one public method (:meth:`KnowledgeGraph.metrics`,
:meth:`KnowledgeGraph.at`) with the same option names, and formats the answer.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from ..analysis.measures import MEASURES
from ..export.spreadsheet import csv_text
from ..views.timed import TIMED_VIEWS
from .common import echo, graph_options, json_text, load_graph, plain_value, print_table

if TYPE_CHECKING:
    from ..knowledge_graph import KnowledgeGraph
    from ..views.story_time import StoryState

def _number(value: Any) -> Any:
    if isinstance(value, float):
        return format(round(value, 4), "g") if value == value else ""
    return value


@click.command()
@click.option("--view", type=click.Choice(sorted(TIMED_VIEWS)), default="cooccurrence",
              show_default=True, help="The network to measure.")
@click.option("--by", type=click.Choice(["act", "event"]), default=None,
              help="Measure the network as it stands at the end of each act, or at each event "
                   "(default: the whole story).")
@click.option("--of", "of", type=click.Choice(MEASURES),
              default="network", show_default=True,
              help="Measure the network, each character, or what removing each one changes.")
@click.option("-f", "--format", "output", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="How to print the rows.")
@graph_options
def metrics(view: str, by: str | None, of: str, output: str, graph_file: str | None,
            rdf_format: str | None) -> None:
    """Network metrics of the story: density, components, diameter, centralities, ...

    On a disconnected network the diameter and the average path length are those of the
    largest component, and the measured_on column says so.

    \b
    Examples:
      her-graph metrics --by act
      her-graph metrics --view influence --of characters --format csv > centralities.csv
      her-graph metrics --of removal
    """
    kg = load_graph(graph_file, rdf_format)
    rows = kg.metrics(view, by=by, of=of)
    columns = rows.columns
    if output == "json":
        click.echo(json_text([{c: plain_value(row.get(c)) for c in columns} for row in rows]))
    elif output == "csv":
        click.echo(csv_text(columns, ([("" if row.get(c) is None else _number(row[c]))
                                       for c in columns] for row in rows)), nl=False)
    else:
        print_table(columns, ([_cell(kg, row.get(c)) for c in columns] for row in rows),
                    footer=f"({len(rows)} row{'' if len(rows) == 1 else 's'})")


def _cell(kg: KnowledgeGraph, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(_number(value))
    return kg.short(value) if hasattr(value, "local_name") else str(value)


def state_report(kg: KnowledgeGraph, state: StoryState) -> dict[str, Any]:
    """The state as plain data: the point, the events that hold and every item with its
    evidence (``kg.at(point)`` in JSON form).

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> report = state_report(kg, kg.at(2))
        >>> report["point"]["label"], [c["label"] for c in report["characters"]]
        ('Theodore encounters Samantha', ['Samantha', 'Theodore'])
    """
    return {
        "point": {"iri": state.point, "kind": state.kind, "label": state.label,
                  "position": state.position},
        "events": [{"iri": e, "label": state.order.label(e)} for e in state.events],
        "characters": [asdict(a) for a in state.characters],
        "mentioned": [asdict(a) for a in state.mentioned],
        "relationships": [asdict(r) for r in state.relationships],
        "influences": [asdict(i) for i in state.influences],
    }


def _quote(evidence: tuple[str, ...] | list[str]) -> str:
    return f"“{evidence[0]}”" if evidence else "(no quote)"


def _echo_state(kg: KnowledgeGraph, state: StoryState) -> None:
    label = state.order.label
    where = f"event {state.position}" if state.kind == "event" else f"act {state.position}"
    echo(f"At {state.label} ({where}): {len(state.events)} events certainly told")
    echo("")
    echo(f"Characters who have appeared ({len(state.characters)}):")
    for a in state.characters:
        echo(f"  {a.label}, since {label(a.event)} [{a.basis or 'no basis'}] {_quote(a.evidence)}")
    if state.mentioned:
        echo(f"Only spoken of or addressed ({len(state.mentioned)}):")
        for a in state.mentioned:
            echo(f"  {a.label} ({a.role}, {label(a.event)})")
    echo(f"Relationships ({len(state.relationships)}):")
    for r in state.relationships:
        stage = f", {r.stage_type} at {label(r.stage_event)}" if r.stage else ""
        echo(f"  {r.label} [{r.basis or 'no basis'}{stage}] "
             f"{_quote(r.stage_evidence or r.evidence)}")
    echo(f"Influences exerted ({len(state.influences)}):")
    for i in state.influences:
        since = f" since {label(i.event)}" if i.event else " (not dated)"
        echo(f"  {label(i.influencer)} -> {label(i.influenced)}{since} "
             f"[{i.basis or 'no basis'}] {_quote(i.evidence)}")


@click.command()
@click.argument("point")
@click.option("-f", "--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the state.")
@graph_options
def at(point: str, output: str, graph_file: str | None, rdf_format: str | None) -> None:
    """The state of the story at POINT, with the evidence for each item.

    POINT is an event (its name, IRI or story position) or an act ("act 2" or its label).
    Only what is certainly before POINT holds: where the story order is partial, an event
    not ordered with POINT does not, whatever its position.

    \b
    Examples:
      her-graph at "Theodore writes to Catherine"
      her-graph at 4 --format json
      her-graph at "act 2"
    """
    kg = load_graph(graph_file, rdf_format)
    state = kg.at(point)
    if output == "json":
        click.echo(json_text(state_report(kg, state)))
    else:
        _echo_state(kg, state)
