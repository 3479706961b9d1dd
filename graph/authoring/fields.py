"""Reading typed values out of a story file's entries, recording a problem for each bad one.

Every reader takes the entry (a :class:`~graph.authoring.yamlfile.Mapping`), the key, and the
:class:`~graph.authoring.problems.Problems` to add to; it returns a usable value (or None) so
that checking goes on after a problem and one run reports them all.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from typing import Any

from .problems import Problems, did_you_mean
from .spec import BASES, ID_PATTERN, KEYS
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


def text(item: Mapping, key: str, problems: Problems, *, required: bool = False,
         what: str = "this entry") -> str | None:
    """The string at ``key`` (numbers are taken as their text), or None.

    Example:
        >>> from graph.authoring.yamlfile import parse_yaml
        >>> problems = Problems("s.yaml")
        >>> text(parse_yaml("title: 1984\\n", problems), "title", problems)
        '1984'
    """
    value = item.get(key)
    if value is None:
        if required:
            problems.add(item.line, f"{what} needs `{key}:`")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.add(item.key_line(key), f"`{key}:` must be text, not {_kind(value)}")
        return None
    value = str(value)
    if required and not value.strip():
        problems.add(item.key_line(key), f"`{key}:` is empty")
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
                                         f"not {value!r}")
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
        return [(value, line)]
    if not isinstance(value, Sequence):
        problems.add(line, f"`{key}:` must be an id or a list of ids, not {_kind(value)}")
        return []
    ids: list[tuple[str, int]] = []
    for index, entry in enumerate(value):
        if isinstance(entry, str | int) and not isinstance(entry, bool):
            ids.append((str(entry), value.item_line(index)))
        else:
            problems.add(value.item_line(index), f"`{key}:` lists ids, not {_kind(entry)}")
    return ids


def _quote_uses(item: Mapping, problems: Problems) -> list[QuoteUse]:
    value = item.get("quote")
    if value is None:
        return []
    entries = value if isinstance(value, Sequence) else [value]
    lines = value.lines if isinstance(value, Sequence) else [item.key_line("quote")]
    uses: list[QuoteUse] = []
    for entry, line in zip(entries, lines, strict=True):
        if isinstance(entry, str):
            uses.append(QuoteUse(entry, line))
        elif isinstance(entry, Mapping):
            check_keys(entry, KEYS["quote"], "a quote", problems)
            exact = text(entry, "exact", problems, required=True, what="a quote")
            if exact is not None:
                uses.append(QuoteUse(exact, entry.line, whole(entry, "occurrence", problems),
                                     read_id(entry, "id", problems)))
        else:
            problems.add(line, f"`quote:` must be the exact words (text), not {_kind(entry)}")
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
    return repr(value)
