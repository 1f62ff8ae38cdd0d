"""The corpus cases of issue 10, each with its expected outcome (builders in guarded.py)."""

from __future__ import annotations

from tests.hostile import builders as b
from tests.hostile import guarded as g
from tests.hostile.case import Case

RANGE = "cells per sheet"


def guarded_cases() -> list[Case]:
    """Sheets the range check must find, linear scans, shared text, CSV and poisoned values."""
    long_name = "L" * 200_000
    return [
        # Sheets outside xl/worksheets/, wherever the relationships point.
        Case(
            "sheet_beside_workbook.xlsx",
            lambda p: g.far_cell_at("xl/sheet1.xml", "sheet1.xml"),
            RANGE,
        ),
        Case(
            "sheet_target_with_xl.xlsx",
            lambda p: g.far_cell_at("xl/sheet1.xml", "xl/sheet1.xml"),
            RANGE,
        ),
        Case(
            "sheet_absolute_path.xlsx", lambda p: g.far_cell_at("data/s.xml", "/data/s.xml"), RANGE
        ),
        Case(
            "sheet_named_with_backslashes.xlsx",
            lambda p: g.far_cell_at("xl\\worksheets\\sheet1.xml", "worksheets/sheet1.xml"),
            RANGE,
        ),
        Case(
            "sheet_named_in_capitals.xlsx",
            lambda p: g.far_cell_at("XL/Worksheets/SHEET1.xml", "worksheets/sheet1.xml"),
            RANGE,
        ),
        # Scanning is linear: 300,000 unclosed cell tags with a stray quote.
        Case("unclosed_cell_tags.xlsx", lambda p: g.unclosed_cell_tags(), "not well-formed XML"),
        # One long shared string filling many cells.
        Case(
            "shared_string_in_20000_cells.xlsx",
            lambda p: g.shared_string_amplified(20_000),
            "repeat shared text",
        ),
        Case(
            "shared_string_in_200000_cells.xlsx",
            lambda p: g.shared_string_amplified(200_000),
            "repeat shared text",
        ),
        Case(
            "shared_strings_reasonable.xlsx",
            lambda p: g.shared_string_amplified(2_000, 100),
            rows=2_000,
        ),
        # CSV the old reader could not take.
        Case(
            "csv_field_of_200k_characters.csv",
            lambda p: g.csv(
                ["2024-01-05,Ok One,1", f"2024-01-06,{long_name},2", "2024-01-07,Ok Two,3"]
            ),
            rows=2,
            rejected=1,
            reason="longer than 32,767 characters",
        ),
        Case(
            "csv_unbalanced_quote.csv",
            lambda p: g.csv(
                [
                    "2024-01-05,Ok One,1",
                    '2024-01-06,"Beta,2',
                    "2024-01-07,Ok Two,3",
                    "2024-01-08,Ok Three,4",
                ]
            ),
            rows=3,
            rejected=1,
            reason="never closed",
            names=frozenset({"Ok One", "Ok Two", "Ok Three"}),
        ),
        Case(
            "csv_2000_columns.csv",
            lambda p: b.wide_csv(2_000),
            rows=3,
            note="only the first 1,000 columns are read",
        ),
        Case(
            "csv_blank_lines_over_the_row_bound.csv",
            lambda p: g.blank_lines_over_the_row_bound(),
            "the limit is 5,000,000 rows",
        ),
        Case(
            "csv_utf8_with_one_bad_byte.csv",
            lambda p: g.utf8_with_a_bad_byte(),
            rows=3,
            rejected=1,
            reason="not text",
            names=frozenset(g.HEBREW),
            note="Line(s) 5 hold bytes that are not UTF-8",
        ),
        Case(
            "csv_invisible_characters_in_names.csv",
            lambda p: g.csv(
                ["2024-01-05,\ufeffAcme,1", "2024-01-06,Ac\u200bme,2", "2024-01-07,Acme\u2060,3"]
            ),
            rows=3,
            names=frozenset({"Acme"}),
        ),
        Case(
            "csv_one_nul_byte.csv",
            lambda p: g.csv(["2024-01-05,Ac\x00me,1", "2024-01-06,Beta,2"]),
            rows=2,
            names=frozenset({"Acme", "Beta"}),
        ),
        Case(
            "csv_ragged_rows.csv",
            lambda p: g.ragged_rows(),
            # The long row's values cannot be placed: a separator inside a value would shift
            # them, so it is rejected with the reason beside the short row's.
            rows=1,
            rejected=2,
            reason="beyond the header's last column",
            names=frozenset({"Even"}),
        ),
        # Values that would poison every report.
        Case(
            "amounts_beyond_the_bound.csv",
            lambda p: g.csv(
                [
                    "2024-01-05,A,1e308",
                    "2024-01-06,B,1e309",
                    "2024-01-07,C,-1e309",
                    "2024-01-08,D,1e13",
                    "2024-01-09,E,5",
                    "2024-01-10,F,999999999999",
                ]
            ),
            rows=2,
            rejected=4,
            reason="out of range",
            names=frozenset({"E", "F"}),
        ),
        Case(
            "order_dated_2099.csv",
            lambda p: g.csv(["2024-01-05,A,1", "2099-12-31,B,2", "2024-01-07,C,3"]),
            rows=2,
            rejected=1,
            reason="in the future",
            value="2099-12-31",
        ),
        Case(
            "date_serial_out_of_range.xlsx",
            lambda p: g.serial_out_of_range(),
            rows=2,
            rejected=1,
            reason="order date is not a date",
            value="99999999",
        ),
    ]
