"""Files of a fourteenth round: reports grouped by client, the client written once on a group
row above its lines."""

from __future__ import annotations

import io

import openpyxl

from tests.hostile.case import Case


def _lines(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _customer_detail() -> bytes:
    """A 'Sales by Customer Detail' workbook: the client alone in column A, its lines below."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales by Customer Detail"
    rows = [
        ["Acme Co"],
        ["Sales by Customer Detail"],
        ["January - March 2024"],
        [],
        [None, "Type", "Date", "Num", "Memo/Description", "Qty", "Amount", "Balance"],
        ["Acme Ltd"],
        [None, "Invoice", "01/15/2024", "1001", "Widget", 2, 200.0, 200.0],
        [None, "Invoice", "02/20/2024", "1005", "Gadget", 1, 300.0, 500.0],
        ["Total for Acme Ltd", None, None, None, None, None, 500.0, 500.0],
        ["Bolt Inc"],
        [None, "Invoice", "01/20/2024", "1002", "Widget", 5, 500.0, 500.0],
        ["Total for Bolt Inc", None, None, None, None, None, 500.0, 500.0],
        ["TOTAL", None, None, None, None, None, 1000.0, 1000.0],
    ]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _two_header_rows() -> bytes:
    """A header of two rows, the upper one's labels merged over the columns they name."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Invoice", None, "Customer", None, "Sales", None])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:D1")
    sheet.merge_cells("E1:F1")
    sheet.append(["Date", "Number", "Code", "Name", "Amount", "Quantity"])
    sheet.append(["2024-01-05", "1", "C1", "Acme Ltd", 100, 1])
    sheet.append(["2024-02-05", "2", "C2", "Bolt Inc", 200, 2])
    sheet.append(["2024-03-05", "3", "C1", "Acme Ltd", 300, 3])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fourteenth_cases() -> list[Case]:
    """The fourteenth round's cases."""
    return [
        # The client alone on a group row, no client column: the file was refused for having
        # none ("no column recognised for the client").
        Case(
            "sales_by_customer_detail.xlsx",
            lambda p: _customer_detail(),
            rows=3,
            revenue=1_000.0,
            names=frozenset({"Acme Ltd", "Bolt Inc"}),
            note="names the clients on group rows",
        ),
        # The group row holds the client and its subtotal, without a date: every line was
        # rejected for a missing client, the group rows for a missing date.
        Case(
            "sales_grouped_with_subtotals.csv",
            lambda p: _lines(
                "Контрагент;Документ;Дата;Выручка",
                'ООО "Ромашка";;;15 000,00',
                ";Реализация 123;15.01.2024;10 000,00",
                ";Реализация 140;04.03.2024;5 000,00",
                'АО "Вектор";;;2 500,50',
                ";Реализация 130;02.02.2024;2 500,50",
                "Итого;;;17 500,50",
            ),
            rows=3,
            revenue=17_500.5,
            names=frozenset({'ООО "Ромашка"', 'АО "Вектор"'}),
            note="on a group row above its lines",
        ),
        # The client on the group's first line only, a Subtotal summing the group: the other
        # lines were rejected (12,000 stored for 15,000).
        Case(
            "opportunities_by_account.csv",
            lambda p: _lines(
                "Account Name,Opportunity Name,Close Date,Amount",
                "Acme Ltd,Renewal,1/15/2024,12000",
                ",Add-on,3/2/2024,3000",
                "Subtotal,,,15000",
                "Bolt Inc,Pilot,2/10/2024,8000",
                "Subtotal,,,8000",
                "Grand Totals (3 records),,,23000",
            ),
            rows=3,
            revenue=23_000.0,
            names=frozenset({"Acme Ltd", "Bolt Inc"}),
        ),
        # A header of two rows ('Customer' over 'Code' and 'Name'): the upper row was taken
        # as the header, and the file refused for having no date column.
        Case(
            "two_header_rows.xlsx",
            lambda p: _two_header_rows(),
            rows=3,
            revenue=600.0,
            ids=frozenset({"C1", "C2"}),
            note="make one header",
        ),
        # 'Return' beside 'One-way' is a return ticket, a sale (stored as a credit note, the
        # total went negative).
        Case(
            "ticket_type_return.csv",
            lambda p: _lines(
                "Date,Client,Type,Revenue",
                "2024-01-05,Acme,One-way,300",
                "2024-01-06,Beta,Return,550",
                "2024-01-08,Delta,One-way,250",
            ),
            rows=3,
            revenue=1_100.0,
        ),
        # A title naming no unit of the amounts ('dd/mm/yyyy', a town called Thousand Oaks)
        # multiplied every amount by a million or a thousand.
        Case(
            "title_with_a_date_format.csv",
            lambda p: _lines(
                "Sales report - dates as dd/mm/yyyy",
                "",
                "Date,Client,Amount",
                "05/01/2024,Acme,100",
                "06/01/2024,Beta,200",
            ),
            rows=2,
            revenue=300.0,
        ),
        # Lines without a client and nothing proving whose they are stay rejected.
        Case(
            "lines_missing_their_client.csv",
            lambda p: _lines(
                "Account Name,Close Date,Amount",
                "Acme Ltd,1/15/2024,100",
                ",3/2/2024,200",
                "Bolt Inc,2/10/2024,300",
            ),
            rows=2,
            rejected=1,
            revenue=400.0,
            reason="client is missing",
        ),
    ]
