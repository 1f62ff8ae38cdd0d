"""Text files of a twenty-second round: Western text saved by Excel for DOS and for the Mac,
Polish in Windows-1250 whose accents Windows-1252 also has."""

from __future__ import annotations

from tests.hostile.case import Case

_WESTERN = (
    "Date,Client,Amount\r\n"
    "2024-01-05,Müller GmbH,1200\r\n"
    "2024-01-06,Café Zürich,800\r\n"
    "2024-01-07,Peña Ibáñez,300\r\n"
)
_NAMES = frozenset({"Müller GmbH", "Café Zürich", "Peña Ibáñez"})
_POLISH = "Date,Client,Amount\r\n2024-01-05,Gdańsk Port,1200\r\n2024-01-06,Częstochowa Stal,800\r\n"


def round22_text_cases() -> list[Case]:
    return [
        Case(
            "excel_text_ms_dos_cp850.csv",
            lambda p: _WESTERN.encode("cp850"),
            rows=3,
            revenue=2300.0,
            names=_NAMES,
            note="cp850",
        ),
        Case(
            "excel_csv_macintosh_mac_roman.csv",
            lambda p: _WESTERN.replace("\r\n", "\r").encode("mac_roman"),
            rows=3,
            revenue=2300.0,
            names=_NAMES,
            note="mac_roman",
        ),
        Case(
            "polish_cp1250_accents_1252_has.csv",
            lambda p: _POLISH.encode("cp1250"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"Gdańsk Port", "Częstochowa Stal"}),
            note="cp1250",
        ),
    ]
