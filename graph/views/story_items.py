"""The items of a state of story time, each with its evidence and basis.

See :mod:`graph.views.story_time`, which makes them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Appearance:
    """A character who has appeared (or, in ``mentioned``, only been spoken of or addressed).

    Example:
        >>> import graph
        >>> from graph.views.story_time import story_time
        >>> first = story_time(graph.load().rdf).at(1).characters[0]
        >>> first.label, first.role, first.basis
        ('Theodore', 'Agent', 'stated')

    Attributes:
        character: the IRI; label: its name; event: the first event (in story order) that
            holds in which they take part (or are mentioned); role: ``"Agent"``,
            ``"Addressee"``, ``"SpokenOf"`` (or ``""``: ``sem:hasActor`` with no role node);
            basis and evidence: those of the role node (or of the event).
    """

    character: str
    label: str
    event: str
    role: str
    basis: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class RelationshipState:
    """A relationship that exists at a point, with the stage it is in.

    Attributes:
        relationship, label, kind, parties (IRIs, sorted), basis, evidence: the relationship's.
        stage: the current stage's IRI (``""`` when no stage has been reached); stage_type its
            type's local name (``"Climax"``); stage_event its event; stage_basis and
            stage_evidence its basis and quotes.

    Example:
        >>> import graph
        >>> from graph.views.story_time import story_time
        >>> state = story_time(graph.load().rdf).at(4)
        >>> [r.stage_type for r in state.relationships if "romance" in r.relationship][-1]
        'TurningPoint'
    """

    relationship: str
    label: str
    kind: str
    parties: tuple[str, ...]
    basis: str
    evidence: tuple[str, ...]
    stage: str = ""
    stage_type: str = ""
    stage_label: str = ""
    stage_event: str = ""
    stage_basis: str = ""
    stage_evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class InfluenceState:
    """An influence exerted by a point: who on whom, how, since which event, on what evidence.

    ``influence`` is the ``prov:Influence`` IRI (``""`` for a plain ``prov:wasInfluencedBy``);
    ``event`` the first through-event that holds (``""`` when none dates it).

    Example:
        >>> import graph
        >>> from graph.views.story_time import story_time
        >>> [i.event[-10:] for i in story_time(graph.load().rdf).at(3).influences]
        ['connection', '', 'connection']
    """

    influence: str
    influencer: str
    influenced: str
    how: str
    event: str
    basis: str
    evidence: tuple[str, ...]
