"""A binary workbook's date cell far below zero rejects its row showing its number as Excel
shows it (-1E+15), not in the figures the reader writes out (-1000000000000000)."""

from __future__ import annotations

import pyarrow as pa

from kam_core.importing import parse, preview
from kam_core.ingest.read import far_below_as_shown
from tests.hostile.round27_xlsbserials_cases import dated_xlsb


def test_only_numbers_far_below_zero_are_written_as_excel_shows_them():
    table = pa.table(
        {
            "c0": ["-1000000000000000", "-100000000000000000000", "-99999999", "45296", None],
            "c1": ["-123456789012.5", "Acme", "-1000000000000000x", "1000000000000000", "-"],
        }
    )
    shown = far_below_as_shown(table).to_pydict()
    assert shown["c0"] == ["-1E+15", "-1E+20", "-99999999", "45296", None]
    assert shown["c1"] == [
        "-1.234567890125E+11",
        "Acme",
        "-1000000000000000x",
        "1000000000000000",
        "-",
    ]


def test_an_xlsb_serial_far_below_zero_is_shown_as_excel_shows_it():
    rows = [
        (-1e20, "Twenty Ltd", 1.0, False),
        (-1e15, "Fifteen Ltd", 1.0, False),
        (45296.0, "Good Ltd", 250.0, False),
    ]
    parsed = parse(preview(None, dated_xlsb(rows), "serials.xlsb"))
    assert parsed.rejected["value"].tolist() == ["-1E+20", "-1E+15"]
    assert set(parsed.rejected["reason"]) == {"order date is not a date"}
