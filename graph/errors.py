"""The exceptions her-graph raises: one small hierarchy rooted at :class:`HerGraphError`.

Every message names the file, line, node or name involved and says what to do, so a CLI can
print ``str(error)`` as one line and a notebook user can act on it without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "AnalysisError",
    "ExportError",
    "GraphLoadError",
    "HerGraphError",
    "MissingDependencyError",
    "MissingParameterError",
    "ProjectionError",
    "QueryError",
    "QueryLibraryError",
    "QueryTimeoutError",
    "SourceTextError",
    "StoreError",
    "StoryFileError",
    "UnknownExportFormatError",
    "UnknownFormatError",
    "UnknownNameError",
    "UnknownQueryError",
    "UnknownRdfFormatError",
    "UnknownStoreError",
    "UnknownViewError",
    "UnsupportedTermError",
    "UsageError",
    "ValidationFailed",
]


class HerGraphError(Exception):
    """Base class of every error her-graph raises on purpose.

    Example:
        >>> import graph
        >>> try:
        ...     graph.load().resolve("Nobody")
        ... except HerGraphError as error:      # catches every error her-graph raises on purpose
        ...     print(str(error)[:29])
        no character named 'Nobody'.
    """


class GraphLoadError(HerGraphError):
    """A graph file is missing, unreadable, in an unknown format, or not valid RDF.

    Attributes:
        path: the file, when there is one.
        line: the 1-based line of a syntax error, when the parser gives one.

    Example:
        >>> import graph
        >>> try:
        ...     graph.load("no-such-story.ttl")
        ... except GraphLoadError as error:
        ...     print(error.path)
        no-such-story.ttl
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.path = path
        self.line = line


class QueryError(HerGraphError):
    """A SPARQL query is invalid, refused (an update on a read-only path), or failed.

    Example:
        >>> import graph
        >>> graph.load().query("SELECT ?x WHERE {")
        Traceback (most recent call last):
            ...
        graph.errors.QueryError: invalid SPARQL...
    """


class QueryTimeoutError(QueryError):
    """A query ran longer than the timeout it was given.

    Example:
        >>> issubclass(QueryTimeoutError, QueryError)    # kg.query(..., timeout=seconds) raises it
        True
    """


class UnknownQueryError(QueryError):
    """No named query has this name.

    Example:
        >>> import graph
        >>> graph.load().run("who_is_who")
        Traceback (most recent call last):
            ...
        graph.errors.UnknownQueryError: no named query 'who_is_who'; known queries: ...
    """

    def __init__(self, name: str, known: Iterable[str]):
        known = sorted(known)
        super().__init__(
            f"no named query {name!r}; known queries: {', '.join(known)}"
            " (see kg.queries or `her-graph query --list`)"
        )
        self.name = name
        self.known = known


class MissingParameterError(QueryError):
    """A named query was run without a parameter it needs, or with one it does not take.

    Example:
        >>> import graph
        >>> graph.load().run("influencers_of")
        Traceback (most recent call last):
            ...
        graph.errors.MissingParameterError: query 'influencers_of' needs the parameter ...
    """


class UnknownNameError(HerGraphError, LookupError):
    """A character, event or theme name does not match anything in the graph.

    Example:
        >>> import graph
        >>> graph.load().resolve("Theo")
        Traceback (most recent call last):
            ...
        graph.errors.UnknownNameError: no character named 'Theo'. Did you mean 'Theodore'? ...
    """

    def __init__(
        self,
        name: str,
        kind: str,
        known: Iterable[str],
        suggestions: Iterable[str] = (),
        *,
        ambiguous: Iterable[str] = (),
    ):
        known = sorted(known, key=str.casefold)
        ambiguous = sorted(ambiguous)
        listing = ", ".join(known) if known else "none"
        if ambiguous:
            message = (f"{name!r} is ambiguous: it names {len(ambiguous)} {kind}s "
                       f"({', '.join(ambiguous)}); pass the IRI instead")
        else:
            suggestions = list(suggestions)
            hint = (f" Did you mean {', '.join(repr(s) for s in suggestions)}?"
                    if suggestions else "")
            message = f"no {kind} named {name!r}.{hint} Known {kind}s: {listing}"
        super().__init__(message)
        self.name = name
        self.kind = kind
        self.known = known


class AnalysisError(HerGraphError, ValueError):
    """An analysis got an argument it cannot use: a node that is not in the graph it was given,
    a depth below one, an unknown ranking, or a graph of the wrong kind.

    Example:
        >>> import graph
        >>> graph.load().influence.who_influenced("Theodore", depth=0)
        Traceback (most recent call last):
            ...
        graph.errors.AnalysisError: depth must be a whole number of 1 or more...; got 0
    """


class ValidationFailed(HerGraphError):
    """The graph does not conform to its shapes, or a quote is not in its source.

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> kg.update("DELETE WHERE { her:Amy schema:name ?name }")
        >>> kg.validate().raise_if_failed()
        Traceback (most recent call last):
            ...
        graph.errors.ValidationFailed: the graph is not valid (... problem(s)); first: ...
    """


class StoreError(HerGraphError):
    """A store or SPARQL endpoint failed: refused, timed out, or returned an error.

    Example:
        >>> import graph
        >>> graph.load(store="sparql", endpoint="ftp://example.org/sparql")
        Traceback (most recent call last):
            ...
        graph.errors.StoreError: ...
    """


class ExportError(HerGraphError):
    """An export could not be written (unknown format, unwritable folder, ...).

    Example:
        >>> from graph.export import exporter
        >>> try:
        ...     exporter("docx")
        ... except ExportError as error:
        ...     print(str(error)[:30])
        unknown export format 'docx';
    """


class UsageError(HerGraphError, ValueError):
    """A call asked for something that is not there or not allowed: an unknown view, store,
    format or kind, or a value out of range. The CLI exits 2 for it (1 for other failures).

    Example:
        >>> import graph
        >>> graph.load().to_networkx("story")
        Traceback (most recent call last):
            ...
        graph.errors.UnknownViewError: unknown view 'story'; views: influence, ...
    """


class UnknownViewError(UsageError, LookupError):
    """No view has this name (the message lists the views).

    Example:
        >>> issubclass(UnknownViewError, UsageError)
        True
    """


class UnknownStoreError(StoreError, UsageError):
    """No store has this name, or a store does not take an option (the message lists them).

    Example:
        >>> import graph
        >>> graph.load(store="postgres")
        Traceback (most recent call last):
            ...
        graph.errors.UnknownStoreError: unknown store 'postgres'; known stores: memory, ...
    """


class UnknownFormatError(UsageError):
    """No RDF format or exporter has this name (the message lists them).

    Example:
        >>> from graph.export import exporter
        >>> exporter("docx")
        Traceback (most recent call last):
            ...
        graph.errors.UnknownExportFormatError: unknown export format 'docx'; ...
    """


class UnknownRdfFormatError(UnknownFormatError, GraphLoadError):
    """An RDF format name, or a file extension, that no parser reads.

    Example:
        >>> issubclass(UnknownRdfFormatError, GraphLoadError)
        True
    """


class UnknownExportFormatError(UnknownFormatError, ExportError):
    """An export format no exporter writes.

    Example:
        >>> issubclass(UnknownExportFormatError, ExportError)
        True
    """


class QueryLibraryError(QueryError):
    """A named query file (``.rq``) or folder of them is missing or malformed.

    Example:
        >>> from graph.sparql.queries import QueryLibrary
        >>> QueryLibrary().add_directory("no-such-folder")
        Traceback (most recent call last):
            ...
        graph.errors.QueryLibraryError: no-such-folder: no such query directory
    """


class SourceTextError(HerGraphError):
    """A source text for the evidence check is missing, unreadable or not UTF-8.

    Example:
        >>> import graph
        >>> graph.load().check_evidence("no-such-article.txt")
        Traceback (most recent call last):
            ...
        graph.errors.SourceTextError: no-such-article.txt: no such source text file or folder
    """


class ProjectionError(HerGraphError):
    """A graph holds a term the NetworkX projections cannot carry (an RDF-star triple).

    Example:
        >>> issubclass(ProjectionError, HerGraphError)
        True
    """


class MissingDependencyError(HerGraphError, ImportError):
    """An optional dependency is not installed (the message says which extra to install).

    Example:
        >>> issubclass(MissingDependencyError, ImportError)
        True
    """


class UnsupportedTermError(GraphLoadError, ValueError):
    """An RDF term her-graph does not support (an RDF-star quoted triple).

    Example:
        >>> issubclass(UnsupportedTermError, GraphLoadError)
        True
    """


class StoryFileError(HerGraphError):
    """A story file (the authoring format, ``story.yaml``) has problems: every one of them,
    each on its own line as ``FILE:LINE: message``, so one run shows all that needs fixing.

    Attributes:
        path: the story file.
        problems: the problems, each with ``file``, ``line`` and ``message``.

    Example:
        >>> from graph.authoring.problems import Problem
        >>> error = StoryFileError("story.yaml", [Problem("story.yaml", 2, "unknown key 'nmae'")])
        >>> print(error)
        story.yaml: 1 problem:
        story.yaml:2: unknown key 'nmae'
    """

    def __init__(self, path: str, problems: Iterable[object]):
        self.path = path
        self.problems = list(problems)
        count = len(self.problems)
        lines = [f"{path}: {count} problem{'s' if count != 1 else ''}:",
                 *(str(problem) for problem in self.problems)]
        super().__init__("\n".join(lines))
