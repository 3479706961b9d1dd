"""Reading typed values out of a story file's entries, recording a problem for each bad one.

Every reader takes the entry (a :class:`~graph.authoring.yamlfile.Mapping`), the key, and the
:class:`~graph.authoring.problems.Problems` to add to; it returns a usable value (or None) so
that checking goes on after a problem and one run reports them all.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .problems import Problems, did_you_mean, shown
from .spec import BASES, ID_PATTERN, KEYS, MAX_TERM_BYTES
from .yamlfile import Mapping, Sequence, check_keys


@dataclass(frozen=True)
class QuoteUse:
    """A quote a claim cites: the exact words, and which occurrence or node id, if given.

    Example:
        >>> QuoteUse("the lamp", line=3, occurrence=2).occurrence
        2
    """

    exact: str
    line: int
    occurrence: int | None = None
    id: str | None = None


@dataclass(frozen=True)
class Claim:
    """What every claim carries: its quotes and its epistemic status (None: the default).

    Example:
        >>> Claim((), "inferred", "the order is implied").basis
        'inferred'
    """

    quotes: tuple[QuoteUse, ...]
    basis: str | None
    basis_note: str | None


def too_long(value: str) -> str | None:
    """Why ``value`` is too long to be one RDF term (its size), or None when it is not.

    The loader's parser holds at most :data:`~graph.authoring.spec.MAX_TERM_BYTES` of one term
    as written in N-Triples (escapes included); a longer one would compile into a graph no
    command could read back.

    Example:
        >>> too_long("a lamp") is None
        True
    """
    if len(value) * 6 < MAX_TERM_BYTES:  # an escape writes one character as at most 6 bytes
        return None
    size = len(str(ox.Literal(value)).encode("utf-8"))
    if size <= MAX_TERM_BYTES:
        return None
    return (f"is {size / (1 << 20):.1f} MiB long, more than the {MAX_TERM_BYTES >> 20} MiB a "
            "graph file may hold in one text; keep texts that long in files of their own and "
            "link to them")


def text(item: Mapping, key: str, problems: Problems, *, required: bool = False,
         what: str = "this entry") -> str | None:
    """The string at ``key`` (a number is taken as the text the file writes), or None.

    Example:
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("s.yaml")
        >>> text(parse_yaml("title: 1984\\n", problems), "title", problems)
        '1984'
        >>> text(parse_yaml("title: 1.10\\n", problems), "title", problems)
        '1.10'
        >>> text(parse_yaml("label: [Winter]\\n", problems), "label", problems)
        >>> print(problems.items[-1])
        s.yaml:1: `label:` must be text, not a list
    """
    value = item.get(key)
    if value is None:
        if required:
            problems.add(item.line, f"{what} needs `{key}:`")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.add(item.key_line(key), f"`{key}:` must be text, not {_kind(value)}"
                                         f"{_quote_hint(value, item.written(key))}")
        return None
    if not isinstance(value, str):
        # YAML reads 017 as 15 and 1.10 as 1.1: the words are those the file writes.
        value = item.written(key) or str(value)
    if required and not value.strip():
        problems.add(item.key_line(key), f"`{key}:` is empty")
    reason = too_long(value)
    if reason is not None:
        problems.add(item.key_line(key), f"`{key}:` {reason}")
        return None
    return value


def whole(item: Mapping, key: str, problems: Problems) -> int | None:
    """The whole number at ``key`` (1 or more), or None.

    Example:
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("s.yaml")
        >>> whole(parse_yaml("number: 0\\n", problems), "number", problems), len(problems.items)
        (None, 1)
    """
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.add(item.key_line(key), f"`{key}:` must be a whole number of 1 or more, "
                                         f"not {_kind(value)}")
        return None
    return value


def choice(item: Mapping, key: str, options: MappingABC[str, Any], problems: Problems
           ) -> str | None:
    """The word at ``key`` if it is one of ``options``, else None (with a problem).

    Example:
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("s.yaml")
        >>> choice(parse_yaml("kind: humna\\n", problems), "kind", {"human": 1}, problems)
        >>> print(problems.items[0])
        s.yaml:1: `kind: humna` is not one of human (did you mean 'human'?)
    """
    value = text(item, key, problems)
    if value is None:
        return None
    if value not in options:
        problems.add(item.key_line(key), f"`{key}: {value}` is not one of "
                                         f"{', '.join(options)}{did_you_mean(value, options)}")
        return None
    return value


def read_id(item: Mapping, key: str, problems: Problems, *, required: bool = False,
            what: str = "this entry") -> str | None:
    """An id (letters, digits, ``-``, ``_``, ``.``, ``~``; it ends an IRI), or None.

    Example:
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("s.yaml")
        >>> read_id(parse_yaml("id: two words\\n", problems), "id", problems) is None
        True
    """
    value = text(item, key, problems, required=required, what=what)
    if value is not None and not ID_PATTERN.match(value):
        problems.add(item.key_line(key), f"`{key}: {value}` is not a usable id: use letters, "
                                         "digits, '-', '_', '.' or '~', starting with a letter "
                                         "or digit")
        return None
    return value


def id_list(item: Mapping, key: str, problems: Problems) -> list[tuple[str, int]]:
    """The ids at ``key`` (one id or a list of them), each with its line.

    Example:
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("s.yaml")
        >>> id_list(parse_yaml("between:\\n  - ada\\n  - orin\\n", problems), "between", problems)
        [('ada', 2), ('orin', 3)]
    """
    value = item.get(key)
    if value is None:
        return []
    line = item.key_line(key)
    if isinstance(value, str):
        reason = too_long(value)
        if reason is not None:
            problems.add(line, f"`{key}:` {reason}")
            return []
        return [(value, line)]
    if not isinstance(value, Sequence):
        problems.add(line, f"`{key}:` must be an id or a list of ids, not {_kind(value)}"
                           f"{_quote_hint(value, item.written(key))}")
        return []
    ids: list[tuple[str, int]] = []
    for index, entry in enumerate(value):
        reason = too_long(entry) if isinstance(entry, str) else None
        if reason is not None:
            problems.add(value.item_line(index), f"an entry of `{key}:` {reason}")
        elif isinstance(entry, str):
            ids.append((entry, value.item_line(index)))
        elif isinstance(entry, int) and not isinstance(entry, bool):
            ids.append((value.written(index) or str(entry), value.item_line(index)))
        else:
            problems.add(value.item_line(index), f"`{key}:` lists ids, not {_kind(entry)}"
                                                 f"{_quote_hint(entry, None)}")
    return ids


def _quote_uses(item: Mapping, problems: Problems) -> list[QuoteUse]:
    value = item.get("quote")
    if value is None:
        return []
    entries = value if isinstance(value, Sequence) else [value]
    lines = value.lines if isinstance(value, Sequence) else [item.key_line("quote")]
    uses: list[QuoteUse] = []
    written = None if isinstance(value, Sequence) else item.written("quote")
    for entry, line in zip(entries, lines, strict=True):
        if isinstance(entry, str | int | float) and not isinstance(entry, bool):
            words = entry if isinstance(entry, str) else written or str(entry)
            reason = too_long(words)
            if reason is None:
                uses.append(QuoteUse(words, line))
            else:
                problems.add(line, f"a quote {reason}")
        elif isinstance(entry, Mapping):
            check_keys(entry, KEYS["quote"], "a quote", problems)
            exact = text(entry, "exact", problems, required=True, what="a quote")
            if exact is not None:
                uses.append(QuoteUse(exact, entry.line, whole(entry, "occurrence", problems),
                                     read_id(entry, "id", problems)))
        else:
            problems.add(line, f"`quote:` must be the exact words (text), not {_kind(entry)}"
                               f"{_quote_hint(entry, written)}")
    for use in uses:
        if not use.exact.strip():
            problems.add(use.line, "a quote is empty: give the exact words of the source")
    return uses


def claim(item: Mapping, problems: Problems, *, needs_quote: bool = False,
          what: str = "this claim") -> Claim:
    """The quotes and the epistemic status of a claim.

    Example:
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("s.yaml")
        >>> found = claim(parse_yaml("quote: [a b, c d]\\nbasis: inferred\\n", problems), problems)
        >>> [q.exact for q in found.quotes], found.basis
        (['a b', 'c d'], 'inferred')
    """
    quotes = _quote_uses(item, problems)
    if needs_quote and not quotes:
        problems.add(item.line, f"{what} needs `quote:`, the exact words of the source that "
                                "support it")
    basis = choice(item, "basis", BASES, problems)
    note = text(item, "basis_note", problems)
    return Claim(tuple(quotes), basis, note)


def _kind(value: object) -> str:
    if isinstance(value, MappingABC):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, datetime.date):  # a datetime is a date too
        return f"the date {value.isoformat()}"
    return shown(value)


def _quote_hint(value: object, written: str | None) -> str:
    """For a word YAML reads as something else (true, a date), how to keep it as text."""
    if not isinstance(value, bool | datetime.date):
        return ""
    shown = written or (str(value).lower() if isinstance(value, bool) else str(value))
    return f"; write it in quotes (\"{shown}\") to keep it as text"
