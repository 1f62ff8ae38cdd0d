"""Workbooks of a twenty-fifth round, values read as written: an .ods number cell storing no
number beside the text it shows (read as empty, its row rejected as missing its revenue), a
number whose value holds an element (read up to it), a cell of two values (the last read),
dates and amounts that are no finite number (shown as 1899-12-30, a missing date, inf)."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.ingest import read_file
from kam_core.ingest.errors import ImportRefused
from kam_core.store import connect
from tests.hostile.round23_workbook_cases import referenced_numbers
from tests.hostile.round25_workbookvalues_cases import (
    ELEMENTS,
    NOT_FINITE,
    VALUELESS,
    dated_values,
    valueless_ods,
)
from tests.integration.test_cdata_and_utf16_parts import BESIDE, FIRST


def test_an_ods_number_cell_storing_no_number_is_read_from_its_text(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    counts, _parsed, _pre = import_file(conn, valueless_ods(), "valueless.ods")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 0)
    stored = dict(conn.execute("SELECT client_name, revenue FROM sales").fetchall())
    # By hand: the text each cell shows (1,200.50 and 12 were read as empty before).
    assert stored == pytest.approx({"Acme": 1200.5, "Beta": 12.0, "Gamma": 100.0})
    assert set(stored) == {client for client, _ in VALUELESS}


def test_an_ods_number_cell_storing_no_number_and_showing_none_rejects_its_row(tmp_path):
    cells = [("Acme", '<table:table-cell office:value-type="float"><text:p>soon')]
    cells.append(("Beta", '<table:table-cell office:value-type="float" office:value="7"><text:p>7'))
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, valueless_ods(cells), "soon.ods")
    assert (counts.rows_imported, counts.rows_rejected) == (1, 1)
    assert list(parsed.rejected["value"]) == ["soon"]
    assert counts.revenue == 7.0


def _imported(tmp_path, data: bytes, name: str):
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, data, name)
    rejected = parsed.rejected.sort_values("row")
    return counts, list(zip(rejected["row"], rejected["reason"], rejected["value"], strict=True))


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "side by side"])
def test_numbers_holding_an_element_are_read_as_written_both_ways(limits):
    sheet = read_file(referenced_numbers(ELEMENTS), "elements.xlsx", limits).sheets[0]
    # Read up to the element before: 12 and 1.
    assert sheet.table.column(2).to_pylist() == ["Amount", "12<x/>00", "1<span>5</span>00", "800"]


def test_numbers_holding_an_element_reject_their_rows_with_the_value_as_written(tmp_path):
    counts, rejected = _imported(tmp_path, referenced_numbers(ELEMENTS), "elements.xlsx")
    # By hand: only Plain Ltd's 800 is an amount (12 + 1 + 800 = 813 stored before).
    assert (counts.rows_imported, counts.revenue) == (1, 800.0)
    assert rejected == [
        (2, "revenue is not an amount", "12<x/>00"),
        (3, "revenue is not an amount", "1<span>5</span>00"),
    ]


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "side by side"])
@pytest.mark.parametrize("value", ["<v>5</v><v>7</v>", "<v>5</v>\n<v/>", "<v>1<v>2</v>3</v>"])
def test_a_cell_with_two_values_is_refused_naming_it(limits, value):
    data = referenced_numbers([("Plain Ltd", "<v>800</v>"), ("Two Ltd", value)])
    with pytest.raises(ImportRefused) as refused:
        read_file(data, "two.xlsx", limits)
    # The last value was read before (7, or an empty amount).
    assert "the worksheet gives cell C3 two values where a cell holds one" in str(refused.value)


def test_dates_and_amounts_that_are_no_finite_number_show_the_value_as_written(tmp_path):
    counts, rejected = _imported(tmp_path, dated_values(NOT_FINITE), "finite.xlsx")
    assert (counts.rows_imported, counts.revenue) == (1, 250.0)
    # Shown before: 1899-12-30 00:00:00, a missing date, inf.
    assert [(row, value) for row, _reason, value in rejected] == [
        (2, "NaN"),
        (3, "1e400"),
        (4, "1e400"),
    ]
    assert rejected[0][1] == rejected[1][1] == "order date is not a date"


def test_plain_and_large_finite_numbers_are_read_as_before():
    rows = [("Big", "45296", "1E+20"), ("Tiny", "45296", "1.5E-300"), ("Neg", "45296", "-2.5")]
    sheet = read_file(dated_values(rows), "plain.xlsx", FIRST).sheets[0]
    # As the reader gives these numbers (not rewritten as text: they are finite); one of more
    # than 15 figures as Excel shows it, its value unchanged.
    assert sheet.table.column(2).to_pylist() == ["Amount", "1E+20", "0", "-2.5"]
    assert sheet.table.column(0).to_pylist()[1:] == ["2024-01-05 00:00:00"] * 3
