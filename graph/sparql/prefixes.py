"""Prefixed names (``her:Theodore``) without trying every namespace for every IRI.

:func:`graph.sparql.values.short_iri` compares an IRI with each bound namespace in turn (and
rdflib's ``namespaces()`` makes a new ``URIRef`` for each one, each time): a page of a few hundred
nodes asked it some fifty thousand times. A :class:`PrefixIndex` holds the namespaces in a dict
by their text, grouped by length, so an IRI is looked up with one slice and one dict probe per
distinct namespace length (a handful), longest first, and remembers its answers.
:meth:`graph.KnowledgeGraph.short` keeps one index until the bindings change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


class PrefixIndex:
    """The namespaces of some prefix bindings, ready to shorten IRIs.

    Gives the same answers as :func:`graph.sparql.values.short_iri` over the same pairs: the
    longest namespace that covers the IRI and leaves a plain local name wins; of two prefixes
    bound to the same namespace, the first.

    Example:
        >>> index = PrefixIndex([("her", "https://w3id.org/her-graph/her/"),
        ...                      ("ex", "https://example.org/")])
        >>> index.short("https://w3id.org/her-graph/her/Theodore")
        'her:Theodore'
        >>> index.short("https://example.org/a/b")
        'https://example.org/a/b'
    """

    def __init__(self, namespaces: Iterable[tuple[str, Any]]):
        self._prefix: dict[str, str] = {}
        for prefix, namespace in namespaces:
            ns = str(namespace)
            if ns:
                self._prefix.setdefault(ns, str(prefix))
        self._lengths = sorted({len(ns) for ns in self._prefix}, reverse=True)
        self._known: dict[str, str] = {}

    def short(self, iri: str) -> str:
        """The prefixed name of ``iri``, or ``iri`` itself when no namespace covers it."""
        text = str(iri)
        known = self._known.get(text)
        if known is not None:
            return known
        found = text
        prefixes = self._prefix
        for length in self._lengths:
            if length < len(text):
                prefix = prefixes.get(text[:length])
                if prefix is not None and _LOCAL_NAME.match(text[length:]):
                    found = f"{prefix}:{text[length:]}"
                    break
        if len(self._known) < 100_000:
            self._known[text] = found
        return found
