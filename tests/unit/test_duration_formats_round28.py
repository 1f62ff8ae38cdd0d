"""An .xlsx number cell in an elapsed-time format is written as Excel shows it (36:00), so its
row is rejected showing the duration, as an .ods duration cell's is, whatever its size."""

from __future__ import annotations

import pytest

from kam_core.importing import parse, preview
from kam_core.ingest.duration_formats import duration_format, shown_duration
from tests.hostile.round28_workbooks_cases import xlsx_amounts_in_durations


@pytest.mark.parametrize(
    ("code", "value", "shown"),
    [
        ("[h]:mm", 1.5, "36:00"),
        ("[h]:mm", 0.25, "6:00"),
        ("[hh]:mm", 0.25, "06:00"),
        ("[mm]:ss", 1.5, "2160:00"),
        ("[h]:mm:ss", 1.5, "36:00:00"),
        ("[h]:mm:ss.00", 1.0000001, "24:00:00.01"),
        ("[Red][h]:mm;-[h]:mm", -0.5, "-12:00"),
        ('"Time "[h]:mm', 1.5, "Time 36:00"),
        ("[h]:mm", 1.49999999, "36:00"),  # rounded to the minute shown
    ],
)
def test_a_duration_is_shown_as_excel_shows_it(code, value, shown):
    section = duration_format(code)
    assert section is not None
    assert shown_duration(value, section) == shown


@pytest.mark.parametrize(
    "code", ["h:mm", "mm:ss", "[ss]", "[h]", "d [h]:mm", "[h]:mm AM/PM", "0.00"]
)
def test_other_formats_are_no_duration(code):
    assert duration_format(code) is None


def test_a_duration_too_large_for_excel_is_left_to_its_value():
    assert shown_duration(1e20, "[h]:mm") is None
    assert shown_duration(float("inf"), "[h]:mm") is None


def test_every_amount_in_a_duration_format_rejects_its_row_showing_it():
    parsed = parse(preview(None, xlsx_amounts_in_durations(), "durations.xlsx"))
    rejected = parsed.rejected[["row", "reason", "value"]].to_dict("records")
    assert [(r["row"], r["value"]) for r in rejected] == [
        (2, "36:00"),
        (3, "360:00"),
        (4, "48:00:00"),
    ]
    assert all(r["reason"].startswith("revenue is not an amount") for r in rejected)
