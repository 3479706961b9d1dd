"""Finding a quote in its source text: positions, context and the closest passage.

Positions are offsets in **Unicode code points** of the source text as read: UTF-8, a leading
byte-order mark stripped, newlines kept exactly as in the file (no ``\\r\\n`` translation). So
``text[start:end] == exact`` in Python for the text :func:`read_source` returns. The checksum
is the SHA-256 of the file's bytes, exactly as on disk.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceTextError

#: How many characters of prefix and suffix a selector records.
CONTEXT = 32


@dataclass(frozen=True)
class SourceText:
    """A source text as the selectors count it, with the checksum of its bytes.

    Example:
        >>> source = SourceText.from_bytes(b"\\xef\\xbb\\xbfAda met Orin.")
        >>> source.text, source.sha256[:12]
        ('Ada met Orin.', '3571cd31c0fa')
    """

    text: str
    sha256: str

    @classmethod
    def from_bytes(cls, data: bytes) -> SourceText:
        """Decode ``data`` as UTF-8 (a byte-order mark dropped, newlines untouched)."""
        text = data.decode("utf-8")
        return cls(text.removeprefix("\ufeff"), hashlib.sha256(data).hexdigest())


def read_source(path: str | Path) -> SourceText:
    """Read a source text file for anchoring.

    Raises:
        SourceTextError: the file is missing, unreadable or not UTF-8, or its name is not one
            a file can have.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.txt"
        >>> _ = path.write_bytes(b"one\\r\\ntwo")
        >>> read_source(path).text      # newlines as in the file
        'one\\r\\ntwo'
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceTextError(f"{path}: no such source text file") from None
    except OSError as error:
        raise SourceTextError(f"{path}: cannot read the source text ({error.strerror})") from None
    except ValueError:  # a NUL in the name, which no file system allows
        raise SourceTextError(f"{str(path)!r}: not a usable file name (it holds a NUL "
                              "character); name the source text file") from None
    try:
        return SourceText.from_bytes(data)
    except UnicodeDecodeError as error:
        raise SourceTextError(f"{path}: the source text is not UTF-8 ({error.reason} at byte "
                            f"{error.start})") from None


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in a source: ``text[start:end] == exact``, with its context.

    Example:
        >>> anchor = Anchor.at("Ada first met Orin by the lake.", 4, "first met")
        >>> anchor.start, anchor.end, anchor.prefix, anchor.suffix
        (4, 13, 'Ada ', ' Orin by the lake.')
    """

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str

    @classmethod
    def at(cls, text: str, start: int, exact: str, context: int = CONTEXT) -> Anchor:
        """The anchor of ``exact`` found at ``start`` in ``text``."""
        return cls.span(text, start, start + len(exact), context)

    @classmethod
    def span(cls, text: str, start: int, end: int, context: int = CONTEXT) -> Anchor:
        """The anchor of ``text[start:end]``, its words as the source has them."""
        return cls(text[start:end], start, end, text[max(0, start - context):start],
                   text[end:end + context])


def find_all(text: str, exact: str) -> list[int]:
    """Every start of ``exact`` in ``text`` (overlapping ones included), in order.

    Example:
        >>> find_all("a lamp, a lamp", "a lamp")
        [0, 8]
    """
    starts: list[int] = []
    if not exact:
        return starts
    start = text.find(exact)
    while start != -1:
        starts.append(start)
        start = text.find(exact, start + 1)
    return starts


def find_spans(text: str, quote: str) -> list[tuple[int, int]]:
    r"""Where ``quote`` stands in ``text``: its exact occurrences, or else those that differ
    only in white space (a quote typed on one line of a passage the source wraps).

    ``text[start:end]`` is then the source's own words, which the selector records as exact.

    Example:
        >>> find_spans("Ada first met\nOrin, and Orin", "met Orin")
        [(10, 18)]
    """
    spans = [(start, start + len(quote)) for start in find_all(text, quote)]
    words = quote.split()
    if spans or not words:
        return spans
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


_WORD_START = re.compile(r"(?<!\w)\w")


def closest_passage(text: str, quote: str, *, cutoff: float = 0.6) -> str | None:
    """The passage of ``text`` most like ``quote`` (for "did you mean"), or None.

    Windows of the quote's length, starting at each word, are compared with difflib's ratio;
    the best one at or above ``cutoff`` is returned, its end moved to fit the quote best.

    Example:
        >>> closest_passage("Ada first met Orin by the lake.", "Ada frist met Orin")
        'Ada first met Orin'
        >>> closest_passage("Ada first met Orin by the lake.", "a dragon") is None
        True
    """
    if not quote.strip() or not text:
        return None
    size = len(quote)
    best: tuple[float, int] = (0.0, -1)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    for match in _WORD_START.finditer(text):
        start = match.start()
        matcher.set_seq1(text[start:start + size + 2])
        if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
            continue
        ratio = matcher.ratio()
        if ratio > best[0]:
            best = (ratio, start)
    if best[0] < cutoff:
        return None
    # The end that makes the passage most like the quote (a few characters either way).
    start = best[1]
    ends = range(start + max(1, size - 4), min(len(text), start + size + 4) + 1)
    scored = []
    for end in ends:
        matcher.set_seq1(text[start:end])
        scored.append((-matcher.ratio(), end - start, end))
    end = min(scored)[2]
    return " ".join(text[start:end].split())
