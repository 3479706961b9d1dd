"""Writing the graph to files: atomically, and byte-for-byte the same for the same input.

Every export goes through :func:`graph.atomic.write_atomic` (re-exported here), or
:func:`graph.atomic.write_files_atomic` for several files: the bytes are written beside the
target, flushed to disk, then renamed over it, so an interrupted run leaves the previous file
intact and never a half-written one, nor a temporary file. Several files (``csv``, a whole
build) are renamed into place only once every one is complete: all of them change, or none.

Exporters are chosen by name from :data:`EXPORTERS`, which is also where the CLI's ``--format``
choices and ``her-graph build``'s list of files come from:

========  ==============================  ============================================
name      files (for the stem ``her``)    what
========  ==============================  ============================================
ttl       ``her.ttl``                     Turtle, sorted, stable prefixes
nt        ``her.nt``                      N-Triples, one triple a line, sorted
nq        ``her.nq``                      N-Quads: the triples with their graph names
trig      ``her.trig``                    TriG: Turtle with named graphs
jsonld    ``her.jsonld``                  JSON-LD with a readable inline context
graphml   ``her.graphml``                 GraphML for Gephi, Cytoscape, yEd
gexf      ``her.gexf``                    GEXF 1.2 for Gephi
dynamic   ``her-dynamic.gexf``            the story as a dynamic GEXF (Gephi's timeline)
metrics   ``her-metrics.csv``             character metrics at the end of each act
csv       ``her-nodes.csv``, ``-edges``   node and edge lists
========  ==============================  ============================================

A graph with named graphs (``kg.graphs``; loaded from TriG, N-Quads or JSON-LD) keeps them in
N-Quads, TriG and JSON-LD, records them as a ``graph`` attribute in GraphML, GEXF and CSV, and
is refused by Turtle, N-Triples and the page, whose error names the format to use (see
:mod:`graph.export.datasets`); ``her-graph build`` then writes TriG and N-Quads in place of
Turtle and N-Triples, and no page. N-Quads and TriG are written by ``build`` only for such a
graph (for one without named graphs they would repeat the N-Triples and the Turtle).

To add a format, add an :class:`Exporter` to :data:`EXPORTERS`: ``render(source) -> bytes`` for
one file (``stem + extension``), or ``render_files(source, stem) -> {file name: bytes}`` for
several, where ``source`` is an :class:`ExportSource`. Import
heavy libraries inside the function. Output must be the same bytes for the same graph: sort
what you write, and never write a date or a version.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from ..atomic import write_atomic, write_files_atomic
from ..collector import paused_gc
from ..errors import ExportError, UnknownExportFormatError, UsageError
from ..namespaces import PREFIXES
from .canonical import Quad, canonical_quads, nesting_depth
from .datasets import (
    csv_tables_with_graphs,
    jsonld_dataset_bytes,
    nquads_bytes,
    ntriples_bytes,
    record_graphs,
    refuse_named,
    shown_names,
    trig_bytes,
)
from .jsonld import jsonld_bytes
from .spreadsheet import csv_text
from .turtle import turtle_text

if TYPE_CHECKING:
    import networkx as nx

    from ..stores.handle import StoryGraph
    from .network import ResourceRows

_AUTO_PREFIX = re.compile(r"^(ns\d+|default\d*)$")
Triple = tuple[Node, Node, Node]


def stable_graph(graph: Graph) -> Graph:
    """A copy of ``graph`` with canonical blank node labels and the her-graph prefixes bound.

    Serialisations of it do not depend on how the graph was parsed or on hash seeds: blank
    nodes are labelled ``b0``, ``b1``, ... by :func:`graph.export.canonical.canonical_quads`
    (linear time for nested blank nodes; RDFC-1.0 for shared ones, within a limit).

    Raises:
        ExportError: the graph has more shared blank nodes than can be labelled in bounded time.

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> len(stable_graph(kg.rdf)) == len(kg.rdf)
        True
    """
    return _graph_of(canonical_triples(graph), export_prefixes(graph))


def canonical_triples(graph: Iterable[Triple]) -> list[Triple]:
    """The triples of ``graph`` with canonical blank node labels (see :func:`stable_graph`), in
    no particular order.

    Example:
        >>> from rdflib import BNode, URIRef
        >>> e = URIRef("https://e/p")
        >>> canonical_triples([(URIRef("https://e/s"), e, BNode())])[0][2]
        rdflib.term.BNode('b0')
    """
    triples = list(graph)
    if any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in triples):
        return [quad[:3] for quad in canonical_quads((s, p, o, None) for s, p, o in triples)]
    return triples


def export_prefixes(graph: Graph | NamespaceManager) -> dict[str, str]:
    """Prefix -> namespace an export may use: her-graph's, then those bound in ``graph`` (a
    graph or a namespace manager) that neither clash with them nor were made up by a parser
    (``ns1``, ``default1``).

    Example:
        >>> import graph
        >>> export_prefixes(graph.load().rdf)["her"]
        'https://w3id.org/her-graph/her/'
    """
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    taken = set(prefixes.values())
    for prefix, namespace in sorted(graph.namespaces()):
        if prefix not in prefixes and not _AUTO_PREFIX.match(prefix) and namespace not in taken:
            prefixes[prefix] = str(namespace)
            taken.add(str(namespace))
    return prefixes


def _graph_of(triples: Iterable[Triple], prefixes: dict[str, str]) -> Graph:
    out = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes.items():
        out.bind(prefix, namespace)
    for triple in triples:
        out.add(triple)
    return out


class ExportSource:
    """What the exporters of one graph read: the graph, and what several of them derive from it
    (the canonical triples and the prefixes, the resource network's rows), computed once per
    export run and then reused.

    :func:`export_all` makes one for all its formats; :func:`render` and :func:`export_files` one
    each. Nothing is kept beyond it.

    Example:
        >>> import graph
        >>> source = ExportSource(graph.load())
        >>> source.triples is source.triples
        True
    """

    def __init__(self, kg: StoryGraph):
        self.kg = kg
        self._triples: list[Triple] | None = None
        self._prefixes: dict[str, str] | None = None
        self._stable: Graph | None = None
        self._rows: ResourceRows | None = None
        self._network: nx.MultiDiGraph | None = None
        self._names: list[Node] | None = None
        self._quads: list[Quad] | None = None

    @property
    def names(self) -> list[Node]:
        """The names of the graph's named graphs (``kg.graphs``), empty for most graphs."""
        if self._names is None:
            self._names = self.kg.backend.graph_names()
        return self._names

    @property
    def quads(self) -> list[Quad]:
        """Every triple with its graph name (``None``: the default graph), blank nodes with
        canonical labels computed over the quads."""
        if self._quads is None:
            quads = list(self.kg.backend.quads())
            if any(isinstance(term, BNode) for quad in quads for term in quad):
                quads = canonical_quads(quads)
            self._quads = quads
        return self._quads

    @property
    def triples(self) -> list[Triple]:
        """:func:`canonical_triples` of the graph, in no particular order (with named graphs,
        their union, blank nodes labelled as in :attr:`quads`)."""
        if self._triples is None:
            if self.names:
                self._triples = list(dict.fromkeys((s, p, o) for s, p, o, _ in self.quads))
            else:
                self._triples = canonical_triples(self.kg.rdf)
        return self._triples

    @property
    def prefixes(self) -> dict[str, str]:
        """:func:`export_prefixes` of the graph: the prefixes the RDF exports may write."""
        if self._prefixes is None:
            self._prefixes = export_prefixes(
                self.kg.backend.namespace_manager if self.names else self.kg.rdf)
        return self._prefixes

    @property
    def stable(self) -> Graph:
        """:func:`stable_graph` of the graph's triples (with named graphs, their union, blank
        nodes labelled as in :attr:`quads`)."""
        if self._stable is None:
            self._stable = _graph_of(self.triples, self.prefixes)
        return self._stable

    @property
    def rows(self) -> ResourceRows:
        """The resource network of :attr:`triples` as rows (see
        :mod:`graph.export.network`), what the GraphML, GEXF and CSV writers read."""
        from .network import resource_rows  # lazy: start-up time (the network module)

        if self._rows is None:
            self._rows = resource_rows(self.triples, self.prefixes)
        return self._rows

    @property
    def network(self) -> nx.MultiDiGraph:
        """The resource network (see :mod:`graph.export.network`) of :attr:`triples` as a
        networkx graph; with named graphs, its nodes and links say which graphs hold them
        (``graph``)."""
        import networkx as nx  # lazy: start-up time

        if self._network is None:
            self._network = nx.MultiDiGraph()
            self._network.add_nodes_from(self.rows.nodes)
            edges: list[Any] = self.rows.edges  # (u, v, key, data); the stubs leave it out
            self._network.add_edges_from(edges)
            if self.names:
                record_graphs(self._network, self.quads, self.stable)
        return self._network


#: The deepest nesting of blank nodes the Turtle export writes as ``[ ... ]`` (rdflib's
#: writer recurses once per level; 300 exhausted Python's stack).
MAX_TURTLE_NESTING = 100


def _turtle(source: ExportSource) -> bytes:
    if source.names:
        raise refuse_named("Turtle", source.names, "TriG (--format trig) or N-Quads (--format nq)")
    depth = nesting_depth(source.triples)
    if depth > MAX_TURTLE_NESTING:
        raise ExportError(
            f"blank nodes are nested {depth:,} deep, more than the {MAX_TURTLE_NESTING} the "
            "Turtle export writes as [ ... ]; export as JSON-LD (--format jsonld), or give "
            "the nested nodes IRIs")
    return turtle_text(source.triples, source.prefixes).encode("utf-8")


def _ntriples(source: ExportSource) -> bytes:
    if source.names:
        raise refuse_named("N-Triples", source.names,
                           "N-Quads (--format nq) or TriG (--format trig)")
    return ntriples_bytes(source.triples)


def _nquads(source: ExportSource) -> bytes:
    return nquads_bytes(source.quads if source.names else
                        ((s, p, o, None) for s, p, o in source.triples))


def _trig(source: ExportSource) -> bytes:
    return trig_bytes(source.quads if source.names else
                      ((s, p, o, None) for s, p, o in source.triples), source.prefixes)


def _jsonld(source: ExportSource) -> bytes:
    if source.names:
        return jsonld_dataset_bytes(source.quads, source.prefixes)
    return jsonld_bytes(source.triples, source.prefixes)


def _graphml(source: ExportSource) -> bytes:
    from .network import graphml_bytes  # lazy: start-up time (networkx)

    return graphml_bytes(source.network if source.names else source.rows)


def _gexf(source: ExportSource) -> bytes:
    from .network import gexf_bytes  # lazy: start-up time (networkx)

    return gexf_bytes(source.network if source.names else source.rows)


def _dynamic_gexf(source: ExportSource) -> bytes:

    from ..views.story_time import story_time  # lazy: start-up time (networkx)
    from .dynamic_gexf import dynamic_gexf  # lazy: start-up time (networkx)

    return dynamic_gexf(story_time(source.kg.backend.patterns()))


def _metrics_csv(source: ExportSource) -> bytes:

    from ..analysis.story_metrics import metrics_rows  # lazy: start-up time (networkx)

    rows = metrics_rows(source.kg, view="cooccurrence", by="act", of="characters")
    return csv_text(rows.columns, ([_cell(row[c]) for c in rows.columns] for row in rows)
                    ).encode("utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return format(round(value, 6), "g") if value == value else ""
    return "" if value is None else value


def _csv_files(source: ExportSource, stem: str) -> dict[str, bytes]:
    from .network import csv_tables  # lazy: start-up time (networkx)

    nodes, edges = (csv_tables_with_graphs(source.network) if source.names
                    else csv_tables(source.rows))
    return {f"{stem}-nodes.csv": nodes, f"{stem}-edges.csv": edges}


def _one_graph_page(source: ExportSource) -> None:
    """Refuse the page for a graph with named graphs: it draws one graph."""
    if source.names:
        count = len(source.names)
        raise ExportError(
            f"the page draws one graph, and this graph has {count:,} named "
            f"graph{'s' if count != 1 else ''} ({shown_names(source.names)}): drawing it "
            "would merge them; export the network with its graph names as GraphML, GEXF or "
            "CSV (--format graphml), or draw the union on purpose with kg.to_html(path)")


# The pages her-graph build writes go through pyvis (issue 17): the Network of to_pyvis, rendered
# by pyvis's generate_html with the project's template. Importing pyvis (and with it IPython)
# costs the build about 0.2 s; page.network.render_page gives the same bytes without pyvis for
# the notebook display, but the files a user opens are pyvis's.
def _html(source: ExportSource) -> bytes:
    from ..page.html import render_html  # lazy: start-up time (jinja2, pyvis)

    _one_graph_page(source)
    return render_html(source.kg).encode("utf-8")


def _html_views(source: ExportSource, stem: str) -> dict[str, bytes]:
    from ..page.html import VIEW_PAGES, render_html  # lazy: start-up time (jinja2, pyvis)

    _one_graph_page(source)
    return {f"{stem}{VIEW_PAGES[view]}.html": render_html(source.kg, view=view).encode("utf-8")
            for view in VIEW_PAGES if view != "story"}


@dataclass(frozen=True)
class Exporter:
    """One export format.

    Attributes:
        name: what ``format=`` and ``--format`` call it.
        extension: the file name ending, with its dot.
        description: one line for ``--help`` and listings.
        render: ``render(source) -> bytes`` (an :class:`ExportSource`) for a format that
            writes one file.
        render_files: ``render_files(source, stem) -> {file name: bytes}`` for a format that
            writes several files (``render`` is then ``None``).
        built: when :func:`export_all` (``her-graph build``) writes it by default:
            ``"always"``; ``"without named graphs"`` for a format that refuses them (Turtle,
            N-Triples, the page); ``"with named graphs"`` for one only such a graph needs
            (N-Quads, TriG).

    Example:
        >>> ttl = exporter("ttl")
        >>> ttl.name, ttl.extension
        ('ttl', '.ttl')
    """

    name: str
    extension: str
    description: str
    render: Callable[[ExportSource], bytes] | None = None
    render_files: Callable[[ExportSource, str], dict[str, bytes]] | None = None
    built: str = "always"

    def built_for(self, source: ExportSource) -> bool:
        """Whether :func:`export_all` writes this format by default for ``source``."""
        if self.built == "always":
            return True
        return bool(source.names) == (self.built == "with named graphs")

    @property
    def single_file(self) -> bool:
        """True when the format is one file (which can also go to standard output)."""
        return self.render is not None

    def outputs(self, kg: StoryGraph | ExportSource, stem: str) -> dict[str, bytes]:
        """File name -> bytes of every file this format writes for ``stem``."""
        source = kg if isinstance(kg, ExportSource) else ExportSource(kg)
        with paused_gc():
            if self.render is not None:
                return {stem + self.extension: self.render(source)}
            if self.render_files is None:
                raise ExportError(f"exporter {self.name!r} has neither render nor render_files")
            return self.render_files(source, stem)


#: Format name -> exporter, in the order ``her-graph build`` writes them.
EXPORTERS: dict[str, Exporter] = {
    "ttl": Exporter("ttl", ".ttl", "Turtle, sorted, with stable prefixes", _turtle,
                    built="without named graphs"),
    "nt": Exporter("nt", ".nt", "N-Triples, one triple a line, sorted (for QLever, bulk loaders)",
                   _ntriples, built="without named graphs"),
    "nq": Exporter("nq", ".nq", "N-Quads: N-Triples with graph names, sorted", _nquads,
                   built="with named graphs"),
    "trig": Exporter("trig", ".trig", "TriG: Turtle with named graphs", _trig,
                     built="with named graphs"),
    "jsonld": Exporter("jsonld", ".jsonld", "JSON-LD with a readable inline context", _jsonld),
    "graphml": Exporter("graphml", ".graphml", "GraphML network for Gephi, Cytoscape, yEd",
                        _graphml),
    "gexf": Exporter("gexf", ".gexf", "GEXF network for Gephi", _gexf),
    "dynamic": Exporter("dynamic", "-dynamic.gexf",
                        "The story as a dynamic GEXF network, for Gephi's timeline", _dynamic_gexf),
    "metrics": Exporter("metrics", "-metrics.csv",
                        "Character metrics of the co-occurrence network at the end of each act",
                        _metrics_csv),
    "csv": Exporter("csv", ".csv", "CSV node and edge lists (STEM-nodes.csv, STEM-edges.csv)",
                    render_files=_csv_files),
    "html": Exporter("html", ".html", "Interactive page of the story, self-contained and offline",
                     _html, built="without named graphs"),
    "html-views": Exporter("html-views", ".html",
                           "One interactive page per view (STEM-influence.html, ...)",
                           render_files=_html_views, built="without named graphs"),
}


def exporter(format: str) -> Exporter:
    """The :class:`Exporter` named ``format``.

    Raises:
        ExportError: no exporter has this name (the message lists them).

    Example:
        >>> exporter("graphml").description[:7]
        'GraphML'
    """
    try:
        return EXPORTERS[format]
    except KeyError:
        raise UnknownExportFormatError(f"unknown export format {format!r}; formats: "
                                       f"{', '.join(EXPORTERS)}") from None


def render(kg: StoryGraph, format: str) -> bytes:
    """The bytes of ``kg`` in a one-file ``format`` (see :data:`EXPORTERS`).

    Example:
        >>> import graph
        >>> render(graph.load(), "ttl").startswith(b"PREFIX")
        True
    """
    chosen = exporter(format)
    if chosen.render is None:
        raise ExportError(f"format {format!r} writes several files; use export_files(kg, "
                          "folder, format, stem=...)")
    with paused_gc():
        return chosen.render(ExportSource(kg))


def format_of(path: str | os.PathLike[str]) -> str | None:
    """The export format whose extension ends ``path``'s name (in any case), or None.

    The longest extension wins: ``her-dynamic.gexf`` is ``dynamic``, ``her.gexf`` ``gexf``.

    Example:
        >>> format_of("exports/HER.TTL"), format_of("her-dynamic.gexf"), format_of("notes.txt")
        ('ttl', 'dynamic', None)
    """
    name = Path(path).name.lower()
    matches = [e for e in EXPORTERS.values() if name.endswith(e.extension.lower())]
    return max(matches, key=lambda e: len(e.extension)).name if matches else None


def _format_of(path: Path) -> str:
    found = format_of(path)
    if found is None:
        raise UnknownExportFormatError(f"{path}: cannot tell the export format from the "
                                       f"extension; pass format= (one of {', '.join(EXPORTERS)})")
    return found


def refuse_replacing(path: str | os.PathLike[str], keep: Iterable[str | os.PathLike[str]]) -> None:
    """Raise :class:`~graph.errors.UsageError` if writing ``path`` would replace one of the
    files ``keep`` (the same file: by another name, a link or a hard link too).

    Example:
        >>> import pathlib, tempfile
        >>> story = pathlib.Path(tempfile.mkdtemp()) / "story.ttl"
        >>> _ = story.write_text("# my notes", encoding="utf-8")
        >>> link = story.with_name("latest.ttl")
        >>> link.symlink_to(story)
        >>> refuse_replacing(link, [story])
        Traceback (most recent call last):
            ...
        graph.errors.UsageError: ...latest.ttl: is the graph being exported (...story.ttl)...
    """
    for kept in keep:
        try:
            same = os.path.samefile(path, kept)
        except OSError:  # one of them does not exist: not the same file
            same = False
        if same:
            also = "" if os.path.normpath(path) == os.path.normpath(kept) else f" ({kept})"
            raise UsageError(f"{path}: is the graph being exported{also}, and writing the "
                             "export there would replace it; write to another folder or under "
                             "another name")


def export(kg: StoryGraph, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write ``kg`` to ``path`` atomically, in ``format`` or the one its extension names.

    For a format that writes several files (``csv``), use :func:`export_files`.

    Raises:
        ExportError: unknown format, a several-file format, or a path that cannot be written.

    Example:
        >>> import graph, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> export(graph.load(), folder / "her.graphml").name
        'her.graphml'
    """
    path = Path(path)
    return write_atomic(path, render(kg, format or _format_of(path)))


def _check_stem(stem: str) -> None:
    if not stem or "/" in stem or os.sep in stem or stem in (".", ".."):
        raise ExportError(f"{stem!r} is not a file name stem; give a plain name such as 'her'")


def _files_of(source: StoryGraph | ExportSource, folder: Path, chosen: Exporter, stem: str,
              keep: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, bytes]]:
    """The files ``chosen`` writes for ``stem`` into ``folder``, in name order; a
    :class:`~graph.errors.UsageError` if one would replace a file of ``keep``."""
    outputs = chosen.outputs(source, stem)
    files = [(folder / name, outputs[name]) for name in sorted(outputs)]
    for path, _data in files:
        refuse_replacing(path, keep)
    return files


def export_files(kg: StoryGraph | ExportSource, folder: str | os.PathLike[str], format: str, *,
                 stem: str = "her", keep: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Write ``kg`` in ``format`` into ``folder``, naming the files after ``stem``.

    The files are written all or nothing (:func:`graph.atomic.write_files_atomic`): if one
    cannot be written, none changes.

    Args:
        kg: the graph.
        folder: where to write.
        format: the name of the format (see :data:`EXPORTERS`).
        stem: the start of every file name.
        keep: files never to replace, such as the graph's own file: if the export would
            write one, nothing is written and :class:`~graph.errors.UsageError` is raised.

    Returns:
        The paths written, in name order.

    Example:
        >>> import graph, tempfile
        >>> [p.name for p in export_files(graph.load(), tempfile.mkdtemp(), "csv")]
        ['her-edges.csv', 'her-nodes.csv']
    """
    _check_stem(stem)
    keep = tuple(keep)
    return write_files_atomic(_files_of(kg, Path(folder), exporter(format), stem, keep))


def export_all(kg: StoryGraph, folder: str | os.PathLike[str], *, stem: str = "her",
               formats: Iterable[str] | None = None,
               progress: Callable[[Exporter, list[Path]], None] | None = None,
               keep: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Write ``kg`` in every format of :data:`EXPORTERS` (or ``formats``) into ``folder``.

    The folder is created if missing. The files are written all or nothing
    (:func:`graph.atomic.write_files_atomic`): each format is written to new files as it is
    rendered, and only once every one is complete are they renamed over the previous
    exports, so an error or an interrupt on the way (a full disk, a graph a format refuses)
    leaves the previous exports as they were. By default the formats that fit the graph
    (:attr:`Exporter.built`): for a graph with named graphs, TriG and N-Quads in place of
    Turtle and N-Triples, and no page.

    Args:
        kg: the graph.
        folder: where to write.
        stem: the start of every file name (``her`` gives ``her.ttl``, ``her-nodes.csv``, ...).
        formats: the format names to write, in order; all of them by default.
        progress: called after each format is rendered, with its exporter and the paths it
            will write (none for a format left out because it does not fit the graph); the
            files are in place once :func:`export_all` returns. An exception it raises stops
            the export, and nothing is written.
        keep: files never to replace, such as the graph's own file: if an export would write
            one, nothing is written and :class:`~graph.errors.UsageError` is raised.

    Returns:
        Every path written, in the order written.

    Example:
        >>> import graph, tempfile
        >>> [p.name for p in export_all(graph.load(), tempfile.mkdtemp(), formats=["ttl"])]
        ['her.ttl']
    """
    _check_stem(stem)
    chosen = [exporter(name) for name in (formats if formats is not None else EXPORTERS)]
    source = ExportSource(kg)  # the canonical graph and the network: once for every format
    folder = Path(folder)
    keep = tuple(keep)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{folder}: cannot create the output folder "
                          f"({error.strerror})") from None

    def files() -> Iterator[tuple[Path, bytes]]:
        for each in chosen:
            if formats is None and not each.built_for(source):
                if progress is not None:
                    progress(each, [])
                continue
            written = _files_of(source, folder, each, stem, keep)
            if progress is not None:
                progress(each, [path for path, _data in written])
            yield from written

    return write_files_atomic(files())
