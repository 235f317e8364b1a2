"""CSV that is safe to open in a spreadsheet: every CSV the service writes goes through here.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, ``=cmd|...``), so
text typed by an agency or a villager could act in an officer's spreadsheet. The OWASP rule
(CSV injection): prefix such a cell with a single quote, which the spreadsheet shows as text.

Numbers stay numbers: a cell written from an ``int``/``float`` (a count, a percentage, a
negative balance like ``-5``) cannot carry a formula, so it is written as it is and still
sums in the spreadsheet. Only text is neutralised — the string ``"-5"`` typed by someone is
free text and gets the quote like any other.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet will read it harmlessly: text starting with a formula
    character gets a leading ``'``; numbers (not ``bool``, which is text in a CSV), ``None``
    and harmless text pass unchanged."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


class SafeWriter:
    """A ``csv.writer`` whose every cell passes through :func:`safe_cell`."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: IO[str], **options: Any) -> SafeWriter:
    """The one way the service writes CSV (see the module docstring)."""
    return SafeWriter(out, **options)
