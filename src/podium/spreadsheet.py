"""CSV cells that spreadsheets show as text, never run as formulas (CSV injection).

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, after trimming, with a tab or carriage return before one of those) as a formula, which
can fetch URLs or, through DDE, start programs. Where the list separator is ``;`` (German or
French Excel, or LibreOffice asked to split on ``;``), a comma-separated file is cut up
differently: LibreOffice ends a row at every line break inside a cell and starts a cell after
every ``;`` inside one (checked in tests/core/test_csv_in_spreadsheets.py), so each line of a
multi-line cell (a review comment) and each part after a ``;`` is a cell start too.

So each such part of a text cell whose first non-blank character is one of those gets a
leading apostrophe, the OWASP-recommended escape; other text is left exactly as typed.
"""

from __future__ import annotations

import re

FORMULA_STARTS = frozenset("=+-@\t\r")
# Where a spreadsheet that splits on ";" may start a new cell inside one of ours.
_CELL_STARTS = re.compile(r"(\r\n|\r|\n|;)")


def _escape_part(part: str) -> str:
    if part.lstrip(" ")[:1] in FORMULA_STARTS:
        return "'" + part
    return part


def safe_cell(value: object) -> str:
    """``value`` as CSV cell text that no spreadsheet evaluates.

    ``None`` is empty; numbers and other non-strings are ``str(value)`` (our own ids, minutes
    and scores: a mean of ``-0.5`` stays a number). In text, every line and every part after
    a ``;`` that would start a formula (see the module docstring) is prefixed with ``'``.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    if value[:1] in FORMULA_STARTS:
        # A cell starting with a tab or CR: escape the cell, then look at its lines.
        value = "'" + value
    parts = _CELL_STARTS.split(value)
    # Odd positions are the separators themselves; each even one may start a cell.
    return "".join(part if i % 2 else _escape_part(part) for i, part in enumerate(parts))
