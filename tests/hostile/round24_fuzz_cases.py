"""Files of a twenty-fourth round, found by generating hostile files of every kind: a cell
placed past Excel's last column (the reader worked for minutes on a sheet reaching ZZZZ), and
numbers whose value holds an XML comment or processing instruction (read up to it), Unix times
among written dates (rejected as not a date), an .xls with bytes inserted mid-file and an .ods
asking for two billion spaces in a cell (the reader claimed gigabytes for them), figures
after a direction override (shown reversed, stored as written: 0021 as 21), an .xlsb with a
stray cell far outside the range it declares (the reader worked for minutes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import write_xls
from tests.hostile import rawzip as rz
from tests.hostile.builders import HEADER, text_sales
from tests.hostile.case import Case
from tests.hostile.fifth_cases import ods_sheet
from tests.hostile.round22_workbook_cases import HEADER as XLSB_HEADER
from tests.hostile.round22_workbook_cases import SALES
from tests.hostile.round23_workbook_cases import referenced_numbers
from tests.hostile.tenth_cases import XlsbRow, xlsb

# Values as written in the sheet: 1,200 + 1,500 + 800 (stored 12 + 1 + 800 before).
MARKED = [
    ("Comment Ltd", "<v>12<!-- thousands -->00</v>"),
    ("Instruction Ltd", "<v>1<?writer pause?>500</v>"),
    ("Plain Ltd", "<v>800</v>"),
]
MARKED_REVENUE = 3500.0

# Figures after a direction override, shown reversed: 1200 and 2024-01-05 shown, 0021 and
# 50/10/4202 stored (21 imported); an embedding (RLE) and one figure after an override read.
REVERSED = (
    "Date,Client,Amount\n2024-01-05,Acme,\u202e0021\n\u202e50/10/4202,Beta,100\n"
    "2024-01-07,Gamma,\u202b1200\u202c\n2024-01-08,Delta,\u202e5\n"
).encode()

# Two Unix times (seconds, then milliseconds) among written dates: each row was rejected.
UNIX_AMONG_WRITTEN = (
    b"Date,Client,Amount\n2024-01-05,Acme,1200\n1704448800,Beta,800\n"
    b"1704585599000,Gamma,300\n07/01/2024,Delta,50\n"
)


def far_column(column: str = "ZZZZ") -> bytes:
    """Three sales and a stray value in the given column of the first sale's row."""
    rows = rz.rows_xml([(1, HEADER)])
    for n, (day, client, amount) in enumerate(text_sales(3), start=2):
        stray = rz.cell(f"{column}{n}", 1) if n == 2 else ""
        rows += (
            f'<row r="{n}">{rz.cell(f"A{n}", day)}{rz.cell(f"B{n}", client)}'
            f"{rz.cell(f'C{n}', amount)}{stray}</row>"
        )
    return rz.xlsx([("Sales", rz.sheet_xml(rows))])


def shifted_xls(path: Path) -> bytes:
    """An .xls of 30 sales with 16 bytes inserted mid-file, as a damaged transfer leaves it:
    the container's sectors after them, its directory among them, are out of place."""
    rows = [["Order Date", "Customer", "Amount"]]
    rows += [[dt.date(2024, 1, 1 + i % 28), f"Client {i % 7}", 100.0 * (i + 1)] for i in range(30)]
    data = write_xls(path, {"Sales": rows}).read_bytes()
    middle = len(data) // 2
    return data[:middle] + bytes(16) + data[middle:]


def _ods_cell(value: str, kind: str = "string") -> str:
    number = f' office:value="{value}"' if kind == "float" else ""
    return (
        f'<table:table-cell office:value-type="{kind}"{number}><text:p>{value}</text:p>'
        "</table:table-cell>"
    )


def spaced_ods(runs: list[int]) -> bytes:
    """Two sales in an .ods, the first client's name holding the given runs of spaces, each
    written as one element (<text:s text:c="3"/>), as LibreOffice writes repeated spaces."""
    spaced = "".join(f'<text:s text:c="{count}"/>x' for count in runs)
    name = _ods_cell(f"Ac{spaced}")
    rows = "".join(
        f"<table:table-row>{''.join(cells)}</table:table-row>"
        for cells in (
            [_ods_cell("Date"), _ods_cell("Client"), _ods_cell("Amount")],
            [_ods_cell("2024-01-05"), name, _ods_cell("1200", "float")],
            [_ods_cell("2024-01-06"), _ods_cell("Beta"), _ods_cell("100", "float")],
        )
    )
    return ods_sheet(rows)


def xlsb_stray_outside_declared(col: int = 4_000_000) -> bytes:
    """The three sales in an .xlsb declaring A1:C4, with one stray value in the given column
    (from 0) of the first sale's row, outside the range declared, as a damaged file holds."""
    rows: list[XlsbRow] = [(0, list(enumerate(XLSB_HEADER)))]
    for n, (day, client, amount) in enumerate(SALES, start=1):
        rows.append((n, [(0, day), (1, client), (2, float(amount))]))
    rows[1][1].append((col, 1.0))
    return xlsb(rows, dimension=(0, 3, 0, 2))


def round24_fuzz_cases() -> list[Case]:
    return [
        Case(
            "cell_past_the_last_column.xlsx",
            lambda p: far_column(),
            "its cells reach column ZZZZ, past Excel's last column",
        ),
        Case(
            "numbers_with_comments.xlsx",
            lambda p: referenced_numbers(MARKED),
            rows=3,
            revenue=MARKED_REVENUE,
            names=frozenset(client for client, _ in MARKED),
        ),
        Case(
            "xls_with_bytes_inserted.xls",
            shifted_xls,
            "an Office container without a workbook in it",
        ),
        Case(
            "opendocument_run_of_two_billion_spaces.ods",
            lambda p: spaced_ods([2_000_000_000]),
            "writes 2,000,000,000 spaces into a cell",
        ),
        Case(
            "opendocument_runs_of_spaces.ods",
            lambda p: spaced_ods([3]),
            rows=2,
            revenue=1300.0,
            names=frozenset({"Ac   x", "Beta"}),
        ),
        Case(
            "figures_after_a_direction_override.csv",
            lambda p: REVERSED,
            rows=2,
            rejected=2,
            revenue=1205.0,
            value="\u202e0021",
            reason="revenue is not an amount",
        ),
        Case(
            "xlsb_stray_cell_outside_its_declared_range.xlsb",
            lambda p: xlsb_stray_outside_declared(),
            "its cells reach column HSODE, past Excel's last column",
        ),
        Case(
            "unix_times_among_written_dates.csv",
            lambda p: UNIX_AMONG_WRITTEN,
            rows=4,
            revenue=2350.0,
            dates=frozenset({"2024-01-05", "2024-01-06", "2024-01-07"}),
            note="2 dates among the written ones are Unix times",
        ),
    ]
