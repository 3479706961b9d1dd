"""``her-graph validate`` (shapes and evidence) and ``her-graph stats`` (counts and influence)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from .common import EXIT_FAILED, echo, graph_options, json_text, load_graph, print_table

if TYPE_CHECKING:

    from ..knowledge_graph import KnowledgeGraph

__all__ = ["most_influential", "stats", "validate"]


@click.command()
@click.argument("file", required=False, metavar="[FILE]",
                type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--source", "sources", multiple=True, metavar="PATH",
              type=click.Path(exists=True, readable=True),
              help="A source text file or folder: every evidence quote must occur in it "
                   "(repeatable).")
@click.option("-f", "--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the report.")
@graph_options
def validate(file: str | None, sources: tuple[str, ...], output: str, graph_file: str | None,
             rdf_format: str | None) -> None:
    """Check a graph against the SHACL shapes and, with --source, check every quote.

    FILE is your story graph (the same as -g FILE); without it, the bundled Her graph. Each
    problem is one line naming the node, the property and what is wrong. Exit code 1 when
    anything fails.

    \b
    Examples:
      her-graph validate
      her-graph validate story.ttl
      her-graph validate --source article.txt
    """
    if file and graph_file:
        raise click.UsageError("give the graph as FILE or as -g FILE, not both")
    kg = load_graph(file or graph_file, rdf_format)
    report = kg.validate(source=list(sources) or None)
    if output == "json":
        click.echo(json_text({
            "ok": report.ok,
            "conforms": report.conforms,
            "violations": [{"severity": v.severity, "focus": v.focus, "label": v.label,
                            "path": v.path, "message": v.message, "value": v.value}
                           for v in report.violations],
            "evidence": None if report.evidence is None else {
                "ok": report.evidence.ok,
                "missing": [str(m) for m in report.evidence.missing],
            },
        }))
    else:
        echo(str(report))
        echo("valid" if report.ok else "NOT valid")
    if not report.ok:
        click.get_current_context().exit(EXIT_FAILED)


def most_influential(kg: KnowledgeGraph, *, top: int = 5) -> list[dict[str, Any]]:
    """The parties whose influence reaches furthest (:func:`graph.influence.rank_influence`).

    PageRank runs on the influence graph with its edges reversed (from the influenced to the
    influencer), so a character ranks high when they influenced characters who were themselves
    influential. Ties (frequent in small graphs) are broken by reach, then by name.

    Returns:
        Up to ``top`` dicts ``{"iri", "name", "type", "score", "influenced", "reach"}``, best
        first: ``influenced`` counts whom they influenced directly, ``reach`` whom their
        influence reaches through chains of influence.

    Example:
        >>> import graph
        >>> [(row["name"], row["reach"]) for row in most_influential(graph.load(), top=2)]
        [('Catherine', 2), ('the 8,316 other people', 2)]
    """
    import networkx as nx

    from ..influence import rank_influence

    g = kg.to_networkx("influence")
    reach = {n: len(nx.descendants(g, n)) for n in g}
    ranked = sorted(rank_influence(g, by="pagerank"),
                    key=lambda r: (r.rank, -reach[r.party], r.label, str(r.party)))
    return [{"iri": str(r.party), "name": r.label, "type": r.type,
             "score": round(r.pagerank, 4), "influenced": r.out_degree, "reach": reach[r.party]}
            for r in ranked[:top]]


@click.command()
@click.option("--top", default=5, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="How many of the most influential to list.")
@click.option("-f", "--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="How to print the numbers.")
@graph_options
def stats(top: int, output: str, graph_file: str | None, rdf_format: str | None) -> None:
    """Count characters, events, themes, relationships, influences and triples, and name the
    most influential characters.

    Influence is PageRank over the influence view with the edges reversed: a character ranks
    high when they influenced characters who were themselves influential. "influenced" counts
    whom they influenced directly, "reach" whom their influence reaches through chains.

    \b
    Examples:
      her-graph stats
      her-graph stats -g story.ttl --top 10 --format json
    """
    kg = load_graph(graph_file, rdf_format)
    counts = kg.counts()
    ranked = most_influential(kg, top=top) if top else []
    if output == "json":
        click.echo(json_text({"counts": counts, "most_influential": ranked}))
        return
    width = max(len(key) for key in counts)
    for key, value in counts.items():
        click.echo(f"{key:<{width}}  {value:>9,}")
    if ranked:
        click.echo("")
        print_table(("rank", "name", "type", "pagerank", "influenced", "reach"),
                    [(i, r["name"], r["type"], f"{r['score']:.4f}", r["influenced"], r["reach"])
                     for i, r in enumerate(ranked, 1)],
                    numeric=("rank", "pagerank", "influenced", "reach"),
                    title="Most influential (PageRank over the reversed influence graph)")
