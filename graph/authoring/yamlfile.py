"""Reading a story file: YAML with the line of every key and item, and strict keys.

PyYAML composes nodes that carry their line (``start_mark.line``); the loader here keeps those
lines on the mappings and lists it builds (:class:`Mapping` and :class:`Sequence`), so every
later check can name ``story.yaml:LINE``. Two YAML 1.1 surprises are switched off: only
``true`` / ``false`` are booleans (``on:``, ``yes``, ``no`` stay words, as in YAML 1.2), and a
key given twice is a problem, not a silent overwrite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems, did_you_mean, shown


class Mapping(dict[str, Any]):
    """A YAML mapping that knows its line, the line of each key, and the node of each scalar
    value (its text as written, its style and where it starts).

    Example:
        >>> data = parse_yaml("a: 017\\nb:\\n  c: 2\\n", Problems("s.yaml"))
        >>> data.line, data.key_line("b"), data["b"].line, data["a"], data.written("a")
        (1, 2, 3, 15, '017')
    """

    line: int = 0
    lines: dict[str, int]
    scalars: dict[str, yaml.ScalarNode]

    def key_line(self, key: str) -> int:
        """The 1-based line of ``key`` (the mapping's own line if it has no such key)."""
        return self.lines.get(key, self.line)

    def written(self, key: str) -> str | None:
        """The text of the scalar at ``key`` as the file writes it (``017``, not 15), if any."""
        node = getattr(self, "scalars", {}).get(key)
        return None if node is None else str(node.value)


class Sequence(list[Any]):
    """A YAML list that knows its line and the line of each item.

    Example:
        >>> parse_yaml("xs:\\n  - a\\n  - b\\n", Problems("s.yaml"))["xs"].item_line(1)
        3
    """

    line: int = 0
    lines: list[int]
    scalars: list[yaml.ScalarNode | None]

    def item_line(self, index: int) -> int:
        """The 1-based line of item ``index``."""
        return self.lines[index] if index < len(self.lines) else self.line

    def written(self, index: int) -> str | None:
        """The text of scalar item ``index`` as the file writes it (``007``, not 7), if any."""
        nodes = getattr(self, "scalars", [])
        node = nodes[index] if index < len(nodes) else None
        return None if node is None else str(node.value)


#: The deepest nesting of lists and mappings read: a story file nests about seven levels, and
#: PyYAML's composer recurses once per level (a few thousand exhaust Python's stack).
MAX_DEPTH = 100


class _TooDeep(yaml.MarkedYAMLError):
    """Lists or mappings nested deeper than :data:`MAX_DEPTH`."""


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, line-carrying containers and a nesting limit."""

    problems: Problems
    depth: int = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(problem=f"lists or mappings are nested more than {MAX_DEPTH} "
                                       "deep; a story file needs a few levels",
                               problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# YAML 1.2 booleans only: `on: ada` (an influence's target) must stay the key "on".
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false"
                                                                   r"|False|FALSE)$"),
                              list("tTfF"))


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.lines = {}
    result.scalars = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            loader.problems.add(line, f"a key must be a word, not {shown(key)}")
            key = shown(key)
        if key in result:
            loader.problems.add(line, f"the key {key!r} is given twice (first on line "
                                      f"{result.lines[key]})")
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
        if isinstance(value_node, yaml.ScalarNode):
            result.scalars[key] = value_node
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    result.scalars = [child if isinstance(child, yaml.ScalarNode) else None
                      for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def parse_yaml(text: str, problems: Problems) -> Mapping:
    """Parse a story file's text; a syntax error becomes a problem at its line.

    Returns:
        The top-level mapping (empty after a syntax error or when the file is not a mapping).

    Example:
        >>> problems = Problems("story.yaml")
        >>> parse_yaml("story: [unclosed\\n", problems)
        {}
        >>> print(problems.items[0])   # doctest: +ELLIPSIS
        story.yaml:2: YAML syntax error: ...
        >>> _ = parse_yaml("story:\\n  title: a\\x07b\\n", problems)
        >>> print(problems.items[1])   # doctest: +ELLIPSIS
        story.yaml:2: YAML syntax error: the character U+0007 (column 11) is not allowed ...
    """
    try:
        loader = _Loader(text)  # checks every character first: a ReaderError
    except yaml.reader.ReaderError as error:
        _unreadable_character(text, error, problems)
        return Mapping()
    loader.problems = problems
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        what = " ".join(filter(None, [error.context, error.problem]))
        problems.add(line, f"YAML syntax error: {' '.join(what.split())}")
        return Mapping()
    except yaml.reader.ReaderError as error:
        _unreadable_character(text, error, problems)
        return Mapping()
    except yaml.YAMLError as error:
        problems.add(0, f"YAML error: {' '.join(str(error).split())}")
        return Mapping()
    finally:
        loader.dispose()
    if data is None:
        problems.add(0, "the file is empty: a story file needs at least `story:` and `source:`")
        return Mapping()
    if not isinstance(data, Mapping):
        problems.add(1, "a story file is a mapping of sections (story:, source:, characters:, ...)")
        return Mapping()
    return data


def _unreadable_character(text: str, error: yaml.reader.ReaderError, problems: Problems) -> None:
    """A character YAML does not allow (a control character, U+FFFE, U+FFFF), at its line."""
    position = error.position if isinstance(error.position, int) else 0
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(text[position:][:1] or
                                                                          "\0")
    escape = f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}"
    problems.add(line, f"YAML syntax error: the character U+{code:04X} (column {column}) is not "
                       "allowed in a YAML file; remove it, or write it as the escape "
                       f"{escape} inside double quotes (\"...{escape}...\")")


def load_yaml(path: Path, problems: Problems) -> Mapping:
    """Read and parse the story file at ``path`` (UTF-8; a byte-order mark is ignored).

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.yaml"
        >>> _ = path.write_bytes(b"\\xef\\xbb\\xbfstory: {title: T}\\n")
        >>> load_yaml(path, Problems(str(path)))["story"]["title"]
        'T'
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        problems.add(0, f"the file is not UTF-8 ({error.reason} at byte {error.start})")
        return Mapping()
    return parse_yaml(text, problems)


def check_keys(item: Mapping, allowed: Iterable[str], what: str, problems: Problems) -> None:
    """Add a problem for each key of ``item`` not in ``allowed``, with a "did you mean".

    Example:
        >>> problems = Problems("story.yaml")
        >>> check_keys(parse_yaml("nmae: Ada\\n", problems), ["name", "id"], "a character",
        ...            problems)
        >>> print(problems.items[0])
        story.yaml:1: unknown key 'nmae' in a character (did you mean 'name'?); known keys: id, name
    """
    known = sorted(allowed)
    for key in item:
        if key not in known:
            problems.add(item.key_line(key), f"unknown key {key!r} in {what}"
                                             f"{did_you_mean(key, known)}; known keys: "
                                             f"{', '.join(known)}")
