"""Files of a twenty-eighth round, on amounts written with a decimal comma: '5,000' beside
'3,5' in one column is read as 5, as the column's mark says, now with a note (it was read so
without a word)."""

from __future__ import annotations

from tests.hostile.case import Case

# A ';' file as Excel writes it where the comma is the decimal mark: 3,5 and 5,000.
SEMICOLONS_COMMA_THREE = (
    b"Date;Customer;Amount\n2024-01-05;Acme;3,5\n2024-01-06;Beta;5,000\n2024-01-07;Gamma;12\n"
)


def round28_decimals_cases() -> list[Case]:
    return [
        Case(
            "decimal_comma_column_with_5,000.csv",
            lambda p: SEMICOLONS_COMMA_THREE,
            rows=3,
            note="values such as '5,000' were read as 5: the column writes decimals with a comma",
            revenue=20.5,
        ),
    ]
