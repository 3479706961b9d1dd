"""Hostile input to the story-format commands: every mistake is one clear error naming the file
and line (or the field), a meaningful exit code, and nothing written over what was there."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import LAMP_YAML, invoke


def error_lines(err: str) -> list[str]:
    """The lines of stderr, each a her-graph error, none a traceback or a bug report."""
    lines = err.splitlines()
    assert lines and all(line.startswith("her-graph: error: ") for line in lines), err
    assert "bug in her-graph" not in err and "Traceback" not in err
    assert "does not look like a valid URI" not in err  # no rdflib warnings leak
    return lines


def one_problem(story: Path, err: str) -> str:
    """The single problem a story file's error lists, without its ``her-graph: error:``."""
    lines = error_lines(err)
    assert lines[0] == f"her-graph: error: {story}: 1 problem:", err
    assert len(lines) == 2, err
    return lines[1].removeprefix("her-graph: error: ")


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- 6. characters YAML does not allow -----------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\uffff"])
def test_a_character_yaml_refuses_is_a_problem_at_its_line(lamp: Path, char: str) -> None:
    text = LAMP_YAML.replace("label: Orin leaves", f"label: Orin{char}leaves")
    lamp.write_text(text, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    problem = one_problem(lamp, err)
    line = line_of(text, "Orin" + char)
    column = text.splitlines()[line - 1].index(char) + 1
    assert code == 1 and problem.startswith(
        f"{lamp}:{line}: YAML syntax error: the character U+{ord(char):04X} (column {column}) "
        "is not allowed in a YAML file")


def test_lists_nested_too_deep_are_a_problem(lamp: Path) -> None:
    lamp.write_text("story: " + "[" * 100_000, encoding="utf-8")
    code, _, err = invoke("compile", str(lamp))
    assert code == 1 and "nested more than 100 deep" in one_problem(lamp, err)
