"""A check of JSON-LD files before they are parsed: no nesting deep enough to crash the parser.

Oxigraph's JSON-LD parser recurses once per nested object or array. Measured here with
pyoxigraph 0.5: node objects nested 4,000 deep (a 136 KB file) kill the process with a stack
overflow (SIGSEGV, no message), and 10,000 deep take 2.7 GB before aborting; the parser's own
limit starts at 65,536. :func:`check_jsonld` reads the file once, a megabyte at a time, counts
the nesting of ``{`` and ``[`` outside strings, and refuses a file deeper than
:data:`MAX_JSON_DEPTH` with a :class:`~graph.errors.GraphLoadError` naming the file and line,
before Oxigraph sees it. JSON-LD written by tools rarely nests past 20.

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "deep.jsonld"
    >>> _ = path.write_text('{"@id": "https://e/a", "https://e/p": ' * 50 + '"x"' + "}" * 50)
    >>> check_jsonld(path, max_depth=20)
    Traceback (most recent call last):
    ...
    graph.errors.GraphLoadError: .../deep.jsonld:1: objects and arrays are nested more than 20 ...
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import GraphLoadError

#: The deepest nesting of JSON objects and arrays accepted (Oxigraph crashes near 4,000).
MAX_JSON_DEPTH = 1_000

_BLOCK = 1 << 20
# Outside a string: the characters that open or close a level, or start a string.
_STRUCTURE = re.compile(rb'[{}\[\]"]')
# Inside a string: its end, or an escape (which may hide a quote).
_IN_STRING = re.compile(rb'["\\]')


def check_jsonld(path: str | Path, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refuse a JSON(-LD) file whose objects and arrays nest deeper than ``max_depth``.

    Only the nesting is checked; whether the file is valid JSON-LD is the parser's job.

    Raises:
        GraphLoadError: the file nests too deep; the message names the file and the line.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "fine.jsonld"
        >>> _ = path.write_text('{"@id": "https://e/a", "https://e/p": "[{[{"}')
        >>> check_jsonld(path, max_depth=1)
    """
    path = Path(path)
    depth, line, in_string, escaped = 0, 1, False, False
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            position = 0
            if escaped:  # the escape of the previous block's last byte covers this one's first
                position, escaped = 1, False
            while position < len(block):
                if in_string:
                    found = _IN_STRING.search(block, position)
                    if found is None:
                        break
                    if found.group() == b"\\":
                        if found.end() >= len(block):
                            escaped = True
                        position = found.end() + 1
                        continue
                    in_string, position = False, found.end()
                    continue
                found = _STRUCTURE.search(block, position)
                if found is None:
                    break
                char, position = found.group(), found.end()
                if char == b'"':
                    in_string = True
                elif char in b"{[":
                    depth += 1
                    if depth > max_depth:
                        line += block.count(b"\n", 0, position)
                        raise GraphLoadError(
                            f"{path}:{line}: objects and arrays are nested more than "
                            f"{max_depth:,} deep, which her-graph refuses (the JSON-LD parser "
                            "would exhaust its stack); flatten the document (node objects "
                            "referring to each other by @id) or write the graph as Turtle",
                            path=str(path), line=line)
                else:
                    depth -= 1
            line += block.count(b"\n")
