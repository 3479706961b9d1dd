"""pandas DataFrames from result rows, each column with the type its values call for.

:meth:`Rows.to_df() <graph.sparql.results.Rows.to_df>` (and the ``to_df`` of influence answers and
validation reports) builds the DataFrame here. pandas is an optional extra
(``pip install 'her-graph[pandas]'``); without it ``to_df`` raises
:class:`~graph.errors.HerGraphError` saying so.

How each column is typed, from the values it holds (``None``, an unbound variable, is missing):

==========================================  ===============================================
values                                      column dtype
==========================================  ===============================================
whole numbers                               ``int64``; ``Int64`` (pandas' nullable integer)
                                            when some are missing
numbers, some with a fraction (``float``,   ``float64`` (missing: ``NaN``); a
``xsd:decimal``)                            :class:`~decimal.Decimal` becomes a ``float``
``True`` / ``False``                        ``bool``; ``boolean`` when some are missing
dates, or date-times                        ``datetime64`` (a date at midnight; missing:
                                            ``NaT``); time-zone aware date-times in UTC
text, IRIs, blank nodes                     ``string`` (missing: ``<NA>``)
anything else, or a mix of the above        ``object``, each value as it is in the row
==========================================  ===============================================

IRIs are written as full IRIs (``iris="full"``, the default: unambiguous and what another
tool joins on) or as prefixed names (``iris="short"``: ``her:Theodore``, through the prefixes
of the graph, as :meth:`KnowledgeGraph.short <graph.KnowledgeGraph.short>` does; an IRI no
prefix covers stays full). A blank node is written ``_:label``.

Example:
    >>> import graph
    >>> kg = graph.load()
    >>> df = kg.query("SELECT ?character ?name WHERE { ?character a hg:HumanCharacter ; "
    ...               "schema:name ?name } ORDER BY ?name").to_df(iris="short")
    >>> df["character"].tolist()
    ['her:Amy', 'her:Catherine', 'her:Theodore']
    >>> str(df["name"].dtype)
    'string'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeGuard

from ..errors import MissingDependencyError, UsageError
from .values import IRI, BlankNode, Value

if TYPE_CHECKING:
    import pandas as pd

#: How :func:`to_dataframe` writes IRIs: ``"full"`` IRIs or ``"short"`` prefixed names.
IRI_STYLES = ("full", "short")

IriStyle = Literal["full", "short"]

_INT64 = 2**63


def import_pandas() -> Any:
    """Import pandas, or raise :class:`~graph.errors.HerGraphError` naming the extra to install.

    Example:
        >>> import_pandas().__name__
        'pandas'
    """
    try:
        import pandas
    except ImportError:
        raise MissingDependencyError(
            "to_df() needs pandas, an optional extra: pip install 'her-graph[pandas]'"
        ) from None
    return pandas


def _text(value: str, iris: IriStyle, short: Callable[[str], str] | None) -> str:
    if isinstance(value, BlankNode):
        return f"_:{value}"
    if isinstance(value, IRI):
        return short(value) if iris == "short" and short is not None else str(value)
    return str(value)


def _is_whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[int | float | Decimal]:
    return _is_whole(value) or isinstance(value, float | Decimal)


def _column(values: list[Value], iris: IriStyle,
            short: Callable[[str], str] | None) -> pd.Series:
    import pandas as pd

    present = [v for v in values if v is not None]
    missing = len(present) < len(values)
    if not present:
        return pd.Series(values, dtype=object)
    if all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="boolean" if missing else bool)
    wholes = [v for v in present if _is_whole(v)]
    if len(wholes) == len(present) and all(-_INT64 <= v < _INT64 for v in wholes):
        return pd.Series(values, dtype="Int64" if missing else "int64")
    if all(_is_number(v) for v in present):
        return pd.Series([float(v) if _is_number(v) else float("nan") for v in values],
                         dtype="float64")
    if all(isinstance(v, str) for v in present):
        return pd.Series([_text(v, iris, short) if isinstance(v, str) else None
                          for v in values], dtype="string")
    if all(isinstance(v, dt.date) for v in present):
        aware = [v for v in present if isinstance(v, dt.datetime) and v.tzinfo is not None]
        if not aware or len(aware) == len(present):
            dates: pd.Series = pd.to_datetime(pd.Series(values, dtype=object), utc=bool(aware))
            return dates
    if any(isinstance(v, str) for v in present):
        return pd.Series([_text(v, iris, short) if isinstance(v, str) else v for v in values],
                         dtype=object)
    return pd.Series(values, dtype=object)


def to_dataframe(columns: Sequence[str], rows: Iterable[Mapping[str, Value]], *,
                 iris: IriStyle = "full",
                 short: Callable[[str], str] | None = None) -> pd.DataFrame:
    """A DataFrame of ``rows``, one column per name in ``columns``, typed as the module says.

    Args:
        columns: the column names, in order (a row's other keys are left out; a key it lacks
            is missing).
        rows: the rows, dicts of the plain values a :class:`~graph.sparql.results.Rows` holds.
        iris: ``"full"`` (default) or ``"short"``; see :data:`IRI_STYLES`.
        short: turns a full IRI into a prefixed name, for ``iris="short"`` (without it IRIs
            stay full).

    Raises:
        HerGraphError: pandas is not installed, or ``iris`` is not one of :data:`IRI_STYLES`.

    Example:
        >>> import datetime
        >>> df = to_dataframe(["n", "when", "who"],
        ...                   [{"n": 8316, "when": datetime.date(2013, 12, 18), "who": None},
        ...                    {"n": None, "when": None, "who": IRI("https://w3id.org/x/Amy")}])
        >>> [str(t) for t in df.dtypes]
        ['Int64', 'datetime64[...]', 'string']
        >>> df["who"].tolist()
        [<NA>, 'https://w3id.org/x/Amy']
    """
    if iris not in IRI_STYLES:
        raise UsageError(f"iris must be one of {', '.join(map(repr, IRI_STYLES))}; "
                            f"got {iris!r}")
    import_pandas()
    import pandas as pd

    names = list(columns)
    table = [dict(row) for row in rows]
    data = {name: _column([row.get(name) for row in table], iris, short) for name in names}
    frame: pd.DataFrame = pd.DataFrame(data, columns=names, index=pd.RangeIndex(len(table)))
    return frame
