"""A story file read into checked entries: every key known, every id defined, every reference
resolved, or a problem at its line.

:func:`read_story` never raises on a mistake in the file: it adds each to ``problems`` and goes
on, so the caller can report everything at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from ..namespaces import HG
from .fields import Claim, QuoteUse, choice, claim, id_list, read_id, text, whole
from .problems import Problems, did_you_mean, shown
from .spec import (
    CHARACTER_KINDS,
    HGX,
    ID_LIST_KEYS,
    ID_PATTERN,
    KEYS,
    ROLES,
    SCHEME_NAMES,
    SECTIONS,
    STAGES,
    STATUSES,
    TEXT_KEYS,
    default_base,
    iri_problem,
    label_of,
)
from .yamlfile import Mapping, Sequence, check_keys


@lru_cache(maxsize=1)
def hg_terms() -> tuple[str, ...]:
    """The names the her-graph ontology declares (for checking ``hg:`` names in a story file).

    Read from the bundled ``ontology.ttl`` (``data/`` of a checkout, ``graph/data/`` of a
    wheel), with those of :class:`graph.namespaces.HG`.

    Example:
        >>> "Encounter" in hg_terms()
        True
    """
    names = set(HG.__annotations__)
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "data", package.parent / "data"):
        if (folder / "ontology.ttl").is_file():
            ontology = Graph().parse(folder / "ontology.ttl", format="turtle")
            names |= {str(s)[len(str(HGX)):] for s in ontology.subjects()
                      if str(s).startswith(str(HGX))}
            break
    return tuple(sorted(names))


@dataclass(frozen=True)
class Link:
    """A reference from one entry to another, as a node of its own (a role in an event, a
    precedence, a relationship stage, a theme attribution).

    Example:
        >>> Link("orin", Claim((), None, None), kind="addressee").kind
        'addressee'
    """

    target: str
    claim: Claim
    id: str | None = None
    kind: str | None = None
    present: bool | None = None
    line: int = 0
    label: str | None = None


@dataclass
class Story:
    """A checked story file: its settings and its entries (the YAML mappings), by section.

    ``links`` holds the nested nodes of each entry, keyed by ``(section, index, key)``.

    Example:
        >>> Story(Path("story.yaml"), title="T").ids("characters")
        []
    """

    path: Path
    title: str = "Untitled story"
    id: str = "story"
    base: str = ""
    description: str | None = None
    basis: str = "stated"
    source: Mapping = field(default_factory=Mapping)
    sections: dict[str, list[Mapping]] = field(default_factory=dict)
    claims: dict[tuple[str, int], Claim] = field(default_factory=dict)
    links: dict[tuple[str, int, str], list[Link]] = field(default_factory=dict)
    schemes: dict[str, str] = field(default_factory=dict)
    extra_turtle: str = ""
    extra_ids: set[str] = field(default_factory=set)
    quotes: tuple[QuoteUse, ...] = ()

    def ids(self, section: str) -> list[str]:
        """The ids defined in ``section`` (plus those the extra Turtle defines)."""
        return [str(entry["id"]) for entry in self.sections.get(section, []) if "id" in entry]


def _as_text(entry: Mapping, section: str, problems: Problems) -> None:
    """Check the text and id-list values of ``entry`` and store each as the text it is (a
    number as the file writes it), so nothing later turns a list or a date into words."""
    for key in TEXT_KEYS.get(section, ()):
        if entry.get(key) is not None:
            value = text(entry, key, problems)
            if value is not None:
                entry[key] = value
    for key in ID_LIST_KEYS.get(section, ()):
        ids = id_list(entry, key, problems)
        value = entry.get(key)
        if isinstance(value, Sequence) and len(ids) == len(value):
            value[:] = [ident for ident, _ in ids]


def _entries(data: Mapping, section: str, problems: Problems) -> list[Mapping]:
    value = data.get(section)
    if value is None:
        return []
    if not isinstance(value, Sequence):
        problems.add(data.key_line(section), f"`{section}:` must be a list of entries")
        return []
    entries: list[Mapping] = []
    for index, entry in enumerate(value):
        if isinstance(entry, Mapping):
            check_keys(entry, KEYS[section], f"an entry of `{section}:`", problems)
            _as_text(entry, section, problems)
            entries.append(entry)
        else:
            problems.add(value.item_line(index), f"an entry of `{section}:` must be a mapping "
                                                 "(key: value, ...)")
    return entries


def _default_id(section: str, entry: Mapping) -> str | None:
    if section == "relationships":
        parties = entry.get("between")
        if isinstance(parties, list) and all(isinstance(p, str) for p in parties):
            return "rel-" + "-".join(parties)
    if section == "influences":
        source, target = entry.get("from"), entry.get("on")
        if isinstance(source, str) and isinstance(target, str):
            return f"influence-{source}-on-{target}"
    return None


class _Resolver:
    """Checks references against the ids each section defines."""

    def __init__(self, story: Story, problems: Problems):
        self.story, self.problems = story, problems
        self.known: dict[str, list[str]] = {
            "character": story.ids("characters"),
            "event": story.ids("events"),
            "act": story.ids("acts"),
            "theme": story.ids("themes"),
        }
        self.known["carrier"] = [*self.known["character"], *self.known["event"],
                                 *story.ids("relationships"), story.id]

    def check(self, what: str, ref: str, line: int) -> bool:
        known = self.known[what]
        if ref in known or ref in self.story.extra_ids:
            return True
        self.problems.add(line, f"unknown {what} id {ref!r}{did_you_mean(ref, known)}; known "
                                f"{what} ids: {', '.join(sorted(known)) or 'none'}")
        return False


def read_story(data: Mapping, path: Path, problems: Problems, *,
               extra_ids: set[str] | None = None) -> Story:
    """Check a parsed story file and return its entries; each mistake becomes a problem.

    Example:
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("story.yaml")
        >>> data = parse_yaml("story: {title: T}\\nsource: {path: s.txt}\\n"
        ...                   "characters:\\n  - {id: ada, name: Ada, kind: human}\\n", problems)
        >>> story = read_story(data, Path("story.yaml"), problems)
        >>> story.base, story.ids("characters"), problems.items
        ('https://example.org/stories/t/', ['ada'], [])
    """
    check_keys(data, KEYS["file"], "the story file", problems)
    story = Story(path=path, extra_ids=set(extra_ids or ()))
    head = data.get("story")
    if not isinstance(head, Mapping):
        problems.add(data.key_line("story") if "story" in data else 1,
                     "the file needs a `story:` mapping with at least `title:`")
        head = Mapping()
        head.lines = {}
    check_keys(head, KEYS["story"], "`story:`", problems)
    story.title = text(head, "title", problems, required=True, what="`story:`") or story.title
    story.id = read_id(head, "id", problems) or "story"
    base = text(head, "base", problems)
    reason = iri_problem(base) if base is not None else None
    if reason is not None:
        problems.add(head.key_line("base"), f"`base: {base}` is not an absolute IRI ({reason}); "
                                            "give one such as https://example.org/stories/"
                                            f"{default_base(story.title).rsplit('/', 2)[-2]}/")
        base = None
    story.base = base or default_base(story.title)
    story.description = text(head, "description", problems)
    story.quotes = claim(head, problems).quotes
    story.basis = choice(head, "basis", {"stated": 1, "interpreted": 1, "inferred": 1,
                                         "none": 1}, problems) or "stated"
    source = data.get("source")
    if not isinstance(source, Mapping):
        problems.add(data.key_line("source") if "source" in data else 1,
                     "the file needs a `source:` mapping with `path:`, the source text file")
        source = Mapping()
        source.lines = {}
    check_keys(source, KEYS["source"], "`source:`", problems)
    _as_text(source, "source", problems)
    text(source, "path", problems, required=True, what="`source:`")
    read_id(source, "id", problems)
    story.source = source
    schemes = data.get("schemes") or Mapping()
    if isinstance(schemes, Mapping):
        check_keys(schemes, SCHEME_NAMES, "`schemes:`", problems)
        story.schemes = {name: text(schemes, name, problems) or "" for name in schemes
                         if name in SCHEME_NAMES}
    else:
        problems.add(data.key_line("schemes"), "`schemes:` maps event_types, "
                                               "relationship_kinds or themes to a label")
    extra = data.get("extra_turtle")
    if extra is not None and not isinstance(extra, str):
        problems.add(data.key_line("extra_turtle"), "`extra_turtle:` must be Turtle text")
    story.extra_turtle = extra if isinstance(extra, str) else ""
    seen: dict[str, int] = {story.id: head.line}
    for section in SECTIONS:
        entries = _entries(data, section, problems)
        story.sections[section] = entries
        for entry in entries:
            if "id" not in entry and (default := _default_id(section, entry)):
                entry["id"] = default
                while entry["id"] in seen:
                    entry["id"] = f"{default}-{len(seen)}"
            ident = read_id(entry, "id", problems, required=True, what=f"an entry of `{section}:`")
            if ident is None:
                entry.pop("id", None)  # reported: nothing later takes it for an id
                continue
            entry["id"] = ident  # 017 stays "017" (YAML reads the number 15)
            if ident in seen and section != "quotes":
                problems.add(entry.key_line("id"), f"the id {ident!r} is used twice (first on "
                                                   f"line {seen[ident]})")
            seen.setdefault(ident, entry.key_line("id"))
    _check_entries(story, _Resolver(story, problems), problems)
    return story


_PREFIXES = ("hg", "schema", "skos", "sem", "prov", "oa", "rdfs")


def _check_term(entry: Mapping, key: str, problems: Problems) -> None:
    """A ``type:`` or ``kind:`` is a word of the story's own, or a known vocabulary's term."""
    value = text(entry, key, problems)
    if value is None:
        return
    if ":" not in value:
        if not ID_PATTERN.match(value):
            slug = re.sub(r"[^A-Za-z0-9._~-]+", "-", value).strip("-._~") or "my-word"
            problems.add(entry.key_line(key), f"`{key}: {value}` is not one word: a word of your "
                                              "own names a concept of the story (an IRI), so use "
                                              "letters, digits, '-', '_', '.' or '~', starting "
                                              f"with a letter or digit, such as `{slug}` (its "
                                              "label, which `concepts:` may change, is then "
                                              f"“{label_of(slug)}”)")
        return
    prefix, _, name = value.partition(":")
    if prefix not in _PREFIXES:
        problems.add(entry.key_line(key), f"`{key}: {value}`: unknown prefix {prefix!r}; use "
                                          f"one of {', '.join(_PREFIXES)}, or a word of your own")
    elif not ID_PATTERN.match(name):
        problems.add(entry.key_line(key), f"`{key}: {value}`: {name!r} is not a term name: use "
                                          f"{prefix}:Name, the name in letters, digits, '-', '_', "
                                          "'.' or '~'")
    elif prefix == "hg" and name not in hg_terms():
        hint = did_you_mean(name, hg_terms()).replace("'", "'hg:", 1)
        problems.add(entry.key_line(key), f"`{key}: {value}` is not a term of the her-graph "
                                          f"ontology{hint}")


def _links(story: Story, resolver: _Resolver, key: tuple[str, int], entry: Mapping, field_: str,
           ref_key: str, what: str, problems: Problems) -> None:
    value = entry.get(field_)
    items = value if isinstance(value, Sequence) else ([] if value is None else [value])
    lines = value.lines if isinstance(value, Sequence) else [entry.key_line(field_)] * len(items)
    links = story.links.setdefault((*key, field_), [])
    for item, line in zip(items, lines, strict=True):
        if isinstance(item, str):
            if resolver.check(what, item, line):
                links.append(Link(item, Claim((), None, None), line=line))
            continue
        if not isinstance(item, Mapping):
            problems.add(line, f"`{field_}:` lists ids or mappings, not {shown(item)}")
            continue
        kind_keys = {"participant": "participant", "after": "after", "stage": "stage",
                     "carrier": "carrier"}
        check_keys(item, KEYS[kind_keys[ref_key]], f"an entry of `{field_}:`", problems)
        target_key = {"participant": "character", "after": "event", "stage": "at",
                      "carrier": "carrier"}[ref_key]
        target = text(item, target_key, problems, required=True, what=f"an entry of `{field_}:`")
        kind = None
        if ref_key == "participant":
            kind = choice(item, "role", ROLES, problems)
        elif ref_key == "stage":
            kind = choice(item, "type", STAGES, problems)
            if "type" not in item:
                problems.add(item.line, f"a stage needs `type:` ({', '.join(STAGES)})")
        present = item.get("present")
        if present is not None and not isinstance(present, bool):
            problems.add(item.key_line("present"), "`present:` is true or false")
            present = None
        if target is not None and resolver.check(what, target, item.key_line(target_key)):
            links.append(Link(target, claim(item, problems), read_id(item, "id", problems),
                              kind, present, item.line, text(item, "label", problems)))


def _check_entries(story: Story, resolver: _Resolver, problems: Problems) -> None:
    for index, entry in enumerate(story.sections["characters"]):
        text(entry, "name", problems, required=True, what=f"character {shown(entry.get('id'))}")
        if "kind" not in entry:
            problems.add(entry.line, f"character {shown(entry.get('id'))} needs `kind:` "
                                     f"({', '.join(CHARACTER_KINDS)})")
        choice(entry, "kind", CHARACTER_KINDS, problems)
        id_list(entry, "aliases", problems)
        story.claims["characters", index] = claim(entry, problems)
    for index, entry in enumerate(story.sections["acts"]):
        if whole(entry, "number", problems) is None and "number" not in entry:
            problems.add(entry.line, f"act {shown(entry.get('id'))} needs `number:`")
        story.claims["acts", index] = claim(entry, problems)
    for index, entry in enumerate(story.sections["events"]):
        what = f"event {shown(entry.get('id'))}"
        text(entry, "label", problems, required=True, what=what)
        if "act" in entry and text(entry, "act", problems) is not None:
            resolver.check("act", str(entry["act"]), entry.key_line("act"))
        _check_term(entry, "type", problems)
        choice(entry, "act_basis", {"stated": 1, "inferred": 1, "none": 1}, problems)
        whole(entry, "position", problems)
        if "participants" not in entry:
            problems.add(entry.line, f"{what} needs `participants:`, the characters in it")
        _links(story, resolver, ("events", index), entry, "participants", "participant",
               "character", problems)
        _links(story, resolver, ("events", index), entry, "after", "after", "event", problems)
        story.claims["events", index] = claim(entry, problems, needs_quote=True, what=what)
    for index, entry in enumerate(story.sections["relationships"]):
        what = f"relationship {shown(entry.get('id'))}"
        parties = id_list(entry, "between", problems)
        if len(parties) < 2:
            problems.add(entry.key_line("between"), f"{what} needs `between:` two parties or more")
        for party, line in parties:
            resolver.check("character", party, line)
        text(entry, "kind", problems, required=True, what=what)
        _check_term(entry, "kind", problems)
        choice(entry, "status", STATUSES, problems)
        _links(story, resolver, ("relationships", index), entry, "stages", "stage", "event",
               problems)
        story.claims["relationships", index] = claim(entry, problems, needs_quote=True, what=what)
    for index, entry in enumerate(story.sections["influences"]):
        what = f"influence {shown(entry.get('id'))}"
        for key in ("from", "on"):
            ref = text(entry, key, problems, required=True, what=what)
            if ref is not None:
                resolver.check("carrier", ref, entry.key_line(key))
        text(entry, "how", problems, required=True, what=what)
        for event, line in id_list(entry, "through", problems):
            resolver.check("event", event, line)
        story.claims["influences", index] = claim(entry, problems, needs_quote=True, what=what)
    for index, entry in enumerate(story.sections["themes"]):
        what = f"theme {shown(entry.get('id'))}"
        text(entry, "label", problems, required=True, what=what)
        text(entry, "definition", problems, required=True, what=what)
        for key in ("broader", "related"):
            for theme, line in id_list(entry, key, problems):
                resolver.check("theme", theme, line)
        if "top" in entry and not isinstance(entry["top"], bool):
            problems.add(entry.key_line("top"), "`top:` is true or false")
        _links(story, resolver, ("themes", index), entry, "carried_by", "carrier", "carrier",
               problems)
        story.claims["themes", index] = claim(entry, problems)
        if not story.claims["themes", index].quotes:
            for link in story.links["themes", index, "carried_by"]:
                if not link.claim.quotes:
                    problems.add(link.line, f"{what}: carried by {link.target!r} needs a quote "
                                            "(`quote:` on the theme or on this carrier)")
    for entry in story.sections["concepts"]:
        text(entry, "label", problems, required=True, what=f"concept {shown(entry.get('id'))}")
        choice(entry, "scheme", {"event_types": 1, "relationship_kinds": 1}, problems)
    for entry in story.sections["quotes"]:
        text(entry, "exact", problems, required=True, what=f"quote {shown(entry.get('id'))}")
        whole(entry, "occurrence", problems)
