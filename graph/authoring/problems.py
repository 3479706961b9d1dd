"""Problems found in a story file, collected so that one error can list them all.

Every check of the authoring format adds a :class:`Problem` (file, line, message) to a
:class:`Problems` list instead of raising at the first one; :meth:`Problems.raise_if_any` then
raises one :class:`~graph.errors.StoryFileError` naming each, one per line.
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import StoryFileError


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` hint for ``word`` among ``known``, or ``""``.

    Example:
        >>> did_you_mean("participnts", ["participants", "label"])
        " (did you mean 'participants'?)"
        >>> did_you_mean("zzz", ["label"])
        ''
    """
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Short(reprlib.Repr):
    """reprlib's bounded repr, also for the list and dict subclasses YAML values come in (which
    reprlib would otherwise repr whole, then cut)."""

    def repr1(self, x: object, level: int) -> str:
        if isinstance(x, list):
            return self.repr_list(x, level)
        if isinstance(x, dict):
            return self.repr_dict(x, level)
        return super().repr1(x, level)


_SHOWN = _Short()
_SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlist, _SHOWN.maxdict, _SHOWN.maxlevel = \
    80, 80, 4, 4, 2


def shown(value: object) -> str:
    """``repr(value)`` cut short: a value of the file, however big, fits in a message.

    Example:
        >>> shown("ada"), shown(["lol"] * 1000), shown([[["deep"]]])
        ("'ada'", "['lol', 'lol', 'lol', 'lol', ...]", '[[[...]]]')
    """
    return _SHOWN.repr(value)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem of a story file: where it is and what to do.

    Example:
        >>> print(Problem("story.yaml", 3, "unknown key 'nmae'"))
        story.yaml:3: unknown key 'nmae'
    """

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else \
            f"{self.file}: {self.message}"


@dataclass
class Problems:
    """The problems of one file, in the order of their lines.

    Example:
        >>> problems = Problems("story.yaml")
        >>> problems.add(4, "unknown id 'bob'")
        >>> problems.raise_if_any()
        Traceback (most recent call last):
            ...
        graph.errors.StoryFileError: story.yaml: 1 problem:
        story.yaml:4: unknown id 'bob'
    """

    file: str
    items: list[Problem] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        """Record a problem at ``line`` (1-based; 0 when the file as a whole is meant)."""
        problem = Problem(self.file, line, message)
        if problem not in self.items:
            self.items.append(problem)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Raise one :class:`StoryFileError` listing every problem, if there are any."""
        if self.items:
            raise StoryFileError(self.file, sorted(self.items))
