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
from collections.abc import Hashable
from contextlib import suppress
from typing import TYPE_CHECKING

from rdflib import BNode, Literal
from rdflib.namespace import PROV, RDF, RDFS, SDO, SKOS

from ..namespaces import HG, OA, SEM
from .labels import category

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


# Predicate IRIs as text, looked up once (each DefinedNamespace attribute is a Python call).
_LABELS = (str(SDO.name), str(RDFS.label), str(SKOS.prefLabel))
_DESCRIPTIONS = (str(SDO.description), str(SKOS.definition), str(HG.how))
_EVIDENCE, _SELECTOR, _EXACT = str(HG.evidence), str(OA.hasSelector), str(OA.exact)
_NONE: dict[str, list[str]] = {}

#: The predicates whose values the index also keeps as whole numbers.
_INTEGERS = frozenset((str(HG.storyPosition), str(HG.actNumber)))

#: The last index of each store, with the revision it was built at (see TripleIndex.of).
_KEPT_INDEXES: weakref.WeakKeyDictionary[Backend, tuple[Hashable, TripleIndex]] = (
    weakref.WeakKeyDictionary())


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
        # One loop over every triple of the graph, so the per-triple work is kept to a few C
        # calls: a string test, two dict probes, an append (sorting and de-duplication after).
        found: dict[str, dict[str, list[str]]] = {}
        integers: dict[tuple[str, str], int] = {}
        kept, numbered = _KEPT, _INTEGERS
        for s, p, o in triples:  # type: ignore[attr-defined]
            predicate = str(p)
            if predicate not in kept:
                continue
            subject = f"_:{s}" if isinstance(s, BNode) else str(s)
            value = f"_:{o}" if isinstance(o, BNode) else str(o)
            by_subject = found.get(predicate)
            if by_subject is None:
                by_subject = found[predicate] = {}
            values = by_subject.get(subject)
            if values is None:
                by_subject[subject] = [value]
            else:
                values.append(value)
            if predicate in numbered and isinstance(o, Literal):
                with suppress(TypeError, ValueError):
                    integers[(predicate, subject)] = int(o)
        self._index = {p: {s: sorted(set(v)) if len(v) > 1 else v for s, v in by_subject.items()}
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

    def subjects(self, predicate: str) -> dict[str, list[str]]:
        """subject -> values of ``predicate``."""
        return self._index.get(str(predicate), {})

    def values(self, subject: str, predicate: str) -> list[str]:
        return self._index.get(str(predicate), {}).get(subject, [])

    def first(self, subject: str, *predicates: str) -> str:
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
        index = self._index
        for predicate in _LABELS:
            values = index.get(predicate, _NONE).get(key)
            if values:
                return values[0]
        return ""

    def description(self, key: str) -> str:
        index = self._index
        values = [value for predicate in _DESCRIPTIONS
                  for value in index.get(predicate, _NONE).get(key, ())]
        return min(values) if values else ""

    def quotes(self, key: str) -> tuple[str, ...]:
        """The exact texts of the quotes ``key`` cites as evidence, sorted."""
        evidences = self._index.get(_EVIDENCE, _NONE).get(key)
        if not evidences:
            return ()
        selectors = self._index.get(_SELECTOR, _NONE)
        exact = self._index.get(_EXACT, _NONE)
        quotes = {quote for evidence in evidences for selector in selectors.get(evidence, ())
                  for quote in exact.get(selector, ())}
        return tuple(sorted(quotes))

    def integer(self, key: str, predicate: str) -> int | None:
        """The value of ``predicate`` (``hg:storyPosition`` or ``hg:actNumber``) as an int."""
        return self._integers.get((str(predicate), key))
