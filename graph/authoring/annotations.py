"""Importing highlights from annotation tools (W3C Web Annotation JSON-LD) as story quotes.

Hypothesis and Recogito export annotations whose targets carry an ``oa:TextQuoteSelector``
(exact words, with the prefix and suffix around them). :func:`read_annotations` reads them,
in any of the shapes those exports take: one annotation, a list, an ``AnnotationCollection`` or
``AnnotationPage`` (``items`` / ``first.items``), or Hypothesis's ``{"rows": [...]}``.
:func:`import_annotations` checks that each still anchors in the story's source (its words
and context found at exactly one place) and adds those that do to the story file's ``quotes:``
section, ready to cite from a claim (``quote: "the same words"``).
"""

from __future__ import annotations

import codecs
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..atomic import write_atomic
from ..errors import GraphLoadError, HerGraphError
from ..read.json_guard import check_jsonld
from .anchoring import find_all, read_source
from .paths import refuse_same_file
from .problems import Problems
from .quotes import quote_id
from .yamlfile import Mapping, Sequence, parse_yaml
from .yamlwrite import story_yaml

#: The deepest nesting of objects and arrays read from an annotation export (Hypothesis and
#: Recogito nest about six levels; Python's JSON reader recurses once per level).
MAX_ANNOTATION_DEPTH = 100


@dataclass(frozen=True)
class Highlight:
    """One quoted passage of an annotation, and what came of importing it.

    ``status`` is ``"added"``, ``"present"`` (the file already has these words),
    ``"orphaned"`` (not found, or found at several places with this context), or ``""``
    before the import.

    Example:
        >>> Highlight("met Orin", prefix="Ada first ").status
        ''
    """

    exact: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    annotation: str = ""
    status: str = ""
    id: str = ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _type_of(item: dict[str, Any]) -> list[str]:
    return [str(t).split(":")[-1].split("#")[-1] for t in _as_list(item.get("type") or
                                                                 item.get("@type"))]


def _annotations(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [a for item in data for a in _annotations(item)]
    if not isinstance(data, dict):
        return []
    if "rows" in data:  # Hypothesis API search results
        return _annotations(data["rows"])
    if "items" in data:
        return _annotations(data["items"])
    if isinstance(data.get("first"), dict):
        return _annotations(data["first"])
    return [data] if "target" in data else []


def _note(annotation: dict[str, Any]) -> str:
    texts = [str(annotation["text"])] if isinstance(annotation.get("text"), str) else []
    for body in _as_list(annotation.get("body")):
        if isinstance(body, dict) and isinstance(body.get("value"), str) \
                and body.get("purpose") != "tagging":
            texts.append(body["value"])
        elif isinstance(body, str):
            texts.append(body)
    return " ".join(t.strip() for t in texts if t.strip())


def read_annotations(path: str | os.PathLike[str]) -> list[Highlight]:
    """The quoted passages of a W3C Web Annotation JSON-LD export, in file order.

    Raises:
        HerGraphError: the file is missing or not JSON.

    Example:
        >>> import json, pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "notes.jsonld"
        >>> _ = path.write_text(json.dumps([{"type": "Annotation", "id": "urn:a1",
        ...     "body": [{"type": "TextualBody", "value": "their first meeting"}],
        ...     "target": {"source": "source.txt", "selector": [
        ...         {"type": "TextQuoteSelector", "exact": "Ada first met Orin",
        ...          "prefix": "night ", "suffix": ", a"}]}}]))
        >>> [(h.exact, h.note) for h in read_annotations(path)]
        [('Ada first met Orin', 'their first meeting')]
    """
    path = Path(path)
    try:
        check_jsonld(path, max_depth=MAX_ANNOTATION_DEPTH)
    except GraphLoadError as error:
        raise HerGraphError(f"{path}:{error.line}: objects and arrays are nested more than "
                            f"{MAX_ANNOTATION_DEPTH} deep, far more than an annotation export "
                            "needs (Hypothesis and Recogito nest a few levels); export the "
                            "annotations again") from None
    except FileNotFoundError:
        raise HerGraphError(f"{path}: no such annotation file") from None
    except OSError as error:
        raise HerGraphError(f"{path}: cannot read it ({error.strerror})") from None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise HerGraphError(f"{path}: no such annotation file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise HerGraphError(f"{path}: not a JSON(-LD) annotation export ({error})") from None
    except RecursionError:  # check_jsonld counts the nesting; this is the last guard
        raise HerGraphError(f"{path}: objects and arrays are nested too deep to read; an "
                            "annotation export nests a few levels") from None
    highlights: list[Highlight] = []
    for annotation in _annotations(data):
        for target in _as_list(annotation.get("target")):
            if not isinstance(target, dict):
                continue
            for selector in _as_list(target.get("selector")):
                if isinstance(selector, dict) and "TextQuoteSelector" in _type_of(selector) \
                        and isinstance(selector.get("exact"), str):
                    highlights.append(Highlight(
                        selector["exact"], str(selector.get("prefix") or ""),
                        str(selector.get("suffix") or ""), _note(annotation),
                        str(annotation.get("id") or annotation.get("@id") or "")))
    return highlights


def _anchors(text: str, highlight: Highlight) -> bool:
    starts = [s for s in find_all(text, highlight.exact)
              if text[:s].endswith(highlight.prefix)
              and text[s + len(highlight.exact):].startswith(highlight.suffix)]
    return len(starts) == 1


def import_annotations(annotations: str | os.PathLike[str], story: str | os.PathLike[str], *,
                       write: bool = True) -> list[Highlight]:
    """Add the highlights of an annotation export to a story file's ``quotes:`` section.

    Each highlight must still anchor in the story's source text (its words with their prefix
    and suffix, at exactly one place); those that do not are reported as ``orphaned`` and not
    added. The story file keeps its comments: the new entries are appended as text.

    Returns:
        Every highlight, with its status and the id it was given.

    Example:
        >>> import json, pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "source.txt").write_text("Ada first met Orin by the lake.")
        >>> _ = (folder / "story.yaml").write_text(
        ...     "story: {title: T}\\nsource: {path: source.txt}\\n")
        >>> _ = (folder / "notes.json").write_text(json.dumps({"type": "Annotation",
        ...     "target": {"selector": {"type": "TextQuoteSelector", "exact": "met Orin"}}}))
        >>> [(h.status, h.id) for h in import_annotations(folder / "notes.json",
        ...                                                 folder / "story.yaml")]
        [('added', 'quote-met-orin')]
    """
    story = Path(story)
    text, data, layout = _read_story_file(story)
    source = data.get("source")
    source_path = source.get("path") if isinstance(source, Mapping) else None
    if not isinstance(source_path, str):
        raise HerGraphError(f"{story}: the story file names no `source: path:`")
    if write:
        refuse_same_file(story, {"the story's source text": story.parent / source_path},
                         "name the source text in `source: path:`")
    text_of_source = read_source(story.parent / source_path).text
    quotes = data.get("quotes")
    existing: list[Any] = quotes if isinstance(quotes, Sequence) else []
    taken = {str(q.get("id")) for q in existing if isinstance(q, dict)}
    have = {str(q.get("exact")) for q in existing if isinstance(q, dict)}
    results: list[Highlight] = []
    added: list[dict[str, Any]] = []
    for highlight in read_annotations(annotations):
        if highlight.exact in have:
            results.append(Highlight(**{**highlight.__dict__, "status": "present"}))
            continue
        if not _anchors(text_of_source, highlight):
            results.append(Highlight(**{**highlight.__dict__, "status": "orphaned"}))
            continue
        ident = quote_id(highlight.exact, taken)
        taken.add(ident)
        have.add(highlight.exact)
        entry: dict[str, Any] = {"id": ident, "exact": highlight.exact}
        for key in ("prefix", "suffix", "note"):
            if getattr(highlight, key):
                entry[key] = getattr(highlight, key)
        added.append(entry)
        results.append(Highlight(**{**highlight.__dict__, "status": "added", "id": ident}))
    if added and write:
        edited = _checked(story, _with_quotes(text, added, "quotes" in data), len(existing), added)
        write_atomic(story, layout.encode(edited))
    return results


@dataclass(frozen=True)
class _Layout:
    """How a story file is written on disk, so that an edit keeps it: its line ends (Windows
    editors write CRLF) and whether it starts with a byte order mark."""

    newline: str = "\n"
    bom: bool = False

    @classmethod
    def of(cls, raw: bytes) -> _Layout:
        r"""The layout of a file's bytes; mixed line ends are written back as LF.

        >>> _Layout.of(b"a: 1\r\nb: 2\r\n"), _Layout.of(b"a: 1\r\nb: 2\n").newline
        (_Layout(newline='\r\n', bom=False), '\n')
        """
        crlf = raw.count(b"\r\n")
        return cls("\r\n" if crlf and crlf == raw.count(b"\n") else "\n",
                   raw.startswith(codecs.BOM_UTF8))

    def encode(self, text: str) -> bytes:
        """``text`` (with LF line ends) as the file's bytes."""
        body = text.replace("\n", self.newline) if self.newline != "\n" else text
        return (codecs.BOM_UTF8 if self.bom else b"") + body.encode("utf-8")


def _read_story_file(story: Path) -> tuple[str, Mapping, _Layout]:
    """The text of a story file (LF line ends), its YAML and its layout on disk, or the errors
    compile would give for it."""
    problems = Problems(str(story))
    layout = _Layout()
    try:
        raw = story.read_bytes()
        layout = _Layout.of(raw)
        text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        raise HerGraphError(f"{story}: no such story file") from None
    except UnicodeDecodeError as error:
        problems.add(0, f"the file is not UTF-8 ({error.reason} at byte {error.start})")
        text = ""
    except OSError as error:
        raise HerGraphError(f"{story}: cannot read the story file ({error.strerror})") from None
    data = parse_yaml(text, problems) if not problems else Mapping()
    problems.raise_if_any()
    return text, data, layout


def _checked(story: Path, text: str, before: int, added: list[dict[str, Any]]) -> str:
    """``text`` if it parses with the quotes it had and ``added`` after them, else an error
    (nothing is written): the layout of the file kept the new entries from fitting in."""
    problems = Problems(str(story))
    quotes = parse_yaml(text, problems).get("quotes")
    if problems or not isinstance(quotes, Sequence) or len(quotes) != before + len(added) \
            or [q.get("exact") if isinstance(q, Mapping) else None
                for q in quotes[before:]] != [entry["exact"] for entry in added]:
        raise HerGraphError(f"{story}: the new quotes do not fit in the file's `quotes:` list as "
                            "it is laid out (nothing was written); write `quotes:` as a block "
                            "list at the end of the file, or add them by hand")
    return text


def _entry_lines(entry: dict[str, Any], dash: int, content: int) -> list[str]:
    """The YAML lines of one list entry, its ``-`` at column ``dash`` and its keys at column
    ``content``: the layout of the entries already there."""
    content = max(content, dash + 2)
    block = story_yaml(entry).splitlines()
    first = " " * dash + "-" + " " * (content - dash - 1) + block[0]
    return [first, *(" " * content + line if line else "" for line in block[1:])]


def _with_quotes(text: str, entries: list[dict[str, Any]], has_section: bool) -> str:
    if not has_section:
        lines = [line for entry in entries for line in _entry_lines(entry, 2, 4)]
        heading = "\n\n# Imported from annotations, ready to cite from a claim.\nquotes:\n"
        return text.rstrip("\n") + heading + "\n".join(lines) + "\n"
    node = yaml.compose(text)
    for key, value in node.value:
        if key.value != "quotes":
            continue
        old = text.splitlines()
        if isinstance(value, yaml.ScalarNode) and value.value == "" and not value.style:
            # `quotes:` with nothing after it yet
            lines = [line for entry in entries for line in _entry_lines(entry, 2, 4)]
            cut = key.end_mark.line + 1
            return "\n".join([*old[:cut], *lines, *old[cut:]]) + "\n"
        if not isinstance(value, yaml.SequenceNode) or value.flow_style or not value.value:
            raise HerGraphError("write `quotes:` as a block list (one `- ` entry a line) "
                                "to import annotations into it")
        # The layout of the entries there: where their `-` stands, and where their keys do.
        dash, content = value.start_mark.column, value.value[0].start_mark.column
        lines = [line for entry in entries for line in _entry_lines(entry, dash, content)]
        last = value.value[-1].end_mark
        cut = last.line if last.column == 0 else last.line + 1
        return "\n".join([*old[:cut], *lines, *old[cut:]]) + "\n"
    raise HerGraphError("no top-level `quotes:` section found")
