"""The story-format commands are listed, explained with an example, and thin."""

from __future__ import annotations

import pytest

from .conftest import invoke

COMMANDS = ["new", "compile", "decompile", "anchor", "import-annotations"]


def test_the_commands_are_listed() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    for command in COMMANDS:
        assert f"\n  {command} " in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0 and "Example" in out
    assert any(line.strip().startswith(f"her-graph {command}") for line in out.splitlines())


def test_a_missing_story_file_is_a_usage_error() -> None:
    code, _, err = invoke("compile", "no-such-story.yaml")
    assert code == 2 and "no-such-story.yaml" in err
