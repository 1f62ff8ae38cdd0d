"""Text files of a twenty-third round: Windows-1252 files whose only non-ASCII characters are
signs, and Western DOS, Mac and Central European files told by fewer letters."""

from __future__ import annotations

from tests.hostile.case import Case

_SIGNS = (
    "Date,Client,Amount,Note\r\n"
    "2024-01-05,“Best” Foods,1200,on time – as agreed\r\n"
    "2024-01-06,O’Neill & Co…,800,paid € in full\r\n"
)


def round23_text_cases() -> list[Case]:
    return [
        Case(
            "windows_1252_signs_only.csv",
            lambda p: _SIGNS.encode("cp1252"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"“Best” Foods", "O’Neill & Co…"}),
            note="cp1252",
        ),
    ]
