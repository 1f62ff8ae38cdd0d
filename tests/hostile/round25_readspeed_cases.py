"""Files of a twenty-fifth round, on the worker's read speed: a CSV larger than one of the
blocks it is written in as it is read, with a value holding a line break, a blank line and a
byte that is not UTF-8 at the first block's end; a CSV of old Mac line ends (CR alone), counted
where it lies; a workbook read beside its scan whose last sheet holds an error cell the reader
refuses (#SPILL!), so the sheets are read again once the cell is rewritten as text."""

from __future__ import annotations

import io
import zipfile

from tests.hostile import rawzip as rz
from tests.hostile.case import Case

_BLOCK = 8 << 20  # the block a large CSV is read and written in (csvread.WHOLE_BLOCK)
_LINE = "2024-01-05,Zoë Ltd,1,\n".encode()
_BEFORE = _BLOCK // len(_LINE)  # sales of 1 filling the first block
_AFTER = 40_000  # sales of 4 after the odd rows
_EDGE = (
    b'2024-01-06,Acme,2,"two\nlines"\n'  # a value holding a line break
    b"\n"  # a blank line
    b"2024-01-07,Caf\xe9 Ltd,3,\n"  # a byte that is not UTF-8: the row is rejected
)


def _blocks_edge() -> bytes:
    """Over one block of UTF-8 sales, the odd rows at its end, then more sales."""
    head = b"Order Date,Customer,Amount,Note\n"
    return head + _LINE * _BEFORE + _EDGE + b"2024-01-08,Beta,4,\n" * _AFTER


_MAC = b"Order Date,Customer,Amount\r2024-01-05,Acme,100\r2024-01-06,Beta,20\r2024-01-07,Gamma,3\r"

_SALES = 24_000  # inline text stored unpacked: over 4 MB, read beside the scan


def _stored(data: bytes) -> bytes:
    """The archive again with every member stored, not deflated."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for member in source.infolist():
            target.writestr(member.filename, source.read(member))
    return out.getvalue()


def _last_sheet_error() -> bytes:
    """24,000 sales of 1 on the first sheet; a last sheet of notes holding an error cell."""
    rows = [(1, ["Order Date", "Customer", "Amount"])]
    rows += [
        (i + 2, [f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}", f"Client {i % 30}", 1])
        for i in range(_SALES)
    ]
    notes = [(1, ["Checked by", "Dana"]), (2, ["Lookup", "#SPILL!"])]
    book = rz.xlsx(
        [("Sales", rz.sheet_xml(rz.rows_xml(rows))), ("Notes", rz.sheet_xml(rz.rows_xml(notes)))]
    )
    data = _stored(book)
    assert len(data) > 4 << 20
    return data


def round25_readspeed_cases() -> list[Case]:
    return [
        Case(
            "over_one_block_odd_rows_at_its_end.csv",
            lambda p: _blocks_edge(),
            rows=_BEFORE + 1 + _AFTER,
            rejected=1,
            reason="not text",
            revenue=float(_BEFORE + 2 + 4 * _AFTER),
            names=frozenset({"Zoë Ltd", "Acme", "Beta"}),
        ),
        Case(
            "old_mac_line_ends.csv",
            lambda p: _MAC,
            rows=3,
            revenue=123.0,
            names=frozenset({"Acme", "Beta", "Gamma"}),
        ),
        Case(
            "read_beside_last_sheet_error_cell.xlsx",
            lambda p: _last_sheet_error(),
            rows=_SALES,
            revenue=float(_SALES),
            names=frozenset(f"Client {k}" for k in range(30)),
        ),
    ]
