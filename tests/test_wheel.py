"""The wheel ships the data: installed into a fresh venv outside the checkout, it still loads."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_loads_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True, timeout=600)
    (wheel,) = dist.glob("her_graph-*.whl")
    # PEP 561: the wheel says it is typed, so mypy and pyright use its annotations.
    assert "graph/py.typed" in zipfile.ZipFile(wheel).namelist()
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)],
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # A PYTHONPATH naming the checkout (to test it uninstalled) would win over the wheel.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [str(python), "-c", "import graph; print(len(graph.load().rdf)); print(graph.__file__)"],
        cwd=elsewhere, capture_output=True, text=True, timeout=300, env=clean,
    )
    assert run.returncode == 0, run.stderr
    size, location = run.stdout.split()
    assert int(size) > 1000
    assert str(env_dir) in location and str(ROOT) not in location
    stats = subprocess.run([str(env_dir / "bin" / "her-graph"), "stats"], cwd=elsewhere,
                           capture_output=True, text=True, timeout=300, env=clean)
    assert stats.returncode == 0 and "triples" in stats.stdout
    # Every command works from the fresh install (tests/cli/test_cli.py covers what they say).
    for args, expected in [
        (["build", "--out", "out"], "file(s) written to out"),
        (["query", "influencers_of", "-p", "character=Theodore", "-f", "json"], '"Catherine"'),
        (["influence", "--path", "Catherine", "Samantha"], "Theodore -> Samantha"),
        (["validate"], "valid"),
        (["export", "--format", "gexf"], "<gexf"),
    ]:
        run = subprocess.run([str(env_dir / "bin" / "her-graph"), *args], cwd=elsewhere,
                             capture_output=True, text=True, timeout=300, env=clean)
        assert run.returncode == 0 and expected in run.stdout, (args, run.stderr)
    assert (elsewhere / "out" / "her.graphml").is_file()
