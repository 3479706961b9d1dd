"""Writing a file atomically: the previous file or the new one, never half of one, nor litter.

:func:`write_atomic` writes the bytes beside the target, flushes them to disk, and renames them
over the target in one step, so a crash, a Ctrl-C or a full disk leaves the previous file whole.

Where a temporary file lives matters for a process killed outright (SIGKILL, an out-of-memory
kill, a power cut), which cannot tidy up:

- On Linux the bytes go to a file *without a name* in the target folder (``O_TMPFILE``), which
  is given a name only once it is complete, just before the rename. A process killed while
  writing leaves nothing behind: the kernel frees a file that has no name.
- Elsewhere (or on a file system without ``O_TMPFILE``) the temporary file is a hidden one named
  after the target and the writing process (``.her.ttl.12345.k3j9x2ab.tmp``), and the next
  write of the same target removes those of processes that no longer run
  (:func:`remove_stale_temporaries`).
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ExportError

#: The permissions of a written file (before the umask), as ``open(..., "w")`` gives.
_MODE = 0o644


def _process_is_gone(pid: int) -> bool:
    """True if no process ``pid`` runs on this machine (never guessed on Windows)."""
    if os.name != "posix" or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, as another user's process
        return False
    return False


def remove_stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files of ``path`` that killed writers left behind.

    Only files named as :func:`write_atomic` names them for this very target, by a process
    that no longer runs, are removed: a write in progress elsewhere is left alone.

    Returns:
        The files removed.

    Example:
        >>> import pathlib, subprocess, sys, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> finished = subprocess.Popen([sys.executable, "-c", "pass"])
        >>> _ = finished.wait()  # a writer that no longer runs ...
        >>> left = folder / f".her.ttl.{finished.pid}.k3j9x2ab.tmp"
        >>> _ = left.write_bytes(b"half an export")  # ... left this behind
        >>> [p.name for p in remove_stale_temporaries(folder / "her.ttl")] == [left.name]
        True
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)\.[A-Za-z0-9_]+\.tmp$")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = pattern.match(entry.name)
        if found and entry.is_file(follow_symlinks=False) and _process_is_gone(
                int(found.group(1))):
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed


def _check_target(path: Path, folder: Path) -> None:
    try:
        if not folder.is_dir():
            # The nearest part of the path that exists says what is wrong: a file where a
            # folder should be, or a folder still to create.
            blocking = next((part for part in (folder, *folder.parents)
                             if part.exists() or part.is_symlink()), None)
            if blocking is not None and not blocking.is_dir():
                raise ExportError(f"{blocking}: is a file, not a folder, so {path} cannot be "
                                  "written inside it; choose another output path")
            raise ExportError(f"{folder}: the output folder does not exist; create it first")
        if path.is_dir():
            raise ExportError(f"{path}: is a folder; give a file name to write to")
        if path.exists() and not path.is_file():
            # The rename would put a regular file in the place of a device or a pipe (as
            # root, /dev/null itself).
            raise ExportError(f"{path}: is not a regular file (a device, a pipe or a socket); "
                              "give the path of a file (`her-graph export` without -o writes "
                              "to standard output)")
    except OSError as error:  # a folder on the way that this user may not enter
        raise ExportError(f"{folder}: cannot write here ({error.strerror})") from None


@contextmanager
def _removed_on_failure(temporary: Path, target: Path) -> Iterator[None]:
    """Remove ``temporary`` if the block fails (an interrupt too); an OSError becomes an
    :class:`ExportError` naming ``target``."""
    try:
        yield
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ExportError(f"{target}: cannot write it ({error.strerror})") from None
        raise


def _temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_unnamed(path: Path, folder: Path, data: bytes) -> bool:
    """Write ``data`` through a file with no name until it is complete (Linux's ``O_TMPFILE``).

    Returns False, having changed nothing, where the system or the file system cannot.
    """
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return False
    try:
        descriptor = os.open(folder, flag | os.O_WRONLY, _MODE)
    except OSError:
        return False  # not supported here; the named temporary file says what is wrong
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
            os.fsync(descriptor)
        except OSError as error:
            raise ExportError(f"{path}: cannot write it ({error.strerror})") from None
        named = _temporary_name(path)
        try:
            # The complete file gets a name: linkat(AT_SYMLINK_FOLLOW) of /proc/self/fd/N.
            # (os.link without a src_dir_fd calls link(), which cannot follow that link.)
            fds = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.link(str(descriptor), named, src_dir_fd=fds, follow_symlinks=True)
            finally:
                os.close(fds)
        except OSError:
            return False
        with _removed_on_failure(named, path):
            os.replace(named, path)
    finally:
        os.close(descriptor)
    return True


def _write_named(path: Path, folder: Path, data: bytes) -> None:
    """Write ``data`` through a hidden temporary file named after ``path`` and this process."""
    try:
        # Not a context manager: the file must outlive the block to be renamed over the target.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            dir=folder, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", delete=False)
    except OSError as error:
        raise ExportError(f"{folder}: cannot write here ({error.strerror})") from None
    temporary = Path(handle.name)
    with _removed_on_failure(temporary, path):
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _MODE)
        os.replace(temporary, path)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically: the previous file stays whole until the new one
    is complete, and nothing else is left in the folder (see the module notes).

    Raises:
        ExportError: the folder does not exist or cannot be written, or the target is a folder,
            a device or a pipe.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
        >>> write_atomic(path, b"Her (2013)").read_bytes()
        b'Her (2013)'
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    _check_target(path, folder)
    remove_stale_temporaries(path)
    if not _write_unnamed(path, folder, data):
        _write_named(path, folder, data)
    return path
