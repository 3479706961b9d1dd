"""Writing files atomically: the previous file or the new one, never half of one, nor litter.

:func:`write_atomic` writes the bytes beside the target, flushes them to disk, and renames them
over the target in one step, so a crash, a Ctrl-C or a full disk leaves the previous file whole.
:func:`write_files_atomic` does so for several files at once, all or nothing: every new file is
written in full before the first is renamed into place, so a failure while writing (a full
disk, an error, an interrupt) changes none of them.

The target itself stays what it was: a symbolic link stays a link (the file it points to is
replaced, in that file's folder), and a file that exists keeps its permissions (a new one gets
those of ``open(path, "w")``: read and write for all, less the umask).

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

import errno
import os
import re
import secrets
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import ExportError

#: The permissions of a new file before the umask, as ``open(..., "w")`` gives.
_NEW_FILE_MODE = 0o666

#: At most this many files of one batch wait as open unnamed files; beyond, they get names at
#: once, so a batch of thousands of files cannot run out of file descriptors.
_MAX_UNNAMED = 64


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


def _resolve(path: Path) -> Path:
    """The file a write to ``path`` replaces: for a symbolic link, the file it points to (at
    the end of a chain of links), so that the link stays a link."""
    try:
        if not path.is_symlink():
            return path
    except OSError:  # a folder on the way that this user may not enter: said by the checks
        return path
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ExportError(f"{path}: is a symlink loop (it leads back to itself); remove "
                              "the link or give another path") from None
        # A dangling link: the file it points to is created.
    return Path(os.path.realpath(path))


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


def _existing_mode(path: Path) -> int | None:
    """The permission bits of the file at ``path``, or None if there is none yet."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & 0o777
    except OSError:
        return None


def _temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_fully(descriptor: int, data: bytes) -> None:
    """Write all of ``data`` to ``descriptor`` (``os.write`` may write only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


@dataclass
class _Staged:
    """One new file, complete on disk, waiting to be renamed over its target."""

    shown: Path  # the path the caller gave: what messages name
    target: Path  # the file replaced (a symbolic link's target)
    descriptor: int | None = None  # an unnamed file (O_TMPFILE), still open
    temporary: Path | None = None  # or a named temporary file

    def discard(self) -> None:
        """Close and remove the new file: the target is left as it was."""
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
            self.temporary = None


def _fill(staged: _Staged, descriptor: int, data: bytes, mode: int | None) -> None:
    """Write ``data`` to the new file, with the target's permissions, and flush it to disk."""
    try:
        _write_fully(descriptor, data)
        if mode is not None:
            os.fchmod(descriptor, mode)
        os.fsync(descriptor)
    except OSError as error:
        raise ExportError(f"{staged.shown}: cannot write it ({error.strerror})") from None


def _open_unnamed(folder: Path) -> int | None:
    """A new file with no name in ``folder`` (Linux's ``O_TMPFILE``), or None where the system
    or the file system cannot."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, _NEW_FILE_MODE)
    except OSError:
        return None  # not supported here; the named temporary file says what is wrong


def _open_named(staged: _Staged) -> int:
    """A new hidden file named after the target and this process; sets ``staged.temporary``."""
    temporary = _temporary_name(staged.target)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                             _NEW_FILE_MODE)
    except OSError as error:
        raise ExportError(f"{temporary.parent}: cannot write here ({error.strerror})") from None
    staged.temporary = temporary
    return descriptor


def _stage(path: Path, data: bytes, *, unnamed: bool) -> _Staged:
    """Write ``data`` to a new file beside the file ``path`` replaces, complete and on disk."""
    target = _resolve(path)
    folder = target.parent if str(target.parent) else Path(".")
    _check_target(target, folder)
    remove_stale_temporaries(target)
    staged = _Staged(path, target)
    mode = _existing_mode(target)
    try:
        descriptor = _open_unnamed(folder) if unnamed else None
        if descriptor is not None:
            staged.descriptor = descriptor
            _fill(staged, descriptor, data, mode)
        else:
            descriptor = _open_named(staged)
            try:
                _fill(staged, descriptor, data, mode)
            finally:
                os.close(descriptor)
    except BaseException:
        staged.discard()
        raise
    return staged


def _name(staged: _Staged) -> None:
    """Give an unnamed new file its temporary name, ready to be renamed over the target."""
    if staged.descriptor is None:
        return
    named = _temporary_name(staged.target)
    try:
        # linkat(AT_SYMLINK_FOLLOW) of /proc/self/fd/N. (os.link without a src_dir_fd calls
        # link(), which cannot follow that link.)
        fds = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(str(staged.descriptor), named, src_dir_fd=fds, follow_symlinks=True)
        finally:
            os.close(fds)
    except OSError:
        _copy_to_named(staged)
    else:
        staged.temporary = named
    os.close(staged.descriptor)
    staged.descriptor = None


def _copy_to_named(staged: _Staged) -> None:
    """Copy an unnamed file that cannot be linked to a name into a named temporary file."""
    assert staged.descriptor is not None
    source = os.open(f"/proc/self/fd/{staged.descriptor}", os.O_RDONLY)
    try:
        descriptor = _open_named(staged)
        try:
            mode = stat.S_IMODE(os.fstat(source).st_mode)
            while chunk := os.read(source, 1 << 20):
                _write_fully(descriptor, chunk)
            os.fchmod(descriptor, mode)
            os.fsync(descriptor)
        except OSError as error:
            raise ExportError(f"{staged.shown}: cannot write it ({error.strerror})") from None
        finally:
            os.close(descriptor)
    finally:
        os.close(source)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold a Ctrl-C back until the block is done (it takes microseconds), so the renames of
    one batch happen together; only the main thread can, elsewhere the block just runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda number, _frame: received.append(number))
    except ValueError:  # no signals here (an embedded interpreter)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
        if received:
            raise KeyboardInterrupt


def write_files_atomic(files: Iterable[tuple[str | os.PathLike[str], bytes]]) -> list[Path]:
    """Write several files all or nothing: each ``(path, bytes)`` to a new file beside its
    target, then, once every one is complete, each renamed over its target.

    ``files`` may be a generator that renders each file as it is asked for: only one file's
    bytes need be in memory at a time. If writing any of them fails (a full disk, an error
    raised by the generator, Ctrl-C), every new file is removed and no target changes. Each
    rename is atomic; they cannot be one step together, so a rename refused after others were
    done (rare: the disk is then already written) leaves those done and says which failed.

    Returns:
        The paths written, in the order given.

    Raises:
        ExportError: a folder does not exist or cannot be written, a target is a folder, a
            device, a pipe or a symlink loop, or the disk is full.

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> [p.name for p in write_files_atomic([(folder / "a.csv", b"1"), (folder / "b.csv",
        ...                                                                   b"2")])]
        ['a.csv', 'b.csv']
    """
    staged: list[_Staged] = []
    try:
        for path, data in files:
            unnamed = sum(s.descriptor is not None for s in staged) < _MAX_UNNAMED
            staged.append(_stage(Path(path), data, unnamed=unnamed))
        for each in staged:
            _name(each)
        with _interrupts_deferred():
            for each in staged:
                assert each.temporary is not None
                try:
                    os.replace(each.temporary, each.target)
                except OSError as error:
                    raise ExportError(f"{each.shown}: cannot write it "
                                      f"({error.strerror})") from None
                each.temporary = None
    finally:
        for each in staged:
            each.discard()
    return [each.shown for each in staged]


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically: the previous file stays whole until the new one
    is complete, and nothing else is left in the folder (see the module notes).

    Raises:
        ExportError: the folder does not exist or cannot be written, or the target is a folder,
            a device, a pipe or a symlink loop.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
        >>> write_atomic(path, b"Her (2013)").read_bytes()
        b'Her (2013)'
    """
    return write_files_atomic([(path, data)])[0]
