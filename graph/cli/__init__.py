"""The ``her-graph`` command: a thin shell over the Python API.

Each command loads the graph (the bundled Her graph, or ``-g FILE``), calls one public function
with the same option names, and formats the result. Errors are one line on stderr, never a
traceback for a user mistake. Exit codes:

- 0: done;
- 1: the work failed: the graph is invalid, a quote is missing, a query is wrong or failed, a
  file could not be read or written;
- 2: the command line is wrong: an unknown option, command, format, query or name, a missing
  argument or file, a bad ``--param``;
- 130: interrupted (Ctrl-C).

Run it as ``her-graph``, ``python -m graph`` or ``python -m graph.cli``.
"""

from __future__ import annotations

import logging
import os
import sys

import click

from ..errors import HerGraphError, StoryFileError
from . import authoring, build, check, influence, publish, query, serve, story
from .common import EXIT_FAILED, EXIT_USAGE, exit_code_for, terminal_safe

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="her-graph", prog_name="her-graph")
def cli() -> None:
    """The film Her as a knowledge graph, and a toolkit for any story.

    Every command works on the bundled Her graph, or on your own story graph with -g FILE.
    Exit codes: 0 done, 1 validation or query failed, 2 usage error.

    \b
    Examples:
      her-graph build                       write every export to exports/
      her-graph query --list                the named queries
      her-graph influence Theodore          who influenced Theodore, and whom he influenced
      her-graph at "act 2"                  the state of the story at the end of act 2
      her-graph validate story.ttl          check your own graph
      her-graph new my-story                a story folder to describe your own story in
      her-graph compile story.yaml          your story file as a graph, quotes anchored

    Run `her-graph COMMAND --help` for the options and an example of each command.
    """


def _register() -> None:
    for command in (build.build, query.query, influence.influence, check.validate,
                    build.export, check.stats, story.metrics, story.at, publish.publish,
                    serve.serve, authoring.new, authoring.compile_command, authoring.decompile,
                    authoring.anchor, authoring.import_annotations_command):
        cli.add_command(command)


_register()


def _ill_typed_literal_note(record: logging.LogRecord) -> bool:
    """False for rdflib's note on a literal whose text its datatype does not allow
    (``"bad"^^xsd:integer``), logged with a traceback as rdflib reads it: the literal stays as
    written, and `her-graph validate` reports where a shape needs another datatype."""
    return not record.getMessage().startswith("Failed to convert Literal lexical form")


def _quiet_rdflib() -> None:
    """Keep rdflib's ill-typed literal notes off standard error (only once per process)."""
    logger = logging.getLogger("rdflib.term")
    if _ill_typed_literal_note not in logger.filters:
        logger.addFilter(_ill_typed_literal_note)


def _error(message: str) -> None:
    # One line: a message spread over lines is joined, so it stays greppable; names from the
    # graph may hold control characters, which are escaped.
    click.echo(f"her-graph: error: {terminal_safe(' '.join(message.split()))}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Run ``her-graph`` with ``argv`` (default: the process arguments); return the exit code.

    Set ``HER_GRAPH_DEBUG=1`` to see the traceback of an unexpected error.

    Example:
        >>> main(["query", "-e", "SELECT ?name WHERE { ?c a hg:AICharacter ; schema:name ?name ; "
        ...       "hg:memberOf/schema:name 'the operating systems' } ORDER BY DESC(?name) LIMIT 1"])
        name
        --------
        Samantha
        (1 row)
        0
    """
    _quiet_rdflib()
    try:
        result = cli.main(args=argv, prog_name="her-graph", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.UsageError as error:
        hint = ""
        if error.ctx is not None:
            hint = f" (see '{error.ctx.command_path} --help')"
        _error(f"{error.format_message()}{hint}")
        return EXIT_USAGE
    except click.ClickException as error:
        _error(error.format_message())
        return error.exit_code
    except StoryFileError as error:
        # Every problem of the story file, one a line, each naming its file and line.
        for line in str(error).splitlines():
            _error(line)
        return EXIT_FAILED
    except HerGraphError as error:
        _error(str(error))
        return exit_code_for(error)
    except (KeyboardInterrupt, click.exceptions.Abort):
        _error("interrupted")
        return 130
    except SystemExit as stop:
        # click turns a broken pipe into exit 1 and wraps stdout to silence it: a reader that
        # went away, handled as below.
        from click.utils import PacifyFlushWrapper  # lazy: only on this rare path

        if isinstance(sys.stdout, PacifyFlushWrapper):
            return 0
        raise stop
    except BrokenPipeError:
        # The reader went away (her-graph ... | head): stop quietly, as Unix tools do, and as
        # commands whose output fits the pipe's buffer do (exit 0: the reader has what it
        # wanted).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        _error(f"{where}{error.strerror or error}")
        return EXIT_FAILED
    except Exception as error:
        if os.environ.get("HER_GRAPH_DEBUG"):
            raise
        _error(f"unexpected {type(error).__name__}: {error} (this is a bug in her-graph; "
               "run with HER_GRAPH_DEBUG=1 for the traceback and report it)")
        return EXIT_FAILED
    return result if isinstance(result, int) else 0


def run() -> None:
    """Entry point of ``python -m graph.cli``: run and exit with the code."""
    sys.exit(main())
