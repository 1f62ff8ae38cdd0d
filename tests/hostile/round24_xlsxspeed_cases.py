"""Workbooks of a twenty-fourth round, on the scan's speed: sheets of inline text many of the
scan's pieces long, where one cell far in is written so the reader would misread it (inline
text as a value, a number holding a character reference after text holding '&amp;', an
attribute in single quotes). The scan's quicker searches must still find each, wherever it
falls, and the import read every row as written."""

from __future__ import annotations

from tests.hostile import rawzip as rz
from tests.hostile.case import Case

_ROWS = 60_000  # about 12 MB of sheet XML: a dozen of the scan's pieces
_AT = 50_000  # the odd cell's sale, far past the first pieces


def _sheet(odd: str) -> bytes:
    """60,000 sales of 1 each (client i % 40); sale _AT's amount cell written as odd."""
    rows = [(1, ["Order Date", "Customer", "Amount"])]
    rows += [
        (i + 2, [f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}", f"Client {i % 40}", 1])
        for i in range(_ROWS)
    ]
    xml = rz.rows_xml(rows)
    row = _AT + 2
    plain = f'<c r="C{row}"><v>1</v></c>'
    assert plain in xml
    xml = xml.replace(plain, odd.format(ref=f"C{row}"))
    xml = xml.replace("Client 7<", "Client 7 &amp; Sons<")  # '&' in text from the start
    return rz.xlsx([("Sales", rz.sheet_xml(xml))])


def round24_xlsxspeed_cases() -> list[Case]:
    names = frozenset({"Client 7 & Sons"} | {f"Client {i}" for i in range(40) if i != 7})
    return [
        Case(
            "inline_sheet_far_inline_value.xlsx",
            lambda p: _sheet('<c r="{ref}" t="inlineStr"><v>1200</v></c>'),
            rows=_ROWS,
            revenue=_ROWS - 1 + 1200.0,
            names=names,
        ),
        Case(
            "inline_sheet_far_number_with_character_reference.xlsx",
            lambda p: _sheet('<c r="{ref}"><v>1&#160;200</v></c>'),
            rows=_ROWS,
            revenue=_ROWS - 1 + 1200.0,
            names=names,
        ),
        Case(
            "inline_sheet_far_single_quoted_type.xlsx",
            lambda p: _sheet("<c r=\"{ref}\" t='n'><v>1200</v></c>"),
            rows=_ROWS,
            revenue=_ROWS - 1 + 1200.0,
            names=names,
        ),
    ]
