"""Reading the entries of the story format out of a graph in the her-graph model.

:func:`extract` is the decompiler's first half: it writes each character, act, event,
relationship, influence and theme it finds as a story-file entry. An entry that refers to
something the format cannot name is left out (its triples stay in the graph, and the
decompiler keeps them as extra Turtle).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ..namespaces import SCHEMA
from .spec import BASES, HGX, ID_PATTERN, OAX, ROLES, SCHEME_NAMES, SEMX, STAGES, STATUSES


def _sorted(nodes: Iterable[Any]) -> list[Any]:
    """RDF terms in a stable order (by their text)."""
    return sorted(nodes, key=str)


HG = HGX
_BASIS_NAMES: dict[Node | None, str] = {value: name for name, value in BASES.items()
                                         if value is not None}
_ROLE_NAMES: dict[Node | None, str] = {value: name for name, value in ROLES.items()}
_STAGE_NAMES: dict[Node | None, str] = {value: name for name, value in STAGES.items()}
_STATUS_NAMES: dict[Node | None, str] = {value: name for name, value in STATUSES.items()}
_VOCAB = {"hg": str(HGX), "schema": "https://schema.org/", "skos": str(SKOS), "sem": str(SEMX),
          "prov": str(PROV), "oa": str(OAX), "rdfs": str(RDFS)}


class Skip(Exception):
    """An entry refers to something the story format cannot name."""


class Extractor:
    """Reads story-file entries from ``graph``, whose work is ``work`` (ids under ``base``).

    Example:
        >>> import graph
        >>> from rdflib import URIRef
        >>> her = graph.load().rdf
        >>> base = "https://w3id.org/her-graph/her/"
        >>> x = Extractor(her, URIRef(base + "Her"), base)
        >>> x.character(URIRef(base + "Amy"))["kind"]
        'human'
    """

    def __init__(self, graph: Graph, work: URIRef, base: str):
        self.g, self.work, self.base = graph, work, base
        self.subjects = set(graph.subjects())
        self.any_basis = (None, HG.basis, None) in graph
        self.quotes: dict[str, str] = {}

    # --- values ---------------------------------------------------------------------------

    def ref(self, node: Node, *, must_exist: bool = True) -> str:
        """The id of a local node, or ``prefix:name`` of a vocabulary term."""
        if isinstance(node, URIRef):
            text = str(node)
            if text.startswith(self.base) and len(text) > len(self.base):
                ident = text[len(self.base):]
                if ID_PATTERN.match(ident):  # else the format has no id for it
                    if must_exist and node not in self.subjects and node != self.work:
                        raise Skip(text)
                    return ident
            for prefix, namespace in _VOCAB.items():
                if text.startswith(namespace) and text[len(namespace):].isidentifier():
                    return f"{prefix}:{text[len(namespace):]}"
        raise Skip(str(node))

    def one(self, subject: Node, predicate: URIRef) -> Node | None:
        values = _sorted(self.g.objects(subject, predicate))
        return values[0] if values else None

    def text(self, subject: Node, predicate: URIRef) -> str | None:
        value = self.one(subject, predicate)
        return None if value is None else str(value)

    def refs(self, subject: Node, predicate: URIRef) -> list[str]:
        return sorted(self.ref(o) for o in self.g.objects(subject, predicate))

    def quote_texts(self, node: Node) -> list[str]:
        texts = []
        for evidence in _sorted(self.g.objects(node, HG.evidence)):
            selector = self.one(evidence, OAX.hasSelector)
            exact = self.text(selector, OAX.exact) if selector is not None else None
            if exact is None:
                raise Skip(str(evidence))
            # A quote over a line break of the source reads, in the story file, as one line;
            # the compiler finds it again (white space may differ) and records the source's.
            exact = " ".join(exact.split()) if "\n" in exact else exact
            self.quotes.setdefault(self.ref(evidence), exact)
            texts.append(exact)
        return texts

    def claim(self, entry: dict[str, Any], node: Node, parent: Node | None = None) -> None:
        """Add ``quote:``, ``basis:`` and ``basis_note:`` (those differing from the parent's)."""
        quotes = self.quote_texts(node)
        if (parent is None or quotes != self.quote_texts(parent)) and quotes:
            entry["quote"] = quotes[0] if len(quotes) == 1 else quotes
        default = (self.basis_name(parent) if parent is not None
                   else "stated" if self.any_basis else "none")
        name = self.basis_name(node)
        if name != default:
            entry["basis"] = name
        note = self.text(node, HG.basisNote)
        if note:
            entry["basis_note"] = note

    def basis_name(self, node: Node) -> str:
        """The story-file word for the hg:basis of ``node`` (``none`` when it has none)."""
        basis = self.one(node, HG.basis)
        return _BASIS_NAMES.get(basis, "none") if basis is not None else "none"

    # --- entries ----------------------------------------------------------------------------

    def character(self, node: URIRef) -> dict[str, Any]:
        types = set(self.g.objects(node, RDF.type))
        kind = ("group" if HG.CharacterGroup in types else "ai" if HG.AICharacter in types
                else "human")
        entry: dict[str, Any] = {"id": self.ref(node), "name": self.text(node, SCHEMA.name),
                                 "kind": kind}
        aliases = sorted(str(a) for a in self.g.objects(node, SCHEMA.alternateName))
        if aliases:
            entry["aliases"] = aliases
        self._put(entry, "description", self.text(node, SCHEMA.description))
        self.claim(entry, node)
        return entry

    def act(self, node: URIRef) -> dict[str, Any]:
        number = self.one(node, HG.actNumber)
        entry: dict[str, Any] = {"id": self.ref(node),
                                 "number": number.toPython() if isinstance(number, Literal)
                                 else None,
                                 "label": self.text(node, RDFS.label)}
        self._put(entry, "description", self.text(node, SCHEMA.description))
        self.claim(entry, node)
        return entry

    def event(self, node: URIRef) -> dict[str, Any]:
        ident = self.ref(node)
        entry: dict[str, Any] = {"id": ident, "label": self.text(node, RDFS.label)}
        self._put(entry, "description", self.text(node, SCHEMA.description))
        kind = self.one(node, SEMX.eventType)
        if kind is not None:
            entry["type"] = self.ref(kind, must_exist=False)
        actors = set(self.g.objects(node, SEMX.hasActor))
        participants: list[Any] = []
        for part in _sorted(self.g.objects(node, HG.role)):
            character = self.one(part, RDF.value)
            role = _ROLE_NAMES.get(self.one(part, SEMX.roleType))
            if character is None or role is None:
                raise Skip(str(part))
            item: dict[str, Any] = {"character": self.ref(character)}
            if role != "agent":
                item["role"] = role
            present = character in actors
            if present != (role != "spoken_of"):
                item["present"] = present
            default = f"part-{ident.removeprefix('event-').removeprefix('theme-').lower()}" \
                      f"-{item['character'].lower()}"
            if self.ref(part) != default:
                item["id"] = self.ref(part)
            self.claim(item, part, node)
            participants.append(item["character"] if list(item) == ["character"] else item)
        entry["participants"] = participants
        act = self.one(node, HG.inAct)
        if act is not None:
            entry["act"] = self.ref(act)
            act_basis = self.one(node, HG.actBasis)
            act_default: Node | None = HG.Stated if self.any_basis else None
            if act_basis != act_default:
                entry["act_basis"] = _BASIS_NAMES.get(act_basis, "none")
            self._put(entry, "act_note", self.text(node, HG.actNote))
        after: list[Any] = []
        for link in _sorted(self.g.subjects(HG.later, node)):
            if (link, RDF.type, HG.Precedence) not in self.g:
                continue
            earlier = self.one(link, HG.earlier)
            if earlier is None:
                raise Skip(str(link))
            item = {"event": self.ref(earlier)}
            if self.ref(link) != f"precedes-{item['event']}-{ident}":
                item["id"] = self.ref(link)
            self.claim(item, link, node)
            after.append(item["event"] if list(item) == ["event"] else item)
        if after:
            entry["after"] = after
        self.claim(entry, node)
        position = self.one(node, HG.storyPosition)
        if isinstance(position, Literal):
            entry["position"] = position.toPython()
        return entry

    def relationship(self, node: URIRef) -> dict[str, Any]:
        ident = self.ref(node)
        entry: dict[str, Any] = {"id": ident, "between": self.refs(node, HG.participant)}
        kind = self.one(node, HG.relationshipKind)
        entry["kind"] = self.ref(kind, must_exist=False) if kind is not None else None
        self._put(entry, "label", self.text(node, RDFS.label))
        self._put(entry, "description", self.text(node, SCHEMA.description))
        status = self.one(node, HG.status)
        if status is not None:
            entry["status"] = _STATUS_NAMES[status]
        stages: list[dict[str, Any]] = []
        for stage in _sorted(self.g.objects(node, HG.stage)):
            kind_name = _STAGE_NAMES.get(self.one(stage, HG.stageType))
            event = self.one(stage, HG.atEvent)
            if kind_name is None or event is None:
                raise Skip(str(stage))
            item: dict[str, Any] = {"type": kind_name, "at": self.ref(event)}
            self._put(item, "label", self.text(stage, RDFS.label))
            if self.ref(stage) != f"{ident}-{kind_name.replace('_', '-')}-{item['at']}":
                item["id"] = self.ref(stage)
            self.claim(item, stage, node)
            stages.append(item)
        if stages:
            entry["stages"] = stages
        self.claim(entry, node)
        return entry

    def influence(self, node: URIRef) -> dict[str, Any]:
        targets = _sorted(self.g.subjects(PROV.qualifiedInfluence, node))
        source = self.one(node, PROV.influencer)
        if len(targets) != 1 or source is None:
            raise Skip(str(node))
        entry: dict[str, Any] = {"id": self.ref(node), "from": self.ref(source),
                                 "on": self.ref(targets[0]), "how": self.text(node, HG.how)}
        self._put(entry, "label", self.text(node, RDFS.label))
        through = self.refs(node, HG.throughEvent)
        if through:
            entry["through"] = through
        self.claim(entry, node)
        return entry

    def theme(self, node: URIRef, scheme: URIRef) -> dict[str, Any]:
        ident = self.ref(node)
        entry: dict[str, Any] = {"id": ident, "label": self.text(node, SKOS.prefLabel),
                                 "definition": self.text(node, SKOS.definition)}
        for key, predicate in (("broader", SKOS.broader), ("related", SKOS.related)):
            values = self.refs(node, predicate)
            if values:
                entry[key] = values
        top = (node, SKOS.topConceptOf, scheme) in self.g
        if top != (not entry.get("broader")):
            entry["top"] = top
        carriers: list[dict[str, Any]] = []
        for attribution in _sorted(self.g.subjects(HG.theme, node)):
            holders = _sorted(self.g.subjects(HG.qualifiedTheme, attribution))
            if len(holders) != 1:
                raise Skip(str(attribution))
            holder = self.ref(holders[0])
            item: dict[str, Any] = {"carrier": holder}
            short = ident.removeprefix("event-").removeprefix("theme-").lower()
            default = f"themed-{holder.removeprefix('event-').removeprefix('theme-').lower()}" \
                      f"-{short}"
            if self.ref(attribution) != default:
                item["id"] = self.ref(attribution)
            self.claim(item, attribution)
            carriers.append(item)
        if carriers:
            entry["carried_by"] = carriers
        return entry

    def concept(self, node: URIRef) -> dict[str, Any]:
        scheme = self.one(node, SKOS.inScheme)
        names = {SCHEME_NAMES[n][0]: n for n in ("event_types", "relationship_kinds")}
        name = names.get(self.ref(scheme)) if scheme is not None else None
        if name is None:
            raise Skip(str(node))
        entry: dict[str, Any] = {"id": self.ref(node), "label": self.text(node, SKOS.prefLabel),
                                 "scheme": name}
        self._put(entry, "definition", self.text(node, SKOS.definition))
        return entry

    @staticmethod
    def _put(entry: dict[str, Any], key: str, value: object) -> None:
        if value is not None:
            entry[key] = value
