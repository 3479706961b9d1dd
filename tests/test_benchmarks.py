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
