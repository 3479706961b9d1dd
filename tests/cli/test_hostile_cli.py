"""The command line against a careless or hostile user: exports that would replace their own
input, files that are links, full disks, impossible options, closed output, empty or broken
queries, duplicate act numbers, empty graphs and invisible characters that reorder a terminal.

Each test runs ``her-graph`` as a user does (in this process, through the same ``main``, or in
a subprocess where the process itself matters) and checks what the user sees: the exit code,
the one error line, and the files left behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import URIRef

import graph
import graph.atomic
from graph.errors import ExportError
from graph.export import write_atomic, write_files_atomic
from tests.hostile_helpers import cli

RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
SCHEMA_NAME = URIRef("https://schema.org/name")


def refused(code: int, *args: str) -> str:
    """Run a command that must fail with ``code``; its one error line."""
    outcome = cli(*args)
    assert outcome.code == code, (outcome.code, outcome.stdout, outcome.stderr)
    return outcome.error_line


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------------------------------------
# Atomic writes: a link stays a link, a file keeps its permissions, several files are written
# all or none


@pytest.fixture(params=["unnamed", "named"])
def temporaries(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of writing: Linux's unnamed files, and named ones (elsewhere)."""
    if request.param == "named":
        monkeypatch.delattr(graph.atomic.os, "O_TMPFILE", raising=False)
    return str(request.param)


def test_writing_to_a_link_replaces_the_file_it_points_to(temporaries: str,
                                                          tmp_path: Path) -> None:
    elsewhere = tmp_path / "kept"
    elsewhere.mkdir()
    real = elsewhere / "her.ttl"
    real.write_bytes(b"previous")
    link = tmp_path / "her.ttl"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["her.ttl", "kept"]
    assert sorted(p.name for p in elsewhere.iterdir()) == ["her.ttl"]  # no temporary left
    dangling = tmp_path / "new.ttl"
    dangling.symlink_to("made-by-the-write.ttl")
    write_atomic(dangling, b"created")
    assert dangling.is_symlink() and (tmp_path / "made-by-the-write.ttl").read_bytes() == b"created"
    loop = tmp_path / "loop.ttl"
    loop.symlink_to("loop.ttl")
    with pytest.raises(ExportError, match="is a symlink loop"):
        write_atomic(loop, b"x")


def test_a_rewritten_file_keeps_its_permissions_and_a_new_one_follows_the_umask(
        temporaries: str, tmp_path: Path) -> None:
    private = tmp_path / "private.ttl"
    private.write_bytes(b"previous")
    private.chmod(0o600)
    write_atomic(private, b"new")
    assert private.stat().st_mode & 0o777 == 0o600 and private.read_bytes() == b"new"
    previous = os.umask(0o027)
    try:
        fresh = write_atomic(tmp_path / "fresh.ttl", b"x")
    finally:
        os.umask(previous)
    assert fresh.stat().st_mode & 0o777 == 0o640  # as open(path, "w") would make it


def test_a_generator_that_fails_leaves_nothing(tmp_path: Path) -> None:
    def files() -> object:
        yield tmp_path / "a.txt", b"a"
        raise ExportError("the second file cannot be rendered")

    with pytest.raises(ExportError, match="second file"):
        write_files_atomic(files())  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
