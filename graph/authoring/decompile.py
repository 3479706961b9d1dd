"""Decompiling: a graph in the her-graph model back into a story file, to edit in the format.

:func:`decompile` writes every character, act, event, relationship, influence, theme and
quote as a story-file entry, and keeps everything else the graph holds as ``extra_turtle:``,
so that compiling the result gives back the same graph apart from the selectors the compiler
adds (prefix, suffix, positions and the source checksum). It checks that before returning:
an entry the compiler would write differently from the graph is kept as Turtle instead.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, SKOS

from ..atomic import write_atomic
from ..errors import HerGraphError, StoryFileError
from ..namespaces import PREFIXES, SCHEMA
from ..read.parsing import parse_one_graph
from .compiler import Compiled, compile_file
from .extract import Extractor, Skip
from .paths import refuse_same_file
from .quotes import quote_id
from .spec import HGX, OAX, SCHEME_NAMES, SPDX, default_base, label_of
from .yamlwrite import YAML_UNSAFE, story_yaml


def _sorted(nodes: Iterable[Any]) -> list[Any]:
    """RDF terms in a stable order (by their text)."""
    return sorted(nodes, key=str)


_ANCHORING = {OAX.prefix, OAX.suffix, OAX.refinedBy, OAX.start, OAX.end, SPDX.checksum,
              SPDX.algorithm, SPDX.checksumValue}
_ANCHORING_TYPES = {OAX.TextPositionSelector, SPDX.Checksum}
_DEMOTABLE = ("characters", "acts", "events", "relationships", "influences", "themes",
              "concepts")
_HEADER = """\
# A story file of her-graph, decompiled from {name}.
# Compile it with `her-graph compile {stem}.yaml`; the format is described in the README
# ("Describe your own story"). Anything the format does not cover is kept under extra_turtle.
"""


def without_anchoring(graph: Graph) -> Graph:
    """``graph`` without the selectors the compiler adds: prefix, suffix, positions, checksum;
    the white space of each quote's exact words collapsed.

    Example:
        >>> from rdflib import Graph
        >>> g = Graph().parse(format="turtle", data='''@prefix oa: <http://www.w3.org/ns/oa#> .
        ...   <urn:q> oa:exact "words" ; oa:prefix "the " .''')
        >>> len(without_anchoring(g))
        1
    """
    out = Graph(bind_namespaces="none")
    for s, p, o in graph:
        if p in _ANCHORING or (p == RDF.type and o in _ANCHORING_TYPES):
            continue
        if p == OAX.exact and isinstance(o, Literal) and not o.language and not o.datatype:
            # The compiler writes a quote's white space as the source has it (a quote typed
            # on one line over a line break of the source): the same words.
            o = Literal(" ".join(str(o).split()))
        out.add((s, p, o))
    return out


def _work_and_base(graph: Graph) -> tuple[URIRef, str]:
    works = sorted(w for w in graph.subjects(RDF.type, SCHEMA.Movie) if isinstance(w, URIRef))
    if len(works) != 1:
        raise HerGraphError(f"decompile needs a graph of one work (one schema:Movie); this one "
                            f"has {len(works)}")
    text = str(works[0])
    cut = max(text.rfind("/"), text.rfind("#"))
    return works[0], text[:cut + 1]


def _entries(graph: Graph, work: URIRef, base: str) -> tuple[dict[str, Any], Extractor]:
    x = Extractor(graph, work, base)
    try:
        ident = x.ref(work)
    except Skip:
        raise HerGraphError(f"decompile cannot write this graph as a story file: the work's IRI "
                            f"<{work}> does not end in an id of the format (letters, digits, "
                            "'-', '_', '.' or '~')") from None
    data: dict[str, Any] = {"story": {"id": ident, "title": x.text(work, SCHEMA.name),
                                      "base": base}}
    x._put(data["story"], "description", x.text(work, SCHEMA.description))
    try:
        quotes = x.quote_texts(work)
    except Skip:
        quotes = []  # kept as extra Turtle
    if quotes:
        data["story"]["quote"] = quotes[0] if len(quotes) == 1 else quotes
    if not x.any_basis:
        data["story"]["basis"] = "none"
    sources = _sorted(set(graph.objects(None, OAX.hasSource))) or sorted(
        graph.subjects(SCHEMA.about, work))
    source: dict[str, Any] = {"path": "source.txt"}
    if sources:
        # A source not under the base has no id: the check below says what that changes.
        with contextlib.suppress(Skip):
            source["id"] = x.ref(sources[0])
        x._put(source, "title", x.text(sources[0], SCHEMA.name))
        x._put(source, "description", x.text(sources[0], SCHEMA.description))
    data["source"] = source

    def each(section: str, nodes: list[Any], read: Any) -> None:
        entries = []
        for node in sorted(n for n in nodes if isinstance(n, URIRef)):
            try:
                entries.append(read(node))
            except Skip:
                continue
        if entries:
            data[section] = entries

    def typed(cls: URIRef) -> list[Any]:
        return list(graph.subjects(RDF.type, cls))

    each("characters", typed(HGX.HumanCharacter) + typed(HGX.AICharacter)
         + typed(HGX.CharacterGroup), x.character)
    each("acts", typed(HGX.Act), x.act)
    each("events", typed(HGX.StoryEvent), x.event)
    data.get("events", []).sort(key=lambda e: (e.get("position") or 0, e["id"]))
    each("relationships", typed(HGX.Relationship), x.relationship)
    each("influences", typed(PROV.Influence), x.influence)
    themes = URIRef(base + SCHEME_NAMES["themes"][0])
    each("themes", typed(HGX.Theme), lambda node: x.theme(node, themes))
    schemes: dict[str, str] = {}
    for name, (ident, _) in SCHEME_NAMES.items():
        label = x.text(URIRef(base + ident), SKOS.prefLabel)
        if label is not None:
            schemes[name] = label
    if schemes:
        data["schemes"] = schemes
    used = {str(e.get("type")) for e in data.get("events", [])} | {
        str(e.get("kind")) for e in data.get("relationships", [])}
    each("concepts", [URIRef(base + u) for u in used if ":" not in u], x.concept)
    data["quotes"] = [{"id": ident, "exact": exact} for ident, exact in sorted(x.quotes.items())]
    return data, x


def _compile(data: dict[str, Any], source: Path | None) -> Compiled:
    """Compile story-file data: anchored in ``source``, or unanchored when it is None."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.yaml"
        path.write_text(story_yaml(data), encoding="utf-8")
        try:
            return compile_file(path, source=source, anchor=source is not None)
        except StoryFileError as error:
            problems = "; ".join(str(getattr(p, "message", p)) for p in error.problems)
            raise HerGraphError("decompile cannot write this graph as a story file: "
                                + problems) from None


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the values the compiler would derive anyway (checked by the caller)."""
    story = data["story"]
    if story.get("base") == default_base(str(story.get("title"))):
        del story["base"]
    if story.get("id") == "story":
        del story["id"]
    if data["source"].get("id") == "source":
        del data["source"]["id"]
    for event in data.get("events", []):
        event.pop("position", None)
    for section, make in (("relationships", lambda e: "rel-" + "-".join(e["between"])),
                          ("influences", lambda e: f"influence-{e['from']}-on-{e['on']}")):
        for entry in data.get(section, []):
            if entry["id"] == make(entry):
                del entry["id"]
    for theme in data.get("themes", []):
        carriers = theme.get("carried_by", [])
        quotes = [c.get("quote") for c in carriers]
        if carriers and quotes[0] is not None and all(q == quotes[0] for q in quotes) \
                and "quote" not in theme:
            theme["quote"] = quotes[0]
            for carrier in carriers:
                del carrier["quote"]
        theme["carried_by"] = [c["carrier"] if list(c) == ["carrier"] else c for c in carriers]
        if not theme["carried_by"]:
            del theme["carried_by"]
    title = str(story.get("title"))
    schemes = data.get("schemes", {})
    for name in list(schemes):
        if schemes[name] == SCHEME_NAMES[name][1].format(title=title):
            del schemes[name]
    data["concepts"] = [c for c in data.get("concepts", [])
                        if c.get("label") != label_of(c["id"]) or "definition" in c]
    data["quotes"] = [q for q in data.get("quotes", []) if q["id"] != quote_id(q["exact"], set())]
    return {key: value for key, value in data.items() if value not in ([], {})}


def _written(compiled: Compiled) -> Graph:
    """The triples the entries of a compiled story write (not its extra Turtle), unanchored."""
    out = Graph(bind_namespaces="none")
    for triple, owners in compiled.owners.items():
        if owners != {("extra",)}:
            out.add(triple)
    return without_anchoring(out)


def _residual_turtle(graph: Graph, base: str) -> str:
    if not len(graph):
        return ""
    out = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    if base not in PREFIXES.values():
        out.bind("", base)
    for triple in graph:
        out.add(triple)
    text = out.serialize(format="longturtle")
    text = "\n".join(line for line in text.split("\n")
                     if not line.startswith("PREFIX ")).strip() + "\n"
    # Characters YAML reads as line breaks (U+0085, U+2028, U+2029) or refuses in a block
    # (control characters) are written as Turtle escapes: the same text once parsed.
    return YAML_UNSAFE.sub(_turtle_escape, text)


def _turtle_escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"


def decompile(graph: Graph, source: str | os.PathLike[str] | None = None, *,
              source_path: str = "source.txt") -> str:
    """The story file (YAML text) of a graph in the her-graph model.

    Args:
        graph: the story graph (one schema:Movie; its IRI's namespace is the story's base).
        source: the source text its quotes come from: if given, every quote must anchor in
            it (else the story file would not compile), which is checked.
        source_path: the ``source: path:`` to write into the story file.

    Raises:
        HerGraphError: the graph is not one story, or cannot be written in the format.

    Example:
        >>> import pathlib, tempfile
        >>> from graph.authoring import compile_story, new_story
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = new_story(folder)
        >>> text = decompile(compile_story(folder / "story.yaml"), folder / "source.txt")
        >>> print(text.split("characters:")[0].split("story:", 1)[1].strip())
        title: The Lamp and the Lake
          description: An invented story about a woman, a lake and a talking lamp.
        source:
          path: source.txt
          title: The Lamp and the Lake, a synopsis
    """
    original = without_anchoring(graph)
    work, base = _work_and_base(original)
    data, _ = _entries(original, work, base)
    # While entries are being checked, the whole graph stands in as extra Turtle, so that an
    # entry referring to one left out still compiles; only what the entries write is compared.
    data["extra_turtle"] = _residual_turtle(original, base)
    for _ in range(100):
        compiled = _compile(data, None)
        generated = _written(compiled)
        wrong = [t for t in generated if t not in original]
        if not wrong:
            break
        drop: set[tuple[str, int]] = set()
        for triple in wrong:
            for owner in compiled.owners.get(triple, set()):
                if owner[0] in _DEMOTABLE and len(owner) == 2 and owner[1].isdigit():
                    drop.add((owner[0], int(owner[1])))
                elif owner[0] == "concepts":
                    drop.add(("concepts", -1))
                elif owner != ("extra",):
                    raise HerGraphError(f"decompile cannot write this graph as a story file: "
                                        f"the format would add {triple} (from {owner})")
        for section, index in sorted(drop, reverse=True):
            if index >= 0:
                del data[section][index]
            else:
                data.pop("concepts", None)
    residual = Graph()
    for triple in original:
        if triple not in generated:
            residual.add(triple)
    data.pop("extra_turtle")
    for section in [key for key, value in data.items() if value == []]:
        del data[section]
    extra = _residual_turtle(residual, base)
    if extra:
        data["extra_turtle"] = extra
    compact = _compact(copy.deepcopy(data))
    if isomorphic(without_anchoring(_compile(compact, None).graph), original):
        data = compact
    elif not isomorphic(without_anchoring(_compile(data, None).graph), original):
        raise HerGraphError("decompile could not reproduce the graph (a bug in her-graph)")
    if source is not None:
        _compile(data, Path(source))  # every quote anchors in the source, or an error says not
    data["source"]["path"] = source_path
    return _HEADER.format(name=str(work), stem="story") + story_yaml(data)


def decompile_file(story: str | os.PathLike[str], output: str | os.PathLike[str],
                   source: str | os.PathLike[str] | None = None) -> Path:
    """Decompile the graph file ``story`` into the story file ``output`` (written atomically).

    The story file's ``source: path:`` is ``source`` relative to the output's folder (which
    is checked: every quote must anchor in it), or ``source.txt`` when it is not given.

    Raises:
        UsageError: ``output`` is the graph file or the source text (nothing is written).

    Example:
        >>> import pathlib, tempfile
        >>> from graph.authoring import new_story, write_story_graph
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = new_story(folder)
        >>> ttl = write_story_graph(folder / "story.yaml")
        >>> decompile_file(ttl, folder / "again.yaml", folder / "source.txt").name
        'again.yaml'
    """
    target = Path(output)
    refuse_same_file(target, {"the graph file": Path(story),
                              "the source text": Path(source) if source is not None else None},
                     "give the story file to write with -o")
    graph = parse_one_graph(story, "a story file")
    relative = "source.txt"
    if source is not None:
        try:
            relative = os.path.relpath(Path(source).resolve(), target.resolve().parent)
        except ValueError:
            relative = str(Path(source).resolve())
    text = decompile(graph, source, source_path=Path(relative).as_posix())
    return write_atomic(target, text.encode("utf-8"))
