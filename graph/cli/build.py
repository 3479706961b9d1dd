"""``her-graph build`` (every export) and ``her-graph export`` (one export)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..atomic import write_atomic
from ..errors import ValidationFailed
from ..export.registry import EXPORTERS, Exporter, export_all, export_files, render
from .common import Progress, RegistryChoice, graph_options, graph_stem, load_graph, print_table


def _stem_option(function: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--stem", metavar="NAME",
        help="The start of every file name (NAME.ttl, NAME-nodes.csv, ...); default: her, or "
             "the name of your graph file.",
    )(function)


@click.command()
@graph_options
@click.option("-o", "--out", "out_dir", metavar="DIR", default="exports", show_default=True,
              type=click.Path(file_okay=False, writable=True),
              help="The folder to write the exports to (created if missing).")
@_stem_option
@click.option("--source", "sources", multiple=True, metavar="PATH",
              type=click.Path(exists=True, readable=True),
              help="A source text file or folder; also check that every evidence quote occurs "
                   "in it (repeatable).")
@click.option("--force", is_flag=True, help="Export even if the graph does not validate.")
def build(graph_file: str | None, rdf_format: str | None, out_dir: str, stem: str | None,
          sources: tuple[str, ...], force: bool) -> None:
    """Load, validate and write every export (the main job).

    Checks the graph against its SHACL shapes, then writes it in every export format into
    --out: Turtle, N-Triples, JSON-LD, GraphML and GEXF (for Gephi and Cytoscape), CSV node
    and edge lists, the pages, and whatever other formats are installed; for a graph with
    named graphs, TriG and N-Quads in place of Turtle and N-Triples, and no page. Each file
    is written atomically and is byte-for-byte the same for the same graph. An invalid graph
    is not exported unless --force is given.

    \b
    Examples:
      her-graph build
      her-graph build -g story.ttl --out story-exports
    """
    with Progress(total=2 + len(EXPORTERS), description="loading the graph") as progress:
        kg = load_graph(graph_file, rdf_format)
        progress.step("validating")
        report = kg.validate(source=list(sources) or None)
        progress.step("writing the exports")
        errors = [v for v in report.violations if v.severity == "Violation"]
        problems = len(errors) + (len(report.evidence.missing) if report.evidence else 0)
        if not report.ok:
            first = (str(errors[0]) if errors
                     else str(report.evidence.missing[0]) if report.evidence else "")
            if not force:
                raise ValidationFailed(
                    f"not exporting: the graph does not validate ({problems} problem(s); "
                    f"first: {first}); run `her-graph validate` for the report, or pass --force")
            click.echo(f"her-graph: warning: the graph does not validate ({problems} "
                       "problem(s)); exporting anyway (--force)", err=True)
        rows: list[tuple[str, str, str]] = []

        def wrote(exporter: Exporter, paths: list[Path]) -> None:
            progress.step(f"wrote {exporter.name}")
            rows.extend((str(p), exporter.name, f"{p.stat().st_size:,}") for p in paths)

        export_all(kg, out_dir, stem=stem or graph_stem(graph_file), progress=wrote)
    named = len(kg.graphs)
    if named:
        click.echo(f"her-graph: note: the graph has {named:,} named graph"
                   f"{'s' if named != 1 else ''}: TriG and N-Quads written in place of Turtle "
                   "and N-Triples, which have no graph names, and no page (it draws one graph)",
                   err=True)
    status = "valid" if report.ok else f"NOT valid ({problems} problem(s))"
    warnings = len(report.violations) - len(errors)
    if warnings:
        status += f", {warnings} warning(s)"
    print_table(("file", "format", "bytes"), rows, numeric=("bytes",),
                title=f"{len(kg):,} triples, {status}",
                footer=f"{len(rows)} file(s) written to {out_dir}")


def _format_from_extension(output: str) -> str:
    matches = [e for e in EXPORTERS.values() if output.endswith(e.extension)]
    if not matches:
        raise click.UsageError(
            f"cannot tell the export format from {output!r}; give --format "
            f"({', '.join(EXPORTERS)})")
    return max(matches, key=lambda e: len(e.extension)).name


@click.command()
@graph_options
@click.option("-f", "--format", "format_name", type=RegistryChoice(EXPORTERS),
              help="The export format; default: the one -o's extension names.")
@click.option("-o", "--output", metavar="PATH", type=click.Path(dir_okay=False, allow_dash=True),
              help="The file to write (written atomically); default: standard output. For "
                   "csv, the path of the files without -nodes.csv/-edges.csv.")
def export(graph_file: str | None, rdf_format: str | None, format_name: str | None,
           output: str | None) -> None:
    """Write one export to a file or to standard output.

    The bytes are the same as `her-graph build` writes for that format. csv writes two files,
    PATH-nodes.csv and PATH-edges.csv, so it needs -o.

    \b
    Examples:
      her-graph export --format ttl > her.ttl
      her-graph export -o her.graphml
      her-graph export --format csv -o tables/her
      her-graph export -g story.ttl --format jsonld -o story.jsonld
    """
    to_stdout = output is None or output == "-"
    if format_name is None:
        if to_stdout:
            raise click.UsageError("give --format (" + ", ".join(EXPORTERS) + ")")
        format_name = _format_from_extension(output or "")
    exporter = EXPORTERS[format_name]
    if to_stdout and not exporter.single_file:
        raise click.UsageError(f"--format {format_name} writes several files; give -o PATH "
                               f"(e.g. -o out/her writes out/her-nodes.csv, ...)")
    kg = load_graph(graph_file, rdf_format)
    if to_stdout:
        data = render(kg, format_name)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output or "")
    if exporter.single_file:
        written = [write_atomic(target, render(kg, format_name))]
    else:
        stem = target.name
        if stem.endswith(exporter.extension):
            stem = stem[: -len(exporter.extension)]
        written = export_files(kg, target.parent, format_name, stem=stem)
    for path in written:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
