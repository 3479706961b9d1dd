"""A new story folder: a commented ``story.yaml``, its ``source.txt`` and a short README.

The folder compiles and validates as it stands (an invented story to replace with yours).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from ..atomic import write_atomic
from ..errors import HerGraphError

#: The files of a new story folder, from graph/authoring/template/.
TEMPLATE_FILES = ("story.yaml", "source.txt", "README.md")


def new_story(folder: str | os.PathLike[str]) -> list[Path]:
    """Create a story folder (made if missing) holding the template story files.

    Raises:
        HerGraphError: one of the files exists already (nothing is overwritten).

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "my-story"
        >>> [path.name for path in new_story(folder)]
        ['story.yaml', 'source.txt', 'README.md']
        >>> from graph.authoring import compile_story
        >>> len(compile_story(folder / "story.yaml")) > 100
        True
    """
    folder = Path(folder)
    existing = [name for name in TEMPLATE_FILES if (folder / name).exists()]
    if existing:
        raise HerGraphError(f"{folder}: already has {', '.join(existing)}; choose a new folder "
                            "(nothing was written)")
    if folder.exists() and not folder.is_dir():
        raise HerGraphError(f"{folder}: exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    template = resources.files("graph.authoring") / "template"
    return [write_atomic(folder / name, (template / name).read_bytes())
            for name in TEMPLATE_FILES]
