"""Turning a checked story into RDF in the her-graph model (see the README's story format).

Every triple is recorded with the entry that produced it (its *owner*), so the decompiler can
tell which entries a graph holds exactly as the format would write them.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..namespaces import SCHEMA
from .fields import Claim
from .problems import Problems
from .quotes import QuoteNode
from .spec import (
    BASES,
    CHARACTER_KINDS,
    HGX,
    OAX,
    ROLES,
    SCHEME_NAMES,
    SEMX,
    SPDX,
    STAGES,
    STATUSES,
    label_of,
)
from .story import Story

HG = HGX
Owner = tuple[str, ...]
_PRESENT_BY_DEFAULT = {"agent": True, "addressee": True, "spoken_of": False}


def story_order(story: Story, problems: Problems) -> dict[str, int]:
    """Story positions: a linear extension of the ``after:`` links, ties in file order.

    ``position:`` given on an event is kept as it is. A cycle is a problem.

    Example:
        >>> from pathlib import Path
        >>> from graph.authoring.story import read_story
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("s.yaml")
        >>> story = read_story(parse_yaml(
        ...     "story: {title: T}\\nsource: {path: s.txt}\\n"
        ...     "characters: [{id: a, name: A, kind: ai}]"
        ...     "\\nevents:\\n  - {id: late, label: L, participants: [a], after: [early], quote: x}"
        ...     "\\n  - {id: early, label: E, participants: [a], quote: y}\\n", problems),
        ...     Path("s.yaml"), problems)
        >>> story_order(story, problems)
        {'early': 1, 'late': 2}
    """
    events = [str(e["id"]) for e in story.sections["events"] if "id" in e]
    before: dict[str, set[str]] = {event: set() for event in events}
    for index, entry in enumerate(story.sections["events"]):
        for link in story.links.get(("events", index, "after"), []):
            if link.target in before and entry.get("id") in before:
                before[str(entry["id"])].add(link.target)
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(events):
        ready = [e for e in events if e not in placed and before[e] <= placed]
        if not ready:
            stuck = [e for e in events if e not in placed]
            line = next(entry.key_line("after") for entry in story.sections["events"]
                        if entry.get("id") == stuck[0])
            problems.add(line, f"the `after:` links of events {', '.join(stuck)} form a cycle: "
                            "an event cannot come after itself")
            order += stuck
            break
        order.append(ready[0])
        placed.add(ready[0])
    positions = {event: number for number, event in enumerate(order, start=1)}
    for entry in story.sections["events"]:
        if isinstance(entry.get("position"), int) and "id" in entry:
            positions[str(entry["id"])] = entry["position"]
    return positions


class Emitter:
    """Writes the triples of one story, each under the entry that owns it.

    Example:
        >>> from pathlib import Path
        >>> from graph.authoring.story import Story
        >>> Emitter(Story(Path("s.yaml"), base="https://example.org/s/"), {}, "").iri("hg:Visit")
        rdflib.term.URIRef('https://w3id.org/her-graph/ontology#Visit')
    """

    def __init__(self, story: Story, quotes: dict[tuple[str, int | None, str | None], QuoteNode],
                 sha256: str):
        self.story, self.quotes, self.sha256 = story, quotes, sha256
        self.graph = Graph(bind_namespaces="none")
        self.owners: dict[tuple[Node, Node, Node], set[Owner]] = {}
        self.owner: Owner = ("story",)
        self.local_concepts: dict[URIRef, str] = {}

    def iri(self, ident: str) -> URIRef:
        """The IRI of a story-local id, or of a ``prefix:name`` term of a known vocabulary."""
        prefix, _, name = ident.partition(":")
        if name and prefix in _VOCABULARIES:
            return URIRef(_VOCABULARIES[prefix] + name)
        return URIRef(self.story.base + ident)

    def add(self, subject: Node, predicate: Node, obj: Node) -> None:
        triple = (subject, predicate, obj)
        self.graph.add(triple)
        self.owners.setdefault(triple, set()).add(self.owner)

    def text(self, subject: Node, predicate: Node, value: object, lang: str | None = "en") -> None:
        if value is not None and str(value) != "":
            self.add(subject, predicate, Literal(str(value), lang=lang))

    def claim(self, node: URIRef, claim: Claim, fallback: Claim | None = None) -> None:
        basis = claim.basis or (fallback.basis if fallback else None) or self.story.basis
        if BASES[basis] is not None:
            self.add(node, HG.basis, BASES[basis])  # type: ignore[arg-type]
        self.text(node, HG.basisNote, claim.basis_note)
        for use in claim.quotes or (fallback.quotes if fallback else ()):
            found = self.quotes.get((use.exact, use.occurrence, use.id))
            if found is not None:
                self.add(node, HG.evidence, self.iri(found.id))

    def emit(self) -> Graph:
        """All the triples of the story."""
        story, s = self.story, self.story
        work = self.iri(s.id)
        self.add(work, RDF.type, SCHEMA.Movie)
        self.add(work, SCHEMA.name, Literal(s.title))
        self.text(work, SCHEMA.description, s.description)
        self.claim(work, Claim(s.quotes, "none", None))
        self._source(work)
        for index, entry in enumerate(story.sections["characters"]):
            self._character(work, index, entry)
        for index, entry in enumerate(story.sections["acts"]):
            self.owner = ("acts", str(index))
            act = self.iri(entry["id"])
            self.add(act, RDF.type, HG.Act)
            number = entry.get("number")
            self.text(act, RDFS.label, entry.get("label") or f"Act {_roman(number)}")
            if isinstance(number, int):
                self.add(act, HG.actNumber, Literal(number))
            self.add(act, SCHEMA.isPartOf, work)
            self.text(act, SCHEMA.description, entry.get("description"))
            self.claim(act, story.claims["acts", index])
        positions = story_order(story, Problems(str(story.path)))
        for index, entry in enumerate(story.sections["events"]):
            self._event(index, entry, positions)
        for index, entry in enumerate(story.sections["relationships"]):
            self._relationship(index, entry)
        for index, entry in enumerate(story.sections["influences"]):
            self.owner = ("influences", str(index))
            node, source, target = (self.iri(entry[k]) for k in ("id", "from", "on"))
            self.add(target, PROV.wasInfluencedBy, source)
            self.add(target, PROV.qualifiedInfluence, node)
            self.add(node, RDF.type, PROV.Influence)
            self.add(node, PROV.influencer, source)
            self.text(node, HG.how, entry.get("how"))
            self.text(node, RDFS.label, entry.get("label"))
            for event in _ids(entry.get("through")):
                self.add(node, HG.throughEvent, self.iri(event))
            self.claim(node, story.claims["influences", index])
        self._themes(work)
        self._concepts()
        self._quotes()
        return self.graph

    def _source(self, work: URIRef) -> None:
        self.owner = ("source",)
        src = self.iri(str(self.story.source.get("id") or "source"))
        self.add(src, RDF.type, SCHEMA.Article)
        self.add(src, SCHEMA.name, Literal(str(self.story.source.get("title")
                                               or f"{self.story.title}: the source")))
        self.add(src, SCHEMA.about, work)
        self.text(src, SCHEMA.description, self.story.source.get("description"))
        if not self.sha256:  # compiled without its source
            return
        checksum = URIRef(f"{src}-sha256")
        self.add(src, SPDX.checksum, checksum)
        self.add(checksum, RDF.type, SPDX.Checksum)
        self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        self.add(checksum, SPDX.checksumValue, Literal(self.sha256, datatype=XSD.hexBinary))

    def _character(self, work: URIRef, index: int, entry: dict[str, object]) -> None:
        self.owner = ("characters", str(index))
        node = self.iri(str(entry["id"]))
        kind = str(entry.get("kind"))
        for cls in CHARACTER_KINDS.get(kind, ()):
            self.add(node, RDF.type, cls)
        self.add(node, SCHEMA.name, Literal(str(entry.get("name"))))
        for alias in _ids(entry.get("aliases")):
            self.add(node, SCHEMA.alternateName, Literal(alias))
        self.text(node, SCHEMA.description, entry.get("description"))
        if kind in ("human", "ai"):  # a group is not a character (hg:CharacterGroup)
            self.add(work, HG.hasCharacter, node)
        if kind == "human":
            self.add(work, SCHEMA.character, node)
        self.claim(node, self.story.claims["characters", index])

    def _event(self, index: int, entry: dict[str, object], positions: dict[str, int]) -> None:
        self.owner = ("events", str(index))
        ident = str(entry["id"])
        node, claim = self.iri(ident), self.story.claims["events", index]
        self.add(node, RDF.type, HG.StoryEvent)
        self.text(node, RDFS.label, entry.get("label"))
        self.text(node, SCHEMA.description, entry.get("description"))
        if entry.get("type"):
            self.add(node, SEMX.eventType, self._concept(str(entry["type"]), "event_types"))
        for link in self.story.links["events", index, "participants"]:
            role = link.kind or "agent"
            part = self.iri(link.id or f"part-{_short(ident, 'event-')}-{link.target.lower()}")
            character = self.iri(link.target)
            self.add(node, HG.role, part)
            self.add(part, RDF.type, HG.Role)
            self.add(part, RDF.value, character)
            self.add(part, SEMX.roleType, ROLES[role])
            present = _PRESENT_BY_DEFAULT[role] if link.present is None else link.present
            if present:
                self.add(node, SEMX.hasActor, character)
            self.claim(part, link.claim, claim)
        if ident in positions:
            self.add(node, HG.storyPosition, Literal(positions[ident]))
        if entry.get("act"):
            self.add(node, HG.inAct, self.iri(str(entry["act"])))
            act_basis = entry.get("act_basis") or ("stated" if self.story.basis != "none"
                                                   else None)
            if act_basis and BASES[str(act_basis)] is not None:
                self.add(node, HG.actBasis, BASES[str(act_basis)])  # type: ignore[arg-type]
            self.text(node, HG.actNote, entry.get("act_note"))
        for link in self.story.links["events", index, "after"]:
            earlier = self.iri(link.target)
            self.add(earlier, HG.precedes, node)
            link_node = self.iri(link.id or f"precedes-{link.target}-{ident}")
            self.add(link_node, RDF.type, HG.Precedence)
            self.add(link_node, HG.earlier, earlier)
            self.add(link_node, HG.later, node)
            self.claim(link_node, link.claim, claim)
        self.claim(node, claim)

    def _relationship(self, index: int, entry: dict[str, object]) -> None:
        self.owner = ("relationships", str(index))
        ident = str(entry["id"])
        node, claim = self.iri(ident), self.story.claims["relationships", index]
        self.add(node, RDF.type, HG.Relationship)
        self.text(node, RDFS.label, entry.get("label"))
        self.text(node, SCHEMA.description, entry.get("description"))
        for party in _ids(entry.get("between")):
            self.add(node, HG.participant, self.iri(party))
        self.add(node, HG.relationshipKind,
                 self._concept(str(entry.get("kind")), "relationship_kinds"))
        if entry.get("status") in STATUSES:
            self.add(node, HG.status, STATUSES[str(entry["status"])])
        for link in self.story.links["relationships", index, "stages"]:
            kind = link.kind or "begins"
            stage = self.iri(link.id or f"{ident}-{kind.replace('_', '-')}-{link.target}")
            event = self.iri(link.target)
            self.add(node, HG.stage, stage)
            self.add(stage, RDF.type, HG.RelationshipStage)
            self.add(stage, HG.stageType, STAGES[kind])
            self.add(stage, HG.atEvent, event)
            self.text(stage, RDFS.label, link.label)
            if kind == "begins":
                self.add(node, HG.startsWith, event)
            elif kind == "ends":
                self.add(node, HG.endsWith, event)
            self.claim(stage, link.claim, claim)
        self.claim(node, claim)

    def _themes(self, work: URIRef) -> None:
        themes = self.story.sections["themes"]
        if not themes:
            return
        scheme = self._scheme("themes")
        for index, entry in enumerate(themes):
            self.owner = ("themes", str(index))
            ident = str(entry["id"])
            node = self.iri(ident)
            self.add(node, RDF.type, SKOS.Concept)
            self.add(node, RDF.type, HG.Theme)
            self.add(node, SKOS.inScheme, scheme)
            self.text(node, SKOS.prefLabel, entry.get("label"))
            self.text(node, SKOS.definition, entry.get("definition"))
            for key, predicate in (("broader", SKOS.broader), ("related", SKOS.related)):
                for other in _ids(entry.get(key)):
                    self.add(node, predicate, self.iri(other))
            top = entry.get("top")
            if top is True or (top is None and not entry.get("broader")):
                self.add(node, SKOS.topConceptOf, scheme)
                self.add(scheme, SKOS.hasTopConcept, node)
            claim = self.story.claims["themes", index]
            for link in self.story.links["themes", index, "carried_by"]:
                carrier = work if link.target == self.story.id else self.iri(link.target)
                attribution = self.iri(link.id or f"themed-{_short(link.target, 'event-')}"
                                                  f"-{_short(ident, 'theme-')}")
                self.add(carrier, HG.hasTheme, node)
                self.add(carrier, HG.qualifiedTheme, attribution)
                self.add(attribution, RDF.type, HG.ThemeAttribution)
                self.add(attribution, HG.theme, node)
                self.claim(attribution, link.claim, claim)

    def _scheme(self, name: str) -> URIRef:
        ident, default = SCHEME_NAMES[name]
        scheme = self.iri(ident)
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        label = self.story.schemes.get(name, default.format(title=self.story.title))
        self.text(scheme, SKOS.prefLabel, label)
        return scheme

    def _concept(self, value: str, scheme: str) -> URIRef:
        node = self.iri(value)
        if str(node).startswith(self.story.base) and value not in self.story.extra_ids:
            self.local_concepts.setdefault(node, scheme)
        return node

    def _concepts(self) -> None:
        declared = {self.iri(str(e["id"])): e for e in self.story.sections["concepts"]}
        for node in sorted(set(self.local_concepts) | set(declared)):
            entry: dict[str, object] = declared.get(node, {})
            scheme = str(entry.get("scheme") or self.local_concepts.get(node, "event_types"))
            self.owner = ("concepts", str(node))
            self.add(node, RDF.type, SKOS.Concept)
            if scheme == "event_types":
                self.add(node, RDF.type, SEMX.EventType)
            self.add(node, SKOS.inScheme, self._scheme(scheme))
            self.text(node, SKOS.prefLabel,
                      entry.get("label") or label_of(str(node)[len(self.story.base):]))
            self.text(node, SKOS.definition, entry.get("definition"))

    def _quotes(self) -> None:
        source = self.iri(str(self.story.source.get("id") or "source"))
        for found in sorted(set(self.quotes.values()), key=lambda q: q.id):
            self.owner = ("quotes", found.id)
            node = self.iri(found.id)
            quote, position = URIRef(f"{node}-text"), URIRef(f"{node}-position")
            anchor = found.anchor
            self.add(node, RDF.type, OAX.SpecificResource)
            self.add(node, OAX.hasSource, source)
            self.add(node, OAX.hasSelector, quote)
            self.add(quote, RDF.type, OAX.TextQuoteSelector)
            self.add(quote, OAX.exact, Literal(anchor.exact))
            if anchor.start < 0:  # compiled without its source: no position to record
                continue
            self.add(quote, OAX.prefix, Literal(anchor.prefix))
            self.add(quote, OAX.suffix, Literal(anchor.suffix))
            self.add(quote, OAX.refinedBy, position)
            self.add(position, RDF.type, OAX.TextPositionSelector)
            self.add(position, OAX.start, Literal(anchor.start))
            self.add(position, OAX.end, Literal(anchor.end))


_VOCABULARIES = {
    "hg": str(HGX), "schema": "https://schema.org/", "skos": str(SKOS),
    "sem": str(SEMX), "prov": str(PROV), "oa": str(OAX), "rdfs": str(RDFS),
}


def _ids(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, Iterable) else []


def _short(ident: str, prefix: str) -> str:
    return ident.removeprefix(prefix).removeprefix("theme-").lower()


def _roman(number: object) -> str:
    if not isinstance(number, int) or not 0 < number < 40:
        return str(number)
    tens, ones = divmod(number, 10)
    return "X" * tens + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][ones]
