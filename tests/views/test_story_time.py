"""Story time: kg.at, kg.timeline, the state_at query, and projections at a point."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.errors import UnknownNameError, UsageError
from graph.generate import generate_story

HER = "https://w3id.org/her-graph/her/"
GULL = Path(__file__).parents[2] / "examples" / "data" / "gull-rock.ttl"


@pytest.fixture(scope="module")
def her():
    return graph.load()


@pytest.fixture(scope="module")
def gull():
    return graph.load(GULL)


@pytest.fixture(scope="module")
def generated():
    return generate_story(characters=30, seed=3).load()


def _labels(items):
    return sorted(item.label for item in items)


def test_state_at_the_letter(her):
    state = her.at("Theodore writes to Catherine")
    assert _labels(state.characters) == ["Catherine", "Samantha", "Theodore"]
    # Amy takes part only in events not certainly before the letter.
    assert "Amy" not in _labels(state.characters)
    assert "the operating systems" in _labels(state.mentioned)
    stages = {r.relationship: r for r in state.relationships}
    marriage = stages[HER + "rel-theodore-catherine-marriage"]
    assert (marriage.stage_type, marriage.stage_event) == ("Closure", HER + "event-letter")
    assert marriage.stage_basis == "interpreted" and marriage.stage_evidence
    romance = stages[HER + "rel-theodore-samantha-romance"]
    assert romance.stage_type == "Ends" and romance.basis == "stated" and romance.evidence
    assert HER + "rel-theodore-amy-shared-experience" not in stages  # begins at the visit
    exerted = {(i.influencer, i.influenced): i for i in state.influences}
    catherine = exerted[(HER + "Catherine", HER + "Theodore")]
    assert catherine.event == HER + "event-fight" and catherine.evidence
    assert (HER + "Theodore", HER + "Amy") not in exerted
    for item in (*state.characters, *state.relationships, *state.influences):
        assert item.evidence, item
        assert item.basis in ("stated", "interpreted", "inferred"), item


def test_a_point_holds_only_what_is_certainly_before_it(her):
    heart = her.at(HER + "event-heart-expands")  # position 9, but only after the encounter
    assert heart.position == 9
    assert [her.short(e) for e in heart.events] == [
        "her:event-lament", "her:event-encounter", "her:event-heart-expands"]
    assert not heart.holds(HER + "event-fight")
    assert not her.at(10).holds(HER + "event-heart-expands")


def test_the_stage_changes_through_the_story(her):
    romance = HER + "rel-theodore-samantha-romance"

    def stage(point):
        found = [r for r in her.at(point).relationships if r.relationship == romance]
        return found[0].stage_type if found else None

    assert stage("Theodore encounters Samantha") is None  # not begun yet
    assert [stage(p) for p in (3, 4, 6, 10)] == ["Begins", "TurningPoint", "Climax", "Ends"]


def test_points_by_name_position_iri_and_act(her):
    assert her.at(12).point == her.at("theodore writes to catherine").point == HER + "event-letter"
    assert her.at("her:event-letter").point == HER + "event-letter"
    assert her.at("act 1").kind == "act"
    assert her.at("Act II").point == HER + "act-2"
    assert len(her.at("act 3").events) == 14
    with pytest.raises(UnknownNameError, match="act 1"):
        her.at("the wedding")
    with pytest.raises(UnknownNameError, match="story position"):
        her.at(99)


@pytest.mark.parametrize("story", ["her", "gull", "generated"])
def test_timeline_equals_the_state_at_each_event(story, request):
    kg = request.getfixturevalue(story)
    states = list(kg.timeline())
    assert len(states) == kg.counts()["events"]
    for state in states:
        direct = kg.at(state.point)
        assert state.characters == direct.characters
        assert state.mentioned == direct.mentioned
        assert state.relationships == direct.relationships
        assert state.influences == direct.influences
        assert state.events == direct.events


@pytest.mark.parametrize("story", ["her", "gull"])
def test_the_named_query_answers_the_same(story, request):
    kg = request.getfixturevalue(story)
    for state in kg.timeline():
        rows = kg.run("state_at", event=state.point)
        by_kind: dict[str, set] = {"character": set(), "relationship": set(), "influence": set()}
        for row in rows:
            stage = "" if row["stage"] is None else str(row["stage"])
            by_kind[row["kind"]].add((str(row["item"]), stage)
                                     if row["kind"] == "relationship" else str(row["item"]))
        assert by_kind["character"] == {c.character for c in state.characters}
        assert by_kind["relationship"] == {(r.relationship, r.stage)
                                           for r in state.relationships}
        assert by_kind["influence"] == {i.influence for i in state.influences if i.influence}


def test_gull_rock_relationship_dated_by_starts_with(gull):
    first, second = list(gull.timeline())[:2]
    names = {r.label for r in first.relationships}
    assert "Mara's trust in Wren" not in names
    assert "Mara's trust in Wren" in {r.label for r in second.relationships}


def test_networks_at_a_point(her):
    influence = her.to_networkx("influence", at="Theodore encounters Samantha")
    # Only the influence no event dates (the pain Theodore caused Catherine, before the story).
    assert list(influence.edges) == [(HER + "Theodore", HER + "Catherine")]
    at_letter = her.to_networkx("influence", at="Theodore writes to Catherine")
    whole = her.to_networkx("influence")
    assert set(at_letter.edges) < set(whole.edges)
    relationships = her.to_networkx("relationships", at=6)
    stages = {k: d["stage_type"] for _, _, k, d in relationships.edges(keys=True, data=True)}
    assert stages[HER + "rel-theodore-samantha-romance"] == "Climax"
    timeline = her.to_networkx("timeline", at=HER + "event-heart-expands")
    assert timeline.number_of_nodes() == 3
    with pytest.raises(UsageError, match="story time"):
        her.to_networkx("full", at=3)


def test_cooccurrence_whole_per_act_and_cumulative(her):
    whole = her.to_networkx("cooccurrence")
    theo_sam = whole.edges[HER + "Theodore", HER + "Samantha"]
    assert theo_sam["weight"] == len(theo_sam["events"]) == 7
    assert theo_sam["evidence"]
    act1 = her.to_networkx("cooccurrence", at="act 1", cumulative=False)
    act2 = her.to_networkx("cooccurrence", at="act 2", cumulative=False)
    upto2 = her.to_networkx("cooccurrence", at="act 2")
    assert act1.edges[HER + "Theodore", HER + "Samantha"]["weight"] == 2
    assert act2.edges[HER + "Theodore", HER + "Catherine"]["weight"] == 1
    assert not act2.has_edge(HER + "Theodore", HER + "Samantha")  # Samantha is only spoken of
    assert upto2.edges[HER + "Theodore", HER + "Samantha"]["weight"] == 2
    assert upto2.edges[HER + "Theodore", HER + "Catherine"]["weight"] == (
        act2.edges[HER + "Theodore", HER + "Catherine"]["weight"])
    assert set(upto2.edges) <= set(whole.edges)


def test_generated_story_has_states(generated):
    states = list(generated.timeline())
    assert states[-1].characters
    assert len(states[-1].characters) >= len(states[0].characters)


def test_the_oxigraph_store_gives_the_same_states(her):
    other = graph.load(store="oxigraph")
    for mine, theirs in zip(her.timeline(), other.timeline(), strict=True):
        assert (mine.point, mine.characters, mine.relationships, mine.influences) == (
            theirs.point, theirs.characters, theirs.relationships, theirs.influences)


def test_a_cycle_in_the_story_order_is_an_error():
    from rdflib import Graph

    from graph.errors import ProjectionError
    from graph.views.story_time import story_time

    looped = Graph().parse(format="turtle", data="""
        @prefix hg: <https://w3id.org/her-graph/ontology#> .
        @prefix ex: <http://example.org/> .
        ex:a a hg:StoryEvent ; hg:precedes ex:b . ex:b a hg:StoryEvent ; hg:precedes ex:a .""")
    with pytest.raises(ProjectionError, match="cycle"):
        story_time(looped)
