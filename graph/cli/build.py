"""``her-graph build`` (every export) and ``her-graph export`` (one export)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..atomic import write_atomic
from ..errors import UsageError, ValidationFailed
from ..export.registry import (
    EXPORTERS,
    Exporter,
    export_all,
    export_files,
    format_of,
    refuse_replacing,
    render,
)
from .common import (
    ExistingPath,
    Progress,
    RegistryChoice,
    graph_options,
    graph_stem,
    load_graph,
    print_table,
)


def _check_stem(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and (not value or "/" in value or os.sep in value
                              or value in (".", "..")):
        raise click.BadParameter(f"{value!r} is not a file name stem; give a plain name such "
                                 "as 'her'")
    return value


def _stem_option(function: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--stem", metavar="NAME", callback=_check_stem,
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
              type=ExistingPath(readable=True),
              help="A source text file or folder; also check that every evidence quote occurs "
                   "in it (repeatable).")
@click.option("--force", is_flag=True, help="Export even if the graph does not validate.")
def build(graph_file: str | None, rdf_format: str | None, out_dir: str, stem: str | None,
          sources: tuple[str, ...], force: bool) -> None:
    """Load, validate and write every export (the main job).

    Checks the graph against its SHACL shapes, then writes it in every export format into
    --out: Turtle, N-Triples, JSON-LD, GraphML and GEXF (for Gephi and Cytoscape), CSV node
    and edge lists, the pages, and whatever other formats are installed; for a graph with
    named graphs, TriG and N-Quads in place of Turtle and N-Triples, and no page. The files
    are written all or nothing (a full disk or Ctrl-C leaves the previous exports as they
    were), each byte-for-byte the same for the same graph, and never over the graph file
    itself. An invalid graph is not exported unless --force is given.

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
        formats: list[tuple[str, Path]] = []

        def wrote(exporter: Exporter, paths: list[Path]) -> None:
            progress.step(f"wrote {exporter.name}")
            formats.extend((exporter.name, path) for path in paths)

        try:
            # Never over the graph itself (`-o .` beside story.ttl would replace it).
            export_all(kg, out_dir, stem=stem or graph_stem(graph_file), progress=wrote,
                       keep=kg.sources)
        except UsageError as error:
            raise click.UsageError(f"{error} (--out DIR or --stem NAME)") from None
    rows = [(str(path), name, f"{path.stat().st_size:,}") for name, path in formats]
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
    found = format_of(output)
    if found is None:
        raise click.UsageError(
            f"cannot tell the export format from {output!r}; give --format "
            f"({', '.join(EXPORTERS)})")
    return found


def _check_extension(output: str, format_name: str) -> None:
    """Refuse -o whose extension names another format than --format (JSON-LD in a .ttl)."""
    suffix = Path(output).suffix.lower()
    named = {e.extension.rsplit(".", 1)[-1].lower() for e in EXPORTERS.values()}
    wanted = EXPORTERS[format_name].extension.rsplit(".", 1)[-1].lower()
    if suffix[1:] in named and suffix[1:] != wanted:
        raise click.UsageError(
            f"-o {output} names a {suffix} file, but --format {format_name} writes "
            f".{wanted}; give -o a .{wanted} name, or the --format that matches {suffix}")


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
    PATH-nodes.csv and PATH-edges.csv (both or neither), so it needs -o. An extension -o
    gives (in any case) must match --format.

    \b
    Examples:
      her-graph export --format ttl > her.ttl
      her-graph export -o her.graphml
      her-graph export --format csv -o tables/her
      her-graph export -g story.ttl --format jsonld -o story.jsonld
    """
    if output == "" or (output and not Path(output).name):
        raise click.BadParameter("give the path of a file to write (or - for standard output)",
                                 param_hint="'-o' / '--output'")
    to_stdout = output is None or output == "-"
    if format_name is None:
        if to_stdout:
            raise click.UsageError("give --format (" + ", ".join(EXPORTERS) + ")")
        format_name = _format_from_extension(output or "")
    elif not to_stdout:
        _check_extension(output or "", format_name)
    exporter = EXPORTERS[format_name]
    if to_stdout and not exporter.single_file:
        raise click.UsageError(f"--format {format_name} writes several files; give -o PATH "
                               f"(e.g. -o out/her writes out/her-nodes.csv, ...)")
    if to_stdout and sys.stdout is None:  # her-graph export >&- (standard output closed)
        raise click.UsageError("standard output is closed; give -o FILE to write the export "
                               "to a file")
    kg = load_graph(graph_file, rdf_format)
    if to_stdout:
        data = render(kg, format_name)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output or "")
    try:
        if exporter.single_file:
            refuse_replacing(target, kg.sources)
            written = [write_atomic(target, render(kg, format_name))]
        else:
            stem = target.name
            if stem.lower().endswith(exporter.extension.lower()):
                stem = stem[: -len(exporter.extension)]
            if not stem:
                raise click.BadParameter(f"{output}: give the files a name before "
                                         f"{exporter.extension}", param_hint="'-o' / '--output'")
            written = export_files(kg, target.parent, format_name, stem=stem, keep=kg.sources)
    except UsageError as error:
        raise click.UsageError(f"{error} (-o PATH)") from None
    for path in written:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
