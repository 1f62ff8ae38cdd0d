"""Two columns that could each hold a field, with different values (two 'Amount' columns, two
'Client' columns, 'Amount' and 'Sum'): the import is refused naming both, unless the column
was chosen by hand; the same values twice still import with a note."""

from __future__ import annotations

import openpyxl
import pytest

from kam_core.i18n import use_language
from kam_core.importing import import_file
from kam_core.ingest import ImportRefused
from kam_core.store import connect

TWO_AMOUNTS = b"date,client,amount,amount\n2024-01-05,Acme,1200,5\n2024-01-06,Beta,300,7\n"
TWO_CLIENTS = b"date,client,amount,client\n2024-01-05,Acme,1200,Foo\n2024-01-06,Beta,300,Bar\n"
AMOUNT_AND_SUM = b"date,client,amount,sum\n2024-01-05,Acme,1200,5\n2024-01-06,Beta,300,7\n"


@pytest.fixture
def conn(tmp_path):
    connection = connect(tmp_path / "kam.duckdb")
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (TWO_AMOUNTS, "columns C, D ('amount', 'amount') could each be the revenue"),
        (TWO_CLIENTS, "columns B, D ('client', 'client') could each be the client name"),
        (AMOUNT_AND_SUM, "columns C, D ('amount', 'sum') could each be the revenue"),
    ],
    ids=["two amounts", "two clients", "amount and sum"],
)
def test_two_columns_that_could_each_be_a_field_are_refused_naming_both(conn, data, said):
    with pytest.raises(ImportRefused) as refused:
        import_file(conn, data, "orders.csv")
    assert said in str(refused.value)
    assert "--map" in str(refused.value)


def test_the_refusal_is_worded_in_hebrew(conn):
    with use_language("he"), pytest.raises(ImportRefused) as refused:
        import_file(conn, AMOUNT_AND_SUM, "orders.csv")
    assert "יכולה להיות ההכנסות" in str(refused.value)


@pytest.mark.parametrize(("column", "revenue"), [("D", 12.0), ("sum", 12.0), ("amount", 1500.0)])
def test_a_column_chosen_by_hand_is_read(conn, column, revenue):
    counts, _parsed, _pre = import_file(
        conn, AMOUNT_AND_SUM, "orders.csv", overrides={"revenue": column}
    )
    assert counts.revenue == revenue


def test_the_same_values_under_two_headers_import_with_a_note(conn):
    data = b"date,client,amount,amount\n2024-01-05,Acme,1200,1200\n"
    counts, _parsed, pre = import_file(conn, data, "orders.csv")
    assert counts.rows_imported == 1
    assert any("all headed 'amount'" in note for note in pre.notes)


def test_a_workbook_with_two_client_columns_is_refused_naming_their_letters(conn, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Client", "Amount", "Client"])
    sheet.append(["2024-01-05", "Acme", 100, "Acme Holding"])
    path = tmp_path / "twins.xlsx"
    book.save(path)
    with pytest.raises(ImportRefused, match=r"columns B, D \('Client', 'Client'\)"):
        import_file(conn, path.read_bytes(), "twins.xlsx")


def test_a_net_and_a_gross_amount_are_no_rivals(conn):
    data = b"date,client,net amount,gross amount\n2024-01-05,Acme,100,117\n"
    counts, _parsed, _pre = import_file(conn, data, "orders.csv")
    assert counts.revenue == 100.0
