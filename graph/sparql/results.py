"""Query results as plain Python: rows are dicts of str, int, float, bool, date and :class:`IRI`.

The single values (:class:`IRI`, :class:`BlankNode`, ...) are in :mod:`graph.sparql.values`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import NamespaceManager

from .frames import IriStyle, to_dataframe
from .values import IRI, Value, short_iri

if TYPE_CHECKING:
    import pandas as pd

class Rows(list[dict[str, Value]]):
    """The rows of a SELECT result: a list of dicts, one key per column, in column order.

    It is a plain ``list`` (index it, loop over it, compare it to a list of dicts) with a few
    conveniences: :attr:`columns`, :meth:`column`, :meth:`to_df` for pandas, and readable
    ``repr`` and notebook display.

    Example:
        >>> rows = Rows(["name", "events"], [{"name": "Theodore", "events": 14}])
        >>> rows.column("name"), rows[0]["events"]
        (['Theodore'], 14)
        >>> rows
        name      events
        --------  ------
        Theodore  14
        (1 row)
    """

    def __init__(
        self,
        columns: Sequence[str],
        rows: Iterable[Mapping[str, Value]] = (),
        *,
        namespaces: NamespaceManager | None = None,
    ):
        super().__init__(dict(row) for row in rows)
        self.columns: list[str] = list(columns)
        self._namespaces = namespaces

    def column(self, name: str) -> list[Value]:
        """The values of one column, top to bottom."""
        if name not in self.columns:
            raise KeyError(f"no column {name!r}; columns: {', '.join(self.columns)}")
        return [row.get(name) for row in self]

    def to_df(self, *, iris: IriStyle = "full") -> pd.DataFrame:
        """The rows as a pandas DataFrame, each column typed (needs the ``pandas`` extra).

        Whole numbers become ``int64`` (``Int64`` when some are missing), other numbers
        ``float64``, booleans ``bool``, dates ``datetime64``, text and IRIs ``string``;
        :mod:`graph.sparql.frames` gives every rule.

        Args:
            iris: ``"full"`` (the default) writes IRIs in full; ``"short"`` as prefixed names
                (``her:Theodore``) through the graph's prefixes, as ``kg.short`` does.

        Raises:
            HerGraphError: pandas is not installed (the message says
                ``pip install 'her-graph[pandas]'``).

        Example:
            >>> import graph
            >>> df = graph.load().run("themes_by_act").to_df(iris="short")
            >>> [str(df[c].dtype) for c in ("act_number", "act", "theme", "events")]
            ['int64', 'string', 'string', 'int64']
            >>> df.loc[0, "theme"]
            'her:theme-loneliness'
        """
        namespaces = self._namespaces
        short = None if namespaces is None else (
            lambda iri: short_iri(iri, namespaces.namespaces()))
        return to_dataframe(self.columns, self, iris=iris, short=short)

    def _display(self, value: Value) -> str:
        if value is None:
            return ""
        if isinstance(value, IRI) and self._namespaces is not None:
            try:
                return self._namespaces.normalizeUri(URIRef(value))
            except Exception:
                return str(value)
        return str(value)

    def __repr__(self) -> str:
        if not self.columns:
            return "Rows([])"
        shown = [[self._display(row.get(c)) for c in self.columns] for row in self[:20]]
        cells = [[c.replace("\n", " | ") for c in line] for line in shown]
        widths = [min(40, max([len(c)] + [len(line[i]) for line in cells]))
                  for i, c in enumerate(self.columns)]

        def fit(text: str, width: int) -> str:
            return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)

        lines = ["  ".join(fit(c, w) for c, w in zip(self.columns, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(fit(v, w) for v, w in zip(line, widths, strict=True))
                  for line in cells]
        if len(self) > 20:
            lines.append(f"... {len(self) - 20} more rows")
        lines.append(f"({len(self)} row{'s' if len(self) != 1 else ''})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(
                f"<td style='text-align:left;white-space:pre-wrap'>"
                f"{html.escape(self._display(row.get(c)))}</td>"
                for c in self.columns
            ) + "</tr>"
            for row in self[:200]
        )
        more = f"<p>… {len(self) - 200} more rows</p>" if len(self) > 200 else ""
        return (f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
                f"<p><small>{len(self)} rows</small></p>")
