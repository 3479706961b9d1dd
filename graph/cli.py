"""The ``her-graph`` command: a thin shell over the Python API.

Each command loads the graph, calls one public function with the same option names, and formats
the result. Errors are one line on stderr; exit codes: 0 ok, 1 validation or query failed,
2 usage error.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import HerGraphError, ValidationFailed

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_FAILED) -> None:
    click.echo(f"her-graph: error: {message}", err=True)
    sys.exit(code)


def handle_errors(function: F) -> F:
    """Turn her-graph errors into one line on stderr and exit code 1."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except HerGraphError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper  # type: ignore[return-value]


def _load(graph_file: str | None, rdf_format: str | None = None) -> Any:
    from .store import load

    return load(graph_file, format=rdf_format)


graph_option = click.option(
    "-g", "--graph", "graph_file", type=click.Path(dir_okay=False), default=None,
    help="A story graph file to use instead of the bundled Her graph.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="her-graph")
def main() -> None:
    """her-graph: the film Her as a knowledge graph, and a toolkit for any story.

    Run `her-graph COMMAND --help` for the options and an example of each command.
    """


@main.command()
@graph_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="exports",
              show_default=True, help="Folder to write the exports to.")
@click.option("--force", is_flag=True, help="Export even if the graph does not validate.")
@handle_errors
def build(graph_file: str | None, out_dir: str, force: bool) -> None:
    """Load, validate and write every export (the main job).

    Example: her-graph build --out exports
    """
    from .export import EXPORTERS, export

    kg = _load(graph_file)
    report = kg.validate()
    if not report.ok and not force:
        raise ValidationFailed(f"not exporting an invalid graph (pass --force to export anyway): "
                               f"{report.violations[0]}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(graph_file).stem if graph_file else "her"
    for exporter in EXPORTERS.values():
        path = export(kg, out / f"{stem}{exporter.extension}", exporter.name)
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        parsed[key.strip()] = value
    return parsed


def _format_rows(rows: Any, output: str) -> str:
    columns = rows.columns
    if output == "json":
        return json.dumps([{c: (None if r.get(c) is None else
                                r[c] if isinstance(r[c], int | float | bool) else str(r[c]))
                            for c in columns} for r in rows], indent=2, ensure_ascii=False)
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else str(row[c]) for c in columns])
        return buffer.getvalue().rstrip("\n")
    return repr(rows)


@main.command()
@click.argument("name_or_file", required=False)
@click.option("-e", "--expression", help="A SPARQL query given on the command line.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of a named query (repeatable).")
@click.option("--format", "output", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@graph_option
@handle_errors
def query(name_or_file: str | None, expression: str | None, params: tuple[str, ...],
          output: str, list_queries: bool, graph_file: str | None) -> None:
    """Run a named query, a SPARQL file, or a query given with -e.

    Example: her-graph query influencers_of --param character=Theodore
    """
    kg = _load(graph_file)
    if list_queries:
        click.echo(repr(kg.queries))
        return
    if expression and name_or_file:
        raise click.UsageError("give a query name or file, or -e, not both")
    if expression:
        result = kg.query(expression, _parse_params(params))
    elif name_or_file is None:
        raise click.UsageError("give a query name, a .rq file, or -e QUERY (see --list)")
    elif name_or_file in kg.queries:
        result = kg.run(name_or_file, **_parse_params(params))
    elif Path(name_or_file).is_file():
        result = kg.query(Path(name_or_file).read_text(encoding="utf-8"),
                          _parse_params(params))
    else:
        kg.queries[name_or_file]  # raises UnknownQueryError, listing the names
        return
    if isinstance(result, bool):
        click.echo("true" if result else "false")
    elif hasattr(result, "columns"):
        click.echo(_format_rows(result, output))
    else:
        click.echo(result.serialize(format="turtle"))


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--source", "sources", multiple=True, type=click.Path(exists=False),
              help="A source text file or folder; every evidence quote must occur in it.")
@handle_errors
def validate(file: str | None, sources: tuple[str, ...]) -> None:
    """Check the graph against its SHACL shapes and, with --source, check every quote.

    Exit code 1 when anything fails. Example: her-graph validate --source article.txt
    """
    kg = _load(file)
    report = kg.validate(source=list(sources) or None)
    click.echo(str(report))
    if not report.ok:
        sys.exit(EXIT_FAILED)


@main.command()
@graph_option
@handle_errors
def stats(graph_file: str | None) -> None:
    """Count characters, events, themes, relationships, influences and triples.

    Example: her-graph stats
    """
    kg = _load(graph_file)
    for key, value in kg.counts().items():
        click.echo(f"{key:<14} {value:>8,}")


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The SPARQL server: its query URL, or an Oxigraph server's root URL.")
@click.option("--graph-iri", default=None, metavar="IRI",
              help="The named graph to replace (default: the server's default graph).")
@click.option("--graph-store", default=None, metavar="URL",
              help="The Graph Store Protocol URL, if --endpoint does not imply it.")
@click.option("--update-endpoint", default=None, metavar="URL",
              help="The update URL, if --endpoint does not imply it.")
@click.option("--staging", is_flag=True,
              help="Upload to a temporary graph, then MOVE it into place: for a server whose "
                   "PUT is not atomic.")
@click.option("--user", default=None,
              help="User for HTTP Basic auth; the password is read from "
                   "$HER_GRAPH_SPARQL_PASSWORD or asked for.")
@click.option("--timeout", type=float, default=300.0, show_default=True,
              help="Seconds each request may take.")
@graph_option
@handle_errors
def publish(endpoint: str, graph_iri: str | None, graph_store: str | None,
            update_endpoint: str | None, staging: bool, user: str | None, timeout: float,
            graph_file: str | None) -> None:
    """Upload the graph to a SPARQL server, replacing what the target graph held.

    Nothing half-uploaded is reported as published. Example:
    her-graph publish --endpoint http://localhost:7878 --graph-iri https://example.org/her
    """
    import os

    from .remote import publish as publish_graph

    auth = None
    if user:
        password = os.environ.get("HER_GRAPH_SPARQL_PASSWORD")
        if password is None:
            password = click.prompt(f"password for {user}", hide_input=True)
        auth = (user, password)
    kg = _load(graph_file)
    result = publish_graph(kg, endpoint, graph_iri=graph_iri, graph_store=graph_store,
                           update_endpoint=update_endpoint, staging=staging, timeout=timeout,
                           auth=auth)
    click.echo(str(result))


if __name__ == "__main__":  # pragma: no cover
    main()
