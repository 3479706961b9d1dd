"""The story-file format: its sections, the keys each entry may have, and the words it maps to
terms of the her-graph model (see ``/docs`` and the README's "Describe your own story").

One table per thing, so the parser, the compiler, the decompiler and the error messages all
read the same definition.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import Namespace, URIRef

from ..namespaces import OA as _OA
from ..namespaces import PREFIXES
from ..namespaces import SEM as _SEM

# Open namespaces: the model of this round has terms (hg:basis, hg:Role, ...) the closed
# DefinedNamespace classes of graph.namespaces do not declare yet.
HGX = Namespace(str(PREFIXES["hg"]))
OAX = Namespace(str(_OA._NS))
SEMX = Namespace(str(_SEM._NS))
#: SPDX, whose spdx:checksum DCAT 3 uses for a file's checksum.
SPDX = Namespace("http://spdx.org/rdf/terms#")

#: The story's base IRI when the file gives none: this prefix plus the title made a slug.
DEFAULT_BASE = "https://example.org/stories/"

#: The longest term (a text or an IRI, in bytes as N-Triples writes it) a graph file may hold:
#: the loader's parser (Oxigraph) holds at most this much of one term at once.
MAX_TERM_BYTES = 16 << 20

#: A story-local id: it becomes the last segment of an IRI (``<base><id>``).
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")

_CLAIM = ("quote", "basis", "basis_note")

#: The keys of each section whose value is text (or, for ``type`` / ``kind``, a word or a
#: ``prefix:name`` term): anything else there (a list, a mapping, a date) is a problem.
TEXT_KEYS: dict[str, tuple[str, ...]] = {
    "source": ("path", "title", "description"),
    "characters": ("name", "description", "basis_note"),
    "acts": ("label", "description", "basis_note"),
    "events": ("label", "description", "type", "act", "act_note", "basis_note"),
    "relationships": ("kind", "label", "description", "basis_note"),
    "influences": ("from", "on", "how", "label", "basis_note"),
    "themes": ("label", "definition", "basis_note"),
    "concepts": ("label", "definition"),
    "quotes": ("exact", "prefix", "suffix", "note"),
}

#: The keys of each section that hold one id or a list of them.
ID_LIST_KEYS: dict[str, tuple[str, ...]] = {
    "characters": ("aliases",),
    "relationships": ("between",),
    "influences": ("through",),
    "themes": ("broader", "related"),
}

#: The keys each kind of entry may have. Sections holding lists name their entry kind.
KEYS: dict[str, tuple[str, ...]] = {
    "file": ("story", "source", "characters", "acts", "events", "relationships", "influences",
             "themes", "concepts", "schemes", "quotes", "extra_turtle"),
    "story": ("id", "title", "base", "description", "basis", "quote"),
    "source": ("id", "path", "title", "description"),
    "characters": ("id", "name", "kind", "aliases", "description", *_CLAIM),
    "acts": ("id", "number", "label", "description", *_CLAIM),
    "events": ("id", "label", "description", "type", "participants", "act", "act_basis",
               "act_note", "after", "position", *_CLAIM),
    "participant": ("character", "role", "present", "id", *_CLAIM),
    "after": ("event", "id", *_CLAIM),
    "relationships": ("id", "between", "kind", "label", "description", "status", "stages",
                      *_CLAIM),
    "stage": ("type", "at", "id", "label", *_CLAIM),
    "influences": ("id", "from", "on", "how", "label", "through", *_CLAIM),
    "themes": ("id", "label", "definition", "broader", "related", "top", "carried_by", *_CLAIM),
    "carrier": ("carrier", "id", *_CLAIM),
    "concepts": ("id", "label", "definition", "scheme"),
    "quotes": ("id", "exact", "occurrence", "prefix", "suffix", "note"),
    "quote": ("exact", "occurrence", "id"),
}

#: The sections that hold a list of entries, in the order the compiler reads them.
SECTIONS = ("characters", "acts", "events", "relationships", "influences", "themes", "concepts",
            "quotes")

_HG = HGX

BASES: dict[str, URIRef | None] = {
    "stated": _HG.Stated, "interpreted": _HG.Interpreted, "inferred": _HG.Inferred,
    # For graphs made before the epistemic status: no hg:basis at all.
    "none": None,
}

#: kind -> the classes of a character.
CHARACTER_KINDS: dict[str, tuple[URIRef, ...]] = {
    "human": (_HG.HumanCharacter, URIRef("https://schema.org/Person")),
    "ai": (_HG.AICharacter,),
    "group": (_HG.CharacterGroup,),
}

ROLES: dict[str, URIRef] = {
    "agent": _HG.Agent, "addressee": _HG.Addressee, "spoken_of": _HG.SpokenOf,
}

STAGES: dict[str, URIRef] = {
    "begins": _HG.Begins, "turning_point": _HG.TurningPoint, "climax": _HG.Climax,
    "ends": _HG.Ends, "closure": _HG.Closure, "reconciles": _HG.Reconciles,
}

STATUSES: dict[str, URIRef] = {"ongoing": _HG.Ongoing, "ended": _HG.Ended}

#: The concept schemes a story makes for its own concepts: name -> (id, default label).
SCHEME_NAMES: dict[str, tuple[str, str]] = {
    "event_types": ("event-types", "Event types of {title}"),
    "relationship_kinds": ("relationship-kinds", "Relationship kinds of {title}"),
    "themes": ("themes", "Themes of {title}"),
}


def iri_problem(text: str) -> str | None:
    """Why ``text`` is not an absolute IRI (Oxigraph's reason), or None when it is one.

    Example:
        >>> iri_problem("https://example.org/stories/"), iri_problem("my-story")
        (None, 'No scheme found in an absolute IRI')
    """
    try:
        ox.NamedNode(text)
    except ValueError as error:
        return " ".join(str(error).split())
    return None


def label_of(ident: str) -> str:
    """A label for a concept that has only an id: words, first one capitalised.

    Example:
        >>> label_of("ParentAndChild"), label_of("friendship"), label_of("turning_point")
        ('Parent and child', 'Friendship', 'Turning point')
    """
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", ident).replace("_", " ").replace("-", " ")
    text = " ".join(words.split()).lower()
    return text[:1].upper() + text[1:]


def default_base(title: str) -> str:
    """The base IRI of a story that names none: :data:`DEFAULT_BASE` plus a slug of its title.

    Example:
        >>> default_base("The Lamp and the Lake")
        'https://example.org/stories/the-lamp-and-the-lake/'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "story"
    return f"{DEFAULT_BASE}{slug}/"
