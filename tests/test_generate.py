"""The synthetic story generator: deterministic, sized, and conforming to the shapes."""

from __future__ import annotations

from pathlib import Path

from graph.generate import generate_story


def test_same_seed_same_story_other_seed_other_story() -> None:
    assert generate_story(characters=10, seed=1) == generate_story(characters=10, seed=1)
    assert generate_story(characters=10, seed=1) != generate_story(characters=10, seed=2)


def test_size_is_close_to_the_target() -> None:
    for target in (2_000, 20_000):
        story = generate_story(triples=target, seed=0)
        assert abs(len(story) - target) / target < 0.1


def test_generated_story_conforms_and_its_quotes_are_in_its_source(tmp_path: Path) -> None:
    story = generate_story(characters=25, seed=7)
    kg = story.load()
    report = kg.validate(source=story.write_source(tmp_path / "source.txt"))
    assert report.ok, str(report)
    counts = kg.counts()
    assert counts["characters"] == 25 and counts["events"] == 50
    assert counts["influences"] > 0 and counts["relationships"] == 25
