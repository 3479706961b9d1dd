"""Keeping SPARQL offline: the clauses that would make a local engine reach the network.

Two SPARQL features fetch data while a query or update runs: ``SERVICE <url> { ... }`` sends
part of a query to another endpoint, and ``LOAD <url>`` downloads a document into the graph.
rdflib and Oxigraph both carry them out, from the machine running her-graph, so a query file
written by someone else could make a notebook contact any address (and tell it what the query
holds). her-graph works offline: :func:`check_offline` refuses them unless the caller allows
network access (``kg.query(..., allow_network=True)``, ``her-graph query --allow-network``).

A third, ``FROM <url>`` (``FROM NAMED``, an update's ``USING``), makes rdflib download a graph
it does not hold; the memory store turns that off
(:func:`graph.stores.backend.graphs_never_downloaded`), so such a graph is empty there, as on
Oxigraph, and needs no check here.

On the ``"sparql"`` store the server runs the query, so what it fetches is the server's
business; the check applies to the stores that run SPARQL in this process.

Example:
    >>> check_offline("SELECT * WHERE { ?s ?p ?o }")
    >>> check_offline("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: the query uses SERVICE <http://example.org/sparql>, which ...
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..errors import QueryError

# Cheap first look: most queries contain neither word and need no parse at all. A codepoint
# escape (``\\u0053ERVICE``) can spell either word: SPARQL expands escapes before parsing, and
# rdflib does, so text holding one is always parsed.
_KEYWORDS = re.compile(r"service|load|\\[uU]", re.IGNORECASE)
# For text rdflib cannot parse: drop comments, strings and IRIs, then look for the keywords.
_NOT_CODE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                       r"|'(?:[^'\\\n]|\\.)*'|<[^<>\s\"{}|^`\\]*>|#[^\n]*"
                       # variables and prefixed names such as ?load or ex:Service
                       r"|[?$]\w+|[\w-]*:[\w.-]*")
_CLAUSE = re.compile(r"\b(SERVICE|LOAD)\b", re.IGNORECASE)


def _walk(node: object) -> Iterator[Any]:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)  # type: ignore[arg-type]


def _describe(term: object) -> str:
    from rdflib import URIRef, Variable

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Variable):
        return f"?{term}"
    if getattr(term, "name", "") == "pname":  # a prefixed name, as the query wrote it
        parts = dict(term)  # type: ignore[call-overload]
        return f"{parts.get('prefix') or ''}:{parts.get('localname') or ''}"
    return str(term)


@lru_cache(maxsize=256)
def network_uses(text: str) -> tuple[str, ...]:
    """The clauses of the SPARQL ``text`` that would reach the network when it runs, such as
    ``("SERVICE <http://example.org/sparql>",)``; empty when there are none.

    ``LOAD`` of a ``file:`` IRI reads a local file and is not counted. The text is judged as
    the parser sees it: ``\\u0053ERVICE`` is ``SERVICE``.

    Example:
        >>> network_uses(r"SELECT * WHERE { \\u0053ERVICE <http://e.org/q> { ?s ?p ?o } }")
        ('SERVICE <http://e.org/q>',)
    """
    if not _KEYWORDS.search(text):
        return ()
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate

    try:
        tree: object = parseQuery(text)
    except Exception:  # pyparsing raises its own exception types
        try:
            tree = parseUpdate(text)
        except Exception:
            # Neither rdflib parse works (the store may still accept it): judge by the words,
            # as the parser would see them once the codepoint escapes are expanded.
            try:
                expanded = expandUnicodeEscapes(text)
            except ValueError:  # an escape of no character: no engine parses it
                expanded = text
            code = _NOT_CODE.sub(" ", expanded)
            return tuple(sorted({match.upper() for match in _CLAUSE.findall(code)}))
    found: list[str] = []
    for item in _walk(tree):
        name = getattr(item, "name", "")
        if name == "ServiceGraphPattern":
            found.append(f"SERVICE {_describe(item.get('term'))}")
        elif name == "Load" and not str(item.get("iri", "")).lower().startswith("file:"):
            found.append(f"LOAD {_describe(item.get('iri'))}")
    return tuple(sorted(set(found)))


def check_offline(text: str, *, what: str = "query") -> None:
    """Raise :class:`QueryError` if running the SPARQL ``text`` would reach the network.

    Args:
        text: a SPARQL query or update.
        what: ``"query"`` or ``"update"``, for the message.

    Example:
        >>> check_offline("LOAD <https://example.org/data.ttl>", what="update")
        Traceback (most recent call last):
        ...
        graph.errors.QueryError: the update uses LOAD <https://example.org/data.ttl>, which ...
    """
    uses = network_uses(text)
    if uses:
        raise QueryError(
            f"the {what} uses {', '.join(uses)}, which would fetch from the network while it "
            "runs; her-graph works offline, so it is refused: pass allow_network=True "
            "(`her-graph query --allow-network`) if you mean it")
