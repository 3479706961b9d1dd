"""Refusing to write a command's output over one of its inputs.

``her-graph compile mystory.ttl`` (a story file named ``.ttl``, whose default output is that
very path), ``compile story.yaml -o source.txt`` or ``decompile g.ttl -o g.ttl`` would replace
the file the command reads with what it made of it. :func:`refuse_same_file` stops them first:
the same path, or the same file under another name (a symbolic or a hard link).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..errors import UsageError


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file: the same file on disk when both exist (links
    included), else the same absolute path once symbolic links are resolved.

    Example:
        >>> same_file(Path("story.yaml"), Path("./story.yaml"))
        True
        >>> same_file(Path("story.yaml"), Path("story.ttl"))
        False
    """
    try:
        if first.exists() and second.exists():
            return os.path.samefile(first, second)
        return first.resolve() == second.resolve()
    except (OSError, RuntimeError):  # a loop of links, a folder this user may not enter
        return os.path.abspath(first) == os.path.abspath(second)


def refuse_same_file(output: Path, inputs: Mapping[str, Path | None], hint: str) -> None:
    """Raise a :class:`~graph.errors.UsageError` if ``output`` is one of ``inputs`` (each named
    by what it is, such as ``"the story file"``); ``hint`` says what to do instead.

    Example:
        >>> refuse_same_file(Path("story.yaml"), {"the story file": Path("story.yaml")},
        ...                  "give another output file with -o")
        Traceback (most recent call last):
            ...
        graph.errors.UsageError: story.yaml: this is the story file, which writing there would \
destroy; give another output file with -o (nothing was written)
    """
    for what, path in inputs.items():
        if path is None or not same_file(output, path):
            continue
        named = "" if str(path) == str(output) else f" ({path})"
        raise UsageError(f"{output}: this is {what}{named}, which writing there would destroy; "
                         f"{hint} (nothing was written)")
