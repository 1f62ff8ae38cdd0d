"""Reports grouped by client: the client written once, on a group row above its lines."""

from __future__ import annotations

import csv
import io

from kam_core.importing import parse, preview


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _import(rows: list[list[str]], delimiter: str = ","):
    pre = preview(None, _csv(rows, delimiter), "report.csv")
    return pre, parse(pre)


def _per_client(parsed) -> dict[str, float]:
    sums = parsed.rows.groupby("client_name")["revenue"].sum().round(2)
    return {name: float(value) for name, value in sums.items()}


# QuickBooks' Sales by Customer Detail: the client alone on a row, its lines below with column
# A blank, 'Total for X' closing it, a running balance beside the amount.
QUICKBOOKS = [
    ["Acme Co"],
    ["Sales by Customer Detail"],
    ["January - March 2024"],
    [],
    ["", "Type", "Date", "Num", "Memo/Description", "Qty", "Sales Price", "Amount", "Balance"],
    ["Acme Ltd"],
    ["", "Invoice", "01/15/2024", "1001", "Widget", "2", "100.00", "200.00", "200.00"],
    ["", "Invoice", "02/20/2024", "1005", "Gadget", "1", "300.00", "300.00", "500.00"],
    ["", "Credit Memo", "03/01/2024", "CM-3", "Return", "-1", "100.00", "-100.00", "400.00"],
    ["Total for Acme Ltd", "", "", "", "", "", "", "$400.00", "$400.00"],
    ["Bolt Inc"],
    ["", "Invoice", "01/20/2024", "1002", "Widget", "5", "100.00", "500.00", "500.00"],
    ["", "Sales Receipt", "03/10/2024", "1010", "Gizmo", "1", "250.00", "250.00", "750.00"],
    ["Total for Bolt Inc", "", "", "", "", "", "", "$750.00", "$750.00"],
    ["TOTAL", "", "", "", "", "", "", "$1,150.00", "$1,150.00"],
    [],
    ["Accrual Basis Monday, April 1, 2024 09:00 AM GMT-05:00"],
]


def test_a_report_without_a_client_column_reads_the_group_rows_as_clients():
    pre, parsed = _import(QUICKBOOKS)
    assert pre.layout.mapping["client_name"] == 0
    assert any("group rows above their lines" in note for note in pre.notes)
    assert _per_client(parsed) == {"Acme Ltd": 400.0, "Bolt Inc": 750.0}
    assert parsed.rejected.empty
    assert parsed.skipped["group"] == 2
    assert parsed.rows["source_row"].tolist() == [7, 8, 9, 12, 13]
    assert any("group row above its lines" in note and "Acme Ltd" in note for note in parsed.notes)


def test_a_page_line_inside_a_group_keeps_the_group():
    rows = [*QUICKBOOKS[:7], ["Page 2 of 3"], *QUICKBOOKS[7:]]
    _pre, parsed = _import(rows)
    assert _per_client(parsed) == {"Acme Ltd": 400.0, "Bolt Inc": 750.0}


# 1C's sales report: the group row holds the client and its subtotal, no date; ';' and
# decimal commas with non-breaking spaces grouping thousands.
ONE_C = [
    ["Продажи за 1 квартал 2024 г."],
    [],
    ["Контрагент", "Документ продажи", "Дата", "Количество", "Выручка"],
    ['ООО "Ромашка"', "", "", "15", "15\u00a0000,00"],
    ["", "Реализация 00000123 от 15.01.2024", "15.01.2024", "10", "10\u00a0000,00"],
    ["", "Реализация 00000140 от 04.03.2024", "04.03.2024", "5", "5\u00a0000,00"],
    ['АО "Вектор"', "", "", "2", "2\u00a0500,50"],
    ["", "Реализация 00000130 от 02.02.2024", "02.02.2024", "2", "2\u00a0500,50"],
    ["Итого", "", "", "17", "17\u00a0500,50"],
]


def test_a_group_row_holding_its_subtotal_is_skipped_and_names_its_lines():
    _pre, parsed = _import(ONE_C, ";")
    assert _per_client(parsed) == {'ООО "Ромашка"': 15_000.0, 'АО "Вектор"': 2_500.5}
    assert parsed.rejected.empty
    assert parsed.skipped["group"] == 2 and parsed.skipped["total"] == 1


def test_a_group_row_whose_amount_is_not_its_lines_sum_fills_nothing():
    rows = [list(r) for r in ONE_C]
    rows[3][4] = "14\u00a0000,00"  # not 10,000 + 5,000: a row of its own missing its date
    _pre, parsed = _import(rows, ";")
    assert _per_client(parsed) == {'АО "Вектор"': 2_500.5}
    assert set(parsed.rejected["row"]) == {4, 5, 6}


# Salesforce's report grouped by account: the account on the group's first line (a sale of its
# own), blank below, a Subtotal row closing each group.
SALESFORCE = [
    ["Opportunities by Account"],
    [],
    ["Account Name", "Opportunity Name", "Close Date", "Amount", "Opportunity Owner"],
    ["Acme Ltd", "Acme renewal", "1/15/2024", "USD 12,000.00", "Dana"],
    ["", "Acme add-on", "3/2/2024", "USD 3,000.00", "Dana"],
    ["Subtotal", "", "", "USD 15,000.00", ""],
    ["Bolt Inc", "Bolt pilot", "2/10/2024", "USD 8,000.00", "Eli"],
    ["", "Bolt rollout", "3/30/2024", "USD 4,000.00", "Eli"],
    ["", "Bolt extra", "3/31/2024", "USD 1,000.00", "Eli"],
    ["Subtotal", "", "", "USD 13,000.00", ""],
    ["Grand Totals (5 records)", "", "", "USD 28,000.00", ""],
]


def test_lines_of_a_group_its_subtotal_proves_take_the_client_of_its_first_line():
    _pre, parsed = _import(SALESFORCE)
    assert _per_client(parsed) == {"Acme Ltd": 15_000.0, "Bolt Inc": 13_000.0}
    assert len(parsed.rows) == 5 and parsed.rejected.empty
    assert "group" not in parsed.skipped  # the first lines are sales
    assert parsed.skipped["total"] == 3


def test_without_a_subtotal_proving_the_group_lines_without_a_client_are_rejected():
    # A flat list where two rows lack their client: nothing tells whose they are.
    rows = [
        ["Account Name", "Close Date", "Amount"],
        ["Acme Ltd", "1/15/2024", "100"],
        ["", "3/2/2024", "200"],
        ["Bolt Inc", "2/10/2024", "300"],
        ["", "3/30/2024", "400"],
    ]
    _pre, parsed = _import(rows)
    assert _per_client(parsed) == {"Acme Ltd": 100.0, "Bolt Inc": 300.0}
    assert set(parsed.rejected["row"]) == {3, 5}
    assert set(parsed.rejected["reason"]) == {"client is missing (no client id and no client name)"}


def test_a_subtotal_that_does_not_sum_the_group_proves_nothing():
    rows = [list(r) for r in SALESFORCE[:6]]
    rows[5][3] = "USD 16,000.00"
    _pre, parsed = _import(rows)
    assert _per_client(parsed) == {"Acme Ltd": 12_000.0}
    assert list(parsed.rejected["row"]) == [5]


def test_a_blank_row_ends_a_group():
    # A pivot table in outline form: the client alone above its lines; after a blank row, a
    # line without a client belongs to no group.
    rows = [
        ["Client", "Date", "Product", "Amount"],
        ["Acme Ltd", "", "", ""],
        ["", "2024-01-05", "Widget", "100"],
        ["", "2024-01-06", "Gadget", "200"],
        [],
        ["", "2024-01-07", "Gizmo", "50"],
    ]
    _pre, parsed = _import(rows)
    assert _per_client(parsed) == {"Acme Ltd": 300.0}
    assert list(parsed.rejected["row"]) == [6]


def test_a_column_holding_text_beside_other_cells_is_no_group_column():
    # Column A holds a note on some lines: the file has no client column, and is refused so.
    rows = [
        ["", "Date", "Amount"],
        ["Acme Ltd", "", ""],
        ["", "2024-01-05", "100"],
        ["urgent", "2024-01-06", "200"],
    ]
    pre = preview(None, _csv(rows), "report.csv")
    assert "client_name" not in pre.layout.mapping and "client_id" not in pre.layout.mapping


def test_a_group_row_labelled_names_the_client_after_its_label():
    rows = [
        ["", "תאריך", "מסמך", "סכום"],
        ["לקוח: אלקטרה"],
        ["", "05/01/2024", "1001", "1000"],
        ["", "12/01/2024", "1002", "500"],
        ['סה"כ ללקוח אלקטרה', "", "", "1500"],
        ["Customer: Acme Ltd"],
        ["", "15/02/2024", "1003", "700"],
    ]
    _pre, parsed = _import(rows)
    assert _per_client(parsed) == {"אלקטרה": 1_500.0, "Acme Ltd": 700.0}
