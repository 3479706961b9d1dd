"""The support check: does each claim's evidence mention the parties the claim is about?

A quote being in the source (the evidence check) does not make it support its claim. This check
asks a narrower, mechanical question of every influence and every relationship: taken together,
do its quotes mention each party, by name or by a recorded alias (``schema:name``,
``rdfs:label``, ``skos:prefLabel``, ``schema:alternateName``, ``skos:altLabel``)? A pronoun is
never an alias: "her" names no one, "his former wife" may name Catherine when the graph records
it as her alternate name.

Matching is on whole words, ignoring case, runs of white space and the difference between
typographic and straight apostrophes; a name starting with "the" also matches without it ("the
operating systems" is mentioned by "all operating systems").

It works on an rdflib :class:`~rdflib.Graph`, with no store or query engine: one pass over the
triples it needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ..views.labels import mentions

_HG = Namespace("https://w3id.org/her-graph/ontology#")
_SCHEMA = Namespace("https://schema.org/")
_OA = Namespace("http://www.w3.org/ns/oa#")

_NAME_PROPERTIES = (_SCHEMA.name, RDFS.label, SKOS.prefLabel, _SCHEMA.alternateName,
                    SKOS.altLabel)


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split()).casefold()


def _forms(names: Iterable[str]) -> set[str]:
    forms = set()
    for name in names:
        folded = _fold(name)
        if folded:
            forms.add(folded)
            if folded.startswith("the ") and len(folded) > 4:
                forms.add(folded[4:])
    return forms


@dataclass(frozen=True, order=True)
class Unsupported:
    """A claim whose evidence never mentions one or more of its parties.

    Example:
        >>> claim = Unsupported("influence", "https://example.org/i1", "Ada shaped Orin",
        ...                     ("Ada",))
        >>> print(claim)  # doctest: +ELLIPSIS
        influence 'Ada shaped Orin' (https://example.org/i1): its evidence never mentions Ada by ...
    """

    kind: str
    claim: str
    label: str
    missing: tuple[str, ...]

    def __str__(self) -> str:
        who = " or ".join(self.missing)
        label = f" {self.label!r}" if self.label else ""
        return (f"{self.kind}{label} ({self.claim}): its evidence never mentions {who} by name "
                "or a recorded alias; cite a quote that does, or record the alias "
                "(schema:alternateName)")


@dataclass
class SupportReport:
    """The outcome of :func:`check_support`.

    Example:
        >>> import graph
        >>> report = check_support(graph.load().rdf)
        >>> report.ok, report.checked
        (True, 18)
    """

    checked: int = 0
    unsupported: list[Unsupported] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every checked claim's evidence mentions each of its parties."""
        return not self.unsupported

    def __str__(self) -> str:
        if self.ok:
            return (f"support: {self.checked} influences and relationships checked: the "
                    "evidence of each mentions every party")
        lines = [f"support: {len(self.unsupported)} of {self.checked} influences and "
                 "relationships cite evidence that does not mention every party:"]
        lines += [f"  - {claim}" for claim in self.unsupported]
        return "\n".join(lines)


def check_support(graph: Graph, *, short: Callable[[str], str] = str) -> SupportReport:
    """Check that every influence and relationship's evidence mentions each of its parties.

    Args:
        graph: the story graph.
        short: how to show a claim's IRI (for example ``kg.short``); the full IRI by default.

    Returns:
        A :class:`SupportReport`, one :class:`Unsupported` per claim that fails.

    Example:
        >>> from rdflib import Graph
        >>> g = Graph().parse(format="turtle", data='''
        ... @prefix : <https://example.org/> .
        ... @prefix hg: <https://w3id.org/her-graph/ontology#> .
        ... @prefix oa: <http://www.w3.org/ns/oa#> .
        ... @prefix schema: <https://schema.org/> .
        ... :r a hg:Relationship ; hg:participant :ada, :orin ; hg:evidence :q .
        ... :ada schema:name "Ada" .
        ... :orin schema:name "Orin" ; schema:alternateName "the lamp" .
        ... :q oa:hasSelector [ oa:exact "Ada lit the lamp" ] .
        ... ''')
        >>> check_support(g).ok
        True
        >>> _ = g.remove((None, URIRef("https://schema.org/alternateName"), None))
        >>> [claim.missing for claim in check_support(g).unsupported]
        [('Orin',)]
    """
    parties: dict[Node, list[Node]] = defaultdict(list)
    kinds: dict[Node, str] = {}
    for relationship in graph.subjects(RDF.type, _HG.Relationship):
        kinds[relationship] = "relationship"
        parties[relationship].extend(graph.objects(relationship, _HG.participant))
    for influenced, influence in graph.subject_objects(PROV.qualifiedInfluence):
        kinds[influence] = "influence"
        parties[influence].append(influenced)
        parties[influence].extend(graph.objects(influence, PROV.influencer))

    report = SupportReport()
    for claim in sorted(kinds, key=str):
        quotes = [_fold(str(exact))
                  for evidence in graph.objects(claim, _HG.evidence)
                  for selector in graph.objects(evidence, _OA.hasSelector)
                  for exact in graph.objects(selector, _OA.exact)]
        if not quotes:
            continue  # no evidence at all is the shapes' finding, not this check's
        report.checked += 1
        missing = []
        for party in dict.fromkeys(parties[claim]):
            names = [str(o) for p in _NAME_PROPERTIES for o in graph.objects(party, p)]
            forms = _forms(names)
            if not any(mentions(quote, form) for quote in quotes for form in forms):
                missing.append(names[0] if names else short(str(party)))
        if missing:
            label = graph.value(claim, RDFS.label)
            report.unsupported.append(Unsupported(
                kinds[claim], short(str(claim)) if isinstance(claim, URIRef) else str(claim),
                str(label) if label is not None else "", tuple(missing)))
    return report
