"""The README's command-line examples run as written (its Python examples run as doctests)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, str]]:
    """(command, expected output) pairs from the README's ```console blocks."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command:
            examples.append((command, "\n".join(output)))
    return examples


def test_readme_has_exactly_two_quick_start_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)```", quick_start, flags=re.S)
    assert [c.strip() for c in commands] == [
        'pip install . && her-graph build',
        'pip install -e ".[test]" && python -m pytest',
    ]


def _matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.strip().split("..."))
    return re.fullmatch(pattern, actual.strip(), flags=re.S) is not None


@pytest.mark.parametrize(("command", "expected"), console_examples(),
                         ids=[c for c, _ in console_examples()])
def test_console_example(command: str, expected: str, tmp_path: Path) -> None:
    argv = shlex.split(command)
    assert argv[0] == "her-graph"
    result = run_cli(*argv[1:], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _matches(expected, result.stdout), f"expected:\n{expected}\ngot:\n{result.stdout}"
