"""The answers of :mod:`graph.analysis.influence`: small dataclasses that print readably and
become rows.

Every answer carries its evidence: a :class:`Hop` is one influence with how it worked, the
events it went through and the quotes that show it; a :class:`Reach` or a
:class:`InfluencePath` holds the hops that connect two parties; a :class:`MutualPair` holds
both directions. A list of answers is a :class:`Results`, which prints as a short report,
converts to :class:`~graph.sparql.results.Rows` (and so to a DataFrame) and shows as a table in a
notebook.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from textwrap import indent
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from rdflib.namespace import NamespaceManager

from ..sparql.results import Rows
from ..sparql.values import IRI, BlankNode

if TYPE_CHECKING:
    import pandas as pd

    from ..sparql.frames import IriStyle

ARROW = " → "


def _value(node: Hashable) -> Any:
    """A node key as a row value: an :class:`IRI`, a :class:`BlankNode`, or itself."""
    if isinstance(node, str):
        if node.startswith("_:"):
            return BlankNode(node[2:])
        if ":" in node:
            return IRI(node)
    return node


def _quoted(text: str) -> str:
    return f"“{text}”" if text else "(no quote)"


@dataclass(frozen=True)
class Hop:
    """One influence: ``influencer`` influenced ``influenced``, with its evidence.

    Attributes:
        influencer, influenced: node keys (IRIs).
        influencer_label, influenced_label: their labels.
        how: how the influence worked (``hg:how``), or ``""``.
        events: the events it went through, in story order (IRIs).
        event_labels: their labels.
        quote: the most telling supporting quote, or ``""``.
        evidence: every supporting quote, most telling first.

    Example:
        >>> import graph
        >>> hop = graph.load().influence.influence_between("Catherine", "Theodore")
        >>> hop.influencer_label, hop.event_labels[0]
        ('Catherine', 'Catherine condemns Theodore for loving a machine, and he first questions it')
    """

    influencer: Hashable
    influenced: Hashable
    influencer_label: str
    influenced_label: str
    how: str = ""
    events: tuple[str, ...] = ()
    event_labels: tuple[str, ...] = ()
    quote: str = ""
    evidence: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"{self.influencer_label}{ARROW}{self.influenced_label}: {_quoted(self.quote)}"]
        if self.how:
            lines.append(f"  how: {self.how}")
        if self.event_labels:
            lines.append(f"  through: {'; '.join(self.event_labels)}")
        return "\n".join(lines)

    def to_row(self) -> dict[str, Any]:
        """The hop as a flat dict (one row)."""
        return {
            "influencer": _value(self.influencer),
            "influencer_label": self.influencer_label,
            "influenced": _value(self.influenced),
            "influenced_label": self.influenced_label,
            "how": self.how,
            "events": "\n".join(self.event_labels),
            "quote": self.quote,
            "evidence": "\n".join(self.evidence),
        }


@dataclass(frozen=True)
class InfluencePath:
    """A chain of influences, from the first influencer to the last one influenced.

    Example:
        >>> import graph
        >>> path = graph.load().influence.influence_paths("Catherine", "Samantha")[0]
        >>> path.labels, len(path)
        (('Catherine', 'Theodore', 'Samantha'), 2)
    """

    hops: tuple[Hop, ...]

    @property
    def source(self) -> Hashable:
        """The first influencer."""
        return self.hops[0].influencer

    @property
    def target(self) -> Hashable:
        """The last party influenced."""
        return self.hops[-1].influenced

    @property
    def nodes(self) -> tuple[Hashable, ...]:
        """Every party along the path, in order."""
        return (self.hops[0].influencer, *(hop.influenced for hop in self.hops))

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels of :attr:`nodes`."""
        return (self.hops[0].influencer_label, *(hop.influenced_label for hop in self.hops))

    def __len__(self) -> int:
        return len(self.hops)

    def __str__(self) -> str:
        steps = [indent(f"{i}. {hop}", "  ") for i, hop in enumerate(self.hops, start=1)]
        return "\n".join([ARROW.join(self.labels), *steps])

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per hop, numbered from 1 in ``step``."""
        return [{"step": i, **hop.to_row()} for i, hop in enumerate(self.hops, start=1)]

    def to_row(self) -> dict[str, Any]:
        """The whole path as one row: its parties, and each hop's how and quote, one a line."""
        return {
            "source": _value(self.source),
            "target": _value(self.target),
            "hops": len(self.hops),
            "path": ARROW.join(self.labels),
            "how": "\n".join(hop.how for hop in self.hops),
            "quote": "\n".join(hop.quote for hop in self.hops),
        }


@dataclass(frozen=True)
class Reach:
    """A party whose influence reaches a node (or whom the node's influence reaches).

    Attributes:
        party: the party's node key (IRI).
        label, type: its label and category (see :data:`graph.views.labels.NODE_TYPES`).
        depth: the fewest influences between the two (1: direct).
        path: a shortest chain of influences between them, always in the direction of the
            influence (from influencer to influenced), with the evidence of each hop.

    Example:
        >>> import graph
        >>> reach = graph.load().influence.who_influenced("Samantha", depth=None)[-1]
        >>> reach.label, reach.depth, reach.direct, reach.path.labels
        ("Amy's operating system", 3, False, ("Amy's operating system", 'Amy', 'Theodore', ...))
    """

    party: Hashable
    label: str
    type: str
    depth: int
    path: InfluencePath

    @property
    def direct(self) -> bool:
        """Whether the influence is direct (``depth == 1``)."""
        return self.depth == 1

    @property
    def quote(self) -> str:
        """The most telling quote of a direct influence; of each hop, one a line, otherwise."""
        return "\n".join(hop.quote for hop in self.path.hops)

    @property
    def how(self) -> str:
        """How the influence worked: of the one hop, or of each hop, one a line."""
        return "\n".join(hop.how for hop in self.path.hops)

    def __str__(self) -> str:
        if self.direct:
            return f"{self.label}: {_quoted(self.path.hops[0].quote)}"
        return f"{self.label} ({self.depth} hops): {ARROW.join(self.path.labels)}"

    def to_row(self) -> dict[str, Any]:
        """The answer as a flat dict (one row)."""
        return {
            "party": _value(self.party),
            "label": self.label,
            "type": self.type,
            "depth": self.depth,
            "path": ARROW.join(self.path.labels),
            "how": self.how,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class MutualPair:
    """Two parties who influenced each other, with the evidence of both directions.

    Example:
        >>> import graph
        >>> pair = graph.load().influence.mutual_influences()[0]
        >>> pair.a_label, pair.b_label, pair.a_to_b.influenced_label
        ('Amy', 'Theodore', 'Theodore')
    """

    a: Hashable
    b: Hashable
    a_label: str
    b_label: str
    a_to_b: Hop
    b_to_a: Hop

    def __str__(self) -> str:
        return "\n".join([f"{self.a_label} ⇄ {self.b_label}",
                          indent(str(self.a_to_b), "  "), indent(str(self.b_to_a), "  ")])

    def to_row(self) -> dict[str, Any]:
        """The pair as a flat dict (one row)."""
        return {
            "a": _value(self.a),
            "a_label": self.a_label,
            "b": _value(self.b),
            "b_label": self.b_label,
            "a_to_b_quote": self.a_to_b.quote,
            "b_to_a_quote": self.b_to_a.quote,
        }


@dataclass(frozen=True)
class RankedParty:
    """A party's place in the influence ranking, with every score (see
    :func:`graph.analysis.influence.rank_influence` for what each one measures).

    Example:
        >>> import graph
        >>> first = graph.load().influence.rank_influence(by="in_degree")[0]
        >>> first.rank, first.label, first.in_degree
        (1, 'Theodore', 4)
    """

    rank: int
    party: Hashable
    label: str
    type: str
    pagerank: float
    out_degree: int
    in_degree: int

    def __str__(self) -> str:
        kind = f" ({self.type})" if self.type else ""
        return (f"{self.rank}. {self.label}{kind}: PageRank {self.pagerank:.3f}, "
                f"influenced {self.out_degree}, influenced by {self.in_degree}")

    def to_row(self) -> dict[str, Any]:
        """The ranking entry as a flat dict (one row)."""
        return {
            "rank": self.rank,
            "party": _value(self.party),
            "label": self.label,
            "type": self.type,
            "pagerank": self.pagerank,
            "out_degree": self.out_degree,
            "in_degree": self.in_degree,
        }


class _Answer(Protocol):
    def to_row(self) -> dict[str, Any]: ...


T = TypeVar("T", bound=_Answer)


class Results(list[T], Generic[T]):
    """A list of answers with a title: prints as a report, converts to rows.

    It is a plain ``list`` of :class:`Reach`, :class:`InfluencePath`, :class:`MutualPair` or
    :class:`RankedParty`.

    Example:
        >>> import graph
        >>> results = graph.load().influence.whom_influenced("Catherine")
        >>> results.title, [r.label for r in results]
        ('Whom Catherine influenced (direct)', ['Theodore'])
        >>> results.to_rows().columns[:3]
        ['party', 'label', 'type']
    """

    def __init__(self, title: str, items: Iterable[T] = (), *,
                 namespaces: NamespaceManager | None = None):
        super().__init__(items)
        self.title = title
        self.namespaces = namespaces

    def to_rows(self) -> Rows:
        """The answers as :class:`~graph.sparql.results.Rows` (``.to_df()`` for pandas)."""
        rows = [item.to_row() for item in self]
        columns = list(rows[0]) if rows else []
        return Rows(columns, rows, namespaces=self.namespaces)

    def to_df(self, *, iris: IriStyle = "full") -> pd.DataFrame:
        """The answers as a pandas DataFrame, one row each (needs the ``pandas`` extra).

        The columns are those of :meth:`to_rows`, typed as :mod:`graph.sparql.frames` says (ranks,
        depths and degrees ``int64``, PageRank ``float64``, labels and quotes ``string``);
        ``iris="short"`` writes the parties' IRIs as prefixed names.

        Example:
            >>> import graph
            >>> df = graph.load().influence.rank_influence().to_df(iris="short")
            >>> [str(t) for t in df[["party", "rank", "pagerank"]].dtypes]
            ['string', 'int64', 'float64']
            >>> sorted(df["party"])[:2]
            ['her:Amy', 'her:Catherine']
        """
        return self.to_rows().to_df(iris=iris)

    def __str__(self) -> str:
        if not self:
            return f"{self.title}: none"
        body = "\n".join(indent(str(item), "  ") for item in self)
        return f"{self.title}:\n{body}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        import html

        return f"<p><b>{html.escape(self.title)}</b></p>{self.to_rows()._repr_html_()}"
