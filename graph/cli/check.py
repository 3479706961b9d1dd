"""``her-graph validate`` (shapes and evidence) and ``her-graph stats`` (counts and influence)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ..errors import HerGraphError
from ..sparql.values import IRI
from .common import (
    EXIT_FAILED,
    ExistingPath,
    echo,
    emit,
    graph_options,
    json_text,
    load_graph,
    print_table,
)

if TYPE_CHECKING:

    from ..knowledge_graph import KnowledgeGraph

@click.command()
@click.argument("file", required=False, metavar="[FILE]",
                type=ExistingPath(dir_okay=False, readable=True))
@click.option("--source", "sources", multiple=True, metavar="PATH",
              type=ExistingPath(readable=True),
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
    try:
        kg = load_graph(file or graph_file, rdf_format)
        report = kg.validate(source=list(sources) or None)
    except HerGraphError as error:
        if output == "json":  # a reader of the JSON learns of the failure too
            emit(json_text({"ok": False, "conforms": None, "error": str(error),
                            "violations": [], "evidence": None}))
        raise
    if output == "json":
        emit(json_text({
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


_INFLUENCE_EDGES = """
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?influencer ?influenced WHERE {
    { ?influenced prov:wasInfluencedBy ?influencer }
    UNION { ?influenced prov:qualifiedInfluence/prov:influencer ?influencer }
    FILTER (!isLiteral(?influencer))
}"""

_PARTY = """
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?class ?label (LANG(?label) AS ?lang) WHERE {
    { ?node a ?class } UNION { ?node schema:name|rdfs:label|skos:prefLabel ?label }
}"""


def most_influential(kg: KnowledgeGraph, *, top: int = 5) -> list[dict[str, Any]]:
    """The parties whose influence reaches furthest: PageRank over the reversed influence graph.

    The same ranking as :func:`graph.analysis.influence.rank_influence` (``by="pagerank"``),
    computed
    from two SPARQL queries without networkx, so ``her-graph stats`` starts fast. A character
    ranks high when they influenced characters who were themselves influential. Ties
    (frequent in small graphs) are broken by reach, then by name.

    Returns:
        Up to ``top`` dicts ``{"iri", "name", "type", "score", "influenced", "reach"}``, best
        first: ``influenced`` counts whom they influenced directly, ``reach`` whom their
        influence reaches through chains of influence.

    Example:
        >>> import graph
        >>> [(row["name"], row["reach"]) for row in most_influential(graph.load(), top=2)]
        [('Theodore', 3), ('the operating systems', 4)]
    """
    from ..analysis.ranking import pagerank, reach  # lazy: start-up time (networkx)
    from ..views.labels import category  # lazy: start-up time (networkx)

    successors: dict[str, list[str]] = {}
    for row in kg.query(_INFLUENCE_EDGES):
        source, target = str(row["influencer"]), str(row["influenced"])
        successors.setdefault(target, [])
        successors.setdefault(source, []).append(target)
    for out in successors.values():
        out.sort()
    reversed_links: dict[str, list[str]] = {node: [] for node in successors}
    for source, targets in successors.items():
        for target in targets:
            reversed_links[target].append(source)
    scores = pagerank(reversed_links, alpha=0.85)
    reaches = reach(successors)

    def describe(node: str) -> tuple[str, str]:
        rows = kg.query(_PARTY, node=IRI(node))
        # As the projections name nodes: untagged or English labels first, then alphabetical.
        labels = sorted((not (r["lang"] or "en").lower().startswith("en"), str(r["label"]))
                        for r in rows if r["label"] is not None)
        label = labels[0][1] if labels else IRI(node).local_name
        return label, category(r["class"] for r in rows if r["class"])

    parties = {node: describe(node) for node in successors}
    ranked = sorted(successors, key=lambda n: (-round(scores[n], 9), -reaches[n],
                                               parties[n][0].casefold(), n))
    return [{"iri": n, "name": parties[n][0], "type": parties[n][1],
             "score": round(scores[n], 4), "influenced": len(successors[n]),
             "reach": reaches[n]}
            for n in ranked[:top]]


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
    # Oxigraph: its SPARQL engine answers the three queries in milliseconds, where rdflib's
    # would first take a third of a second to import and parse them (start-up time).
    kg = load_graph(graph_file, rdf_format, store="oxigraph")
    counts = kg.counts()
    ranked = most_influential(kg, top=top) if top else []
    if output == "json":
        emit(json_text({"counts": counts, "most_influential": ranked}))
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
