"""An .xlsb sheet's used range measured from its records, as the reader places its cells."""

from __future__ import annotations

import struct

import pytest

from kam_core.ingest.binsheet import BinaryExtent, xlsb_sheet_entries
from tests.hostile.tenth_cases import _record, _wide


def _sheet(rows: list[tuple[int, list[int]]], blank: tuple[int, int] | None = None) -> bytes:
    part = _record(0x81) + _record(0x94, struct.pack("<IIII", 0, 2, 0, 2)) + _record(0x91)
    for row, cols in rows:
        part += _record(0x00, struct.pack("<IIH", row, 0, 300) + bytes(7))
        for col in cols:
            part += _record(0x05, struct.pack("<II", col, 0) + struct.pack("<d", 1.5))
        if blank is not None and blank[0] == row:
            part += _record(0x01, struct.pack("<II", blank[1], 0))
    return part + _record(0x92) + _record(0x82)


def _measured(part: bytes, step: int) -> tuple[int, int]:
    extent = BinaryExtent()
    for at in range(0, len(part), step):
        extent.feed(part[at : at + step])
    extent.feed(b"", final=True)
    return extent.max_row, extent.max_col


@pytest.mark.parametrize("step", [1, 2, 3, 5, 7, 9, 10, 17, 64, 1000, 1 << 20])
def test_the_range_is_the_same_however_the_part_is_cut(step):
    part = _sheet([(r, [0, 1, 2]) for r in range(40)] + [(1_048_575, [16_383])])
    assert _measured(part, step) == (1_048_576, 16_384)


def test_a_blank_cell_far_away_is_not_counted_as_the_reader_skips_it():
    part = _sheet([(0, [0, 1, 2]), (1, [0, 1, 2]), (1_048_575, [])], blank=(1_048_575, 16_383))
    assert _measured(part, 1 << 20) == (2, 3)


def test_cells_after_the_sheet_data_or_past_the_last_row_are_not_counted():
    part = _sheet([(0, [0, 1]), (1, [0, 1])])
    after = _record(0x00, struct.pack("<IIH", 9_999, 0, 0) + bytes(7))
    after += _record(0x05, struct.pack("<II", 9_999, 0) + struct.pack("<d", 1))
    assert _measured(part + after, 1 << 20) == (2, 2)
    beyond = _sheet([(0, [0, 1]), (1_048_577, [5_000])])
    assert _measured(beyond, 1 << 20) == (1, 2)


def test_a_record_whose_size_takes_several_bytes_is_passed_over():
    long_text = _record(0x06, struct.pack("<II", 1, 0) + _wide("x" * 70_000))
    part = _sheet([(0, [0])]).replace(_record(0x92), long_text + _record(0x92))
    for step in (3, 4096, 1 << 20):
        assert _measured(part, step) == (1, 2)


def test_the_workbook_part_names_its_sheets_by_relationship():
    book = _record(0x83) + _record(0x8F)
    for n, name in enumerate(["Sales", "מכירות"], start=1):
        book += _record(0x9C, struct.pack("<II", 0, n) + _wide(f"rId{n}") + _wide(name))
    book += _record(0x90) + _record(0x84)
    assert xlsb_sheet_entries(book) == [("rId1", "Sales"), ("rId2", "מכירות")]
    assert xlsb_sheet_entries(book[:-12]) == [("rId1", "Sales")]  # cut short: what is whole
