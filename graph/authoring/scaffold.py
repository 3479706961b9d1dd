"""A new story folder: a commented ``story.yaml``, its ``source.txt`` and a short README.

The folder compiles and validates as it stands (an invented story to replace with yours). It is
made all at once: the files are written into a hidden folder beside it, which is then renamed
into place (into an empty folder that exists, the complete files are moved), so a failure (a
full disk, an interrupt) leaves no half-made story folder, and running ``new`` again works.
"""

from __future__ import annotations

import os
import secrets
import shutil
from importlib import resources
from pathlib import Path

from ..errors import HerGraphError, UsageError

#: The files of a new story folder, from graph/authoring/template/.
TEMPLATE_FILES = ("story.yaml", "source.txt", "README.md")


def _check_folder(folder: Path, given: str) -> None:
    """Refuse a folder name that is empty, or a folder that exists and is not empty."""
    if not given.strip():
        raise UsageError("give the name of a new folder for the story (an empty name would "
                         "write into the current folder)")
    if not folder.exists():
        if folder.is_symlink():
            raise UsageError(f"{given}: is a link to nothing; choose a new folder")
        return
    if not folder.is_dir():
        raise UsageError(f"{given}: exists and is not a folder; choose a new folder")
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError as error:
        raise HerGraphError(f"{given}: cannot read the folder ({error.strerror})") from None
    if names:
        existing = [name for name in TEMPLATE_FILES if name in names]
        count = f"{len(names)} {'entry' if len(names) == 1 else 'entries'}"
        what = f"already has {', '.join(existing)}" if existing else f"is not empty ({count})"
        raise UsageError(f"{given}: {what}; choose a new or empty folder (nothing was written)")


def new_story(folder: str | os.PathLike[str]) -> list[Path]:
    """Create a story folder (new, or empty) holding the template story files.

    Raises:
        UsageError: the name is empty, or names a file or a folder that is not empty (nothing
            is overwritten).
        HerGraphError: the folder could not be made (nothing is left behind).

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "my-story"
        >>> [path.name for path in new_story(folder)]
        ['story.yaml', 'source.txt', 'README.md']
        >>> from graph.authoring import compile_story
        >>> len(compile_story(folder / "story.yaml")) > 100
        True
    """
    given = os.fspath(folder)
    folder = Path(folder)
    _check_folder(folder, given)
    # A link to an empty folder: the story goes into the folder it names.
    real = Path(os.path.realpath(folder))
    made = [p for p in (real.parent, *real.parent.parents) if not p.exists()]
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        staging = _staging_folder(real)
    except OSError as error:
        _remove_made(made)
        raise HerGraphError(f"{given}: cannot make the story folder ({error.strerror}); "
                            "nothing was written") from None
    template = resources.files("graph.authoring") / "template"
    moved: list[Path] = []
    try:
        for name in TEMPLATE_FILES:
            _write_file(staging / name, (template / name).read_bytes())
        if real.exists():
            # An empty folder (perhaps the current one, which must stay where it is): the
            # complete files move in, each in one step.
            for name in TEMPLATE_FILES:
                os.rename(staging / name, real / name)
                moved.append(real / name)
            staging.rmdir()
        else:
            os.rename(staging, real)
    except BaseException as error:
        for path in moved:
            path.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        _remove_made(made)
        if isinstance(error, OSError):
            raise HerGraphError(f"{given}: cannot make the story folder ({error.strerror}); "
                                "nothing was written") from None
        raise
    return [folder / name for name in TEMPLATE_FILES]


def _write_file(path: Path, data: bytes) -> None:
    """Write a new file and flush it to disk (before the rename that makes it visible)."""
    with path.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _staging_folder(real: Path) -> Path:
    """A new hidden folder beside ``real`` (``.NAME.1a2b3c4d.new``), with the permissions a
    folder gets (the umask's), to write the files in before they take their place."""
    while True:
        staging = real.with_name(f".{real.name}.{secrets.token_hex(4)}.new")
        try:
            staging.mkdir()
        except FileExistsError:
            continue
        return staging


def _remove_made(folders: list[Path]) -> None:
    """Remove the parent folders this call made, innermost first, if they are still empty."""
    for made in folders:
        try:
            made.rmdir()
        except OSError:
            return
