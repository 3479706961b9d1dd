"""A time limit for pure-Python work (rdflib's SPARQL engine), usable in any thread.

A watchdog thread waits for the deadline, then raises an exception inside the thread doing the
work (CPython's ``PyThreadState_SetAsyncExc``), again every 50 ms until the work stops. The
exception it raises is a ``BaseException``, so the broad ``except Exception`` blocks of the code
being limited cannot swallow it; :class:`time_limit` turns it into a
:class:`~graph.errors.QueryTimeoutError` at its boundary. It interrupts Python code between any
two bytecodes, but not a single long call into C. It costs nothing while the work runs.

Why this, and why it is safe where it is used. It is used in one place: the memory store's
read-only ``query`` (:meth:`graph.stores.MemoryBackend.query`); ``update`` is never limited. A
SPARQL query in rdflib only reads the graph, so an interruption can leave an unfinished
generator or a half-built result (which is thrown away), never a half-updated graph: the triples,
their indexes and the namespace bindings are not written while a query runs. Nothing safer
exists for this engine: rdflib's evaluator has no cancellation hook or deadline to check; a
thread cannot be stopped from outside; ``signal.alarm`` works only in the main thread (a
notebook kernel, a web server's workers run queries elsewhere); and running the query in a
subprocess would copy the whole graph for every query. (The Oxigraph store needs none of
this: its query runs in a worker thread that stops reading rows once told; a SPARQL server gets
an HTTP deadline.) Do not wrap anything that writes in :class:`time_limit`.
"""

from __future__ import annotations

import ctypes
import threading
from types import TracebackType
from typing import Literal

from ..errors import QueryTimeoutError, UsageError

_RETRY_SECONDS = 0.05


class _Expired(BaseException):
    """Raised inside the limited thread when its time is up (never seen outside this module)."""


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Schedule ``exception`` in the thread ``thread_id`` (``None`` cancels a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None)


class time_limit:  # lower case: it reads like a function, ``with time_limit(5):``
    """Stop the block with :class:`QueryTimeoutError` once it has run ``seconds``.

    ``None`` means no limit.

    >>> def step():
    ...     return 1
    >>> with time_limit(0.05):
    ...     while True:
    ...         try:
    ...             step()
    ...         except Exception:  # a broad handler cannot swallow the time limit
    ...             pass
    Traceback (most recent call last):
    ...
    graph.errors.QueryTimeoutError: the query ran longer than its 0.05 s time limit ...
    """

    def __init__(self, seconds: float | None, what: str = "the query"):
        if seconds is not None and not seconds > 0:
            raise UsageError("a time limit must be a positive number of seconds")
        self.seconds = seconds
        self.message = (f"{what} ran longer than its {seconds:g} s time limit and was "
                        "stopped; simplify it or raise the limit") if seconds else ""
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._target = 0
        self._watchdog: threading.Thread | None = None

    def _watch(self) -> None:
        if self._done.wait(self.seconds):
            return
        while True:
            with self._lock:
                if self._done.is_set():
                    return
                _raise_in(self._target, _Expired)
            if self._done.wait(_RETRY_SECONDS):
                return

    def __enter__(self) -> time_limit:
        if self.seconds is not None:
            self._target = threading.get_ident()
            self._watchdog = threading.Thread(target=self._watch, daemon=True,
                                              name="her-graph time limit")
            self._watchdog.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> Literal[False]:
        if self._watchdog is None:
            return False
        expired = kind is not None and issubclass(kind, _Expired)
        while True:  # an _Expired may still land here, before the watchdog is stopped
            try:
                with self._lock:
                    self._done.set()
                    _raise_in(self._target, None)
                break
            except _Expired:
                expired = True
        self._watchdog.join()
        if expired:
            raise QueryTimeoutError(self.message) from None
        return False
