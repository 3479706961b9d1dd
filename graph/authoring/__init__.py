"""The story-file format: describe any story in YAML, with quotes anchored in its source.

The Python API mirrors the ``her-graph`` commands:

- :func:`new_story` (``her-graph new DIR``): a story folder that compiles as it stands;
- :func:`compile_story` / :func:`write_story_graph` (``her-graph compile``): the story file
  as RDF in the her-graph model, each quote anchored by W3C Web Annotation selectors;
- :func:`decompile` / :func:`decompile_file` (``her-graph decompile``): a graph back into a
  story file;
- :func:`anchor_story` (``her-graph anchor``): re-locate every quote in an edited source;
- :func:`import_annotations` (``her-graph import-annotations``): highlights from Hypothesis or
  Recogito as quotes of a story file.

Positions are counted in Unicode code points of the source text as read (UTF-8, a byte-order
mark stripped, newlines as in the file): ``text[start:end] == exact``.

Example:
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "story"
    >>> _ = new_story(folder)
    >>> write_story_graph(folder / "story.yaml").name
    'story.ttl'
    >>> [s.status for s in anchor_story(folder / "story.ttl", folder / "source.txt")][:2]
    ['anchored', 'anchored']
"""

from __future__ import annotations

from .anchoring import read_source
from .annotations import Highlight, import_annotations, read_annotations
from .compiler import compile_story, story_turtle, write_story_graph
from .decompile import decompile, decompile_file
from .reanchor import QuoteStatus, anchor_story, reanchor
from .scaffold import new_story

__all__ = [
    "Highlight",
    "QuoteStatus",
    "anchor_story",
    "compile_story",
    "decompile",
    "decompile_file",
    "import_annotations",
    "new_story",
    "read_annotations",
    "read_source",
    "reanchor",
    "story_turtle",
    "write_story_graph",
]
