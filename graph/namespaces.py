"""Every IRI prefix her-graph uses, defined once.

Standard vocabularies come from :mod:`rdflib.namespace` where rdflib ships them. The project's
own vocabulary (:data:`HG`) and the two standards rdflib lacks (Web Annotation, SEM) are
:class:`~rdflib.namespace.DefinedNamespace` classes, so a typo in a term raises at import time
instead of minting a wrong IRI silently.

>>> from graph.namespaces import HG, HER
>>> str(HG.StoryEvent)
'https://w3id.org/her-graph/ontology#StoryEvent'
>>> str(HER.Theodore)
'https://w3id.org/her-graph/her/Theodore'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "DCTERMS",
    "HER",
    "HG",
    "OA",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEM",
    "SH",
    "SKOS",
    "XSD",
]

SCHEMA = SDO


class HG(DefinedNamespace):
    """The her-graph narrative ontology (``data/ontology.ttl``), shared by every story.

    Example:
        >>> HG.StoryEvent
        rdflib.term.URIRef('https://w3id.org/her-graph/ontology#StoryEvent')
    """

    _NS = Namespace("https://w3id.org/her-graph/ontology#")
    _fail = True

    # Classes
    Character: URIRef
    HumanCharacter: URIRef
    AICharacter: URIRef
    CharacterGroup: URIRef
    StoryEvent: URIRef
    Act: URIRef
    Relationship: URIRef
    Theme: URIRef
    ThemeAttribution: URIRef
    Basis: URIRef
    Role: URIRef
    Precedence: URIRef
    RelationshipStage: URIRef

    # Properties
    storyPosition: URIRef
    precedes: URIRef
    inAct: URIRef
    actNumber: URIRef
    participant: URIRef
    relationshipKind: URIRef
    status: URIRef
    startsWith: URIRef
    endsWith: URIRef
    evidence: URIRef
    how: URIRef
    throughEvent: URIRef
    hasTheme: URIRef
    qualifiedTheme: URIRef
    theme: URIRef
    portrays: URIRef
    performanceType: URIRef
    memberOf: URIRef
    memberCount: URIRef
    subgroupOf: URIRef
    hasCharacter: URIRef
    basis: URIRef
    basisNote: URIRef
    actBasis: URIRef
    actNote: URIRef
    role: URIRef
    earlier: URIRef
    later: URIRef
    stage: URIRef
    stageType: URIRef
    atEvent: URIRef

    # Concept schemes and their concepts
    EventTypeScheme: URIRef
    RelationshipKindScheme: URIRef
    RelationshipStatusScheme: URIRef
    PerformanceTypeScheme: URIRef
    BasisScheme: URIRef
    RoleTypeScheme: URIRef
    StageTypeScheme: URIRef

    Stated: URIRef
    Interpreted: URIRef
    Inferred: URIRef
    Agent: URIRef
    Addressee: URIRef
    SpokenOf: URIRef
    Begins: URIRef
    TurningPoint: URIRef
    Climax: URIRef
    Ends: URIRef
    Closure: URIRef
    Reconciles: URIRef
    Bonding: URIRef

    Lament: URIRef
    Encounter: URIRef
    FallingInLove: URIRef
    Confrontation: URIRef
    Doubt: URIRef
    Malfunction: URIRef
    Reconnection: URIRef
    Revelation: URIRef
    Explanation: URIRef
    Departure: URIRef
    LetterWriting: URIRef
    Visit: URIRef
    SharedMoment: URIRef

    Marriage: URIRef
    ChildhoodBond: URIRef
    Romance: URIRef
    VirtualRomance: URIRef
    HumanAIConnection: URIRef
    SharedExperience: URIRef
    Interaction: URIRef

    Ongoing: URIRef
    Ended: URIRef

    OnScreenRole: URIRef
    VoiceRole: URIRef


class OA(DefinedNamespace):
    """The W3C Web Annotation vocabulary (the terms her-graph uses for evidence).

    Example:
        >>> OA.exact
        rdflib.term.URIRef('http://www.w3.org/ns/oa#exact')
    """

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    hasTarget: URIRef
    hasBody: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef


class SEM(DefinedNamespace):
    """The Simple Event Model (the terms her-graph uses for events).

    Example:
        >>> SEM.hasActor
        rdflib.term.URIRef('http://semanticweb.cs.vu.nl/2009/11/sem/hasActor')
    """

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True

    Event: URIRef
    Actor: URIRef
    Place: URIRef
    EventType: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    eventType: URIRef
    subEventOf: URIRef


HER = Namespace("https://w3id.org/her-graph/her/")
"""Resources of the bundled *Her* dataset (characters, events, themes, evidence)."""

PREFIXES: dict[str, str] = {
    "her": str(HER),
    "hg": str(HG._NS),
    "schema": str(SCHEMA._NS),
    "skos": str(SKOS._NS),
    "prov": str(PROV._NS),
    "oa": str(OA._NS),
    "sem": str(SEM._NS),
    "dcterms": str(DCTERMS._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "owl": str(OWL._NS),
    "xsd": str(XSD._NS),
    "sh": str(SH._NS),
}
"""The prefixes bound on every loaded graph, usable in SPARQL without ``PREFIX`` lines."""
