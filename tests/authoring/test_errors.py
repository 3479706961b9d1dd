"""A story file's problems: all of them at once, each with its file and line; exit code 1 and
nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.authoring import compile_story
from graph.errors import StoryFileError

from .conftest import LAMP_YAML, invoke


def problems_of(story: Path) -> list[str]:
    with pytest.raises(StoryFileError) as caught:
        compile_story(story)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{story}: {len(lines) - 1} problem{'s' if len(lines) > 2 else ''}:"
    return lines[1:]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_quote_not_in_the_source_says_did_you_mean(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace('"Ada first met Orin"', '"Ada frist met Orin"'))
    [problem] = problems_of(lamp)
    line = line_of(LAMP_YAML, "Ada first met Orin")
    assert problem == (f"{lamp}:{line}: quote not in the source: “Ada frist met Orin”; did you "
                       "mean “Ada first met Orin”?")


def test_a_quote_found_several_times_asks_for_more_words_or_an_occurrence(lamp: Path) -> None:
    source = lamp.parent / "source.txt"
    source.write_text(source.read_text() + "Later, Orin taught Ada again.\n")
    [problem] = problems_of(lamp)
    assert problem.startswith(f"{lamp}:{line_of(LAMP_YAML, 'Orin taught Ada')}: quote found 2 "
                              "times in the source (lines 4, 6): “Orin taught Ada”")
    assert "quote more words" in problem and "occurrence: N" in problem


def test_an_unknown_id_lists_the_known_ones(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace("participants: [orin]", "participants: [orinn]"))
    [problem] = problems_of(lamp)
    assert problem == (f"{lamp}:{line_of(LAMP_YAML, 'Orin leaves')}: unknown character id "
                       "'orinn' (did you mean 'orin'?); known character ids: ada, orin")


def test_a_yaml_syntax_error_names_its_line(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace("[ada, orin], kind", "[ada, orin, kind", 1))
    [problem] = problems_of(lamp)
    assert problem.startswith(f"{lamp}:") and "YAML syntax error" in problem
    assert int(problem.split(":")[1]) >= line_of(LAMP_YAML, "between: [ada, orin]")


def test_an_unknown_key_is_never_dropped(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace("{id: ada, name: Ada,", "{id: ada, nmae: Ada,"))
    problems = problems_of(lamp)
    line = line_of(LAMP_YAML, "id: ada, name: Ada")
    assert f"{lamp}:{line}: unknown key 'nmae' in an entry of `characters:` (did you mean " \
           "'name'?); known keys: aliases, basis, basis_note, description, id, kind, name, " \
           "quote" in problems
    assert f"{lamp}:{line}: character 'ada' needs `name:`" in problems


def test_unknown_keys_at_every_level(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace("story:\n", "stroy_extra: 1\nstory:\n  titel: x\n")
                    .replace("participants: [orin]", "participants: [{character: orin, "
                                                     "rol: agent}]"))
    text = "\n".join(problems_of(lamp))
    assert "unknown key 'stroy_extra' in the story file" in text
    assert "unknown key 'titel' in `story:` (did you mean 'title'?)" in text
    assert "unknown key 'rol' in an entry of `participants:` (did you mean 'role'?)" in text


def test_every_problem_of_the_file_at_once(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace('"Ada first met Orin"', '"Ada frist met Orin"')
                    .replace("participants: [orin]", "participants: [orinn]")
                    .replace("kind: ai", "kind: robot")
                    .replace("carried_by: [ada]", "carried_by: [ada], colour: blue"))
    problems = problems_of(lamp)
    assert len(problems) == 4
    assert [int(p.split(":")[1]) for p in problems] == sorted(int(p.split(":")[1])
                                                             for p in problems)
    assert any("`kind: robot` is not one of human, ai, group" in p for p in problems)


def test_the_cli_prints_them_all_exits_1_and_writes_nothing(lamp: Path) -> None:
    output = lamp.parent / "story.ttl"
    output.write_text("previous")
    lamp.write_text(LAMP_YAML.replace('"Ada first met Orin"', '"Ada frist met Orin"')
                    .replace("participants: [orin]", "participants: [orinn]"))
    code, out, err = invoke("compile", str(lamp), "-o", str(output))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"her-graph: error: {lamp}: 2 problems:"
    assert "did you mean “Ada first met Orin”" in lines[1] and "'orinn'" in lines[2]
    assert output.read_text() == "previous"
    assert sorted(p.name for p in lamp.parent.iterdir()) == ["source.txt", "story.ttl",
                                                             "story.yaml"]


def test_a_missing_source_is_a_problem_at_its_line(lamp: Path) -> None:
    (lamp.parent / "source.txt").unlink()
    [problem] = problems_of(lamp)
    assert problem.startswith(f"{lamp}:4: ") and "no such source text file" in problem


def test_a_cycle_of_after_links_is_a_problem(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace("participants: [ada, orin], quote",
                                      "participants: [ada, orin], after: [parting], quote"))
    [problem] = problems_of(lamp)
    assert problem.startswith(f"{lamp}:{line_of(LAMP_YAML, 'Ada meets Orin')}: the `after:` "
                              "links of events meeting, parting form a cycle")


def test_a_misspelt_vocabulary_term_is_a_problem(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace("kind: friendship", "kind: hg:Frendship").replace(
        "label: Orin leaves,", "label: Orin leaves, type: hg:Departur,"))
    text = "\n".join(problems_of(lamp))
    assert "`type: hg:Departur` is not a term of the her-graph ontology (did you mean " \
           "'hg:Departure'?)" in text
    assert "`kind: hg:Frendship` is not a term of the her-graph ontology" in text


def test_a_key_given_twice_is_a_problem(lamp: Path) -> None:
    lamp.write_text(LAMP_YAML.replace("{id: ada, name: Ada,", "{id: ada, name: Ada, name: Al,"))
    assert any("the key 'name' is given twice" in p for p in problems_of(lamp))


def test_yaml_11_words_stay_words(lamp: Path) -> None:
    # `on:` (the influence's target) must not become the boolean True of YAML 1.1.
    compile_story(lamp)
    lamp.write_text(LAMP_YAML.replace("kind: human}", "kind: human, description: no}"))
    compile_story(lamp)
