"""``her-graph query``: named queries, SPARQL files and ``-e`` queries, read-only by default."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import QueryError, QueryLibraryError, QueryTimeoutError
from ..export.jsonld import jsonld_bytes
from ..export.registry import export, stable_graph
from ..export.spreadsheet import csv_text
from ..read.bundled import data_dir
from ..sparql.queries import MAX_QUERY_BYTES, NamedQuery, decode_query, read_query_file
from ..sparql.text import _tokens
from ..sparql.values import IRI, BlankNode
from .common import (
    ExistingPath,
    echo,
    emit,
    graph_options,
    json_text,
    load_graph,
    plain_value,
    print_table,
    refuse_empty,
    symlink_loop,
    terminal_safe,
)

if TYPE_CHECKING:
    from ..knowledge_graph import KnowledgeGraph

_KEY = re.compile(r"^[?$]?([A-Za-z_][A-Za-z0-9_]*)$")


def parse_params(params: tuple[str, ...]) -> dict[str, str]:
    """``("character=Amy",)`` -> ``{"character": "Amy"}``; a usage error for anything else."""
    parsed: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        match = _KEY.match(key.strip())
        if not sep or not match:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE (e.g. character=Theodore)",
                                     param_hint="'--param'")
        name = match.group(1)
        if name in parsed:
            raise click.BadParameter(f"{name!r} is given twice", param_hint="'--param'")
        parsed[name] = value
    return parsed


def _bind_value(kg: KnowledgeGraph, value: str) -> Any:
    """A value for a query's variable: ``<IRI>`` or ``<prefix:name>`` binds a resource, anything
    else a string literal."""

    if len(value) >= 2 and value.startswith("<") and value.endswith(">"):
        try:
            return IRI(str(kg.expand(value[1:-1])))
        except QueryError as error:
            raise click.BadParameter(str(error), param_hint="'--param'") from None
    return value


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parseQuery(text)
        return False
    except Exception:  # pyparsing raises its own exception types
        try:
            parseUpdate(text)
            return True
        except Exception:
            return False


def _read_query_file(reference: str) -> str:
    try:
        if reference == "-":  # bounded: `< /dev/zero` must not fill the memory
            stream = click.get_binary_stream("stdin")
            return decode_query(stream.read(MAX_QUERY_BYTES + 1), "standard input")
        return read_query_file(reference)
    except QueryLibraryError as error:
        raise click.BadParameter(str(error), param_hint="'NAME|FILE'") from None


# Only whitespace and comments: SPARQL's grammar reads that as an empty update, not a query.
_NOTHING = re.compile(r"(?:\s|#[^\n]*)*")


def _check_not_empty(text: str, where: str, hint: str = "'NAME|FILE'") -> None:
    if _NOTHING.fullmatch(text):
        raise click.BadParameter(f"{where}: the query is empty; give a SELECT, ASK, CONSTRUCT "
                                 "or DESCRIBE query", param_hint=hint)


def _check_params_used(text: str, values: dict[str, str]) -> None:
    """Refuse a --param the query never names, as named queries refuse an unknown one: a typo
    would otherwise leave the variable unbound and the answer silently wider."""
    # The tokenizer the bindings go in by: it skips strings, IRIs and comments.
    variables = sorted({t.text[1:] for t in _tokens(text) if t.kind == "var"})
    unknown = sorted(set(values) - set(variables))
    if unknown:
        takes = ", ".join(variables) or "no parameters"
        raise click.BadParameter(f"the query takes {takes} (its variables); it got unknown "
                                 f"parameter(s) {', '.join(unknown)}", param_hint="'--param'")


def _replaces_bundled(query: NamedQuery) -> bool:
    """Whether ``query`` is a user's (--queries) that has the name of a bundled query."""
    bundled = data_dir() / "queries"
    return query.path.parent != bundled and (bundled / query.path.name).is_file()


def _list_queries(kg: KnowledgeGraph, output: str, queries_dir: str | None) -> None:
    named = [kg.queries[name] for name in kg.queries]
    entries: list[dict[str, Any]] = [
        {"name": q.name,
         "parameters": [{"name": p.name, "kind": p.kind, "description": p.description}
                        for p in q.params],
         "description": q.description}
        for q in named
    ]
    columns = ["name", "parameters", "description"]
    if queries_dir is not None:  # which are the user's, and which of them replace bundled ones
        columns.append("file")
        bundled = data_dir() / "queries"
        for entry, q in zip(entries, named, strict=True):
            entry["file"] = None if q.path.parent == bundled else str(q.path)
            entry["replaces_bundled"] = _replaces_bundled(q)
    if output == "json":
        emit(json_text(entries))
        return

    def shown_file(entry: dict[str, Any]) -> str:
        if entry["file"] is None:
            return "bundled"
        return str(entry["file"]) + (" (replaces the bundled query)"
                                     if entry["replaces_bundled"] else "")

    rows = [(e["name"], ", ".join(f"{p['name']} ({p['kind']})" for p in e["parameters"]),
             e["description"], *([shown_file(e)] if queries_dir is not None else []))
            for e in entries]
    if output == "csv":
        emit(csv_text(columns, rows), nl=False)
        return
    replacing = sorted(e["name"] for e in entries if e.get("replaces_bundled"))
    note = (f"; yours replace the bundled {', '.join(replacing)}" if replacing else "")
    print_table(columns, rows,
                footer=f"{len(rows)} named queries{note}; run one with "
                       "`her-graph query NAME --param KEY=VALUE`")


def _in_file(error: QueryError, path: Path | str) -> QueryError:
    """A syntax error of the query in ``path``, its message naming the file."""
    message = str(error)
    if isinstance(error, QueryTimeoutError) or not message.startswith("invalid SPARQL"):
        return error
    return QueryError(f"{path}: {message}")


def _print_result(kg: KnowledgeGraph, result: Any, output: str) -> None:
    if isinstance(result, bool):
        echo(json_text(result) if output == "json" else str(result).lower())
        return
    if hasattr(result, "columns"):
        columns = result.columns
        if output == "json":
            emit(json_text([{c: plain_value(row.get(c)) for c in columns}
                                  for row in result]))
        elif output == "csv":
            emit(csv_text(columns, ([("" if row.get(c) is None else str(row[c]))
                                       for c in columns] for row in result)), nl=False)
        else:
            print_table(columns, ([_display(kg, row.get(c)) for c in columns] for row in result),
                        footer=f"({len(result)} row{'' if len(result) == 1 else 's'})")
        return
    _print_graph(kg, result, output)


def _display(kg: KnowledgeGraph, value: Any) -> str:

    if value is None:
        return ""
    if isinstance(value, BlankNode):
        return f"_:{value}"
    if isinstance(value, IRI):
        return kg.short(value)
    return str(value)


def _print_graph(kg: KnowledgeGraph, result: Any, output: str) -> None:
    """A CONSTRUCT or DESCRIBE result: Turtle, JSON-LD, or CSV subject/predicate/object rows."""

    stable = stable_graph(result)
    if output == "json":
        emit(jsonld_bytes(stable).decode("utf-8"), nl=False)
    elif output == "csv":
        rows = sorted((str(s), str(p), str(o)) for s, p, o in stable)
        emit(csv_text(("subject", "predicate", "object"), rows), nl=False)
    else:
        # Control characters can only be inside literals, where \uXXXX is valid Turtle.
        click.echo(terminal_safe(stable.serialize(format="longturtle")), nl=False)


def _run_update(kg: KnowledgeGraph, text: str, bindings: dict[str, Any],
                save: str | None, allow_network: bool = False) -> None:
    before = set(kg.rdf)
    kg.update(text, bindings, allow_network=allow_network)
    after = set(kg.rdf)
    added, removed = len(after - before), len(before - after)
    click.echo(f"update: {added:,} triple(s) added, {removed:,} removed; the graph now has "
               f"{len(kg):,} triples")
    if save is None:
        click.echo("not saved: pass --save FILE to keep the changed graph")
        return

    path = export(kg, save)
    click.echo(f"saved the changed graph to {path}")


def _check_save_path(save: str) -> None:
    """Refuse a --save path that cannot be written before the update runs, not after."""
    path = Path(save)
    # Only the RDF exports keep the whole graph; a network or a table would lose triples.
    # (A graph with named graphs is refused by .ttl and .nt, whose error names .trig and .nq.)
    if not save.endswith((".ttl", ".nt", ".nq", ".trig", ".jsonld")):
        raise click.BadParameter(f"{save}: give a .ttl, .nt, .nq, .trig or .jsonld file",
                                 param_hint="'--save'")
    if not (path.parent if str(path.parent) else Path(".")).is_dir():
        raise click.BadParameter(f"{save}: the folder {path.parent} does not exist",
                                 param_hint="'--save'")


@click.command()
@click.argument("query_ref", metavar="[NAME|FILE]", required=False)
@click.option("-e", "--expression", metavar="SPARQL", help="A SPARQL query given inline.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query (repeatable). For a named query, a name, label "
                   "or IRI; in a file or -e query, <IRI> or <prefix:name> binds a resource and "
                   "anything else a string.")
@click.option("-f", "--format", "output", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="How to print the results.")
@click.option("--list", "list_queries", is_flag=True,
              help="List the named queries and their parameters.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop a query that runs longer than this.")
@click.option("--allow-update", is_flag=True,
              help="Allow a SPARQL UPDATE (INSERT, DELETE, ...); refused otherwise.")
@click.option("--allow-network", is_flag=True,
              help="Allow SERVICE and LOAD to fetch from the network while the query runs; "
                   "refused otherwise (her-graph works offline).")
@click.option("--save", metavar="FILE", type=click.Path(dir_okay=False),
              help="With --allow-update: write the changed graph to FILE (.ttl, .nt, .nq, "
                   ".trig or .jsonld; .trig or .nq to keep named graphs). "
                   "Without it nothing is saved; your graph file is never changed unless FILE "
                   "is that file.")
@click.option("--queries", "queries_dir", metavar="DIR",
              type=ExistingPath(file_okay=False),
              help="A folder of your own named queries (*.rq), added to the bundled ones; one "
                   "named as a bundled query replaces it (--list shows which).")
@graph_options
def query(query_ref: str | None, expression: str | None, params: tuple[str, ...], output: str,
          list_queries: bool, timeout: float | None, allow_update: bool, allow_network: bool,
          save: str | None, queries_dir: str | None, graph_file: str | None,
          rdf_format: str | None) -> None:
    """Run a named query, a SPARQL file (- for standard input), or a query given with -e.

    Queries are read-only: an UPDATE is refused unless --allow-update, and SERVICE or LOAD
    (which fetch from the network) unless --allow-network. The usual prefixes
    (schema, hg, her, prov, skos, rdfs, ...) need no PREFIX line. Tables shorten IRIs; csv and
    json give them in full.

    \b
    Examples:
      her-graph query --list
      her-graph query influencers_of --param character=Theodore
      her-graph query events --format csv > events.csv
      her-graph query -e 'SELECT ?name WHERE { ?c a hg:HumanCharacter ; schema:name ?name }'
      her-graph query my-question.rq -g story.ttl --format json
      her-graph query --allow-update --save fixed.ttl -e 'DELETE WHERE { ?s hg:status ?o }'
    """
    if list_queries and (query_ref or expression):
        raise click.UsageError("--list lists the named queries; give it no query")
    if not list_queries:
        if query_ref and expression:
            raise click.UsageError("give a query name or file, or -e QUERY, not both")
        if not query_ref and not expression:
            raise click.UsageError("give a query name, a .rq file, or -e QUERY "
                                   "(`her-graph query --list` lists the names)")
    if save and not allow_update:
        raise click.UsageError("--save keeps the result of an update: it needs --allow-update")
    if save:
        _check_save_path(save)
    values = parse_params(params)
    kg = load_graph(graph_file, rdf_format, queries=queries_dir, allow_empty=allow_update)
    if list_queries:
        _list_queries(kg, output, queries_dir)
        return
    if query_ref and query_ref != "-" and query_ref in kg.queries:
        named = kg.queries[query_ref]
        if _replaces_bundled(named):
            click.echo(f"her-graph: note: {query_ref} is your query {named.path}, which "
                       "replaces the bundled one of that name", err=True)
        _check_not_empty(named.text, str(named.path))
        refuse_empty(kg, graph_file)
        named_values = {k: (v[1:-1] if v.startswith("<") and v.endswith(">") else v)
                        for k, v in values.items()}
        try:
            result = kg.run(query_ref, timeout=timeout, allow_network=allow_network,
                            **named_values)
        except QueryError as error:
            raise _in_file(error, named.path) from None
        _print_result(kg, result, output)
        return
    where: str | None = None  # the file the query comes from
    if query_ref and query_ref != "-" and symlink_loop(query_ref):
        raise click.BadParameter(f"{query_ref}: is a symlink loop (a link that leads back to "
                                 "itself); give the query file itself", param_hint="'NAME|FILE'")
    if expression is not None:
        text = expression
        _check_not_empty(text, "-e", "'-e' / '--expression'")
    elif query_ref == "-" or (query_ref and Path(query_ref).exists()
                              and not Path(query_ref).is_dir()):
        text = _read_query_file(query_ref or "-")
        where = "standard input" if query_ref in (None, "-") else query_ref
        _check_not_empty(text, where)
    elif query_ref and Path(query_ref).is_dir():
        raise click.BadParameter(f"{query_ref}: is a folder; give a .rq file",
                                 param_hint="'NAME|FILE'")
    elif query_ref and (query_ref.endswith((".rq", ".sparql")) or "/" in query_ref):
        raise click.BadParameter(f"{query_ref}: no such file", param_hint="'NAME|FILE'")
    else:
        kg.queries[query_ref or ""]  # raises UnknownQueryError, which lists the names
        return
    _check_params_used(text, values)
    bindings = {k: _bind_value(kg, v) for k, v in values.items()}
    try:
        if allow_update and _is_update(text):
            _run_update(kg, text, bindings, save, allow_network)
            return
        if save:
            raise click.UsageError("--save keeps the result of an update, and this query is "
                                   "not one")
        refuse_empty(kg, graph_file)  # an empty graph is only for an update to fill
        result = kg.query(text, bindings, timeout=timeout, allow_network=allow_network)
    except QueryError as error:
        raise (_in_file(error, where) if where else error) from None
    _print_result(kg, result, output)
