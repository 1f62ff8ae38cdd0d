"""A cell placed where another one is: the reader keeps the second, so the scan refuses it."""

from __future__ import annotations

import pytest

from kam_core.ingest import ImportRefused
from kam_core.ingest.extent import DOCTYPE, Extent


def _rows(first: int, last: int) -> bytes:
    return b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>1</v></c></row>' % (r, r, r, r)
        for r in range(first, last + 1)
    )


def _measure(xml: bytes, step: int = 1 << 16) -> Extent:
    """The scan's two passes as zipscan runs them: fast first, exact when the fast one cannot."""
    extent = Extent(exact=False)
    for at in range(0, len(xml), step):
        extent.feed(xml[at : at + step])
    extent.feed(b"", final=True)
    if not extent.regular:
        extent = Extent(exact=True)
        for at in range(0, len(xml), step):
            extent.feed(xml[at : at + step])
        extent.feed(b"", final=True)
    return extent


def _sheet(body: bytes) -> bytes:
    return b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>"


def test_a_cell_placed_twice_a_few_megabytes_in_is_found():
    # About 3 MB of rows in order, then row 40,001's cells sit in row 40,000's place.
    body = _rows(1, 40_000) + b'<row r="40001"><c r="A40000"><v>7</v></c></row>'
    with pytest.raises(ImportRefused, match="cell A40000 twice"):
        _measure(_sheet(body + _rows(40_002, 40_010)))


def test_cells_in_order_keep_the_fast_pass_and_their_range():
    extent = _measure(_sheet(_rows(1, 40_000)))
    assert (extent.max_row, extent.max_col) == (40_000, 2)
    assert extent.exact is False


def test_cells_out_of_order_but_each_in_its_own_place_are_measured_not_refused():
    body = b'<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>' + _rows(2, 10)
    extent = _measure(_sheet(body))
    assert extent.exact is True
    assert (extent.max_row, extent.max_col) == (10, 2)


def test_an_empty_cell_on_a_filled_one_overwrites_nothing():
    # The reader skips cells without a value: a second, empty C2 changes nothing.
    body = b'<row r="2"><c r="C2"><v>5</v></c><c r="C2"/></row>'
    assert _measure(_sheet(body)).max_row == 2


def test_a_long_tag_sends_the_sheet_to_the_exact_count_instead_of_refusing_it():
    long = b'<ignoredErrors><ignoredError sqref="' + b"D1 " * 600_000 + b'"/></ignoredErrors>'
    xml = b"<worksheet><sheetData>" + _rows(1, 5) + b"</sheetData>" + long + b"</worksheet>"
    extent = _measure(xml)
    assert extent.exact is True
    assert (extent.max_row, extent.max_col) == (5, 2)


def test_a_doctype_after_a_long_prolog_is_refused_by_the_exact_count():
    xml = b"<!--" + b" " * 2_000_000 + b'--><!DOCTYPE w [<!ENTITY e "A1">]>' + _sheet(_rows(1, 3))
    with pytest.raises(ImportRefused, match="DOCTYPE"):
        _measure(xml)
    assert "DOCTYPE" in DOCTYPE
