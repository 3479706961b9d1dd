"""One pass over a graph's triples, indexed for building a page quickly.

rdflib's SPARQL engine needs tens of seconds for the joins a page of thousands of nodes asks for;
reading every triple once and following links in dictionaries takes about a second. Every
choice here is deterministic: where a node has several values, the smallest wins.

Example:
    >>> import graph
    >>> index = TripleIndex.of(graph.load())
    >>> index.label("https://w3id.org/her-graph/her/Samantha"), index.category(
    ...     "https://w3id.org/her-graph/her/Samantha")
    ('Samantha', 'ai_character')
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Hashable
from contextlib import suppress
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SDO, SKOS
from rdflib.term import Node

from ..namespaces import HG, OA, SEM
from .labels import category, node_key

if TYPE_CHECKING:
    from ..stores.backend import Backend
    from ..stores.handle import StoryGraph

#: Predicates whose values the index keeps; every other triple is skipped.
_KEPT = frozenset(str(p) for p in (
    RDF.type, SDO.name, RDFS.label, SKOS.prefLabel, SDO.description, SKOS.definition, HG.how,
    HG.evidence, OA.hasSelector, OA.exact, OA.hasSource, HG.storyPosition, HG.precedes,
    HG.inAct, SEM.eventType, SEM.hasActor, SEM.hasPlace, HG.hasTheme, HG.qualifiedTheme,
    HG.theme, SKOS.broader, HG.portrays, SDO.actor, HG.performanceType, HG.memberOf,
    HG.subgroupOf, SDO.hasOccupation, HG.memberCount, SDO.alternateName,
    PROV.wasInfluencedBy, PROV.qualifiedInfluence, PROV.influencer, HG.throughEvent,
    HG.participant, HG.relationshipKind, HG.status, HG.startsWith, HG.endsWith,
    SDO.datePublished, HG.actNumber,
))


#: The last index of each store, with the revision it was built at (see TripleIndex.of).
_KEPT_INDEXES: weakref.WeakKeyDictionary[Backend, tuple[Hashable, TripleIndex]] = (
    weakref.WeakKeyDictionary())


def _value(term: Node) -> str:
    return node_key(term) if isinstance(term, URIRef | BNode) else str(term)


class TripleIndex:
    """``index[predicate][subject]`` -> the sorted values (node keys or literal texts).

    Example:
        >>> import graph
        >>> from graph.namespaces import SDO
        >>> index = TripleIndex(graph.load().rdf)
        >>> index.values("https://w3id.org/her-graph/her/Amy", SDO.name)
        ['Amy']
        >>> index.category("https://w3id.org/her-graph/her/Samantha")
        'ai_character'
    """

    def __init__(self, triples: object):
        found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        integers: dict[tuple[str, str], int] = {}
        for s, p, o in triples:  # type: ignore[attr-defined]
            predicate = str(p)
            if predicate not in _KEPT:
                continue
            subject = node_key(s)
            found[predicate][subject].add(_value(o))
            if isinstance(o, Literal) and predicate in (str(HG.storyPosition),
                                                        str(HG.actNumber)):
                with suppress(TypeError, ValueError):
                    integers[(predicate, subject)] = int(o)
        self._index = {p: {s: sorted(v) for s, v in by_subject.items()}
                       for p, by_subject in found.items()}
        self._integers = integers
        self._categories = {s: category(classes)
                            for s, classes in self.subjects(RDF.type).items()}

    @classmethod
    def of(cls, kg: StoryGraph) -> TripleIndex:
        """The index of ``kg``'s triples, built once and shared (by every page of a build)
        until the triples change (see :attr:`graph.stores.Backend.revision`); built afresh
        each time for a store that cannot tell (a SPARQL server)."""
        backend = kg.backend
        revision = backend.revision
        kept = _KEPT_INDEXES.get(backend)
        if revision is not None and kept is not None and kept[0] == revision:
            return kept[1]
        index = cls(backend.triples())
        if revision is not None:
            _KEPT_INDEXES[backend] = (revision, index)
        return index

    def subjects(self, predicate: URIRef) -> dict[str, list[str]]:
        """subject -> values of ``predicate``."""
        return self._index.get(str(predicate), {})

    def values(self, subject: str, predicate: URIRef) -> list[str]:
        return self._index.get(str(predicate), {}).get(subject, [])

    def first(self, subject: str, *predicates: URIRef) -> str:
        """The smallest value of the first predicate that has one, or ``""``."""
        for predicate in predicates:
            values = self.values(subject, predicate)
            if values:
                return values[0]
        return ""

    def category(self, key: str) -> str:
        return self._categories.get(key, "resource")

    @property
    def categories(self) -> dict[str, str]:
        return self._categories

    def label(self, key: str) -> str:
        return self.first(key, SDO.name, RDFS.label, SKOS.prefLabel)

    def description(self, key: str) -> str:
        values = [*self.values(key, SDO.description), *self.values(key, SKOS.definition),
                  *self.values(key, HG.how)]
        return min(values) if values else ""

    def quotes(self, key: str) -> tuple[str, ...]:
        """The exact texts of the quotes ``key`` cites as evidence, sorted."""
        quotes = {quote for evidence in self.values(key, HG.evidence)
                  for selector in self.values(evidence, OA.hasSelector)
                  for quote in self.values(selector, OA.exact)}
        return tuple(sorted(quotes))

    def integer(self, key: str, predicate: URIRef) -> int | None:
        """The value of ``predicate`` (``hg:storyPosition`` or ``hg:actNumber``) as an int."""
        return self._integers.get((str(predicate), key))
