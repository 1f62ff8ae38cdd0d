"""An amount such as '5,000' in a column that writes decimals with a comma ('3,5') is read as
5, as the column's mark says, and noted with the column and an example (it was read so without
a word), in sales and in master data."""

from __future__ import annotations

import pyarrow as pa
import pytest

from kam_core.i18n.catalogs import use_language
from kam_core.importing import parse, preview
from kam_core.ingest import read_file
from kam_core.ingest.master import detect_sheets, parse_master
from kam_core.ingest.parse import comma_decimals_in_doubt

_NOTE = "values such as '5,000' were read as 5: the column writes decimals with a comma, as '3,5'."


@pytest.mark.parametrize(
    "data",
    [
        b"Date;Customer;Amount\n2024-01-05;Acme;3,5\n2024-01-06;Beta;5,000\n",
        b'Date,Customer,Amount\n2024-01-05,Acme,"3,5"\n2024-01-06,Beta,"5,000"\n',
    ],
    ids=["semicolons", "commas"],
)
def test_a_sales_amount_read_as_decimals_beside_a_decimal_comma_is_noted(data):
    pre = preview(None, data, "sales.csv")
    parsed = parse(pre)
    assert sorted(parsed.rows["revenue"]) == [3.5, 5.0]
    notes = [*pre.notes, *parsed.notes]
    assert any(note.startswith("C (Amount): " + _NOTE) for note in notes), notes


@pytest.mark.parametrize(
    "cells",
    [
        ["3,5", "0,500"],  # 0,500 groups no thousands
        ["1.234,5", "5,000"],  # the point groups thousands: the column says how it writes
        ["3,5", "12,25"],
        ["5,000", "12"],  # no decimal comma shown: the comma groups thousands (noted elsewhere)
        ["1,234.50", "3,5"],  # both marks: refused cell by cell (decimal_marks_mixed)
    ],
)
def test_columns_that_leave_no_doubt_get_no_note(cells):
    assert comma_decimals_in_doubt(pa.array(cells, pa.string())) is None


def test_currency_signs_do_not_hide_the_doubt():
    doubt = comma_decimals_in_doubt(pa.array(["₪3,5", "₪5,000", None], pa.string()))
    assert doubt == ("₪5,000", "₪3,5")


def test_a_master_data_amount_is_noted_too(make_xlsx):
    rows = [
        ["Customer", "Subject", "Amount"],
        ["Acme", "Boilers", "3,5"],
        ["Beta", "Pumps", "5,000"],
    ]
    path = make_xlsx({"Tenders": rows}, name="master.xlsx")
    book = read_file(path.read_bytes(), path.name)
    (layout,) = detect_sheets(book)
    sheet = parse_master(book.sheet(layout.sheet), layout)
    assert any(
        note.startswith("sheet 'Tenders', column 'Amount': " + _NOTE) for note in sheet.notes
    ), sheet.notes


def test_the_note_is_in_hebrew_too():
    data = b"Date;Customer;Amount\n2024-01-05;Acme;3,5\n2024-01-06;Beta;5,000\n"
    with use_language("he"):
        pre = preview(None, data, "sales.csv")
        notes = [*pre.notes, *parse(pre).notes]
    assert any("'5,000'" in note and "'3,5'" in note and "פסיק" in note for note in notes)
