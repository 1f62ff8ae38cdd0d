"""An .xlsb's error cells of codes the reader does not know are written as text cells holding
the error as Excel shows it; every other record stays as written."""

from __future__ import annotations

import struct

from kam_core.ingest.binsheet import (
    FormulaErrorProbe,
    formula_errors_as_text,
    unknown_errors_as_text,
)
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


def _formula_error(code: int) -> bytes:
    formula = struct.pack("<I", 5) + b"\x1e\x01\x00\x00\x00" + struct.pack("<I", 0)
    return _record(0x0B, _CELL + bytes([code]) + bytes(2) + formula)


def test_a_formulas_error_result_becomes_its_text_and_is_found_by_the_probe():
    number = _record(0x09, _CELL + struct.pack("<d", 4.0) + bytes(2) + bytes(8))
    part = number + _formula_error(0x2A) + _formula_error(0x2C)
    assert formula_errors_as_text(part) == number + _record(0x06, _CELL + _wide("#N/A")) + (
        _record(0x06, _CELL + _wide("#SPILL!"))
    )
    probe = FormulaErrorProbe()
    probe.feed(part[:20])  # the record cut between two pieces
    probe.feed(part[20:])
    assert probe.found


def test_the_probe_finds_nothing_in_cells_of_numbers_and_text():
    probe = FormulaErrorProbe()
    for n in range(20_000):
        probe.feed(
            _record(0x05, _CELL + struct.pack("<d", n * 1.37 - 999.5))
            + _record(0x06, _CELL + _wide(f"Client {n}\x0b"))
            + _record(0x02, _CELL + struct.pack("<I", (n * 2654435761) & 0xFFFFFFFF))
        )
    assert not probe.found
