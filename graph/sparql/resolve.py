"""Finding a character, event or theme by name, label or IRI, case-insensitively."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef

from ..errors import UnknownNameError

_LABELS = ("schema:name|rdfs:label|skos:prefLabel|skos:altLabel|schema:alternateName")

# kind -> the classes whose instances count as that kind
KINDS: dict[str, tuple[str, ...]] = {
    "character": ("hg:Character", "hg:HumanCharacter", "hg:AICharacter", "hg:CharacterGroup"),
    "event": ("hg:StoryEvent",),
    "theme": ("hg:Theme",),
}


def candidates_query(kind: str) -> str:
    """The SPARQL that lists the nodes of ``kind`` with their labels."""
    prefixes = (
        "PREFIX hg: <https://w3id.org/her-graph/ontology#>\n"
        "PREFIX schema: <https://schema.org/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    )
    if kind == "resource":
        return prefixes + f"SELECT DISTINCT ?node ?label WHERE {{ ?node {_LABELS} ?label }}"
    classes = " ".join(KINDS[kind])
    return prefixes + (
        "SELECT DISTINCT ?node ?label WHERE { "
        f"VALUES ?class {{ {classes} }} ?node a ?class . "
        f"OPTIONAL {{ ?node {_LABELS} ?label }} }}"
    )


def normalize_name(text: str) -> str:
    """Casefold, strip accents' compatibility forms and collapse whitespace, for matching.

    Example:
        >>> normalize_name("  The   8,316 OTHER people ")
        'the 8,316 other people'
    """
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())


@dataclass
class NameIndex:
    """The nodes of one kind, findable by any of their labels, local name or IRI.

    Example:
        >>> from rdflib import URIRef
        >>> amy = URIRef("https://w3id.org/her-graph/her/Amy")
        >>> index = NameIndex.build("character", [(amy, "Amy")])
        >>> index.resolve("  AMY "), index.known()
        (rdflib.term.URIRef('https://w3id.org/her-graph/her/Amy'), ['Amy'])
    """

    kind: str
    by_key: dict[str, set[URIRef]]
    display: dict[URIRef, str]

    @classmethod
    def build(cls, kind: str, pairs: list[tuple[URIRef, str | None]]) -> NameIndex:
        """Index ``(node, label)`` pairs; a node may appear with several labels."""
        by_key: dict[str, set[URIRef]] = defaultdict(set)
        display: dict[URIRef, str] = {}
        for node, label in pairs:
            if not isinstance(node, URIRef):
                continue
            by_key[normalize_name(str(node))].add(node)
            local = str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            by_key[normalize_name(local)].add(node)
            if label:
                by_key[normalize_name(label)].add(node)
                # The first label seen in sorted order is the one shown in messages.
                if node not in display or label < display[node]:
                    display[node] = label
            display.setdefault(node, local)
        return cls(kind, dict(by_key), display)

    def known(self) -> list[str]:
        """The display names of every node of this kind, sorted."""
        return sorted(set(self.display.values()), key=str.casefold)

    def resolve(self, name: str, *, expand: dict[str, str] | None = None) -> URIRef:
        """Return the one node ``name`` designates.

        ``name`` may be a label (any case), a local name, a full IRI, or a prefixed name whose
        prefix is in ``expand``.

        Raises:
            UnknownNameError: nothing, or more than one node, matches.
        """
        keys = [normalize_name(name)]
        if expand and ":" in name and not name.startswith(("http://", "https://", "urn:")):
            prefix, _, local = name.partition(":")
            if prefix in expand:
                keys.append(normalize_name(expand[prefix] + local))
        for key in keys:
            found = self.by_key.get(key)
            if found and len(found) == 1:
                return next(iter(found))
            if found:
                raise UnknownNameError(name, self.kind, self.known(),
                                       ambiguous=(str(n) for n in found))
        close = difflib.get_close_matches(
            normalize_name(name), [normalize_name(k) for k in self.known()], n=3, cutoff=0.6
        )
        by_norm = {normalize_name(k): k for k in self.known()}
        raise UnknownNameError(name, self.kind, self.known(), [by_norm[c] for c in close])
