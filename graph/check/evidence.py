"""Checking that every evidence quote really occurs in its source text.

A quote is found when it occurs in a source text once both are normalised for typographic quote
styles (curly and straight quotes, guillemets, primes) and whitespace (runs of spaces, tabs and
newlines). Nothing else is forgiven: case, dashes, spelling and punctuation must match.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceTextError

if TYPE_CHECKING:
    from ..stores.handle import StoryGraph

_QUOTE_STYLES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u2039": "'", "\u203a": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
})

_SOURCE_SUFFIXES = {".txt", ".md", ".text", ".html", ".htm"}

_QUOTES_QUERY = """
PREFIX hg: <https://w3id.org/her-graph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?selector ?quote ?claim ?claim_label WHERE {
    ?selector oa:exact ?quote .
    OPTIONAL {
        ?evidence oa:hasSelector ?selector .
        ?claim hg:evidence ?evidence .
        OPTIONAL { ?claim schema:name|rdfs:label|skos:prefLabel ?claim_label }
    }
}
"""


def normalize_quote(text: str) -> str:
    """Map typographic quotes to straight ones and collapse whitespace.

    >>> normalize_quote("“The heart’s  not\\nlike a box”")
    '"The heart\\'s not like a box"'
    """
    return " ".join(text.translate(_QUOTE_STYLES).split())


@dataclass(frozen=True)
class MissingQuote:
    """A quote not found in any source text, with the claims that rest on it.

    Example:
        >>> quote = MissingQuote("no such words", "her:quote-x", (("her:Amy", "Amy"),))
        >>> print(quote)
        quote not found in the source: “no such words” (supports her:Amy (Amy))
    """

    quote: str
    selector: str
    claims: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        if self.claims:
            supports = "; ".join(f"{iri} ({label})" if label else iri
                                 for iri, label in self.claims)
        else:
            supports = "no claim"
        return f"quote not found in the source: \u201c{self.quote}\u201d (supports {supports})"


@dataclass
class EvidenceReport:
    """The outcome of an evidence check.

    Example:
        >>> import graph, pathlib, tempfile
        >>> source = pathlib.Path(tempfile.mkdtemp()) / "article.txt"
        >>> _ = source.write_text("not the article", encoding="utf-8")
        >>> report = check_evidence(graph.load(), source)
        >>> report.ok, report.checked == len(report.missing)
        (False, True)
    """

    sources: list[str]
    checked: int = 0
    missing: list[MissingQuote] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every quote was found."""
        return not self.missing

    def __str__(self) -> str:
        head = (f"evidence: {self.checked} quotes checked against {len(self.sources)} source "
                f"text(s): {'all found' if self.ok else f'{len(self.missing)} not found'}")
        return "\n".join([head, *(f"  - {m}" for m in self.missing)])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        import html

        lines = [f"<p><b>Evidence</b>: {html.escape(str(self).splitlines()[0])}</p>"]
        if self.missing:
            rows = "".join(
                f"<tr><td>\u201c{html.escape(m.quote)}\u201d</td>"
                f"<td>{html.escape('; '.join(label or iri for iri, label in m.claims))}</td></tr>"
                for m in self.missing)
            lines.append(f"<table><thead><tr><th>quote not found</th><th>supports</th></tr>"
                         f"</thead><tbody>{rows}</tbody></table>")
        return "".join(lines)


def read_sources(sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
                 ) -> dict[str, str]:
    """Read source texts from files and directories (``.txt``, ``.md``, ``.html`` inside them).

    Raises:
        HerGraphError: a path does not exist or a directory holds no text files.

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_text("Once upon a time", encoding="utf-8")
        >>> list(read_sources(folder).values())
        ['Once upon a time']
    """
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    texts: dict[str, str] = {}
    for source in sources:
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in _SOURCE_SUFFIXES)
            if not files:
                raise SourceTextError(f"{path}: no source texts (.txt, .md, .html) in this folder")
        elif path.is_file():
            files = [path]
        elif path.exists():
            raise SourceTextError(f"{path}: not a regular file (a pipe, a device or a socket); "
                                "save the source text to a file and pass that")
        else:
            raise SourceTextError(f"{path}: no such source text file or folder")
        for file in files:
            try:
                texts[str(file)] = file.read_text(encoding="utf-8")
            except UnicodeDecodeError as error:
                raise SourceTextError(f"{file}: the source text is not UTF-8 ({error.reason} at "
                                    f"byte {error.start})") from None
            except OSError as error:
                raise SourceTextError(f"{file}: cannot read the source text "
                                    f"({error.strerror})") from None
    return texts


def check_evidence(
    kg: StoryGraph,
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> EvidenceReport:
    """Check that every ``oa:exact`` quote of ``kg`` occurs in one of the source texts.

    Args:
        kg: the graph whose quotes to check.
        sources: source text files, or folders of them.

    Returns:
        An :class:`EvidenceReport` listing each quote not found, with the claims it supports.

    Example:
        >>> import graph, pathlib, tempfile
        >>> source = pathlib.Path(tempfile.mkdtemp()) / "article.txt"
        >>> _ = source.write_text("He is morose and lonely.", encoding="utf-8")
        >>> report = check_evidence(graph.load(), source)
        >>> "He is morose and lonely" in {m.quote for m in report.missing}
        False
    """
    texts = read_sources(sources)
    haystacks = [normalize_quote(text) for text in texts.values()]
    claims_by_selector: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in kg.query(_QUOTES_QUERY):
        key = (str(row["selector"]), str(row["quote"]))
        claims = claims_by_selector.setdefault(key, set())
        if row["claim"] is not None:
            claims.add((kg.short(row["claim"]), str(row["claim_label"] or "")))
    report = EvidenceReport(sources=list(texts))
    for (selector, quote), claims in sorted(claims_by_selector.items()):
        report.checked += 1
        needle = normalize_quote(quote)
        if not needle or not any(needle in hay for hay in haystacks):
            # Keep one label per claim (the smallest), so the report is stable.
            best: dict[str, str] = {}
            for iri, label in sorted(claims):
                best.setdefault(iri, label)
            report.missing.append(
                MissingQuote(quote, kg.short(selector), tuple(sorted(best.items())))
            )
    return report
