"""Giving each quote of a story file a node id and its place in the source text.

A quote used by several claims is one evidence node. Its id comes from the ``quotes:`` section
when that section holds the same words (or names the id), else from its first words
(``quote-ada-first-met-orin``). Each quote must occur in the source exactly once, or name which
occurrence it means (``occurrence: N``, or the ``prefix`` / ``suffix`` an annotation tool
recorded); otherwise a problem says what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .anchoring import Anchor, closest_passage, find_spans
from .fields import QuoteUse
from .problems import Problems
from .story import Story


@dataclass(frozen=True)
class QuoteNode:
    """One evidence node: its id, its words, and where they are in the source.

    Example:
        >>> QuoteNode("quote-met", Anchor.at("Ada met Orin", 4, "met")).anchor.end
        7
    """

    id: str
    anchor: Anchor


def quote_id(exact: str, taken: set[str]) -> str:
    """A readable, new id for a quote, from its first words.

    Example:
        >>> quote_id("Ada first met Orin by the lake", set())
        'quote-ada-first-met-orin-by-the'
        >>> quote_id("Ada first met Orin by the lake", {'quote-ada-first-met-orin-by-the'})
        'quote-ada-first-met-orin-by-the-2'
    """
    words = re.findall(r"[a-z0-9]+", exact.lower())[:6]
    stem = "quote-" + ("-".join(words) or "text")
    candidate, number = stem, 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}", number + 1
    return candidate


def _line_of(text: str, start: int) -> int:
    return text.count("\n", 0, start) + 1


def anchor_quotes(story: Story, text: str | None, problems: Problems
                  ) -> dict[tuple[str, int | None, str | None], QuoteNode]:
    """Anchor every quote the claims of ``story`` cite in ``text``.

    With ``text=None`` the quotes only get their ids (their anchors have no position: -1).

    Returns:
        For each quote use's ``(exact, occurrence, id)``, its :class:`QuoteNode`. Quotes that
        cannot be anchored are left out, each with a problem.

    Example:
        >>> from pathlib import Path
        >>> from graph.authoring.story import read_story
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("s.yaml")
        >>> story = read_story(parse_yaml("story: {title: T}\\nsource: {path: s.txt}\\n"
        ...     "characters: [{id: a, name: A, kind: ai, quote: met Orin}]\\n", problems),
        ...     Path("s.yaml"), problems)
        >>> nodes = anchor_quotes(story, "Ada met Orin", problems)
        >>> [(node.id, node.anchor.start) for node in nodes.values()]
        [('quote-met-orin', 4)]
    """
    library: dict[str, dict[str, object]] = {}
    by_words: dict[str, str] = {}
    for entry in story.sections.get("quotes", []):
        if isinstance(entry.get("exact"), str) and isinstance(entry.get("id"), str):
            library[entry["id"]] = {**entry, "line": entry.line}
            by_words.setdefault(entry["exact"], entry["id"])
    uses = [*story.quotes, *(use for claim in story.claims.values() for use in claim.quotes)]
    uses += [use for links in story.links.values() for link in links
             for use in link.claim.quotes]
    taken = set(library) | {use.id for use in uses if use.id}
    nodes: dict[tuple[str, int | None, str | None], QuoteNode] = {}
    by_key: dict[tuple[str, int | None], str] = {}
    anchored: dict[str, QuoteNode] = {}
    for use in sorted(uses, key=lambda u: u.line):
        key = (use.exact, use.occurrence, use.id)
        if key in nodes:
            continue
        ident = use.id or (by_words.get(use.exact) if use.occurrence is None else None) \
            or by_key.get((use.exact, use.occurrence))
        if ident is None:
            ident = quote_id(use.exact, taken)
            taken.add(ident)
        by_key.setdefault((use.exact, use.occurrence), ident)
        known = library.get(ident, {})
        if known and known.get("exact") != use.exact:
            problems.add(use.line, f"the quote id {ident!r} has other words in `quotes:` (line "
                                   f"{known['line']}): {known['exact']!r}")
            continue
        if ident in anchored:
            if anchored[ident].anchor.exact != use.exact:
                problems.add(use.line, f"the quote id {ident!r} is given to two different quotes")
            else:
                nodes[key] = anchored[ident]
            continue
        if text is None:
            anchored[ident] = nodes[key] = QuoteNode(ident, Anchor(use.exact, -1, -1, "", ""))
            continue
        occurrence = use.occurrence or known.get("occurrence")
        found = _locate(text, use, occurrence if isinstance(occurrence, int) else None,
                        str(known.get("prefix") or ""), str(known.get("suffix") or ""), problems)
        if found is not None:
            anchored[ident] = nodes[key] = QuoteNode(ident, Anchor.span(text, *found))
    return nodes


def _locate(text: str, use: QuoteUse, occurrence: int | None, prefix: str, suffix: str,
            problems: Problems) -> tuple[int, int] | None:
    spans = find_spans(text, use.exact)
    if not spans:
        near = closest_passage(text, use.exact)
        hint = f"; did you mean “{near}”?" if near else "; no passage of it is close"
        problems.add(use.line, f"quote not in the source: “{_short(use.exact)}”{hint}")
        return None
    if occurrence is not None:
        if occurrence > len(spans):
            problems.add(use.line, f"`occurrence: {occurrence}` but “{_short(use.exact)}” occurs "
                                   f"{len(spans)} time(s) in the source")
            return None
        return spans[occurrence - 1]
    if len(spans) > 1 and (prefix or suffix):
        fitting = [(s, e) for s, e in spans if text[:s].endswith(prefix)
                   and text[e:].startswith(suffix)]
        if len(fitting) == 1:
            return fitting[0]
    if len(spans) > 1:
        lines = ", ".join(str(_line_of(text, s)) for s, _ in spans)
        problems.add(use.line, f"quote found {len(spans)} times in the source (lines {lines}): "
                               f"“{_short(use.exact)}”; quote more words, or say which with "
                               "`occurrence: N` (quote: {exact: ..., occurrence: N})")
        return None
    return spans[0]


def _short(text: str, size: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1] + "…"
