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

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..atomic import write_atomic
from ..errors import HerGraphError
from .anchoring import find_all, read_source
from .quotes import quote_id


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
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise HerGraphError(f"{path}: no such annotation file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise HerGraphError(f"{path}: not a JSON(-LD) annotation export ({error})") from None
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
    try:
        text = story.read_text(encoding="utf-8-sig")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as error:
        raise HerGraphError(f"{story}: cannot read the story file ({error})") from None
    source_path = (data.get("source") or {}).get("path") if isinstance(data, dict) else None
    if not isinstance(source_path, str):
        raise HerGraphError(f"{story}: the story file names no `source: path:`")
    source = read_source(story.parent / source_path).text
    existing = data.get("quotes") or []
    taken = {str(q.get("id")) for q in existing if isinstance(q, dict)}
    have = {str(q.get("exact")) for q in existing if isinstance(q, dict)}
    results: list[Highlight] = []
    added: list[dict[str, Any]] = []
    for highlight in read_annotations(annotations):
        if highlight.exact in have:
            results.append(Highlight(**{**highlight.__dict__, "status": "present"}))
            continue
        if not _anchors(source, highlight):
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
        write_atomic(story, _with_quotes(text, added, "quotes" in data).encode("utf-8"))
    return results


def _with_quotes(text: str, entries: list[dict[str, Any]], has_section: bool) -> str:
    block = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=100)
    lines = ["  " + line for line in block.splitlines()]
    if not has_section:
        heading = "\n\n# Imported from annotations, ready to cite from a claim.\nquotes:\n"
        return text.rstrip("\n") + heading + "\n".join(lines) + "\n"
    node = yaml.compose(text)
    for key, value in node.value:
        if key.value == "quotes":
            if not isinstance(value, yaml.SequenceNode) or value.flow_style:
                raise HerGraphError("write `quotes:` as a block list (one `- ` entry a line) "
                                    "to import annotations into it")
            indent = value.value[0].start_mark.column - 2 if value.value else 2
            lines = [" " * indent + line for line in block.splitlines()]
            last = value.value[-1].end_mark if value.value else value.end_mark
            cut = last.line if last.column == 0 else last.line + 1
            old = text.splitlines()
            return "\n".join([*old[:cut], *lines, *old[cut:]]) + "\n"
    raise HerGraphError("no top-level `quotes:` section found")
