"""Amounts whose currency only their number format shows: two currencies in one column are
told apart, as when the signs are written in the cells."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from kam_core.config import ImportLimits
from kam_core.importing import import_file
from kam_core.ingest.currency_formats import format_currency
from kam_core.ingest.read import read_here
from kam_core.store import connect

EUR = "[$€-407]#,##0.00"
USD = '"$"#,##0.00'


@pytest.mark.parametrize(
    ("code", "sign"),
    [
        ("[$€-407]#,##0.00", "€"),
        ("[$$-409]#,##0.00", "$"),
        ('#,##0.00\\ "₪"', "₪"),
        ("[$ILS] #,##0.00", "₪"),
        ("\\$#,##0;[Red]\\-\\$#,##0", "$"),
        ("_-* #,##0.00\\ [$€-1]_-;\\-* #,##0.00\\ [$€-1]_-", "€"),
        ('#,##0 "руб."', "₽"),
        ("[$-409]#,##0.00", None),  # a language tag, no currency
        ("#,##0.00", None),
        ('0" days"', None),
        ("[$£-809]#,##0.00", "£"),
        ("[$€-x-euro2] #,##0.00", "€"),  # Excel's own euro format
        ("#,##0.00 [$€-x-euro1]", "€"),
    ],
)
def test_the_currency_a_number_format_shows(code, sign):
    assert format_currency(code) == sign


def _book(formats: list[str], other_column: str | None = None) -> bytes:
    """Amounts of 100 in column C, row i formatted formats[i]; column D formatted other_column."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(["Date", "Client", "Revenue", "Cost"])
    for i, code in enumerate(formats):
        sheet.append([dt.date(2024, 1, 5 + i), f"Client {i}", 100, 40])
        sheet.cell(row=i + 2, column=3).number_format = code
        if other_column:
            sheet.cell(row=i + 2, column=4).number_format = other_column
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column(data: bytes, col: int) -> list[str | None]:
    return read_here(data, "fx.xlsx", ImportLimits()).sheets[0].table.column(col).to_pylist()[1:]


def test_a_column_of_two_currency_formats_shows_each_amount_with_its_sign():
    data = _book([EUR, EUR, USD, EUR])
    assert _column(data, 2) == ["€100", "€100", "$100", "€100"]


def test_one_currency_per_column_leaves_the_amounts_as_numbers():
    # Euros in one column, dollars in the other: each column is of one currency.
    data = _book([EUR, EUR, EUR], other_column=USD)
    assert _column(data, 2) == ["100", "100", "100"]
    assert _column(data, 3) == ["40", "40", "40"]


def test_the_minority_currency_is_rejected_not_added(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        counts, parsed, _pre = import_file(conn, _book([EUR, EUR, USD, EUR, EUR]), "fx.xlsx")
        assert (counts.rows_imported, counts.rows_rejected) == (4, 1)
        assert counts.revenue == pytest.approx(400)
        assert "two currencies" in parsed.rejected.iloc[0]["reason"]
    finally:
        conn.close()


def test_of_as_many_amounts_in_each_currency_the_companys_own_is_kept(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        shekel = '#,##0.00\\ "₪"'
        counts, parsed, _pre = import_file(conn, _book([EUR, shekel, USD, shekel, EUR]), "fx.xlsx")
        assert (counts.rows_imported, counts.rows_rejected) == (2, 3)  # the company's ₪ kept
        assert all("other amounts in ₪" in r for r in parsed.rejected["reason"])
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("code", "factor"),
    [
        ("#,##0,", 1000),
        ('#,##0,,"M"', 1_000_000),
        ("#,##0.0,;(#,##0.0,)", 1000),
        ("#,##0", None),
        ("0.00", None),
        ('"$"#,##0,"K"', 1000),
        ("0%", None),
        ("dd/mm/yyyy", None),
    ],
)
def test_the_factor_a_number_format_shows_amounts_divided_by(code, factor):
    from kam_core.ingest.scaled_formats import format_scale

    assert format_scale(code) == factor
