"""A header of two rows: a label of the upper row names the columns below it."""

from __future__ import annotations

from kam_core.importing import parse, preview


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_labels_of_the_row_above_join_the_columns_below_them():
    data = _csv(
        "Invoice,,Customer,,Sales,",
        "Date,Number,Code,Name,Amount,Quantity",
        "2024-01-05,1,C1,Acme Ltd,100,1",
        "2024-02-05,2,C2,Bolt Inc,200,2",
        "2024-03-05,3,C1,Acme Ltd,300,3",
    )
    pre = preview(None, data, "sales.csv")
    assert pre.layout.header_row == 2
    assert pre.layout.mapping_labels() == {
        "order_date": "Invoice Date",
        "client_id": "Customer Code",
        "client_name": "Customer Name",
        "revenue": "Sales Amount",
        "order_id": "Invoice Number",
    }
    assert any("make one header" in note for note in pre.notes)
    parsed = parse(pre)
    assert parsed.rows.groupby("client_id")["revenue"].sum().to_dict() == {"C1": 400.0, "C2": 200.0}


def test_a_header_over_its_first_data_row_is_not_read_as_two_rows():
    data = _csv("Date,Customer,Amount", "2024-01-05,Acme Ltd,100", "2024-01-06,Bolt Inc,200")
    pre = preview(None, data, "sales.csv")
    assert pre.layout.header_row == 1 and not pre.layout.two_rows
    assert len(parse(pre).rows) == 2


def test_a_title_row_over_a_full_header_is_left_as_a_title():
    data = _csv(
        "Sales report,Q1 2024,,Printed,2024-04-01",
        "Date,Customer,Product,Quantity,Amount",
        "2024-01-05,Acme Ltd,Widget,1,100",
    )
    pre = preview(None, data, "sales.csv")
    assert pre.layout.header_row == 2 and not pre.layout.two_rows
    assert pre.layout.mapping_labels()["revenue"] == "Amount"


def test_a_header_over_a_row_of_words_and_figures_is_not_joined_to_it():
    # 'SOP Type' over 'Invoice' maps an order id more: the lower row is data all the same.
    data = _csv(
        "Date,Customer,SOP Type,Amount",
        "2024-01-05,Acme Ltd,Invoice,1000.00",
        "2024-02-05,Acme Ltd,Return,300.00",
    )
    pre = preview(None, data, "sales.csv")
    assert pre.layout.header_row == 1 and not pre.layout.two_rows
    assert parse(pre).rows["revenue"].tolist() == [1000.0, -300.0]
