"""What the projections say about a node or a quote: its key, label, category, and ranking.

Shared by :mod:`graph.views.projection` and :mod:`graph.views.full`, so that every view names and
types a node the same way.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS
from rdflib.term import Node

from ..namespaces import HG, OA, SEM

if TYPE_CHECKING:
    from ..stores.backend import TriplePatterns
    from ..stores.handle import StoryGraph

#: rdf:type -> node category, most specific first: a node takes the first category that matches.
NODE_TYPES: tuple[tuple[URIRef, str], ...] = (
    (HG.AICharacter, "ai_character"),
    (HG.HumanCharacter, "human_character"),
    (HG.Character, "character"),
    (HG.CharacterGroup, "group"),
    (HG.StoryEvent, "event"),
    (SEM.Event, "event"),
    (HG.Act, "act"),
    (HG.Theme, "theme"),
    (HG.Relationship, "relationship"),
    (PROV.Influence, "influence"),
    (HG.ThemeAttribution, "theme_attribution"),
    (SDO.PerformanceRole, "role"),
    (SDO.Person, "person"),
    (SDO.Movie, "work"),
    (SDO.CreativeWork, "work"),
    (SDO.Article, "source"),
    (OA.SpecificResource, "evidence"),
    (OA.TextQuoteSelector, "quote"),
    (SDO.Place, "place"),
    (SDO.Occupation, "occupation"),
    (SKOS.ConceptScheme, "scheme"),
    (SKOS.Concept, "concept"),
    (OWL.Class, "class"),
    (OWL.ObjectProperty, "property"),
    (OWL.DatatypeProperty, "property"),
    (OWL.Ontology, "ontology"),
)
# Keyed by the plain string, so a lookup never calls rdflib's (slow, Python-level) __eq__.
_TYPE_RANK = {str(iri): (rank, name) for rank, (iri, name) in enumerate(NODE_TYPES)}

#: Predicates whose value names a node, best first.
LABEL_PREDICATES: tuple[URIRef, ...] = (SDO.name, RDFS.label, SKOS.prefLabel, OA.exact)


def node_key(term: Node) -> str:
    """The networkx node key of an RDF resource: the IRI, or ``"_:label"`` for a blank node.

    >>> node_key(URIRef("https://w3id.org/her-graph/her/Amy"))
    'https://w3id.org/her-graph/her/Amy'
    >>> node_key(BNode("b0"))
    '_:b0'
    """
    # rdflib's terms are ABCs, whose isinstance is slow: an IRI, the usual case, is told first
    # by its exact type (a view asks for hundreds of thousands of keys).
    if type(term) is not URIRef and isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def local_name(key: str) -> str:
    """The last segment of an IRI (after ``#``, ``/`` or ``:``), the fallback label of a node.

    >>> local_name("https://w3id.org/her-graph/her/event-fight")
    'event-fight'
    """
    tail = key.rstrip("/#")
    for separator in ("#", "/", ":"):
        if separator in tail:
            tail = tail.rsplit(separator, 1)[1]
            break
    return tail or key


def first_integer(values: Iterable[Any]) -> int | None:
    """The first whole number among ``values`` (an RDF integer literal; a boolean is not one).

    >>> first_integer([Literal("x"), Literal(True), Literal(7)])
    7
    """
    for value in values:
        if isinstance(value, Literal):
            number = value.toPython()
            if isinstance(number, int) and not isinstance(number, bool):
                return number
    return None


def basis_name(term: Any) -> str:
    """The epistemic status an ``hg:basis`` value names: ``"stated"``, ``"interpreted"``,
    ``"inferred"`` (the local name, in lower case), or ``""`` for none.

    >>> basis_name(HG.Interpreted), basis_name(None)
    ('interpreted', '')
    """
    return local_name(str(term)).lower() if term is not None else ""


def basis_phrase(basis: str, note: str = "") -> str:
    """How a claim is backed, in words a reader of the page or the terminal understands.

    >>> basis_phrase("stated")
    'Stated in the source'
    >>> basis_phrase("inferred", "The article joins the two with 'then'.")
    "Inferred by this graph: The article joins the two with 'then'."
    >>> basis_phrase("")
    ''
    """
    phrase = {"stated": "Stated in the source",
              "interpreted": "The source's interpretation",
              "inferred": "Inferred by this graph"}.get(basis, basis)
    return f"{phrase}: {note}" if phrase and note else phrase


def category(classes: Iterable[Any]) -> str:
    """The category (see :data:`NODE_TYPES`) of a node with these ``rdf:type`` values.

    Example:
        >>> from graph.namespaces import HG, SDO
        >>> category([SDO.Person, HG.HumanCharacter]), category([])
        ('human_character', 'resource')
    """
    best = None
    for cls in classes:
        ranked = _TYPE_RANK.get(str(cls))
        if ranked is not None and (best is None or ranked < best):
            best = ranked
    return best[1] if best else "resource"


def best_text(values: Iterable[Any]) -> str | None:
    """The preferred text among literals: untagged or English first, then alphabetical.

    Example:
        >>> from rdflib import Literal
        >>> best_text([Literal("Théodore", lang="fr"), Literal("Theodore", lang="en")])
        'Theodore'
    """
    best: tuple[int, str] | None = None
    for value in values:
        if not isinstance(value, Literal):
            continue
        language = (value.language or "en").lower()
        rank = (0 if language == "en" or language.startswith("en-") else 1, str(value))
        if best is None or rank < best:
            best = rank
    return best[1] if best else None


_LABEL_KEYS = tuple(str(p) for p in LABEL_PREDICATES)
_RDF_TYPE = str(RDF.type)
#: What :meth:`TermReader.describe` reads of a node.
DESCRIBED: tuple[str, ...] = (*_LABEL_KEYS, _RDF_TYPE)


@dataclass(frozen=True)
class Nodes:
    """One group of the nodes a view reads: those ``pattern`` binds to ``?s`` (SPARQL, full
    IRIs), and the predicates (IRI texts) the view reads of them. ``answers`` lists the lookups
    the group holds whole, as ``(predicate, object or None)``: every subject of such a triple is
    in the group and ``predicate`` is among ``predicates``, so :meth:`TermReader.subjects` and
    :meth:`TermReader.subject_objects` can answer them from what was read."""

    pattern: str
    predicates: tuple[str, ...]
    answers: tuple[tuple[str, str | None], ...] = ()


_EVIDENCE = str(HG.evidence)
_HAS_SELECTOR = str(OA.hasSelector)
_EXACT = str(OA.exact)


#: A claim's quotes, ``hg:evidence/oa:hasSelector/oa:exact``, as one path a group can read (a
#: predicate written as a SPARQL property path, ``<...>/<...>``, is read as a path): see
#: :meth:`TermReader.quotes`.
QUOTES = f"<{_EVIDENCE}>/<{_HAS_SELECTOR}>/<{_EXACT}>"


def reads_query(groups: Sequence[Nodes]) -> str:
    """One SELECT of ``?k ?s ?o``: for each group, the triples of its nodes with the predicates
    it names, ``?k`` saying which: ``"g i"`` for the ``i``-th predicate of the ``g``-th group
    (a short literal travels and parses faster than the predicate's IRI); and a row with ``?k``
    ``"g"`` and no ``?o`` for a node with none of them.

    >>> print(reads_query([Nodes("?s a <urn:T>", ("urn:p", "urn:q"))]))
    SELECT ?k ?s ?o WHERE {
      { { SELECT DISTINCT ?s WHERE { ?s a <urn:T> } }
        OPTIONAL { VALUES (?p ?i) { (<urn:p> "0 0") (<urn:q> "0 1") } ?s ?p ?o }
        BIND(COALESCE(?i, "0") AS ?k) }
    }
    """
    branches = []
    for number, group in enumerate(groups):
        nodes = f"{{ SELECT DISTINCT ?s WHERE {{ {group.pattern} }} }}"
        values = " ".join(f'(<{p}> "{number} {i}")' for i, p in enumerate(group.predicates)
                          if not p.startswith("<"))
        read = f"\n    OPTIONAL {{ VALUES (?p ?i) {{ {values} }} ?s ?p ?o }}" if values else ""
        branches.append(f'{{ {nodes}{read}\n    BIND(COALESCE(?i, "{number}") AS ?k) }}')
        # A path goes in a branch of its own: inside the OPTIONAL, Oxigraph would walk it
        # from every node of the graph before the join.
        branches.extend(f'{{ {nodes}\n    ?s {p} ?o BIND("{number} {i}" AS ?k) }}'
                        for i, p in enumerate(group.predicates) if p.startswith("<"))
    return "SELECT ?k ?s ?o WHERE {\n  " + "\n  UNION ".join(branches) + "\n}"


class TermReader:
    """Reads what the graph says about nodes, one pattern lookup per node, remembered.

    ``reader.values(term, predicate)`` gives the node's values for a predicate (an IRI ``str``)
    and ``reader.props(term)`` all of them, so a view needs one lookup per node whatever it asks
    of it; ``reader.describe(term)`` gives the node's ``label`` and ``type`` as every view shows
    them. A store that runs SPARQL itself can answer, before the view starts, everything the
    view will read, in one query (:meth:`read_ahead`); lookups it did not answer still go to the
    store, so the result is the same either way.

    Example:
        >>> import graph
        >>> from rdflib import URIRef
        >>> reader = TermReader(graph.load().rdf)
        >>> reader.describe(URIRef("https://w3id.org/her-graph/her/Samantha"))["label"]
        'Samantha'
    """

    def __init__(self, rdf: Graph | TriplePatterns):
        self.rdf = rdf
        # A plain rdflib graph's store, asked directly: Graph.predicate_objects wraps the same
        # lookup in two more generators (40% of its time).
        self._graph = rdf if type(rdf) is Graph else None
        self._props: dict[str, dict[str, list[Node]]] = {}
        self.described: dict[str, dict[str, str]] = {}
        # Read ahead: node key -> (the predicates read, their values), and the subjects of the
        # lookups the query answered whole.
        self._ahead: dict[str, tuple[set[str], dict[str, list[Node]]]] = {}
        self._answered: dict[tuple[str, str | None], list[tuple[Node, Node]]] = {}
        self._terms: dict[str, Node] = {}  # the nodes read ahead, by key
        self._read: set[tuple[Nodes, ...]] = set()  # the groups read ahead
        self._quotes: dict[str, frozenset[str]] = {}

    @classmethod
    def of(cls, kg: StoryGraph) -> TermReader:
        """A reader of ``kg`` shared by the views of one page and the pages of a build (each
        node is looked up once for all of them) until the triples change (see
        :attr:`graph.stores.Backend.revision`); a fresh one for a store that cannot tell.

        Example:
            >>> import graph
            >>> kg = graph.load()
            >>> TermReader.of(kg) is TermReader.of(kg)
            True
        """
        revision = kg.backend.revision
        kept = _KEPT_READERS.get(kg)
        if revision is not None and kept is not None and kept[0] == revision:
            return kept[1]
        reader = cls(kg.backend.patterns())
        if revision is not None:
            _KEPT_READERS[kg] = (revision, reader)
        return reader

    def read_ahead(self, groups: Sequence[Nodes]) -> bool:
        """Ask the store for what ``groups`` name in one query, when it runs SPARQL itself (its
        pattern lookups have ``read_rows``); ``False`` when it does not, or cannot here (a
        server's answer held a blank node, which it labels anew in each answer).

        Example:
            >>> import graph
            >>> from rdflib import URIRef
            >>> reader = TermReader(graph.load(store="oxigraph").backend.patterns())
            >>> her = "https://w3id.org/her-graph/her/"
            >>> reader.read_ahead([Nodes(f"VALUES ?s {{ <{her}Amy> }}", DESCRIBED)])
            True
            >>> reader.describe(URIRef(her + "Amy"))
            {'label': 'Amy', 'type': 'human_character'}
        """
        groups = tuple(groups)
        if groups in self._read:  # a reader shared by several views: read once
            return True
        read_rows = getattr(self.rdf, "read_rows", None)
        rows = read_rows(reads_query(groups)) if read_rows is not None else None
        if rows is None:
            return False
        self._read.add(groups)
        wanted = {str(number): set(group.predicates) for number, group in enumerate(groups)}
        which = {f"{number} {i}": (str(number), predicate)
                 for number, group in enumerate(groups)
                 for i, predicate in enumerate(group.predicates)}
        answers = [answer for group in groups for answer in group.answers]
        answered: dict[tuple[str, str | None], list[tuple[Node, Node]]] = {
            answer: [] for answer in answers}
        ahead, terms, last = self._ahead, self._terms, {}
        for k, subject, value in rows:
            number, predicate = which.get(k, (k, None))
            key = node_key(subject)
            read = ahead.get(key)
            if read is None:
                read = ahead[key] = (set(wanted[number]), {})
                terms[key] = subject
                last[key] = number
            elif last.get(key) != number:  # the rows of one group come together, mostly
                read[0].update(wanted[number])
                last[key] = number
            if predicate is None or value is None:
                continue  # the node has none of them
            values = read[1].get(predicate)
            if values is None:
                read[1][predicate] = [value]
            elif value not in values:  # a node in two groups comes twice
                values.append(value)
        for predicate, obj in answers:
            pairs = answered[(predicate, obj)]
            for key, subject in terms.items():
                for value in ahead[key][1].get(predicate, ()):
                    if obj is None or (isinstance(value, URIRef) and str(value) == obj):
                        pairs.append((subject, value))
        self._answered.update(answered)
        return True

    def subjects(self, predicate: URIRef, obj: URIRef) -> Iterator[Node]:
        """The subjects of ``(?, predicate, obj)``."""
        pairs = self._answered.get((str(predicate), str(obj)))
        if pairs is None:
            return self.rdf.subjects(predicate, obj)
        return (s for s, _ in pairs)

    def subject_objects(self, predicate: URIRef) -> Iterator[tuple[Node, Node]]:
        """The (subject, object) pairs of ``(?, predicate, ?)``."""
        pairs = self._answered.get((str(predicate), None))
        if pairs is None:
            return self.rdf.subject_objects(predicate)
        return iter(pairs)

    def props(self, term: Node) -> dict[str, list[Node]]:
        """Predicate IRI -> the values ``term`` has for it."""
        key = node_key(term)
        found = self._props.get(key)
        if found is None:
            properties = getattr(self.rdf, "properties", None)  # a store's faster lookup
            if properties is not None:
                found = properties(term)
            elif self._graph is not None:
                found = {}
                graph = self._graph
                for (_, predicate, value), _ in graph.store.triples((term, None, None), graph):
                    found.setdefault(str(predicate), []).append(value)
            else:
                found = {}
                for predicate, value in self.rdf.predicate_objects(term):
                    found.setdefault(str(predicate), []).append(value)
            self._props[key] = found
        return found

    def values(self, term: Node, predicate: str) -> list[Node]:
        """The values of one predicate (an IRI ``str``) of ``term``."""
        ahead = self._ahead.get(node_key(term))
        if ahead is not None and predicate in ahead[0]:
            return ahead[1].get(predicate, [])
        return self.props(term).get(predicate, [])

    def values_of(self, term: Node, predicates: Sequence[str]) -> list[list[Node]]:
        """The values of each of ``predicates`` of ``term`` (what :meth:`values` gives for
        each, with one lookup of the node for all of them).

        Example:
            >>> import graph
            >>> from rdflib import URIRef
            >>> reader = TermReader(graph.load().rdf)
            >>> name, kind = reader.values_of(URIRef("https://w3id.org/her-graph/her/Amy"),
            ...     ["https://schema.org/name", "https://w3id.org/her-graph/ontology#absent"])
            >>> [str(v) for v in name], kind
            (['Amy'], [])
        """
        ahead = self._ahead.get(node_key(term))
        if ahead is not None:
            read, found = ahead
            if read.issuperset(predicates):
                return [found.get(predicate, []) for predicate in predicates]
        found = self.props(term)
        return [found.get(predicate, []) for predicate in predicates]

    def quotes(self, claim: Node) -> frozenset[str]:
        """The exact texts of the quotes supporting ``claim``:
        ``hg:evidence/oa:hasSelector/oa:exact``."""
        ahead = self._ahead.get(node_key(claim))
        if ahead is not None and QUOTES in ahead[0]:  # read ahead as one path
            return frozenset(str(text) for text in ahead[1].get(QUOTES, ())
                             if isinstance(text, Literal))
        found: set[str] = set()
        for evidence in self.values(claim, _EVIDENCE):
            if not isinstance(evidence, URIRef | BNode):
                continue
            key = node_key(evidence)
            texts = self._quotes.get(key)
            if texts is None:
                texts = self._quotes[key] = frozenset(
                    str(text) for selector in self.values(evidence, _HAS_SELECTOR)
                    if isinstance(selector, URIRef | BNode)
                    for text in self.values(selector, _EXACT) if isinstance(text, Literal))
            found |= texts
        return frozenset(found)

    def describe(self, term: Node) -> dict[str, str]:
        """``{"label": ..., "type": ...}`` of ``term``: its first :data:`LABEL_PREDICATES` value
        (untagged or English first), else its local name; and its :func:`category`."""
        key = node_key(term)
        info = self.described.get(key)
        if info is None:
            label = None
            for predicate in _LABEL_KEYS:
                values = self.values(term, predicate)
                if values:
                    label = best_text(values)
                    if label is not None:
                        break
            info = {"label": label if label is not None else local_name(key),
                    "type": category(self.values(term, _RDF_TYPE))}
            self.described[key] = info
        return info


#: The shared reader of each graph (see TermReader.of), with the revision it was made at. Keyed
#: by the graph, not its store: a reader holds the store's lookups, which hold the store.
_KEPT_READERS: weakref.WeakKeyDictionary[StoryGraph, tuple[Hashable, TermReader]] = (
    weakref.WeakKeyDictionary())


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def mentions(text: str, name: str) -> bool:
    """Whether casefolded ``text`` holds casefolded ``name`` as a whole word (or words).

    >>> mentions("his former wife catherine", "former wife"), mentions("amyl", "amy")
    (True, False)
    """
    start = text.find(name)
    while start != -1:
        end = start + len(name)
        if ((start == 0 or not _is_word_char(text[start - 1]))
                and (end == len(text) or not _is_word_char(text[end]))):
            return True
        start = text.find(name, start + 1)
    return False


@lru_cache(maxsize=4096)  # a party's name is asked for with every quote about it
def _name_forms(name: str) -> tuple[str, ...]:
    """The casefolded forms of ``name`` a quote may use: the whole name; without a leading
    article ("8,316 other people" for "the 8,316 other people"); and, for a proper name of
    several words, its first word ("Theodore" for "Theodore Twombly")."""
    words = name.split()
    if not words:
        return ()
    forms = [" ".join(words).casefold()]
    if len(words) > 1 and words[0].casefold() in ("the", "a", "an"):
        forms.append(" ".join(words[1:]).casefold())
    elif len(words) > 1 and words[0][:1].isupper() and len(words[0]) >= 3:
        forms.append(words[0].casefold())
    return tuple(forms)


def most_telling(quotes: Iterable[str], names: Sequence[str]) -> tuple[str, ...]:
    """Order quotes most telling first: naming more of ``names``, then shorter, then A-Z.

    A quote names a party when it contains the party's label (or, for a proper name of several
    words, its first word) as a whole word, in any case.

    >>> most_telling(["She left.", "Amy meets Theodore at dawn.", "Theodore waits."],
    ...              ["Theodore", "Amy"])
    ('Amy meets Theodore at dawn.', 'Theodore waits.', 'She left.')
    """
    unique = set(quotes)
    if len(unique) < 2:  # nothing to rank
        return tuple(unique)
    parties = [forms for forms in map(_name_forms, names) if forms]

    def rank(quote: str) -> tuple[int, int, str]:
        folded = " ".join(quote.split()).casefold()
        named = sum(1 for forms in parties if any(mentions(folded, f) for f in forms))
        return (-named, len(quote), quote)

    return tuple(sorted(unique, key=rank))
