"""Excel and CSV exports never hand a spreadsheet a formula to run, in cells or headers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from kam_core.export import neutralise, safe_frame, to_csv_bytes, to_excel_bytes

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://127.0.0.1:9/x","click")',
    "=cmd|' /C calc'!A0",
    "+972 3 555 1234",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
HARMLESS = ["Acme Ltd", 'אלקטרה בע"מ', "Café ☕", "a=b", "", "1-2", "x@y.com"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe_in_front(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_is_left_exactly_as_it_is(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-5, -2.5, 0, None, True])
def test_numbers_and_missing_values_stay_what_they_are(value):
    assert neutralise(value) is value


def frame() -> pd.DataFrame:
    names = DANGEROUS + HARMLESS
    return pd.DataFrame(
        {
            "client_name": names,
            "=HEADER()": [f"row {i}" for i in range(len(names))],
            "segment": pd.Categorical(["@seg" if i % 2 else "plain" for i in range(len(names))]),
            "notes": pd.array(["-note" for _ in names], dtype="string"),
            "revenue": [-float(i) for i in range(len(names))],
        }
    )


def test_a_safe_frame_neutralises_text_columns_of_every_kind_and_the_headers():
    safe = safe_frame(frame())
    assert list(safe.columns) == ["client_name", "'=HEADER()", "segment", "notes", "revenue"]
    assert list(safe["client_name"]) == ["'" + t for t in DANGEROUS] + HARMLESS
    assert set(safe["segment"].astype(str)) == {"'@seg", "plain"}
    assert set(safe["notes"]) == {"'-note"}
    assert list(safe["revenue"]) == [-float(i) for i in range(len(safe))]


def test_an_excel_export_holds_no_formula_and_every_dangerous_text_exactly_as_text():
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"Clients": frame()})))
    sheet = book["Clients"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell is a formula"
    header = [c.value for c in sheet[1]]
    assert header == ["client_name", "=HEADER()", "segment", "notes", "revenue"]
    assert all(c.data_type == "s" for c in sheet[1])
    # The file stores a carriage return as _x000D_, which openpyxl leaves as it is.
    names = [(c.value or "").replace("_x000D_", "\r") for c in sheet["A"][1:]]
    assert names[: len(DANGEROUS)] == DANGEROUS, "string cells need no apostrophe"
    assert all(c.data_type == "s" for c in sheet["A"][1 : 1 + len(DANGEROUS)])
    assert {c.value for c in sheet["C"][1:]} == {"@seg", "plain"}
    assert {c.value for c in sheet["D"][1:]} == {"-note"}
    negatives = [c.value for c in sheet["E"][1:]]
    assert negatives == [-float(i) for i in range(len(negatives))], "numbers stay numbers"
    assert all(c.data_type == "n" for c in sheet["E"][1:])


def test_a_csv_export_neutralises_every_cell_and_header_and_opens_in_excel_as_utf8():
    data = to_csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so Excel reads Hebrew"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    starts = ("=", "+", "@", "\t", "\r")
    for row in rows:
        for value in row[:4]:  # the text columns; revenue is numeric
            assert not value.startswith(starts) and not value.startswith("-"), value
    assert rows[0][1] == "'=HEADER()"
    assert [r[0] for r in rows[1 : 1 + len(DANGEROUS)]] == ["'" + t for t in DANGEROUS]


def test_an_empty_table_exports_its_headers_as_text_and_neutralised_in_csv():
    empty = pd.DataFrame(columns=["=A1", "name"])
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"x": empty}))).active
    assert [c.value for c in sheet[1]] == ["=A1", "name"]
    assert [c.data_type for c in sheet[1]] == ["s", "s"]
    assert to_csv_bytes(empty).decode("utf-8-sig").splitlines()[0] == "'=A1,name"


def test_an_excel_download_holds_its_first_rows_and_says_how_many_more_the_csv_has():
    frame = pd.DataFrame({"client": [f"C{i}" for i in range(25)], "amount": range(25)})
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"x": frame}, max_rows=10))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("client", "amount")
    assert rows[1:11] == [(f"C{i}", i) for i in range(10)]
    assert "15 more rows" in rows[11][0] and "CSV" in rows[11][0]
    assert len(rows) == 12
    whole = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"x": frame}))).active
    assert whole.max_row == 26
