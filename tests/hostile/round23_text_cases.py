"""Text files of a twenty-third round: Windows-1252 files whose only non-ASCII characters are
signs, and Western DOS, Mac and Central European files told by fewer letters (Mac's ö, DOS's ß
and word-final ö, Polish ę outside cz/sz/rz words, Czech ň)."""

from __future__ import annotations

from tests.hostile.case import Case

_SIGNS = (
    "Date,Client,Amount,Note\r\n"
    "2024-01-05,“Best” Foods,1200,on time – as agreed\r\n"
    "2024-01-06,O’Neill & Co…,800,paid € in full\r\n"
)


_FEWER = "Date,Client,Amount\r\n2024-01-05,{first},1200\r\n2024-01-06,{second},800\r\n"


def _fewer(first: str, second: str, encoding: str) -> Case:
    """Two sales whose names hold the only accents a page is told by."""
    return Case(
        f"few_accents_{first.split()[0].lower()}_{encoding}.csv",
        lambda p: _FEWER.format(first=first, second=second).encode(encoding),
        rows=2,
        revenue=2000.0,
        names=frozenset({first, second}),
        note=encoding,
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
        _fewer("Köln Messe", "Björn Sjöberg", "mac_roman"),
        _fewer("Straße AG", "Weiß & Co", "cp850"),
        _fewer("Malmö AB", "Acme Malmö", "cp850"),
        _fewer("Mięso Sp", "Dębica", "cp1250"),
        _fewer("Plzeň", "Kuňka", "cp1250"),
    ]
