"""The synthetic story generator: deterministic, sized, and conforming to the shapes."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

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
    assert counts["influences"] >= 25 and counts["relationships"] == 25
    assert story.counts["groups"] == 1 and "group" in {
        d["type"] for _, d in kg.to_networkx("influence").nodes(data=True)}


@pytest.mark.parametrize(("characters", "seed"), [(4, 0), (10, 1), (60, 2), (300, 3)])
def test_influences_have_chains_mutual_pairs_and_groups(characters: int, seed: int) -> None:
    story = generate_story(characters=characters, seed=seed)
    g = story.load().to_networkx("influence")
    assert g.number_of_edges() == story.counts["influences"] >= characters
    two_hops = [(u, v, w) for u, v in g.edges for w in g.successors(v) if w != u]
    assert two_hops, "no chain of two influences"
    assert nx.has_path(g, story.base + "character-1", story.base + "character-4")
    assert any(g.has_edge(v, u) for u, v in g.edges), "no mutual pair"
    groups = [n for n, d in g.nodes(data=True) if d["type"] == "group"]
    assert len(groups) == story.counts["groups"] >= 1
    assert all(g.out_degree(group) >= 1 for group in groups)
    assert nx.number_of_selfloops(g) == 0


def test_groups_take_part_in_events_and_relationships() -> None:
    kg = generate_story(characters=80, seed=4).load()
    relationships = kg.to_networkx("relationships")
    group_types = {d["type"] for _, d in relationships.nodes(data=True)}
    assert "group" in group_types
    assert kg.query("ASK { ?e a hg:StoryEvent ; sem:hasActor/a hg:CharacterGroup }")
