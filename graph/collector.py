"""Python's cyclic garbage collector, paused while large acyclic structures are built.

Building a projection, a page or an export makes millions of small objects (tuples, strings,
dicts) and no reference cycles. The collector's passes over them cost a third to a half of a
large build (measured in ``benchmarks/``) and find nothing to free; pausing it for the build
gives the same result sooner. One rule, used by the views, the pages and the exporters.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for a block that makes no cycles.

    It runs again afterwards, even if the block raised; a collector the caller had switched
    off stays off.

    Example:
        >>> import gc
        >>> with paused_gc():
        ...     paused = not gc.isenabled()
        >>> paused, gc.isenabled()
        (True, True)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
