"""Re-anchoring: finding every quote of a story graph again in an edited source text.

Each ``oa:TextQuoteSelector`` is looked for by its exact words *and* its recorded context
(prefix and suffix). A quote whose words and context match at one place is **anchored** (at its
recorded position) or **moved** (elsewhere); anything else is **orphaned**: its words are gone,
its context changed, or several places match. An orphaned quote is never attached to
look-alike text; a person decides. :func:`rewrite_selectors` updates the selectors of the
anchored and moved quotes (and the source's checksum) and leaves orphaned ones as they were.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..atomic import write_atomic
from ..errors import UsageError
from ..export.datasets import nquads_bytes, ntriples_bytes, trig_bytes
from ..export.jsonld import jsonld_bytes
from ..export.registry import canonical_triples, export_prefixes
from ..read.formats import format_for
from ..read.parsing import parse_one_graph
from .anchoring import Anchor, SourceText, find_spans, read_source
from .compiler import story_turtle
from .paths import refuse_same_file
from .spec import OAX, SPDX


def _sorted(nodes: Iterable[Any]) -> list[Any]:
    """RDF terms in a stable order (by their text)."""
    return sorted(nodes, key=str)


@dataclass(frozen=True)
class QuoteStatus:
    """Where one quote stands in the edited source.

    ``status`` is ``"anchored"``, ``"moved"`` or ``"orphaned"``; ``start`` / ``end`` are the
    new positions (None when orphaned); ``was`` the recorded start, if any.

    Example:
        >>> QuoteStatus(URIRef("urn:q"), "met", "moved", 9, 12, 4).status
        'moved'
    """

    selector: URIRef
    exact: str
    status: str
    start: int | None
    end: int | None
    was: int | None
    reason: str = ""


def _flat(text: str) -> str:
    # Context compared with white space collapsed: re-wrapping a paragraph moves no quote.
    return " ".join(text.split()) + (" " if text[-1:].isspace() else "")


def _one(graph: Graph, subject: URIRef, predicate: URIRef) -> str | None:
    value = graph.value(subject, predicate)
    return None if value is None else str(value)


def _position_of(graph: Graph, selector: URIRef) -> URIRef | None:
    for refined in graph.objects(selector, OAX.refinedBy):
        if (refined, RDF.type, OAX.TextPositionSelector) in graph and isinstance(refined, URIRef):
            return refined
    return None


def reanchor(graph: Graph, source: SourceText) -> list[QuoteStatus]:
    """The status of every quote of ``graph`` in the (edited) ``source``, sorted by selector.

    Example:
        >>> from graph.authoring.anchoring import SourceText
        >>> from rdflib import Graph
        >>> g = Graph().parse(format="turtle", data='''
        ...   @prefix oa: <http://www.w3.org/ns/oa#> .
        ...   <urn:q> a oa:TextQuoteSelector ; oa:exact "met Orin" ;
        ...           oa:prefix "Ada " ; oa:suffix " by" ; oa:refinedBy <urn:p> .
        ...   <urn:p> a oa:TextPositionSelector ; oa:start 4 ; oa:end 12 .''')
        >>> [s.status for s in reanchor(g, SourceText("Then Ada met Orin by the lake.", ""))]
        ['moved']
        >>> [s.status for s in reanchor(g, SourceText("Bo met Orin by the lake.", ""))]
        ['orphaned']
    """
    statuses: list[QuoteStatus] = []
    text = source.text
    for selector in _sorted(graph.subjects(RDF.type, OAX.TextQuoteSelector)):
        if not isinstance(selector, URIRef):
            continue
        exact = _one(graph, selector, OAX.exact) or ""
        prefix = _one(graph, selector, OAX.prefix) or ""
        suffix = _one(graph, selector, OAX.suffix) or ""
        position = _position_of(graph, selector)
        was_text = _one(graph, position, OAX.start) if position is not None else None
        was = int(was_text) if was_text is not None else None
        starts = find_spans(text, exact)
        fitting = [(s, e) for s, e in starts if _flat(text[max(0, s - 2 * len(prefix) - 8):s])
                   .endswith(_flat(prefix)) and _flat(text[e:e + 2 * len(suffix) + 8])
                   .startswith(_flat(suffix))]
        if len(fitting) == 1:
            start, end = fitting[0]
            status = "anchored" if was in (None, start) else "moved"
            statuses.append(QuoteStatus(selector, exact, status, start, end, was))
            continue
        if not starts:
            reason = "its words are not in the source any more"
        elif not fitting:
            reason = (f"its words occur {len(starts)} time(s) but the text around them changed; "
                      "check the passage and quote it again")
        else:
            reason = f"{len(fitting)} places match its words and context"
        statuses.append(QuoteStatus(selector, exact, "orphaned", None, None, was, reason))
    return statuses


def rewrite_selectors(graph: Graph, statuses: list[QuoteStatus], source: SourceText) -> int:
    """Update, in place, the selectors of the anchored and moved quotes, and the checksum.

    Returns:
        How many selectors were updated (orphaned quotes are left as they were).

    Example:
        >>> g = Graph().parse(format="turtle", data='''
        ...   @prefix oa: <http://www.w3.org/ns/oa#> .
        ...   <urn:q-text> a oa:TextQuoteSelector ; oa:exact "met Orin" .''')
        >>> source = SourceText("Then Ada met Orin.", "")
        >>> rewrite_selectors(g, reanchor(g, source), source)
        1
        >>> int(g.value(URIRef("urn:q-position"), OAX.start))
        9
    """
    text, changed = source.text, 0
    for status in statuses:
        if status.start is None:
            continue
        anchor = Anchor.span(text, status.start, status.end or status.start)
        selector = status.selector
        position = _position_of(graph, selector)
        if position is None:
            position = URIRef(str(selector).removesuffix("-text") + "-position")
            graph.add((selector, OAX.refinedBy, position))
            graph.add((position, RDF.type, OAX.TextPositionSelector))
        for subject, predicate, value in ((selector, OAX.prefix, anchor.prefix),
                                          (selector, OAX.suffix, anchor.suffix),
                                          (position, OAX.start, anchor.start),
                                          (position, OAX.end, anchor.end)):
            graph.set((subject, predicate, Literal(value)))
        graph.set((selector, OAX.exact, Literal(anchor.exact)))
        changed += 1
    for checksum in graph.subjects(RDF.type, SPDX.Checksum):
        graph.set((checksum, SPDX.checksumValue, Literal(source.sha256, datatype=XSD.hexBinary)))
    return changed


def _quads(graph: Graph) -> list[tuple[Any, Any, Any, None]]:
    return [(s, p, o, None) for s, p, o in canonical_triples(graph)]


#: How ``--write`` writes a graph back, by the format it was read in: the bytes
#: ``her-graph export`` writes in that format (Turtle: as ``her-graph compile`` does).
_WRITERS: dict[str, Callable[[Graph], bytes]] = {
    "turtle": lambda graph: story_turtle(graph).encode("utf-8"),
    "ntriples": lambda graph: ntriples_bytes(canonical_triples(graph)),
    "nquads": lambda graph: nquads_bytes(_quads(graph)),
    "trig": lambda graph: trig_bytes(_quads(graph), export_prefixes(graph)),
    "json-ld": lambda graph: jsonld_bytes(canonical_triples(graph), export_prefixes(graph)),
}


def _writer(path: Path) -> Callable[[Graph], bytes]:
    """How to write ``path`` back in its own format, or a usage error for one that cannot be
    written faithfully (RDF/XML, N3: rdflib's writers of them are neither complete nor
    stable)."""
    fmt = format_for(path)
    writer = _WRITERS.get(fmt.name)
    if writer is None:
        raise UsageError(f"{path}: --write cannot rewrite {fmt.label} faithfully (nothing was "
                         f"written); convert it first (her-graph export -g {path} --format ttl "
                         f"-o {path.with_suffix('.ttl')}) and anchor that")
    return writer


def anchor_story(story: str | os.PathLike[str], source: str | os.PathLike[str], *,
                 write: bool = False) -> list[QuoteStatus]:
    """Re-anchor the quotes of the story graph file ``story`` in ``source``.

    With ``write=True`` the file's selectors are rewritten (atomically, in the file's own
    format: Turtle, N-Triples, N-Quads, TriG or JSON-LD) for the quotes that anchored or moved;
    the file is left alone otherwise.

    Raises:
        UsageError: ``write=True`` for a format that cannot be written back faithfully
            (RDF/XML, N3), or ``source`` is the graph file itself.

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "s.txt").write_text("Ada first met Orin.")
        >>> _ = (folder / "g.ttl").write_text('''
        ...   @prefix oa: <http://www.w3.org/ns/oa#> .
        ...   <urn:q> a oa:TextQuoteSelector ; oa:exact "met Orin" .''')
        >>> [(s.status, s.start) for s in anchor_story(folder / "g.ttl", folder / "s.txt")]
        [('anchored', 10)]
    """
    path = Path(story)
    writer = _writer(path) if write else None
    if writer is not None:
        refuse_same_file(path, {"the source text": Path(source)},
                         "give the source text you edited with --source")
    graph = parse_one_graph(path, "anchoring (it rewrites the story as one graph)")
    text = read_source(Path(source))
    statuses = reanchor(graph, text)
    if writer is not None and rewrite_selectors(graph, statuses, text):
        write_atomic(path, writer(graph))
    return statuses
