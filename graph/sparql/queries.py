"""The named-query library: SPARQL files with a header that says what they answer.

Each ``.rq`` file opens with ``#`` comment lines. The first paragraph describes what the query
answers; lines of the form ``# @param NAME (KIND): description`` declare its parameters. KIND
says how a value given by a user becomes an RDF term:

- ``character``, ``event``, ``theme``: a name, label or IRI, resolved in the graph;
- ``resource``: any labelled node, by name, label or IRI;
- ``iri``: a full IRI or a prefixed name (``her:Theodore``);
- ``string``, ``integer``: a literal.

The values are bound with rdflib's ``initBindings`` (or the store's equivalent), never pasted
into the query text.

A column made by ``GROUP_CONCAT`` (the evidence quotes of a claim, the participants of an event)
lists its items in an order SPARQL leaves to each store, so :meth:`NamedQuery.normalize` sorts
the items of every such column of a named query: the same question gives the same answer on
every store. (An item that itself contains the separator is split there too; the separators in
use, a line break and ``", "``, do not occur in quotes or names.)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import QueryLibraryError, UnknownQueryError
from .results import Rows

PARAM_KINDS = ("character", "event", "theme", "resource", "iri", "string", "integer")

_PARAM_LINE = re.compile(
    r"^@param\s+(?P<name>[A-Za-z_]\w*)\s*\((?P<kind>\w+)\)\s*:?\s*(?P<doc>.*)$")
_GROUP_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?[?$]\w+\s*"
    r"""(?:;\s*SEPARATOR\s*=\s*(?P<separator>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))?\s*\)"""
    r"\s*AS\s+[?$](?P<column>\w+)",
    re.IGNORECASE,
)
_STRING_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


@lru_cache(maxsize=256)
def list_columns(text: str) -> dict[str, str]:
    """The columns a query builds with ``GROUP_CONCAT``, each with its separator.

    >>> list_columns('SELECT (GROUP_CONCAT(DISTINCT ?q; SEPARATOR="\\n") AS ?evidence) {}')
    {'evidence': '\\n'}
    """
    found = {}
    for match in _GROUP_CONCAT.finditer(text):
        quoted = match["separator"]
        separator = " " if quoted is None else re.sub(
            r"\\(.)", lambda m: _STRING_ESCAPES.get(m.group(1), m.group(1)), quoted[1:-1])
        found[match["column"]] = separator
    return found


@dataclass(frozen=True)
class Param:
    """One parameter of a named query.

    Example:
        >>> import graph
        >>> param = graph.load().queries["influencers_of"].params[0]
        >>> param.name, param.kind
        ('character', 'character')
    """

    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query from the library, with its description and parameters.

    Example:
        >>> import graph
        >>> query = graph.load().queries["influencers_of"]
        >>> query.name, [p.name for p in query.params]
        ('influencers_of', ['character'])
    """

    name: str
    path: Path
    text: str
    description: str
    params: tuple[Param, ...]
    _prepared: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def summary(self) -> str:
        """The first sentence of the description."""
        return self.description.split("\n", 1)[0]

    @classmethod
    def from_file(cls, path: Path) -> NamedQuery:
        """Read a query file and its header.

        Raises:
            HerGraphError: the header declares a parameter of an unknown kind, or a parameter the
                query text never uses.
        """
        text = read_query_file(path)
        description_lines: list[str] = []
        params: list[Param] = []
        in_description = True
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            content = line[1:].strip()
            match = _PARAM_LINE.match(content)
            if match:
                kind = match["kind"]
                if kind not in PARAM_KINDS:
                    raise QueryLibraryError(
                        f"{path}: parameter {match['name']!r} has unknown kind {kind!r}; "
                        f"use one of {', '.join(PARAM_KINDS)}"
                    )
                if not re.search(rf"[?$]{match['name']}\b", text):
                    raise QueryLibraryError(
                        f"{path}: parameter {match['name']!r} is declared but the query never "
                        f"uses ?{match['name']}"
                    )
                params.append(Param(match["name"], kind, match["doc"].strip()))
                in_description = False
            elif not content:
                in_description = in_description and not description_lines
            elif in_description:
                description_lines.append(content)
        if not description_lines:
            raise QueryLibraryError(f"{path}: a named query must open with a comment saying what "
                                "it answers")
        return cls(
            name=path.stem,
            path=path,
            text=text,
            description=" ".join(description_lines),
            params=tuple(params),
        )

    def normalize(self, rows: Rows) -> Rows:
        """Sort the items of each ``GROUP_CONCAT`` column of ``rows`` (in place), and return them.

        SPARQL leaves the order of those items to the store; sorted, they are the same on every
        store.
        """
        for column, separator in list_columns(self.text).items():
            if column not in rows.columns:
                continue
            for row in rows:
                value = row.get(column)
                if isinstance(value, str) and separator and separator in value:
                    row[column] = separator.join(sorted(value.split(separator)))
        return rows

    def usage(self) -> str:
        """One line: the name and its parameters, e.g. ``influencers_of(character)``."""
        return f"{self.name}({', '.join(p.name for p in self.params)})"


class QueryLibrary(Mapping[str, NamedQuery]):
    """The named queries a graph can run, by name: ``kg.queries["influencers_of"]``.

    The bundled queries come from ``data/queries``; :meth:`add_directory` adds a user's own.

    Example:
        >>> from graph.read.bundled import data_dir
        >>> library = QueryLibrary([data_dir() / "queries"])
        >>> "themes_by_act" in library, library["themes_by_act"].params
        (True, ())
    """

    def __init__(self, directories: list[Path] | None = None):
        self._queries: dict[str, NamedQuery] = {}
        for directory in directories or []:
            self.add_directory(directory)

    def add_directory(self, directory: str | os.PathLike[str]) -> None:
        """Add every ``*.rq`` file of ``directory``; a later file replaces one of the same name."""
        directory = Path(directory)
        if not directory.is_dir():
            raise QueryLibraryError(f"{directory}: no such query directory")
        for path in sorted(directory.glob("*.rq")):  # each one checked by read_query_file
            query = NamedQuery.from_file(path)
            self._queries[query.name] = query

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise UnknownQueryError(name, self._queries) from None

    def __contains__(self, name: object) -> bool:
        # Mapping's default relies on KeyError, which __getitem__ turns into UnknownQueryError.
        return name in self._queries

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._queries))

    def __len__(self) -> int:
        return len(self._queries)

    def __repr__(self) -> str:
        lines = [f"{q.usage():<32} {q.summary}" for q in (self[n] for n in self)]
        return "\n".join(lines)


#: The longest query file read, in bytes: a query is text a person writes; a device such as
#: ``/dev/zero`` or an endless pipe would otherwise be read until memory runs out.
MAX_QUERY_BYTES = 8 << 20


def read_query_file(path: str | os.PathLike[str], *, limit: int = MAX_QUERY_BYTES) -> str:
    """The text of a query file, refusing what is not a regular file (a named pipe would block,
    a device never ends) or is longer than ``limit`` bytes.

    Raises:
        QueryLibraryError: the file is missing, not a regular file, too long, or not UTF-8.

    Example:
        >>> read_query_file("/dev/zero")
        Traceback (most recent call last):
        ...
        graph.errors.QueryLibraryError: /dev/zero: not a regular file (a pipe, a device or a ...
    """
    path = Path(path)
    if not path.exists():
        raise QueryLibraryError(f"{path}: no such file")
    if not path.is_file():
        raise QueryLibraryError(f"{path}: not a regular file (a pipe, a device or a socket); "
                                "save the query to a .rq file and pass that")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise QueryLibraryError(f"{path}: cannot read it ({error.strerror})") from None
    return decode_query(data, str(path), limit=limit)


def decode_query(data: bytes, where: str, *, limit: int = MAX_QUERY_BYTES) -> str:
    """``data`` (at most ``limit`` + 1 bytes read from ``where``) as query text.

    Example:
        >>> decode_query(b"ASK {}", "-")
        'ASK {}'
    """
    if len(data) > limit:
        raise QueryLibraryError(f"{where}: longer than {limit >> 20} MiB, which is not a query "
                                "a person wrote; pass a query file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryLibraryError(f"{where}: not UTF-8 text ({error.reason} at byte "
                                f"{error.start})") from None
