"""The refusal of a sheet without its needed columns names them as the user knows them."""

from __future__ import annotations

import datetime as dt

import pytest

from kam_core.i18n import use_language
from kam_core.importing import check_layout, preview
from kam_core.ingest import ImportRefused
from kam_core.ingest.mapping_refusal import CLIENT_EITHER, example_headers


def _refusal(data: bytes, name: str, lang: str) -> str:
    pre = preview(None, data, name)
    with use_language(lang), pytest.raises(ImportRefused) as err:
        check_layout(pre)
    return str(err.value)


def test_english_refusal_names_fields_by_label_with_headers_that_would_do():
    message = _refusal(b"Name,Region,Remarks\nDana,North,x\n", "people.csv", "en")
    assert message.startswith(
        "people.csv: no column recognised for order date, revenue, the client (an id or a name)."
    )
    assert "Order date: add a column with a header such as Order date, Date, Invoice date." in (
        message
    )
    assert "Revenue: add a column with a header such as Revenue, Sales, Amount." in message
    assert (
        "Client: add a column with a header such as Client ID, Customer, Customer ID, Client."
        in message
    )
    assert "Columns found (header row 1): Name, Region, Remarks." in message
    assert "--map order_date=COLUMN --map revenue=COLUMN --map client_name=COLUMN" in message


def test_hebrew_refusal_offers_hebrew_headers_and_no_field_codes_in_its_sentences():
    message = _refusal(b"Name,Region,Remarks\nDana,North,x\n", "people.csv", "he")
    sentences = message.split("(")[0]  # the command-line hint at the end keeps the codes
    assert "order_date" not in sentences and "revenue" not in sentences
    assert "לא זוהתה עמודה עבור" in message
    for header in ("תאריך", "תאריך הזמנה", "סכום", "מחזור", "מספר לקוח", "שם לקוח"):
        assert f"\u2068{header}\u2069" in message
    assert "Invoice date" not in message


def test_a_workbook_refusal_names_the_file_and_the_sheet(make_xlsx):
    path = make_xlsx({"Sales": [["Order Date", "Customer", "Remarks"], [dt.date(2024, 1, 5)]]})
    pre = preview(None, path.read_bytes(), path.name)
    with pytest.raises(ImportRefused) as err:
        check_layout(pre)
    message = str(err.value)
    assert message.startswith(f"{path.name}, sheet 'Sales': no column recognised for revenue.")
    assert "Order date:" not in message and "Client:" not in message  # only what is missing
    assert "Revenue: add a column" in message


def test_example_headers_come_from_the_synonyms_of_the_language():
    assert example_headers("order_date", "en") == ["Order date", "Date", "Invoice date"]
    assert example_headers("revenue", "he") == ["סכום", "מחזור", "הכנסה"]
    assert example_headers(CLIENT_EITHER, "he") == ["מספר לקוח", "לקוח", "קוד לקוח", "שם לקוח"]
