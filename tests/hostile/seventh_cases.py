"""Hostile files of a seventh round: two-digit years first, a line break in an unquoted name,
quotes escaped with a backslash, OpenDocument numbers that are no numbers."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet
from tests.hostile.later_cases import HEADER
from tests.hostile.sixth_cases import shared_by


def year_first_quarter() -> bytes:
    """A quarter dated yy-mm-dd (24-01-03): read as 2024, not as the 24th of 2003."""
    lines = ["Date,Client,Amount"]
    lines += [f"24-{m:02d}-{d:02d},Client {m}{d:02d},{d}" for m in (1, 2, 3) for d in (3, 17, 28)]
    return ("\n".join(lines) + "\n").encode()


def cut_name() -> bytes:
    """A name holding a line break without quotes: the row is cut in two."""
    return (
        b"Date,Client,Amount\n2024-01-05,Acme,100\n2024-01-06,Beta\nWorks,150\n"
        b"2024-01-07,Gamma,200\n"
    )


def backslash_quotes() -> bytes:
    """A database export escaping quotes with a backslash."""
    return (
        b'Date,Client,Amount\n2024-01-05,"Acme \\"Best\\" Ltd",100\n'
        b'2024-01-06,"\\"Q\\" Trading",150\n2024-01-07,Gamma,200\n'
    )


def ods_numbers(value: str) -> bytes:
    """An OpenDocument sheet whose first amount stores value (shown as 1,5) as its number."""

    def cell(shown: str, number: str | None = None) -> str:
        kind = (
            f'office:value-type="float" office:value="{number}"'
            if number is not None
            else ('office:value-type="string"')
        )
        return f"<table:table-cell {kind}><text:p>{shown}</text:p></table:table-cell>"

    rows = [
        [cell("Order Date"), cell("Customer"), cell("Amount")],
        [cell("2024-01-05"), cell("Acme"), cell("1,5", value)],
        [cell("2024-01-06"), cell("Beta"), cell("2.5", "2.5")],
    ]
    body = "".join(f"<table:table-row>{''.join(r)}</table:table-row>" for r in rows)
    return ods_sheet(body)


def no_shared_table() -> bytes:
    """A client cell naming shared text 0 in a workbook without a shared-strings part."""
    rows = rz.rows_xml([(1, HEADER)]) + (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>2024-01-05</t></is></c>'
        '<c r="B2" t="s"><v>0</v></c><c r="C2"><v>5</v></c></row>'
    )
    return rz.xlsx([("Sales", rz.sheet_xml(rows))])


def seventh_cases() -> list[Case]:
    """Cases found by attacking the import with files of a seventh kind."""
    return [
        # Read day first, 24-01-03 was 24 January 2003 and 24-03-28 a date in 2028 (refused).
        Case("year_first_dates.csv", lambda p: year_first_quarter(), rows=9, note="year first"),
        # Each piece was rejected for a missing amount, the cause unsaid.
        Case(
            "line_break_in_unquoted_name.csv",
            lambda p: cut_name(),
            rows=2,
            rejected=2,
            reason="cuts this row in two",
        ),
        # The value ended at the first \": 'Acme \Best\" Ltd"' was stored.
        Case(
            "backslash_escaped_quotes.csv",
            lambda p: backslash_quotes(),
            rows=3,
            names=frozenset({'Acme "Best" Ltd', '"Q" Trading', "Gamma"}),
            note="backslash",
        ),
        # One number stored with a decimal comma refused the whole file as damaged.
        Case("ods_number_with_a_decimal_comma.ods", lambda p: ods_numbers("1,5"), rows=2),
        # The reader refused a shared-text index past the table's end without naming its cell.
        Case(
            "shared_index_past_the_end.xlsx",
            lambda p: shared_by(["1", "99", "2"]),
            "cell B3 refers to shared text number 99",
        ),
        Case(
            "shared_index_past_the_end_in_row_150001.xlsx",
            lambda p: shared_by(["1"] * 149_999 + ["3"]),
            "cell B150001 refers to shared text number 3",
        ),
        Case("shared_text_without_a_table.xlsx", lambda p: no_shared_table(), "cell B2"),
        # A stored number of a million digits and a letter: looked at in linear time.
        Case(
            "ods_number_of_a_million_digits.ods",
            lambda p: ods_numbers("1" * 1_000_000 + "x"),
            rows=2,
        ),
    ]
