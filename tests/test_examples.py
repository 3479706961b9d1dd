"""The examples and the tour notebook run, offline and headless, and say what the API says.

Each script runs as a user runs it (a subprocess, from another folder) into a temporary output
folder; the notebook runs with nbclient on a Python kernel of this very interpreter.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import graph

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
STORY = EXAMPLES / "data" / "gull-rock.ttl"
STORY_SOURCE = EXAMPLES / "data" / "gull-rock.txt"
STORY_FILE = EXAMPLES / "data" / "gull-rock.yaml"


def run_example(name: str, *args: str, cwd: Path,
                python: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # headless on its own
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([*(python or [sys.executable]), str(EXAMPLES / name), *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_invented_story_is_valid_and_its_quotes_are_in_its_source() -> None:
    text = STORY.read_text(encoding="utf-8")
    assert "INVENTED FOR THE her-graph EXAMPLES" in text.splitlines()[0]
    report = graph.load(STORY).validate(source=STORY_SOURCE)
    assert report.conforms, str(report)
    assert report.evidence is not None and report.evidence.ok and report.evidence.checked >= 10


def test_who_shaped_theodore(tmp_path: Path, her: graph.KnowledgeGraph) -> None:
    result = run_example("who_shaped_theodore.py", "--output", str(tmp_path / "out"),
                         cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = read_csv(tmp_path / "out" / "who_shaped_theodore.csv")
    expected = her.influence.who_influenced("Theodore", depth=None)
    assert [r["influencer"] for r in rows] == [r.label for r in expected]
    assert [int(r["hops"]) for r in rows] == [r.depth for r in expected]
    for row, reach in zip(rows, expected, strict=True):
        assert row["evidence"].splitlines() == [q for hop in reach.path.hops
                                                for q in hop.evidence]
        assert reach.path.hops[0].quote in result.stdout
    assert "Catherine" in result.stdout and "Samantha" in result.stdout
    assert list((tmp_path / "out").iterdir()) == [tmp_path / "out" / "who_shaped_theodore.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing else written


def test_who_shaped_another_character(tmp_path: Path, her: graph.KnowledgeGraph) -> None:
    result = run_example("who_shaped_theodore.py", "--output", str(tmp_path),
                         "--character", "samantha", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = read_csv(tmp_path / "who_shaped_samantha.csv")
    assert [r["influencer"] for r in rows] == [
        r.label for r in her.influence.who_influenced("Samantha", depth=None)]


def test_themes_by_act(tmp_path: Path, her: graph.KnowledgeGraph) -> None:
    result = run_example("themes_by_act.py", "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = read_csv(tmp_path / "out" / "themes_by_act.csv")
    # Independently: how many (event, theme) links each act has, and which themes there are.
    per_act = {str(r["act"]): int(str(r["n"])) for r in her.query(
        "SELECT ?act (COUNT(*) AS ?n) WHERE { ?e a hg:StoryEvent ; hg:inAct/rdfs:label ?act ; "
        "hg:hasTheme ?t } GROUP BY ?act")}
    assert set(per_act) == {"Act I", "Act II", "Act III"}
    for act, count in per_act.items():
        assert sum(int(r[act]) for r in rows) == count
    themes = {str(r["label"]) for r in her.query(
        "SELECT DISTINCT ?label WHERE { ?e a hg:StoryEvent ; hg:hasTheme/skos:prefLabel ?label }")}
    assert {r["theme"] for r in rows} == themes
    for r in rows:
        assert int(r["total"]) == sum(int(r[a]) for a in per_act)
    firsts = [int(r["first act"]) for r in rows]
    assert firsts == sorted(firsts)  # themes in the order they enter the story
    png = (tmp_path / "out" / "themes_by_act.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000


def test_themes_by_act_says_which_extra_it_needs(tmp_path: Path) -> None:
    hide = ("import runpy, sys; sys.modules['matplotlib'] = None; "
            "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")
    result = run_example("themes_by_act.py", "--output", str(tmp_path / "out"), cwd=tmp_path,
                         python=[sys.executable, "-c", hide])
    assert result.returncode == 2
    assert "pip install 'her-graph[plot]'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_compare_stories(tmp_path: Path, her: graph.KnowledgeGraph) -> None:
    result = run_example("compare_stories.py", "--output", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = read_csv(tmp_path / "influence_rankings.csv")
    # The script compiles the story file (the default) into the output folder.
    mine = graph.load(tmp_path / "gull-rock.ttl")
    assert mine.validate(source=STORY_SOURCE).ok
    for story, kg in (("Her", her), ("The Keeper of Gull Rock", mine)):
        ranked = kg.influence.rank_influence()
        got = [r for r in rows if r["story"] == story]
        assert [(r["label"], int(r["rank"])) for r in got] == [(r.label, r.rank) for r in ranked]
        assert [float(r["pagerank"]) for r in got] == pytest.approx([r.pagerank for r in ranked])
        for r in got:
            assert int(r["reach"]) == len(kg.influence.whom_influenced(r["party"], depth=None))
    assert "all found" in result.stdout and "PageRank puts first Mara" in result.stdout


def test_compare_stories_stops_on_a_story_that_fails_its_checks(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(STORY.read_text(encoding="utf-8").replace(
        "They quarrel, and Tomas leaves angry.", "They never quarrel."), encoding="utf-8")
    result = run_example("compare_stories.py", "--story", str(broken), "--source",
                         str(STORY_SOURCE), "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert "They never quarrel." in result.stdout and "has problems" in result.stderr
    assert not (tmp_path / "out").exists()
    missing = run_example("compare_stories.py", "--story", str(tmp_path / "nope.ttl"),
                          cwd=tmp_path)
    assert missing.returncode == 2 and "nope.ttl" in missing.stderr
    assert "Traceback" not in missing.stderr


# ---------------------------------------------------------------------------------------------
# The notebook

NOTEBOOK = EXAMPLES / "tour.ipynb"


def test_the_notebook_is_committed_without_outputs() -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None, "".join(cell["source"])


# Runs in a subprocess: nbclient leaves an asyncio event loop behind in the process that ran
# it, which would break later tests that drive Playwright's synchronous API.
_EXECUTE = """
import sys
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

notebook_path, kernels, folder, out = sys.argv[1:]
manager = KernelManager(kernel_name="her-graph-test",
                        kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels]))
notebook = nbformat.read(notebook_path, as_version=4)
NotebookClient(notebook, km=manager, timeout=300, allow_errors=False,
               resources={"metadata": {"path": folder}}).execute()
nbformat.write(notebook, out)
"""


@pytest.mark.slow
def test_the_notebook_runs(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[test]'")
    # A kernel spec for this interpreter (the venv the tests run in), found before any other.
    spec = tmp_path / "kernels" / "her-graph-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "her-graph tests", "language": "python",
        "env": {"PYTHONIOENCODING": "utf-8"},
    }), encoding="utf-8")
    executed = tmp_path / "tour.ipynb"
    # Run where Jupyter runs it: in the notebook's folder (it reads data/gull-rock.ttl).
    run = subprocess.run([sys.executable, "-c", _EXECUTE, str(NOTEBOOK), str(spec.parent),
                          str(EXAMPLES), str(executed)],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    # On an error in a cell, nbclient's CellExecutionError names the cell and the traceback.
    assert run.returncode == 0, run.stderr[-5000:]
    notebook = nbformat.read(executed, as_version=4)
    assert all(cell.execution_count for cell in notebook.cells if cell.cell_type == "code")

    def html_of(fragment: str) -> str:
        for cell in notebook.cells:
            if cell.cell_type == "code" and fragment in cell.source:
                for output in cell.outputs:
                    if "text/html" in output.get("data", {}):
                        return str(output["data"]["text/html"])
        raise AssertionError(f"no HTML output for the cell with {fragment!r}")

    assert "Counts by type" in html_of("kg = graph.load()")
    assert "Catherine" in html_of('kg.run("influencers_of"')
    frame = html_of('kg.show(view="influence"')
    assert frame.startswith('<iframe sandbox="allow-scripts allow-forms" srcdoc="&lt;!DOCTYPE')
    assert "the 8,316 other people" in html_of('who_influenced("Samantha"')
    assert "Mara" in html_of("pd.concat")
    for cell in notebook.cells:  # nothing printed to stderr: no warnings either
        for output in cell.get("outputs", []):
            assert output.get("name") != "stderr", output.get("text")
