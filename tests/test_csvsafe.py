"""Every CSV cell a spreadsheet would read as a formula is neutralised; numbers stay numbers."""

from __future__ import annotations

import csv
import io

from smsgateway.kernel.csvsafe import safe_cell, writer


def test_cells_starting_with_a_formula_character_get_a_quote():
    for text in ("=1+1", "+86 139", "-5", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text


def test_numbers_harmless_text_and_empty_cells_pass_unchanged():
    assert [safe_cell(v) for v in (-5, 3.5, 0, None, "Guangdong", "广东", "a=b")] == \
        [-5, 3.5, 0, None, "Guangdong", "广东", "a=b"]


def test_the_writer_neutralises_every_cell_of_every_row():
    out = io.StringIO()
    writer(out).writerows([["name", "n"], ['=HYPERLINK("http://x")', -2]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == \
        [["name", "n"], ['\'=HYPERLINK("http://x")', "-2"]]
