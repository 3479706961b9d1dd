"""Synthetic narrative graphs: seeded, deterministic, and conforming to the shapes.

Benchmarks, property tests and the large-graph HTML test need stories of any size that look
like real ones: human and AI characters, groups of unnamed characters, events in order across
three acts, relationships, qualified influences through events, SKOS themes, and an evidence
quote for every claim. The quotes are sentences of a generated source text
(:attr:`GeneratedStory.source_text`), so the evidence check passes too.

The influences have the shapes an analysis must handle, whatever the size: a chain through the
first four characters (so paths of two hops and more exist), mutual pairs (about one character
in ten influences and is influenced by the same other), groups that influence characters (as
the 8,316 other people influence Samantha in *Her*), and random pairs for the rest. Every
other influence has a second, less telling quote that names only the influenced party.

The graph is produced as N-Triples lines, which is fast (a million triples in a few seconds)
and lets a benchmark measure parsing separately from generation.

Example:
    >>> from graph.generate import generate_story
    >>> story = generate_story(characters=6, seed=1)
    >>> story == generate_story(characters=6, seed=1)
    True
    >>> kg = story.load()
    >>> len(kg.names("character")) >= 6
    True
"""

from __future__ import annotations

import os
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .loading import load
from .namespaces import HG, OA, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, XSD
from .read.parsing import parse_into

if TYPE_CHECKING:
    from rdflib import Graph

    from .knowledge_graph import KnowledgeGraph

_SYLLABLES = ("ka", "lo", "mi", "ra", "ven", "sa", "tor", "el", "ni", "qu", "ar", "is", "den",
              "fa", "ro", "lin", "ma", "zu", "pe", "ol")
_VERBS = ("meets", "argues with", "writes to", "remembers", "confides in", "leaves", "visits",
          "forgives", "doubts", "calls", "waits for", "follows")
_PLACES = ("at dawn", "by the river", "in the station", "on the roof", "after the rain",
           "in the old flat", "at the party", "on the train", "in the quiet office")
_THEME_WORDS = ("memory", "trust", "distance", "longing", "solitude", "change", "belonging",
                "freedom", "regret", "hope", "jealousy", "devotion", "loss", "curiosity",
                "honesty", "fear", "wonder", "home", "duty", "chance")
_EVENT_TYPES = (HG.Encounter, HG.Confrontation, HG.Doubt, HG.Revelation, HG.Departure,
                HG.LetterWriting, HG.Visit, HG.SharedMoment, HG.Lament, HG.Reconnection)
_RELATIONSHIP_KINDS = (HG.Marriage, HG.Romance, HG.SharedExperience, HG.Interaction,
                       HG.ChildhoodBond, HG.VirtualRomance)
_GROUP_NOUNS = ("commuters", "neighbours", "strangers", "colleagues", "listeners", "voices",
                "letter writers", "gamers")


def _iri(value: str) -> str:
    return f"<{value}>"


def _string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _integer(value: int) -> str:
    return f'"{value}"^^<{XSD.integer}>'


def _english(value: str) -> str:
    return f"{_string(value)}@en"


@dataclass
class GeneratedStory:
    """A generated story: N-Triples lines, the source text its quotes come from, and counts.

    Example:
        >>> story = generate_story(characters=3, seed=1)
        >>> story.load().validate().conforms
        True
    """

    base: str
    seed: int
    lines: list[str] = field(repr=False)
    source_text: str = field(repr=False)
    counts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GeneratedStory) and self.lines == other.lines

    def ntriples(self) -> str:
        """The whole graph as N-Triples text."""
        return "".join(line + "\n" for line in self.lines)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the graph as N-Triples (``.nt``) to ``path`` and return it."""
        path = Path(path)
        with path.open("w", encoding="utf-8") as handle:
            for line in self.lines:
                handle.write(line)
                handle.write("\n")
        return path

    def write_source(self, path: str | os.PathLike[str]) -> Path:
        """Write the generated source text (every quote is a sentence of it) to ``path``."""
        path = Path(path)
        path.write_text(self.source_text, encoding="utf-8")
        return path

    def to_rdflib(self) -> Graph:
        """The story as an rdflib graph."""
        from rdflib import Graph

        with tempfile.TemporaryDirectory() as folder:
            graph = Graph()
            parse_into(graph, self.write(Path(folder) / "story.nt"))
        return graph

    def load(self, **options: Any) -> KnowledgeGraph:
        """Load the story as a :class:`~graph.KnowledgeGraph` (``options`` go to ``load``)."""

        with tempfile.TemporaryDirectory() as folder:
            return load(self.write(Path(folder) / "story.nt"), **options)


class _Builder:
    def __init__(self, base: str, rng: random.Random):
        self.base = base
        self.rng = rng
        self.lines: list[str] = []
        self.sentences: list[str] = []
        self.counts: dict[str, int] = {}

    def node(self, local: str) -> str:
        return f"<{self.base}{local}>"

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .")

    def count(self, what: str) -> int:
        self.counts[what] = self.counts.get(what, 0) + 1
        return self.counts[what]

    def evidence(self, claim: str, sentence: str) -> None:
        """Add a quote (a new sentence of the source text) supporting ``claim``."""
        number = self.count("quotes")
        self.sentences.append(sentence)
        evidence = self.node(f"quote-{number}")
        selector = self.node(f"quote-{number}-text")
        self.add(claim, _iri(HG.evidence), evidence)
        self.add(evidence, _iri(RDF.type), _iri(OA.SpecificResource))
        self.add(evidence, _iri(OA.hasSource), self.node("source"))
        self.add(evidence, _iri(OA.hasSelector), selector)
        self.add(selector, _iri(RDF.type), _iri(OA.TextQuoteSelector))
        self.add(selector, _iri(OA.exact), _string(sentence))


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        first = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        last = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        name = f"{first} {last}"
        if name not in used:
            used.add(name)
            return name


def _units_for(triples: int) -> int:
    # One unit (a character, two events, a relationship, an influence and theme links, and a
    # share of a group) is about 87 triples; the fixed part (work, acts, themes) about 150.
    return max(4, round((triples - 150) / 87))


def _influence_pairs(rng: random.Random, people: int, groups: int, total: int
                     ) -> list[tuple[int, int]]:
    """(influencer, influenced) index pairs; indexes from ``people`` on are groups.

    A chain through the first four characters, about one mutual pair per ten characters, one to
    three influenced characters per group, then random pairs up to ``total`` (no pair twice, no
    one influencing themselves).
    """
    pairs: dict[tuple[int, int], None] = {}
    for k in range(min(people, 4) - 1):
        pairs[(k, k + 1)] = None
    for _ in range(max(1, people // 10)):
        i, j = rng.sample(range(people), k=2)
        pairs[(i, j)] = None
        pairs[(j, i)] = None
    for group in range(people, people + groups):
        for character in rng.sample(range(people), k=min(people, rng.randint(1, 3))):
            pairs[(group, character)] = None
    attempts = 0
    while len(pairs) < total and attempts < 20 * total:
        attempts += 1
        i, j = rng.sample(range(people), k=2)
        pairs.setdefault((i, j), None)
    return list(pairs)


def generate_story(
    *,
    triples: int | None = None,
    characters: int | None = None,
    seed: int = 0,
    base: str | None = None,
) -> GeneratedStory:
    """Generate a narrative graph that conforms to the her-graph shapes.

    Give either ``triples`` (an approximate size) or ``characters``; the story then has two
    events and one relationship per character, about one influence per character (see the
    module documentation for their shape), ``max(1, characters // 40)`` groups, three acts, and
    ``max(12, characters // 20)`` themes.

    Args:
        triples: roughly how many triples to generate.
        characters: how many characters to generate.
        seed: the seed; the same arguments always give the same story.
        base: the IRI namespace of the story's resources.

    Example:
        >>> story = generate_story(characters=5, seed=7)
        >>> story.counts["characters"], len(story) > 100
        (5, True)
        >>> story == generate_story(characters=5, seed=7)     # the same seed, the same story
        True
    """
    if (triples is None) == (characters is None):
        raise UsageError("give exactly one of triples= or characters=")
    units = characters if characters is not None else _units_for(triples or 0)
    if units < 2:
        raise UsageError("a story needs at least two characters")
    rng = random.Random(seed)
    base = base or f"https://example.org/story/{seed}/"
    b = _Builder(base, rng)
    a, p = _iri(RDF.type), _iri
    work = b.node("work")
    source = b.node("source")
    title = f"The Story of {_name(rng, set())}"

    b.add(work, a, p(SCHEMA.Movie))
    b.add(work, p(SCHEMA.name), _string(title))
    b.add(source, a, p(SCHEMA.Article))
    b.add(source, p(SCHEMA.name), _string(f"Notes on {title}"))
    b.add(source, p(SCHEMA.about), work)

    acts = []
    for number in (1, 2, 3):
        act = b.node(f"act-{number}")
        acts.append(act)
        b.add(act, a, p(HG.Act))
        b.add(act, p(RDFS.label), _english(f"Act {'I' * number}"))
        b.add(act, p(HG.actNumber), _integer(number))
        b.add(act, p(SCHEMA.isPartOf), work)

    scheme = b.node("themes")
    b.add(scheme, a, p(SKOS.ConceptScheme))
    b.add(scheme, p(SKOS.prefLabel), _english(f"Themes of {title}"))
    themes = []
    for number in range(max(12, units // 20)):
        theme = b.node(f"theme-{number + 1}")
        word = _THEME_WORDS[number % len(_THEME_WORDS)]
        label = word.capitalize() + (f" {number // len(_THEME_WORDS) + 1}"
                                     if number >= len(_THEME_WORDS) else "")
        themes.append((theme, label))
        b.add(theme, a, p(SKOS.Concept))
        b.add(theme, a, p(HG.Theme))
        b.add(theme, p(SKOS.inScheme), scheme)
        b.add(theme, p(SKOS.prefLabel), _english(label))
        b.add(theme, p(SKOS.definition), _english(f"What the story says about {word}."))
        if number >= 4:
            b.add(theme, p(SKOS.broader), themes[number % 4][0])

    used: set[str] = set()
    people = []
    for number in range(units):
        character = b.node(f"character-{number + 1}")
        name = _name(rng, used)
        is_ai = rng.random() < 0.2
        people.append((character, name))
        b.add(character, a, p(HG.AICharacter if is_ai else HG.HumanCharacter))
        b.add(character, p(SCHEMA.name), _string(name))
        b.count("characters")

    groups = []
    for number in range(max(1, units // 40)):
        group = b.node(f"group-{number + 1}")
        size = rng.randint(12, 9000)
        name = f"the {size:,} {_GROUP_NOUNS[number % len(_GROUP_NOUNS)]}"
        if number >= len(_GROUP_NOUNS):
            name += f" of district {number // len(_GROUP_NOUNS) + 1}"
        groups.append((group, name))
        b.add(group, a, p(HG.CharacterGroup))
        b.add(group, p(SCHEMA.name), _string(name))
        b.add(group, p(HG.memberCount), _integer(size))
        b.evidence(group, f"There are {name[4:]} in this story.")
        b.count("groups")

    events_total = 2 * units
    event_nodes = []
    for number in range(events_total):
        event = b.node(f"event-{number + 1}")
        event_nodes.append(event)
        actors = rng.sample(people, k=min(len(people), rng.choice((1, 2, 2, 3))))
        if rng.random() < 0.05:
            actors.append(rng.choice(groups))
        verb, place = rng.choice(_VERBS), rng.choice(_PLACES)
        subject = actors[0][1]
        obj = actors[1][1] if len(actors) > 1 else "no one"
        label = f"{subject} {verb} {obj} {place}"
        act = acts[min(2, number * 3 // events_total)]
        b.add(event, a, p(HG.StoryEvent))
        b.add(event, p(RDFS.label), _english(label))
        b.add(event, p(HG.storyPosition), _integer(number + 1))
        b.add(event, p(HG.inAct), act)
        b.add(event, p(SEM.eventType), p(rng.choice(_EVENT_TYPES)))
        for actor, _ in actors:
            b.add(event, p(SEM.hasActor), actor)
        if number:
            b.add(event_nodes[number - 1], p(HG.precedes), event)
        b.evidence(event, f"In scene {number + 1}, {label}.")
        theme, theme_label = rng.choice(themes)
        attribution = b.node(f"themed-event-{number + 1}")
        b.add(event, p(HG.hasTheme), theme)
        b.add(event, p(HG.qualifiedTheme), attribution)
        b.add(attribution, a, p(HG.ThemeAttribution))
        b.add(attribution, p(HG.theme), theme)
        b.evidence(attribution, f"Scene {number + 1} is about {theme_label.lower()}.")
        b.count("events")

    for number in range(units):
        (first, first_name), (second, second_name) = rng.sample(people, k=2)
        if number < len(groups):  # each group is a party to one relationship too
            second, second_name = groups[number]
        relationship = b.node(f"relationship-{number + 1}")
        kind = rng.choice(_RELATIONSHIP_KINDS)
        b.add(relationship, a, p(HG.Relationship))
        b.add(relationship, p(RDFS.label), _english(f"{first_name} and {second_name}"))
        b.add(relationship, p(HG.relationshipKind), p(kind))
        b.add(relationship, p(HG.participant), first)
        b.add(relationship, p(HG.participant), second)
        b.add(relationship, p(HG.status), p(rng.choice((HG.Ongoing, HG.Ended))))
        b.evidence(relationship, f"{first_name} and {second_name} share bond number {number + 1}.")
        b.count("relationships")

    parties = people + groups
    pairs = _influence_pairs(rng, len(people), len(groups), total=units)
    for number, (i, j) in enumerate(pairs, start=1):
        (influencer, influencer_name), (influenced, influenced_name) = parties[i], parties[j]
        influence = b.node(f"influence-{number}")
        event = rng.choice(event_nodes)
        b.add(influenced, p(PROV.wasInfluencedBy), influencer)
        b.add(influenced, p(PROV.qualifiedInfluence), influence)
        b.add(influence, a, p(PROV.Influence))
        b.add(influence, p(PROV.influencer), influencer)
        b.add(influence, p(HG.how), _english(f"{influencer_name} changes how "
                                             f"{influenced_name} sees the world."))
        b.add(influence, p(HG.throughEvent), event)
        b.evidence(influence, f"{influencer_name} shaped {influenced_name} in turn {number}.")
        if number % 2:
            b.evidence(influence, f"After turn {number}, {influenced_name} was never quite the "
                                  "same again.")
        b.count("influences")

    for number, (character, name) in enumerate(people):
        theme, theme_label = themes[number % len(themes)]
        attribution = b.node(f"themed-character-{number + 1}")
        b.add(character, p(HG.hasTheme), theme)
        b.add(character, p(HG.qualifiedTheme), attribution)
        b.add(attribution, a, p(HG.ThemeAttribution))
        b.add(attribution, p(HG.theme), theme)
        b.evidence(attribution, f"{name} carries the theme of {theme_label.lower()}.")

    paragraphs = [" ".join(b.sentences[i:i + 8]) for i in range(0, len(b.sentences), 8)]
    source_text = f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"
    b.counts["triples"] = len(b.lines)
    b.counts["themes"] = len(themes)
    return GeneratedStory(base=base, seed=seed, lines=b.lines, source_text=source_text,
                          counts=dict(sorted(b.counts.items())))

