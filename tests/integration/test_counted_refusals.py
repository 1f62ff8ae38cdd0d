"""A refusal that counts rows or cells says one in the singular, in English and Hebrew."""

from __future__ import annotations

import pytest

from kam_core.i18n import strip_isolates, use_language
from kam_core.importing import import_file
from kam_core.ingest import ImportRefused
from kam_core.store import connect

HEADER = b"Order Date,Customer,Amount\n"


def _refusal(tmp_path, body: bytes, lang: str = "en", **options) -> str:
    conn = connect(tmp_path / "kam.duckdb")
    try:
        with use_language(lang), pytest.raises(ImportRefused) as refused:
            import_file(conn, HEADER + body, "sales.csv", **options)
    finally:
        conn.close()
    return strip_isolates(str(refused.value))


def test_the_only_data_row_rejected_is_said_in_the_singular(tmp_path):
    said = _refusal(tmp_path, b"2024-01-05,Acme,lots\n")
    assert "The sheet's 1 data row was rejected: row 2" in said
    assert "row(s)" not in said


def test_several_rejected_rows_are_said_in_the_plural(tmp_path):
    said = _refusal(tmp_path, b"2024-01-05,Acme,lots\n2024-01-06,Beta,many\n")
    assert "All 2 data rows were rejected; first: row 2" in said


def test_all_or_nothing_with_one_rejected_row_says_the_row(tmp_path):
    said = _refusal(tmp_path, b"2024-01-05,Acme,10\n2024-01-06,Beta,many\n", all_or_nothing=True)
    assert "1 row was rejected and all-or-nothing was asked" in said
    assert "The row: sheet 'sales.csv', row 3" in said


def test_in_hebrew_one_rejected_row_is_one_row(tmp_path):
    said = _refusal(tmp_path, b"2024-01-05,Acme,lots\n", lang="he")
    assert "שורת הנתונים היחידה בגיליון (1) נדחתה" in said
    said = _refusal(tmp_path, b"2024-01-05,Acme,10\n2024-01-06,Beta,x\n", "he", all_or_nothing=True)
    assert "1 שורה נדחתה" in said
