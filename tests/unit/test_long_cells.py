"""Cells far longer than any header, name or amount cost no more than short ones."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import xlsxwriter

from kam_core.importing import import_file
from kam_core.ingest import header
from kam_core.ingest.errors import named
from kam_core.ingest.padded import padded_format
from kam_core.ingest.text import figures_only
from kam_core.store import connect


def test_a_label_longer_than_any_header_is_no_header_and_is_not_matched(monkeypatch):
    # A sheet of 60,000 labels of 6,000 characters ('Revenue Client Date ...') held the server
    # for a minute: each was normalised and matched.
    calls = []
    monkeypatch.setattr(header, "_match_label", lambda label: calls.append(label) or (None, 0))
    assert header.match_label(("Revenue Client Date " * 300)[:6_000]) == (None, 0.0)
    assert calls == []
    header._match_text.cache_clear()
    assert header.match_label("Revenue")[0] is None  # short labels are still matched
    assert calls == ["Revenue"]
    header._match_text.cache_clear()


def test_real_headers_are_still_matched():
    assert header.match_label("Revenue")[0] == "revenue"
    assert header.match_label("Customer Name")[0] == "client_name"


def test_a_name_in_a_message_is_cut_short():
    assert named("x" * 6_000) == "x" * 200 + "…"
    assert named("Sales Q1.xlsx") == "Sales Q1.xlsx"


def test_a_cell_longer_than_any_amount_is_read_as_no_amount():
    cells = pa.array(["1,234.50", "1.000" * 2_000, None])
    assert figures_only(cells).to_pylist() == ["1,234.50", None, None]
    short = pa.array(["5", "(₪ 1,234,567,890.00)"])
    assert figures_only(short) is short


def test_padding_that_would_make_another_number_is_not_applied():
    assert padded_format("000000") == ("", 6, "")
    assert padded_format('"INV-"0000') == ("INV-", 4, "")
    assert padded_format('000"A"') == ("", 3, "A")
    for code in ('0000"-"', '00"0"', '00" 000"', '"("000")"'):
        assert padded_format(code) is None, code


def test_a_huge_number_written_out_in_figures_is_kept_to_be_read():
    # A workbook's 1e300 reaches the parser as its 301 figures: kept, it is read as 1e300 and
    # refused as out of range; 500 figures are no double's, and text stays no amount.
    written_out = format(Decimal(float("1e300")), "f")
    assert len(written_out) == 301
    cells = pa.array([written_out, "-" + written_out, "9" * 500, "12 " * 30, "5"])
    assert figures_only(cells).to_pylist() == [written_out, "-" + written_out, None, None, "5"]


def test_a_workbook_amount_of_1e300_is_rejected_as_out_of_range(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "huge.xlsx"))
    sheet = book.add_worksheet("Sales")
    sheet.write_row(0, 0, ["Order Date", "Customer", "Amount"])
    sheet.write_row(1, 0, ["2024-01-05", "Acme", 1e300])
    sheet.write_row(2, 0, ["2024-01-06", "Beta", 250])
    book.close()
    conn = connect(str(tmp_path / "kam.duckdb"))
    try:
        counts, parsed, _pre = import_file(conn, (tmp_path / "huge.xlsx").read_bytes(), "huge.xlsx")
    finally:
        conn.close()
    assert counts.rows_imported == 1
    assert counts.revenue == 250
    rejected = parsed.rejected[["row", "column", "reason"]].values.tolist()
    assert rejected == [
        [2, "C (Amount)", "revenue is out of range (beyond 1,000,000,000,000 per line)"]
    ]
    # Shown as written, as Excel shows it, not in the 301 figures the reader writes out.
    assert parsed.rejected["value"].iloc[0] == "1E+300"
