"""The :class:`KnowledgeGraph`: one story graph, its store, its queries and its analyses."""

from __future__ import annotations

import os
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .errors import MissingParameterError, QueryError, UsageError
from .sparql.offline import check_offline
from .sparql.prefixes import PrefixIndex
from .sparql.queries import NamedQuery, QueryLibrary
from .sparql.resolve import KINDS, NameIndex, candidates_query
from .sparql.results import Rows
from .sparql.values import IRI, BlankNode, to_python, to_rdf
from .stores.backend import Backend

if TYPE_CHECKING:
    from pathlib import Path

    import networkx as nx
    from pyvis.network import Network as PyvisNetwork

    from .analysis.named import InfluenceAnalysis
    from .check.evidence import EvidenceReport
    from .check.shapes import ValidationReport
    from .page.notebook import InlineGraph
    from .views.story_time import StoryState, StoryTime

_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|\\^`]')

_COUNTS_QUERY = """
PREFIX hg: <https://w3id.org/her-graph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT
  (COUNT(DISTINCT ?character) AS ?characters)
  (COUNT(DISTINCT ?event) AS ?events)
  (COUNT(DISTINCT ?theme) AS ?themes)
  (COUNT(DISTINCT ?relationship) AS ?relationships)
  (COUNT(DISTINCT ?influence) AS ?influences)
WHERE {
  { ?character a ?class . VALUES ?class { hg:HumanCharacter hg:AICharacter } }
  UNION { ?event a hg:StoryEvent }
  UNION { ?theme a hg:Theme }
  UNION { ?relationship a hg:Relationship }
  UNION { ?influence a prov:Influence }
}
"""


class KnowledgeGraph:
    """A story graph: RDF triples in a store, with SPARQL, named queries and analyses.

    Make one with :func:`graph.load`. ``kg.rdf`` is the underlying :class:`rdflib.Graph`, so
    everything rdflib can do stays possible.

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> [row["name"] for row in kg.run("influencers_of", character="Theodore")]
        ['Amy', 'Catherine', 'Samantha', 'the operating systems']
    """

    def __init__(self, backend: Backend, *, sources: Iterable[str] = (),
                 queries: QueryLibrary | None = None):
        self._backend = backend
        self.sources: tuple[str, ...] = tuple(sources)
        self.queries: QueryLibrary = queries if queries is not None else QueryLibrary()
        self._indexes: dict[str, tuple[int, NameIndex]] = {}
        self._story_time: tuple[Hashable, StoryTime] | None = None
        self._influence: tuple[Hashable, InfluenceAnalysis] | None = None
        self._prefixes: tuple[tuple[Any, ...], PrefixIndex] | None = None

    # ----------------------------------------------------------------------------------------
    # The graph itself

    @property
    def rdf(self) -> Graph:
        """The underlying :class:`rdflib.Graph` (on the Oxigraph and SPARQL stores, a read-only
        copy made on first use: see :mod:`graph.stores.backend`)."""
        return self._backend.rdf

    @property
    def store(self) -> str:
        """The name of the store the triples live in (``"memory"``, ...)."""
        return self._backend.name

    @property
    def backend(self) -> Backend:
        """The store the triples live in."""
        return self._backend

    def __len__(self) -> int:
        return len(self._backend)

    @property
    def graphs(self) -> list[IRI | BlankNode]:
        """The names of the named graphs, sorted: IRIs (as :class:`~graph.IRI`) by IRI, then
        the blank node names a file may give (as :class:`~graph.sparql.values.BlankNode`).

        The default graph is not listed (it has no name); a graph loaded from Turtle, N-Triples
        or RDF/XML has none, so the list is empty. TriG, N-Quads and JSON-LD files keep their
        graph names on every store. Queries without ``GRAPH`` see the union of the default
        graph and every named graph (as do ``kg.rdf``, ``len(kg)``, the projections and the
        analyses); ``GRAPH ?g { ... }`` reaches one named graph. On ``store="sparql"``: the
        named graphs uploaded with the file, or given as ``graphs=``; else, without ``graph=``,
        every named graph the server holds (see :class:`graph.stores.remote.SparqlBackend`).

        Example:
            >>> import graph, pathlib, tempfile
            >>> trig = pathlib.Path(tempfile.mkdtemp()) / "letters.trig"
            >>> _ = trig.write_text('''PREFIX schema: <https://schema.org/>
            ... <https://e/theodore> schema:name "Theodore" .
            ... <https://e/letters/1> { <https://e/theodore> schema:knows <https://e/catherine> }
            ... ''', encoding="utf-8")
            >>> kg = graph.load(trig)
            >>> kg.graphs, len(kg)
            ([IRI('https://e/letters/1')], 2)
            >>> kg.query("SELECT ?g WHERE { GRAPH ?g { ?s schema:knows ?o } }").column("g")
            [IRI('https://e/letters/1')]
            >>> graph.load().graphs
            []
        """
        return [to_python(name) for name in self._backend.graph_names()]  # type: ignore[misc]

    def short(self, iri: str | Node) -> str:
        """The prefixed name of ``iri`` (``her:Theodore``) if a bound prefix covers it.

        >>> import graph
        >>> graph.load().short("https://w3id.org/her-graph/her/Theodore")
        'her:Theodore'
        """
        text = str(iri)
        if not isinstance(iri, URIRef | IRI) and not text.startswith(("http:", "https:", "urn:")):
            return text
        # One index per set of bindings, no namespace tried in turn for each IRI. The store's
        # own pairs (rdflib's NamespaceManager.namespaces() makes a URIRef of each, each time)
        # are the same objects while nothing is bound, so comparing them is cheap.
        bindings = tuple(self._backend.namespace_manager.store.namespaces())
        if self._prefixes is None or self._prefixes[0] != bindings:
            self._prefixes = (bindings, PrefixIndex(bindings))
        return self._prefixes[1].short(text)

    def expand(self, name: str) -> URIRef:
        """The IRI of a prefixed name (``her:Theodore``) or of a full IRI.

        Raises:
            QueryError: the prefix is unknown or the text is not a valid IRI.
        """
        text = name.strip()
        prefix, colon, local = text.partition(":")
        if colon and not local.startswith("//"):
            namespaces = dict(self._backend.namespace_manager.namespaces())
            if prefix in namespaces:
                text = str(namespaces[prefix]) + local
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", text) or _BAD_IRI_CHARS.search(text):
            raise QueryError(f"{name!r} is not an IRI: give a full IRI such as "
                             "https://w3id.org/her-graph/her/Theodore or a prefixed name such "
                             "as her:Theodore")
        return URIRef(text)

    # ----------------------------------------------------------------------------------------
    # SPARQL

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              timeout: float | None = None, allow_network: bool = False,
              **more_bindings: Any) -> Any:
        """Run a read-only SPARQL query, with values bound to its variables.

        Values are bound, never pasted into the query text (rdflib's ``initBindings``; on the
        Oxigraph and SPARQL stores a ``VALUES`` block of strictly written terms, see
        :mod:`graph.sparql.text`): a ``str`` binds as a string literal, an :class:`~graph.IRI`
        (or ``kg.resolve(...)``) as a resource, numbers, booleans and dates as typed literals.
        The prefixes of :data:`graph.namespaces.PREFIXES` need no ``PREFIX`` line.

        Args:
            sparql: a SELECT, ASK, CONSTRUCT or DESCRIBE query.
            bindings: variable name -> value (also accepted as keyword arguments).
            timeout: stop the query with :class:`~graph.errors.QueryTimeoutError` after this
                many seconds.
            allow_network: let ``SERVICE <url>`` fetch from the network; refused otherwise
                (her-graph works offline, see :mod:`graph.sparql.offline`).

        Returns:
            :class:`~graph.sparql.results.Rows` for SELECT, ``bool`` for ASK, an
            :class:`rdflib.Graph`
            for CONSTRUCT and DESCRIBE.

        Raises:
            QueryError: the query is invalid, is an UPDATE, would reach the network, or fails.

        Example:
            >>> import graph
            >>> kg = graph.load()
            >>> kg.query("SELECT ?n WHERE { ?c schema:name ?n }", c=kg.resolve("amy"))
            ... # doctest: +NORMALIZE_WHITESPACE
            n
            ---
            Amy
            (1 row)
        """
        values = {**(bindings or {}), **more_bindings}
        terms = {name.lstrip("?$"): to_rdf(value) for name, value in values.items()}
        if not allow_network and self._backend.runs_locally:
            check_offline(sparql)
        outcome = self._backend.query(sparql, terms, timeout=timeout)
        if outcome.kind == "SELECT":
            return Rows(
                outcome.columns,
                (dict(zip(outcome.columns, (to_python(t) for t in row), strict=True))
                 for row in outcome.rows),
                namespaces=self._backend.namespace_manager,
            )
        if outcome.kind == "ASK":
            return bool(outcome.boolean)
        return outcome.graph

    def update(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
               allow_network: bool = False, **more_bindings: Any) -> None:
        """Run a SPARQL UPDATE (INSERT, DELETE, ...): the one method that changes the graph.

        ``LOAD <url>`` (and ``SERVICE``) would fetch from the network: refused unless
        ``allow_network=True``.
        """
        values = {**(bindings or {}), **more_bindings}
        if not allow_network and self._backend.runs_locally:
            check_offline(sparql, what="update")
        self._backend.update(sparql, {k.lstrip("?$"): to_rdf(v) for k, v in values.items()})
        self._indexes.clear()
        self._story_time = None

    def run(self, name: str, *, timeout: float | None = None, allow_network: bool = False,
            **params: Any) -> Rows:
        """Run a named query from :attr:`queries` with its parameters.

        A ``character``, ``event`` or ``theme`` parameter accepts a name (any case), a label or
        an IRI; see :mod:`graph.sparql.queries` for the other kinds.

        Raises:
            UnknownQueryError: no query has this name (the message lists them).
            MissingParameterError: a parameter is missing or not one the query takes.
            UnknownNameError: a name matches nothing (the message lists the known names).

        Example:
            >>> import graph
            >>> kg = graph.load()
            >>> [row["name"] for row in kg.run("influencees_of", character="samantha")]
            ['Theodore']
        """
        query = self.queries[name]
        bindings = self._bind_params(query, params)
        return query.normalize(self.query(query.text, bindings, timeout=timeout,
                                          allow_network=allow_network))

    def _bind_params(self, query: NamedQuery, params: Mapping[str, Any]) -> dict[str, Node]:
        declared = {p.name: p for p in query.params}
        unknown = sorted(set(params) - set(declared))
        if unknown:
            takes = ", ".join(declared) or "no parameters"
            raise MissingParameterError(
                f"query {query.name!r} takes {takes}; it got unknown parameter(s) "
                f"{', '.join(unknown)}"
            )
        bindings: dict[str, Node] = {}
        for param in query.params:
            if param.name not in params or params[param.name] is None:
                raise MissingParameterError(
                    f"query {query.name!r} needs the parameter {param.name!r} ({param.kind}: "
                    f"{param.description}); e.g. kg.run({query.name!r}, {param.name}=...)"
                )
            bindings[param.name] = self._coerce(param.kind, params[param.name], param.name)
        return bindings

    def _coerce(self, kind: str, value: Any, name: str) -> Node:
        if kind in KINDS or kind == "resource":
            return URIRef(self.resolve(str(value), kind=kind))
        if kind == "iri":
            return value if isinstance(value, URIRef) else self.expand(str(value))
        if kind == "integer":
            try:
                return Literal(int(value))
            except (TypeError, ValueError):
                raise MissingParameterError(
                    f"parameter {name!r} must be a whole number, not {value!r}") from None
        return Literal(str(value))

    # ----------------------------------------------------------------------------------------
    # Names

    def _index(self, kind: str) -> NameIndex:
        if kind not in KINDS and kind != "resource":
            raise UsageError(f"unknown kind {kind!r}; use one of "
                             f"{', '.join([*KINDS, 'resource'])}")
        size = len(self)
        cached = self._indexes.get(kind)
        if cached is None or cached[0] != size:
            rows = self.query(candidates_query(kind))
            pairs = [(URIRef(r["node"]), None if r["label"] is None else str(r["label"]))
                     for r in rows if isinstance(r["node"], IRI)]
            cached = (size, NameIndex.build(kind, pairs))
            self._indexes[kind] = cached
        return cached[1]

    def resolve(self, name: str | Node, *, kind: str = "character") -> IRI:
        """The IRI of the character (or event, theme, resource) that ``name`` designates.

        Matching ignores case and extra whitespace, and accepts a name, a label, a local name,
        a full IRI or a prefixed name.

        Raises:
            UnknownNameError: nothing matches, or several things do; the message lists the
                known names.

        Example:
            >>> import graph
            >>> graph.load().resolve("THEODORE")
            IRI('https://w3id.org/her-graph/her/Theodore')
        """
        prefixes = {p: str(ns) for p, ns in self._backend.namespace_manager.namespaces()}
        return IRI(self._index(kind).resolve(str(name), expand=prefixes))

    def names(self, kind: str = "character") -> list[str]:
        """The names of every character (or event, theme), sorted."""
        return self._index(kind).known()

    # ----------------------------------------------------------------------------------------
    # Validation, projections, summaries

    def validate(self, source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
                 | None = None, *, shapes: Graph | None = None) -> ValidationReport:
        """Validate against the SHACL shapes and, given ``source`` texts, check every quote.

        See :func:`graph.check.shapes.validate`.
        """

        from .check.shapes import validate  # lazy: start-up time (networkx, pyshacl)

        return validate(self, shapes=shapes, source=source)

    def check_evidence(self, source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
                       ) -> EvidenceReport:
        """Check that every evidence quote occurs in the source text(s)."""

        from .check.evidence import check_evidence  # lazy: start-up time (networkx, pyshacl)

        return check_evidence(self, source)

    def to_networkx(self, view: str = "influence", *, at: str | int | None = None,
                    cumulative: bool = True) -> nx.Graph:
        """Project the graph into NetworkX; see :func:`graph.views.projection.to_networkx`.

        With ``at`` (an event or an act, see :meth:`at`), the projection as it stands then
        (:func:`graph.views.story_points.network_at`); ``cumulative=False`` gives the
        cooccurrence network of that act's (or event's) events only.
        """

        from .views.projection import to_networkx  # lazy: start-up (networkx)
        from .views.story_points import network_at  # lazy: start-up (networkx)

        if at is None:  # the whole story: no story time to read
            return to_networkx(self, view=view)
        return network_at(self, self._time(), view, at, cumulative=cumulative)

    def _time(self) -> StoryTime:
        from .views.story_time import story_time  # lazy: start-up time (networkx)

        revision = self._backend.revision
        cached = self._story_time
        if cached is None or revision is None or cached[0] != revision:
            cached = self._story_time = (revision, story_time(self._backend.patterns()))
        return cached[1]

    def at(self, point: str | int) -> StoryState:
        """What holds when the story reaches ``point``: an event (name, IRI or story position)
        or an act (``"act 2"``, its label or IRI); see :mod:`graph.views.story_time`.

        Only what is *certainly* before the point holds (``hg:precedes+``): an event the partial
        story order leaves unordered with it does not, whatever its derived position.

        Example:
            >>> import graph
            >>> state = graph.load().at("Theodore writes to Catherine")
            >>> [c.label for c in state.characters], len(state.events)
            (['Catherine', 'Samantha', 'Theodore'], 10)
        """

        from .views.story_points import point_key  # lazy: start-up time (networkx)

        time = self._time()
        return time.at(point_key(self, time, point))

    def timeline(self) -> Iterator[StoryState]:
        """The state at every event, in story order (see :meth:`at`).

        Example:
            >>> import graph
            >>> [len(s.characters) for s in graph.load().timeline()][:4]
            [1, 2, 2, 3]
        """
        return self._time().timeline()

    def metrics(self, view: str = "cooccurrence", *, by: str | None = None,
                of: str = "network") -> Rows:
        """Network metrics of ``view`` for the whole story or ``by`` act or event, as rows;
        ``of`` is ``"network"``, ``"characters"`` or ``"removal"``. See
        :func:`graph.analysis.story_metrics.metrics_rows`.

        Example:
            >>> import graph
            >>> [r["edges"] for r in graph.load().metrics(by="act")]
            [1, 2, 3]
        """

        from .analysis.story_metrics import metrics_rows  # lazy: start-up time (networkx)

        return metrics_rows(self, view=view, by=by, of=of)

    def to_html(self, path: str | os.PathLike[str], *, view: str = "story",
                title: str | None = None) -> Path:
        """Write the interactive page (offline, self-contained); see :mod:`graph.page.html`.

        ``view`` is ``"story"`` (the default), ``"influence"``, ``"relationships"``,
        ``"timeline"`` or ``"full"``.
        """

        from .page.html import write_html  # lazy: start-up time (networkx, pyshacl)

        return write_html(self, path, view=view, title=title)

    def to_pyvis(self, view: str = "story", *, title: str | None = None,
                 **options: Any) -> PyvisNetwork:
        """The page as a :class:`pyvis.network.Network`; see :func:`graph.page.network.to_pyvis`.

        ``options`` are vis-network options merged over the page's; render it with pyvis
        (``net.save_graph("page.html")``) to get the same offline page as :meth:`to_html`.
        """

        from .page.network import to_pyvis  # lazy: start-up time (pyvis imports IPython)

        return to_pyvis(self, view=view, title=title, **options)

    @property
    def influence(self) -> InfluenceAnalysis:
        """Who influenced whom, with evidence, parties given by name.

        See :mod:`graph.analysis.influence`. The analysis (and the influence graph it builds) is
        kept and reused until the triples change (see :attr:`graph.stores.Backend.revision`).

        Example:
            >>> import graph
            >>> kg = graph.load()
            >>> [r.label for r in kg.influence.who_influenced("Samantha")]
            ['the 8,316 other people', 'Theodore']
            >>> kg.influence is kg.influence
            True
        """
        from .analysis.named import InfluenceAnalysis  # lazy: start-up time (networkx, pyshacl)

        revision = self._backend.revision
        if self._influence is None or revision is None or self._influence[0] != revision:
            self._influence = (revision, InfluenceAnalysis(self))
        return self._influence[1]

    def counts(self) -> dict[str, int]:
        """How many characters, events, themes, relationships, influences and triples."""
        row = self.query(_COUNTS_QUERY)[0]
        counts = {key: int(value or 0) for key, value in row.items()}
        counts["triples"] = len(self)
        return counts

    def show(self, *, view: str = "story", height: int = 600,
             title: str | None = None) -> InlineGraph:
        """The interactive page, drawn inline in a notebook (offline, sandboxed).

        Display the result (end a cell with it): the page of :meth:`to_html` appears in a
        sandboxed ``<iframe srcdoc=...>``, nothing written to disk or fetched; see
        :mod:`graph.page.notebook`. ``view`` is as for :meth:`to_html`; ``height`` is in pixels.

        Example:
            >>> import graph
            >>> graph.load().show(view="influence")
            <InlineGraph: influence view of Her (2013), 7 nodes, 10 links>
        """

        from .page.notebook import show  # lazy: start-up time (networkx, pyshacl)

        return show(self, view=view, height=height, title=title)

    def _origin(self) -> str:
        if not self.sources or any(s.endswith(os.path.join("data", "her.ttl"))
                                   for s in self.sources):
            return "bundled Her graph"
        return ", ".join(s if "://" in s else os.path.basename(s) for s in self.sources)

    def __repr__(self) -> str:
        """Where the graph came from and its store; runs no query (on a SPARQL server, even
        counting the triples is a request), so a debugger or a log line costs nothing.

        Example:
            >>> import graph
            >>> graph.load()
            <KnowledgeGraph (bundled Her graph, memory store)>
        """
        return f"<KnowledgeGraph ({self._origin()}, {self.store} store)>"

    def _repr_html_(self) -> str:

        from .page.notebook import summary_html  # lazy: start-up time (networkx, pyshacl)

        return summary_html(self)
