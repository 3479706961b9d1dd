"""Shared story files for the authoring tests: the issue's example, and a way to run the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main

# The example of issue 16, as written there.
LAMP_YAML = """\
story:
  title: The Lamp and the Lake
source:
  path: source.txt
  title: The Lamp and the Lake, a synopsis
characters:
  - {id: ada, name: Ada, kind: human}
  - {id: orin, name: Orin, kind: ai, aliases: [the lamp]}
events:
  - {id: meeting, label: Ada meets Orin, participants: [ada, orin], quote: "Ada first met Orin"}
  - {id: parting, label: Orin leaves, participants: [orin], after: [meeting], quote: "Orin left the lake"}
relationships:
  - {between: [ada, orin], kind: friendship, quote: "they became friends"}
influences:
  - {from: orin, on: ada, how: Orin taught Ada to read the water., through: [meeting], quote: "Orin taught Ada"}
themes:
  - {id: solitude, label: Solitude, definition: Being alone and what it does to a person., carried_by: [ada], quote: "alone on the shore"}
"""  # noqa: E501

LAMP_SOURCE = (
    "The Lamp and the Lake\n\n"
    "Ada lived alone on the shore of a cold lake. One winter night Ada first met Orin, a "
    "talking lamp\nleft in the boathouse, and they became friends. Orin taught Ada to read the "
    "water. In spring\nOrin left the lake.\n"
)


@pytest.fixture
def lamp(tmp_path: Path) -> Path:
    """A folder holding the issue's example story.yaml and its source.txt; the story file."""
    (tmp_path / "source.txt").write_text(LAMP_SOURCE, encoding="utf-8")
    story = tmp_path / "story.yaml"
    story.write_text(LAMP_YAML, encoding="utf-8")
    return story


def invoke(*args: str) -> tuple[int, str, str]:
    """Run ``her-graph ARGS`` in-process through click's runner: (exit code, stdout, stderr)."""
    with CliRunner().isolation() as (out, err, _):
        code = main(list(args))
    return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")
