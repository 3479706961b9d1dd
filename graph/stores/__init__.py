"""Where the triples live: the Backend contract, the memory, Oxigraph and SPARQL-server stores,
the SPARQL protocol client and a local Oxigraph server.

>>> from graph.stores import Backend, MemoryBackend
>>> issubclass(MemoryBackend, Backend)
True
"""

from __future__ import annotations

from .backend import Backend, MemoryBackend

__all__ = ["Backend", "MemoryBackend"]
