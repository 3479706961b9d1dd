"""A time limit for pure-Python work (rdflib's SPARQL engine), usable in any thread."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import QueryTimeoutError

__all__ = ["time_limit"]


@contextmanager
def time_limit(seconds: float | None, what: str = "the query") -> Iterator[None]:
    """Stop the block with :class:`QueryTimeoutError` once it has run ``seconds``.

    It works by a trace function that checks the clock each time Python calls a function, so
    it interrupts Python code (all of rdflib's SPARQL engine) but not a single long call into C.
    Tracing costs time, so it is installed only when a limit is given.
    """
    if seconds is None:
        yield
        return
    if seconds <= 0:
        raise ValueError("a time limit must be a positive number of seconds")
    deadline = time.monotonic() + seconds
    previous = sys.gettrace()

    def check(frame: object, event: str, arg: object) -> None:
        if time.monotonic() > deadline:
            sys.settrace(previous)
            raise QueryTimeoutError(f"{what} ran longer than its {seconds:g} s time limit "
                                    "and was stopped; simplify it or raise the limit")
        return None

    sys.settrace(check)
    try:
        yield
    finally:
        sys.settrace(previous)
