"""Workbook cells written in ways Excel reads and the reader did not: inline text written as a
value (read as empty), numbers with spaces after a formula or with attributes of their own (the
sheet was refused)."""

from __future__ import annotations

import io
import zipfile

import pytest

from kam_core.importing import import_file
from kam_core.ingest import read_file, recode
from kam_core.store import connect
from tests.hostile import rawzip as rz
from tests.hostile.round22_workbook_cases import inline_text_as_values, spaced_numbers
from tests.integration.test_cdata_and_utf16_parts import BESIDE, FIRST, _stored


@pytest.mark.parametrize("build", [inline_text_as_values, spaced_numbers])
def test_cells_written_so_are_stored_as_excel_shows_them(tmp_path, build):
    rows, revenue, names = _stored(tmp_path, build(), "export.xlsx")
    assert rows == 3
    assert revenue == pytest.approx(1200 + 0 + 123.5)
    assert names == {"Smith & Sons <Ltd>", "Beta GmbH", "Gamma Co"}


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "side by side"])
def test_a_large_sheet_of_inline_text_as_values_is_read_both_ways(limits):
    rows = [("2024-01-15", f"Client {n}", str(7 + n % 1000)) for n in range(30_000)]
    sheet = read_file(inline_text_as_values(rows), "large.xlsx", limits).sheets[0]
    assert sheet.table.column(0).to_pylist()[:2] == ["Order Date", "2024-01-15"]
    assert sheet.table.column(1).to_pylist()[1:] == [client for _, client, _ in rows]


def test_inline_cells_cut_between_pieces_are_all_rewritten(monkeypatch):
    cells = "".join(
        f'<c r="A{n}" t="inlineStr"><v>x{n}</v></c><c r="B{n}" t="inlineStr"><is><t>i</t></is></c>'
        for n in range(1, 400)
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("x.xml", f"<r>{cells}</r>")
    for step in (7, 64, 1000, 5000):
        monkeypatch.setattr(recode, "_STEP", step)
        plain = recode.as_the_reader_reads(archive.getvalue(), ("x.xml",))
        rewritten = zipfile.ZipFile(io.BytesIO(plain)).read("x.xml").decode()
        assert rewritten.count('t="str"><v>') == 399, step
        assert rewritten.count('t="inlineStr"><is>') == 399, step
        assert rewritten.replace('t="str"><v>', 't="inlineStr"><v>') == f"<r>{cells}</r>"


def test_a_sheet_without_such_cells_is_not_copied():
    data = rz.xlsx([("Sales", rz.sheet_xml(rz.rows_xml([(1, ["Order Date", "Customer"])])))])
    assert read_file(data, "plain.xlsx", FIRST).sheets[0].table.num_rows == 1
    assert recode.as_the_reader_reads(data, ()) is data


def test_a_value_that_is_no_number_after_a_formula_rejects_only_its_row(tmp_path):
    rows = rz.rows_xml([(1, ["Order Date", "Customer", "Amount"])])
    rows += '<row r="2"><c r="A2" t="inlineStr"><is><t>2024-01-15</t></is></c>'
    rows += '<c r="B2" t="inlineStr"><is><t>Acme</t></is></c>'
    rows += '<c r="C2" t="n"><f>A1</f><v>abc</v></c></row>'
    rows += rz.rows_xml([(3, ["2024-01-16", "Beta", 50])])
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, _pre = import_file(conn, rz.xlsx([("Sales", rz.sheet_xml(rows))]), "f.xlsx")
    assert (counts.rows_imported, counts.rows_rejected) == (1, 1)
    assert list(parsed.rejected["value"].astype(str)) == ["abc"]
