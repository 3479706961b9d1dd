"""The benchmark runs end to end (on a tiny graph): it is a tool, and tools rot when unused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "2k", "--repeat", "1",
         "--cold-start-runs", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text())
    size = report["sizes"]["2k"]
    assert size["identical"] is True
    assert set(size["stores"]) == {"memory", "oxigraph", "sparql"}
    for figures in size["stores"].values():
        assert figures["triples"] == size["triples"] > 1000
        assert figures["two_hop_rows"] > 0 and figures["aggregate_rows"] > 0
        assert figures["lookup_rows"] > 0  # the lookup's character has influencers
    assert size["stores"]["oxigraph"]["reopen_s"] > 0
    assert report["cold_start"]["heavy_imports"] == []
    assert "load / parse" in done.stdout and "same answers on every store: yes" in done.stdout


def test_influence_benchmark_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_influence.py"), "--sizes", "200",
         "--repeat", "1"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "who_influenced(None)" in done.stdout and "reach of every party" in done.stdout


def test_oxigraph_projection_benchmark_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_oxigraph_projection.py"), "--sizes",
         "2k", "--repeat", "1"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "ratio" in done.stdout


def test_export_benchmark_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_exports.py"), "--size", "1k",
         "--cases", "oxigraph-ttl,ttl,networkx-gexf,gexf"],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "oxigraph-ttl" in done.stdout and "gexf" in done.stdout
