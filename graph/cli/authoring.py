"""``her-graph new | compile | decompile | anchor | import-annotations``: the story format.

Each command calls one function of :mod:`graph.authoring` with the same option names.
"""

from __future__ import annotations

from pathlib import Path

import click

from .common import EXIT_FAILED, echo, print_table

_FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
def new(folder: str) -> None:
    """Create a story folder: a commented story.yaml, its source.txt and a README.

    FOLDER must be new or empty; the folder is made whole or not at all.

    It compiles and validates as it stands; replace the invented story with yours.

    \b
    Example:
      her-graph new my-story && cd my-story && her-graph compile story.yaml
    """
    from ..authoring import new_story  # lazy: start-up time (yaml, rdflib, the exporters)

    for path in new_story(folder):
        echo(f"wrote {path}")


@click.command("compile")
@click.argument("story", type=_FILE)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The Turtle file to write (default: the story file's name with .ttl).")
@click.option("--source", type=_FILE, default=None,
              help="The source text, if not the story file's `source: path:`.")
def compile_command(story: Path, output: Path | None, source: Path | None) -> None:
    """Compile a story file (YAML) into a her-graph graph (Turtle).

    Every quote is anchored in the source text (W3C Web Annotation selectors: exact, prefix,
    suffix, start, end; positions in code points). All the problems of the file are listed,
    each with its line; then nothing is written and the exit code is 1.

    \b
    Examples:
      her-graph compile story.yaml
      her-graph compile story.yaml -o story.ttl
    """
    from ..authoring import write_story_graph  # lazy: start-up time (yaml, rdflib, the exporters)

    echo(f"wrote {write_story_graph(story, output, source=source)}")


@click.command()
@click.argument("graph_file", metavar="STORY_TTL", type=_FILE)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The story file (YAML) to write.")
@click.option("--source", type=_FILE, default=None,
              help="The source text the graph's quotes come from: written as the story file's "
                   "`source: path:` (default source.txt), and every quote is checked to "
                   "anchor in it.")
def decompile(graph_file: Path, output: Path, source: Path | None) -> None:
    """Write a her-graph graph as a story file, to edit it in the format.

    What the format does not cover is kept under `extra_turtle:`, so compiling the story file
    gives back the same graph (with the selectors the compiler adds).

    \b
    Examples:
      her-graph decompile story.ttl -o story.yaml
      her-graph decompile story.ttl -o story.yaml --source source.txt
    """
    from ..authoring import decompile_file  # lazy: start-up time (yaml, rdflib, the exporters)

    echo(f"wrote {decompile_file(graph_file, output, source)}")


@click.command()
@click.argument("graph_file", metavar="STORY_TTL", type=_FILE)
@click.option("--source", required=True, type=_FILE, help="The (edited) source text.")
@click.option("--write", is_flag=True,
              help="Rewrite the selectors of the anchored and moved quotes in STORY_TTL, in "
                   "its own format (Turtle, N-Triples, N-Quads, TriG or JSON-LD).")
def anchor(graph_file: Path, source: Path, write: bool) -> None:
    """Find every quote of a story graph again in an edited source text.

    Each quote is anchored (same place), moved (its words and context found elsewhere) or
    orphaned (gone, changed around, or ambiguous): an orphaned quote is never attached to
    look-alike text. Exit code 1 if any is orphaned.

    \b
    Examples:
      her-graph anchor story.ttl --source edited.txt
      her-graph anchor story.ttl --source edited.txt --write
    """
    from ..authoring import anchor_story  # lazy: start-up time (yaml, rdflib, the exporters)

    statuses = anchor_story(graph_file, source, write=write)
    rows = [[s.status, _short(str(s.selector)), s.was, s.start, s.end,
             _quote(s.exact) + (f" ({s.reason})" if s.reason else "")] for s in statuses]
    print_table(["status", "selector", "was", "start", "end", "quote"], rows,
                numeric=["was", "start", "end"])
    counts = {name: sum(s.status == name for s in statuses)
              for name in ("anchored", "moved", "orphaned")}
    echo(", ".join(f"{count} {name}" for name, count in counts.items()))
    if write:
        echo(f"rewrote the selectors in {graph_file}" if counts["anchored"] + counts["moved"]
             else "nothing to rewrite")
    if counts["orphaned"]:
        click.get_current_context().exit(EXIT_FAILED)


@click.command("import-annotations")
@click.argument("annotations", type=_FILE)
@click.argument("story", type=_FILE)
@click.option("--dry-run", is_flag=True, help="Report only; leave the story file as it is.")
def import_annotations_command(annotations: Path, story: Path, dry_run: bool) -> None:
    """Add highlights from an annotation tool to a story file's quotes.

    ANNOTATIONS is a W3C Web Annotation JSON-LD export (Hypothesis, Recogito) whose targets
    are TextQuoteSelectors on the story's source. Each must still anchor there; those that do
    not are listed as orphaned and not added (exit code 1).

    \b
    Example:
      her-graph import-annotations recogito.jsonld story.yaml
    """
    from ..authoring import import_annotations  # lazy: start-up time (yaml, rdflib, the exporters)

    results = import_annotations(annotations, story, write=not dry_run)
    print_table(["status", "id", "quote", "note"],
                [[h.status, h.id, _quote(h.exact), h.note] for h in results])
    if any(h.status == "orphaned" for h in results):
        click.get_current_context().exit(EXIT_FAILED)


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _quote(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= size else text[:size - 1] + '…'}”"
