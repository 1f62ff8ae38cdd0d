"""An .xlsb's error cells of codes the reader does not know are written as text cells holding
the error as Excel shows it; every other record stays as written."""

from __future__ import annotations

import struct

from kam_core.ingest.binsheet import unknown_errors_as_text
from tests.hostile.tenth_cases import _record, _wide

_CELL = struct.pack("<II", 2, 5)  # column C, cell format 5


def test_a_newer_error_becomes_its_text_and_the_records_around_it_stay():
    before = _record(0x05, _CELL + struct.pack("<d", 12.5))
    known = _record(0x03, _CELL + bytes([0x2A]))  # #N/A: the reader reads it
    after = _record(0x92) + _record(0x03, _CELL + bytes([0x2C]))  # past the cells: left
    part = before + _record(0x03, _CELL + bytes([0x2C])) + known + after
    assert unknown_errors_as_text(part) == before + _record(0x06, _CELL + _wide("#SPILL!")) + (
        known + after
    )


def test_an_error_of_a_code_no_table_names_is_written_with_its_code():
    part = _record(0x03, _CELL + bytes([0x63]))
    assert unknown_errors_as_text(part) == _record(0x06, _CELL + _wide("#ERROR 99"))
