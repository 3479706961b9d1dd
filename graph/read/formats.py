"""The RDF formats her-graph reads, chosen by name or by file extension from one registry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import UnknownRdfFormatError


@dataclass(frozen=True)
class RdfFormat:
    """One RDF serialisation: its canonical name, aliases, file extensions and parser.

    Example:
        >>> turtle = format_for(Path("story.ttl"))
        >>> turtle.name, turtle.extensions[0]
        ('turtle', '.ttl')
    """

    name: str
    label: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...]
    oxigraph: ox.RdfFormat


RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", "Turtle", (".ttl", ".turtle"), ("ttl",), ox.RdfFormat.TURTLE),
    RdfFormat("ntriples", "N-Triples", (".nt",), ("nt", "n-triples"), ox.RdfFormat.N_TRIPLES),
    RdfFormat("nquads", "N-Quads", (".nq",), ("nq", "n-quads"), ox.RdfFormat.N_QUADS),
    RdfFormat("trig", "TriG", (".trig",), (), ox.RdfFormat.TRIG),
    RdfFormat("n3", "N3", (".n3",), (), ox.RdfFormat.N3),
    RdfFormat("json-ld", "JSON-LD", (".jsonld", ".json"), ("jsonld",), ox.RdfFormat.JSON_LD),
    RdfFormat("rdfxml", "RDF/XML", (".rdf", ".xml", ".owl"), ("xml", "rdf/xml", "rdf"),
              ox.RdfFormat.RDF_XML),
)


def _known() -> str:
    return ", ".join(f.name for f in RDF_FORMATS)


def format_for(path: Path, name: str | None = None) -> RdfFormat:
    """Return the format named ``name``, or else the one that ``path``'s extension implies.

    Raises:
        GraphLoadError: for an unknown name or an extension no format claims.

    Example:
        >>> format_for(Path("story.nt")).name, format_for(Path("story.data"), "jsonld").name
        ('ntriples', 'json-ld')
    """
    if name is not None:
        wanted = name.strip().lower()
        for fmt in RDF_FORMATS:
            if wanted == fmt.name or wanted in fmt.aliases:
                return fmt
        raise UnknownRdfFormatError(f"unknown RDF format {name!r}; known formats: {_known()}",
                             path=str(path))
    suffix = path.suffix.lower()
    for fmt in RDF_FORMATS:
        if suffix in fmt.extensions:
            return fmt
    raise UnknownRdfFormatError(
        f"{path}: cannot tell the RDF format from the extension {suffix or '(none)'!r}; "
        f"pass format= (--rdf-format in the CLI), one of: {_known()}",
        path=str(path),
    )
