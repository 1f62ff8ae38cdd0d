"""Workbooks of a twenty-third round: a number whose value holds character references (read up
to the first one: '1&#160;200' as 1, '&#32;0' as empty), an .xlsb whose used range reaches a
little past the bound on cells (read while it fit the reader's memory)."""

from __future__ import annotations

import io
import zipfile

import pytest

from kam_core.importing import import_file
from kam_core.ingest import read_file, recode
from kam_core.ingest.errors import ImportRefused
from kam_core.store import connect
from tests.hostile.round23_workbook_cases import (
    FAR_COL,
    FAR_ROW,
    REFERENCED,
    REFERENCED_REVENUE,
    declared_xlsb,
    ods_unmarked_errors,
    referenced_numbers,
)
from tests.integration.test_cdata_and_utf16_parts import BESIDE, FIRST, _stored


@pytest.mark.parametrize("typed", ["", ' t="n"'], ids=["untyped", "typed as a number"])
def test_numbers_whose_values_hold_character_references_are_stored_whole(tmp_path, typed):
    rows, revenue, names = _stored(tmp_path, referenced_numbers(typed=typed), "export.xlsx")
    assert rows == 5
    # By hand: 1,200 + 1,200 + 123.5 + 12 + 1,000 (stored 1 + 1 + 1: the rest lost or rejected).
    assert revenue == pytest.approx(REFERENCED_REVENUE) == pytest.approx(3535.5)
    assert names == {client for client, _ in REFERENCED}


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "side by side"])
def test_a_large_sheet_of_referenced_numbers_is_read_both_ways(limits):
    rows = [(f"Client {n}", f"<v>{n}&#160;000</v>") for n in range(1, 30_001)]
    sheet = read_file(referenced_numbers(rows), "large.xlsx", limits).sheets[0]
    amounts = sheet.table.column(2).to_pylist()
    assert amounts[:3] == ["Amount", "1\xa0000", "2\xa0000"]
    assert amounts[-1] == "30000\xa0000"


def test_text_cells_and_plain_numbers_are_left_as_they_are(monkeypatch):
    cells = "".join(
        f'<c r="A{n}" t="str"><v>A&amp;B</v></c><c r="B{n}"><v>{n}</v></c>'
        f'<c r="C{n}" s="1"><f>X&amp;Y</f><v>1&#32;{n:03d}</v></c>'
        for n in range(1, 400)
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("x.xml", f"<r>{cells}</r>")
    for step in (7, 64, 1000, 5000):
        monkeypatch.setattr(recode, "_STEP", step)
        plain = recode.as_the_reader_reads(archive.getvalue(), ("x.xml",))
        rewritten = zipfile.ZipFile(io.BytesIO(plain)).read("x.xml").decode()
        assert rewritten.count('s="1" t="str"><f>') == 399, step
        assert rewritten.replace(' t="str"><f>', "><f>") == f"<r>{cells}</r>"


def test_an_xlsb_range_a_little_past_the_bound_is_refused_as_an_xlsx_is(tmp_path):
    # 17,001 rows x 3,000 columns = 51,003,000 cells: it fit the reader's memory and was read.
    conn = connect(tmp_path / "kam.duckdb")
    data = declared_xlsb([(FAR_ROW, [(FAR_COL, 1.0)])])
    with pytest.raises(ImportRefused) as refused:
        import_file(conn, data, "far.xlsb")
    assert "its cells reach DKJ17001" in str(refused.value)
    assert "51,003,000 cells" in str(refused.value)
    assert conn.execute("SELECT count(*) FROM sales").fetchone() == (0,)


@pytest.mark.parametrize(
    "far",
    [
        [(FAR_ROW, [(FAR_COL, None)])],  # a formatted blank cell there: the reader skips it
        [(16_000, [(FAR_COL, 1.0)])],  # 16,001 x 3,000 = 48,003,000 cells: within the bound
    ],
    ids=["blank cell declared", "within the bound"],
)
def test_an_xlsb_whose_cells_stay_within_the_bound_is_read(tmp_path, far):
    conn = connect(tmp_path / "kam.duckdb")
    counts, _parsed, _pre = import_file(conn, declared_xlsb(far), "near.xlsb")
    assert counts.rows_imported == 3


def test_an_ods_formula_showing_an_error_beside_a_bare_number_rejects_its_row(tmp_path):
    # No calcext:value-type="error": the stored 0 was imported as the amount.
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, ods_unmarked_errors(), "errors.ods")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 3)
    # By hand: 1,200 + 300 + 50 (a number without a formula is read, whatever it shows).
    assert counts.revenue == 1550.0
    rejected = parsed.rejected.sort_values("row")
    assert list(rejected["row"]) == [3, 4, 5]
    assert list(rejected["value"]) == ["#DIV/0!", "Err:502", "#N/A"]
    assert set(rejected["reason"]) == {"revenue is an Excel error value; fix the formula"}
    assert conn.execute("SELECT count(*) FROM sales WHERE revenue = 0").fetchone() == (0,)
