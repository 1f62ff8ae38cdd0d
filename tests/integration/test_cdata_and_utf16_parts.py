"""Workbooks whose values sit in CDATA sections, or whose parts are written in UTF-16: valid XML
that Excel opens, read as Excel shows it (every amount was read as empty; the UTF-16 file was
refused as damaged)."""

from __future__ import annotations

import io
import zipfile
from xml.parsers import expat

import pytest

from kam_core.config import ImportLimits
from kam_core.importing import import_file
from kam_core.ingest import read_file, recode
from kam_core.store import connect
from tests.hostile import rawzip as rz
from tests.hostile.round21_workbook_cases import (
    HEBREW_SALES,
    SALES,
    cdata_rows,
    cdata_shared_workbook,
    cdata_workbook,
    utf16_workbook,
)

FIRST = ImportLimits(read_beside_bytes=1 << 40)
BESIDE = ImportLimits(read_beside_bytes=0)


def _stored(tmp_path, data: bytes, name: str) -> tuple[int, float, set[str]]:
    conn = connect(tmp_path / "kam.duckdb")
    counts, _parsed, _pre = import_file(conn, data, name)
    revenue = conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0]
    names = {n for (n,) in conn.execute("SELECT DISTINCT client_name FROM sales").fetchall()}
    return counts.rows_imported, revenue, names


@pytest.mark.parametrize("build", [cdata_workbook, cdata_shared_workbook])
def test_values_in_cdata_sections_are_stored(tmp_path, build):
    rows, revenue, names = _stored(tmp_path, build(), "cdata.xlsx")
    assert rows == 3
    assert revenue == pytest.approx(1200 + 800 + 450.5)
    assert names == {client for _, client, _ in SALES}  # '&' and '<' kept as written


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "side by side"])
def test_a_large_workbook_of_cdata_values_is_read_both_ways(limits):
    amounts = [str(7 + n % 1000) for n in range(30_000)]
    rows = [("2024-01-15", f"Client {n}", a) for n, a in enumerate(amounts)]
    data = rz.xlsx([("Sales", rz.sheet_xml(cdata_rows(rows)))])
    sheet = read_file(data, "large.xlsx", limits).sheets[0]
    got = sheet.table.column(2).to_pylist()
    assert got[0] == "Amount"
    assert got[1:] == amounts


def test_cdata_markers_cut_between_pieces_read_as_the_xml_says(monkeypatch):
    # The rewritten part must hold the text an XML parser reads from the original.
    body = "".join(f"<v>{i}<![CDATA[a&b<{i}>]]]]>x<![CDATA[]]></v>" for i in range(400)).encode()
    xml = b"<r>" + body + b"</r>"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("x.xml", xml)
    for step in (7, 9, 10, 64, 1000):
        monkeypatch.setattr(recode, "_STEP", step)
        plain = recode.cdata_as_text(archive.getvalue(), ("x.xml",))
        rewritten = zipfile.ZipFile(io.BytesIO(plain)).read("x.xml")
        assert b"CDATA" not in rewritten
        assert _text(rewritten) == _text(xml), step


def _text(xml: bytes) -> str:
    out: list[str] = []
    parser = expat.ParserCreate()
    parser.CharacterDataHandler = out.append
    parser.Parse(xml, True)
    return "".join(out)


@pytest.mark.parametrize(
    ("codec", "mark"), [("utf-16-le", True), ("utf-16-be", True), ("utf-16-le", False)]
)
def test_a_sheet_part_in_utf16_is_stored_as_its_utf8_twin(tmp_path, codec, mark):
    rows, revenue, names = _stored(
        tmp_path, utf16_workbook(HEBREW_SALES, codec, mark), "utf16.xlsx"
    )
    assert rows == 3
    assert revenue == pytest.approx(2450.5)
    assert names == {client for _, client, _ in HEBREW_SALES}


def test_an_ordinary_workbook_is_not_copied():
    data = rz.xlsx([("Sales", rz.sheet_xml(rz.rows_xml([(1, ["a"])])))])
    assert recode.utf8_parts(data, "x.xlsx", FIRST) is data
    assert recode.cdata_as_text(data, ()) is data
