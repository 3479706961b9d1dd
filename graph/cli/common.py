"""What every ``her-graph`` command shares: graph options, loading, exit codes and output.

Output goes through :func:`print_table` and friends: rich tables when standard output is a
terminal, plain text otherwise, so pipes, CSV and JSON stay clean. ``rich`` is imported only
when a terminal will show its output.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import (
    GraphLoadError,
    HerGraphError,
    MissingParameterError,
    UnknownNameError,
    UnknownQueryError,
    UsageError,
)
from ..loading import load
from ..read.formats import RDF_FORMATS
from ..read.parsing import use_base

if TYPE_CHECKING:
    from ..knowledge_graph import KnowledgeGraph

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


# Control characters other than tab and newline: in a label they could drive the terminal.
# Then the format characters (Unicode category Cf: U+202E reverses the text after it, U+200B
# hides a word break) and the line and paragraph separators, which reorder or hide what a
# terminal shows. Listed, not derived from unicodedata at start-up (a test checks the list).
# Before them, an emoji flag's tag sequence (U+1F3F4 and tag characters), kept whole.
_UNSAFE = re.compile(
    "(\U0001F3F4[\U000E0020-\U000E007F]+)"
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")

# The zero-width joiner and non-joiner shape Persian, Indic scripts and emoji sequences
# (woman, U+200D, laptop: one emoji): kept between two letters, marks or symbols beyond ASCII;
# elsewhere (between two Latin letters) they only hide a difference between names.
_JOINERS = "\u200c\u200d"


def _shown(text: str, start: int) -> bool:
    """Whether the character at ``start`` is a letter, a mark or a symbol (U+FE0F too) beyond
    ASCII."""
    return (0 <= start < len(text) and not text[start].isascii()
            and unicodedata.category(text[start])[0] in "LMS")


def _escape(match: re.Match[str]) -> str:
    found = match.group()
    if match.group(1) is not None:
        return found
    if (found in _JOINERS and _shown(match.string, match.start() - 1)
            and _shown(match.string, match.end())):
        return found
    code = ord(found)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def terminal_safe(text: str) -> str:
    r"""``text`` with control characters and invisible format characters (bidi overrides,
    zero-width spaces) written as ``\uXXXX`` escapes (valid in Turtle strings too), so
    untrusted labels and quotes can neither drive the terminal nor reorder or hide what it
    shows. Other text (accents, CJK, emoji, joined emoji and scripts) is unchanged.

    >>> terminal_safe("red\x1b[31m")
    'red\\u001B[31m'
    >>> terminal_safe("Samantha \u202eevil"), terminal_safe("Théodore 🙂 愛")
    ('Samantha \\u202Eevil', 'Théodore 🙂 愛')
    """
    return _UNSAFE.sub(_escape, text)


def echo(text: str = "") -> None:
    """Print human-readable output (never CSV or JSON) with control characters escaped.

    Example:
        >>> echo("Theodore\\x1b[31m")
        Theodore\\u001B[31m
    """
    click.echo(terminal_safe(text))


# JSON escapes C0 controls itself; these it leaves raw though a terminal obeys them (C1 CSI
# U+009B starts an escape sequence on many terminals).
_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f\u2028\u2029]")


def emit(text: str, *, nl: bool = True) -> None:
    r"""Print machine-readable output (CSV, JSON, RDF): exact into a pipe or a file; on a
    terminal, control characters are written as ``\uXXXX`` (line ends kept), so a label
    cannot retitle or recolour the reader's terminal.

    Example:
        >>> emit("name,count")   # doctest output is not a terminal: unchanged
        name,count
    """
    if stdout_is_terminal():
        text = terminal_safe(text.replace("\r\n", "\n"))
    # color=True: click would otherwise drop what looks like a colour code from a pipe's copy
    click.echo(text, nl=nl, color=True)


def exit_code_for(error: Exception) -> int:
    """The exit code of a her-graph error: 2 when the command line asked for something that is
    not there (a query, a name, a parameter), 1 when the work itself failed.

    Example:
        >>> from graph.errors import QueryError, UnknownQueryError
        >>> exit_code_for(UnknownQueryError("nope", ["events"])), exit_code_for(QueryError("bad"))
        (2, 1)
    """

    if isinstance(error, UnknownQueryError | MissingParameterError | UnknownNameError
                  | UsageError):
        return EXIT_USAGE
    return EXIT_FAILED


def stdout_is_terminal() -> bool:
    """True when standard output is a terminal (rich tables), False for pipes and files.

    Example:
        >>> stdout_is_terminal()    # doctest output is captured: not a terminal
        False
    """
    return _is_terminal(sys.stdout)


def stderr_is_terminal() -> bool:
    """True when standard error is a terminal (progress display).

    Example:
        >>> stderr_is_terminal() in (True, False)
        True
    """
    return _is_terminal(sys.stderr)


def _is_terminal(stream: Any) -> bool:
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class RegistryChoice(click.Choice):
    """A choice among the keys of a registry dict, read when the command runs.

    Formats registered after the command was defined (an exporter added by another module)
    are accepted and listed in ``--help``.

    Example:
        >>> choice = RegistryChoice({"ttl": "Turtle", "jsonld": "JSON-LD"})
        >>> choice.choices
        ('ttl', 'jsonld')
    """

    def __init__(self, registry: Mapping[str, Any]):
        self._registry = registry
        super().__init__(list(registry))

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._registry)

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:  # click's __init__ assigns it
        pass


class ExistingPath(click.Path):
    """``click.Path(exists=True, ...)`` that calls a symlink loop a symlink loop (click says
    such a path "does not exist").

    Example:
        >>> import os, tempfile
        >>> loop = os.path.join(tempfile.mkdtemp(), "story.ttl")
        >>> os.symlink("story.ttl", loop)
        >>> ExistingPath(dir_okay=False).convert(loop, None, None)
        Traceback (most recent call last):
            ...
        click.exceptions.BadParameter: ...story.ttl: is a symlink loop ...
    """

    def __init__(self, **options: Any):
        super().__init__(exists=True, **options)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str | os.PathLike) and symlink_loop(value):
            self.fail(f"{os.fsdecode(value)}: is a symlink loop (a link that leads back to "
                      "itself); point it at a file, or give the file itself", param, ctx)
        return super().convert(value, param, ctx)


def symlink_loop(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a symbolic link that never reaches a file (it leads back to itself).

    Example:
        >>> symlink_loop("README.md")
        False
    """
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


def _check_rdf_format(_ctx: click.Context, _param: click.Parameter,
                      value: str | None) -> str | None:
    if value is None:
        return None

    wanted = value.strip().lower()
    if any(wanted == f.name or wanted in f.aliases for f in RDF_FORMATS):
        return wanted
    raise click.BadParameter(f"unknown RDF format {value!r}; known formats: "
                             f"{', '.join(f.name for f in RDF_FORMATS)}")


def graph_options(function: F) -> F:
    """Add ``-g/--graph FILE``, ``--rdf-format NAME`` and ``--base IRI`` to a command.

    Example:
        >>> import click
        >>> @click.command()
        ... @graph_options
        ... def count(graph_file, rdf_format):
        ...     click.echo(len(load_graph(graph_file, rdf_format)))
        >>> sorted(p.name for p in count.params)
        ['base', 'graph_file', 'rdf_format']
    """
    function = click.option(
        "--base", metavar="IRI", expose_value=False, callback=_set_base, is_eager=True,
        help="The IRI relative IRIs in --graph resolve against (default: "
             "https://w3id.org/her-graph/base/ plus the file's name).",
    )(function)
    function = click.option(
        "--rdf-format", "rdf_format", metavar="NAME", callback=_check_rdf_format,
        help="The RDF format of --graph when its extension does not say "
             "(turtle, ntriples, nquads, trig, n3, json-ld, rdfxml).",
    )(function)
    return click.option(
        "-g", "--graph", "graph_file", metavar="FILE",
        type=ExistingPath(dir_okay=False, readable=True),
        help="Your own story graph (Turtle, N-Triples, JSON-LD, RDF/XML, ...) instead of the "
             "bundled Her graph.",
    )(function)


def _set_base(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """Set (or, when not given, clear) the base IRI every graph this command reads uses."""
    try:
        use_base(value)
    except HerGraphError as error:
        raise click.BadParameter(str(error), param_hint="'--base'") from None


def load_graph(graph_file: str | None, rdf_format: str | None = None, *,
               queries: str | None = None, store: str = "memory",
               allow_empty: bool = False) -> KnowledgeGraph:
    """Load the user's graph file, or the bundled Her graph when ``graph_file`` is None.

    Raises:
        GraphLoadError: the file holds no triples (an empty Turtle file is a valid, empty
            graph, but validating or exporting it would only report success on nothing),
            unless ``allow_empty`` (an update may fill it).

    Example:
        >>> len(load_graph(None)) > 1000
        True
    """

    kg = load(graph_file, format=rdf_format, queries=queries, store=store)
    if not allow_empty:
        refuse_empty(kg, graph_file)
    return kg


def refuse_empty(kg: KnowledgeGraph, graph_file: str | None) -> None:
    """Raise :class:`~graph.errors.GraphLoadError` if the user's graph holds no triples.

    Example:
        >>> refuse_empty(load_graph(None), None)   # the bundled graph: never empty
    """
    if graph_file is not None and len(kg) == 0:
        raise GraphLoadError(f"{graph_file}: the file holds no triples (it is empty, or only "
                             "comments and prefixes); give a graph with data in it",
                             path=graph_file)


def graph_stem(graph_file: str | None) -> str:
    """The file name stem exports of this graph get: ``her`` for the bundled graph.

    Example:
        >>> graph_stem(None), graph_stem("stories/gull-rock.ttl")
        ('her', 'gull-rock')
    """
    return Path(graph_file).stem if graph_file else "her"


def plain_value(value: Any) -> Any:
    """A JSON-ready value: numbers and booleans stay, dates become ISO text, the rest ``str``.

    Example:
        >>> import datetime
        >>> plain_value(datetime.date(2013, 12, 18)), plain_value(8316), plain_value(None)
        ('2013-12-18', 8316, None)
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def json_text(data: Any) -> str:
    r"""Indented JSON, non-ASCII kept as is except control characters: every one is a ``\uXXXX``
    escape (JSON escapes C0 itself; DEL, C1 and the line separators too here), the same text
    to a JSON reader and inert on a terminal.

    Example:
        >>> print(json_text({"name": "Théodore", "count": 8316, "x": "\x9b"}))
        {
          "name": "Théodore",
          "count": 8316,
          "x": "\u009b"
        }
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, default=plain_value)
    return _JSON_RAW_CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _cell(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", " | ")


# A terminal shows a cell up to this many characters: a label of a million characters would
# otherwise scroll everything else away. Plain text output (pipes, files) is never cut.
_TERMINAL_CELL = 500


def _terminal_cell(text: str) -> str:
    if len(text) <= _TERMINAL_CELL:
        return text
    return f"{text[:_TERMINAL_CELL - 1]}… ({len(text) - _TERMINAL_CELL + 1:,} more characters)"


def print_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
                title: str | None = None, footer: str | None = None,
                numeric: Iterable[str] = ()) -> None:
    """Print rows as a table: a rich table on a terminal, aligned plain text otherwise.

    Plain text is never cut: every row, every character (line breaks inside a cell become
    `` | ``), so it can be searched with grep. On a terminal, a cell longer than 500
    characters is cut there, saying how much is left out.

    Example:
        >>> print_table(["name", "events"], [["Theodore", 14], ["Amy", 2]], numeric=["events"])
        name      events
        --------  ------
        Theodore      14
        Amy            2
    """
    rows = [["" if v is None else terminal_safe(str(v)) for v in row] for row in rows]
    right = set(numeric)
    if stdout_is_terminal():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        # Text objects, never strings: a label such as "[bold]" is data, not rich markup.
        table = Table(title=Text(terminal_safe(title)) if title else None,
                      caption=Text(terminal_safe(footer)) if footer else None,
                      header_style="bold")
        for column in columns:
            table.add_column(Text(column), justify="right" if column in right else "left",
                             overflow="fold")
        for row in rows:
            table.add_row(*(Text(_terminal_cell(cell)) for cell in row))
        Console(markup=False, highlight=False).print(table)
        return
    rows = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        parts = [cell.rjust(w) if column in right else cell.ljust(w)
                 for cell, w, column in zip(cells, widths, columns, strict=True)]
        return "  ".join(parts).rstrip()

    if title:
        echo(title)
    click.echo(line(columns))
    click.echo(line(["-" * w for w in widths]))
    for row in rows:
        click.echo(line(row))
    if footer:
        echo(footer)



class Progress:
    """A progress display on standard error while long work runs, when it is a terminal.

    Elsewhere (a pipe, a log file, a test) it shows nothing, so output stays clean.

    Example:
        >>> with Progress(2, "loading") as progress:   # shows nothing unless stderr is a terminal
        ...     for name in ("her.ttl", "ontology.ttl"):
        ...         progress.step(f"parsed {name}")
    """

    def __init__(self, total: int, description: str = "working"):
        self._total = total
        self._description = description
        self._display: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if stderr_is_terminal():
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

            self._display = Progress(
                SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                console=Console(stderr=True), transient=True)
            self._display.__enter__()
            self._task = self._display.add_task(self._description, total=self._total)
        return self

    def step(self, description: str, *, advance: int = 1) -> None:
        """Mark ``advance`` steps done and say what runs next."""
        if self._display is not None:
            self._display.update(self._task, description=description, advance=advance)

    def __exit__(self, *exc: object) -> None:
        if self._display is not None:
            self._display.__exit__(*exc)
