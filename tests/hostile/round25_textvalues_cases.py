"""Files of a twenty-fifth round, text files and numbers read as written: ASCII text holding
UTF-8 damage (an overlong form, a surrogate, a character cut short at the end: read as
Windows-1252 or -1250)."""

from __future__ import annotations

from tests.hostile.case import Case

_ASCII_ROWS = [
    f"2024-01-{day:02d},Client {day},{100 * day}\n".encode() for day in range(1, 6)
]


def ascii_with(damage: bytes, at_end: bool = False) -> bytes:
    """Five sales in ASCII, the damage in the fourth client's name, or cut at the file's end."""
    rows = list(_ASCII_ROWS)
    if at_end:
        rows[-1] = rows[-1].rstrip(b"\n") + b"," + damage
    else:
        rows[3] = rows[3].replace(b"Client 4", b"Client" + damage + b"4")
    return b"Date,Client,Amount\n" + b"".join(rows)


# A '/' written overlong (C0 AF), a surrogate in UTF-8 (ED A0 80), a name in Hebrew cut after
# its lead byte at the end of the file: a UTF-8 writer's damage, never a code page's letters.
OVERLONG = ascii_with(b"\xc0\xaf")
SURROGATE = ascii_with(b"\xed\xa0\x80")
CUT_AT_END = ascii_with(b"\xd7", at_end=True)
# One accented letter in ASCII text is Windows-1252's ('Caf\xe9'): read so, as before.
CAFE_1252 = ascii_with(b"\xe9")


def round25_textvalues_cases() -> list[Case]:
    return [
        Case(
            "ascii_with_an_overlong_utf8_form.csv",
            lambda p: OVERLONG,
            rows=4,
            rejected=1,
            reason="not text in the file's encoding (UTF-8)",
            note="Line(s) 5 hold bytes that are not UTF-8 text",
        ),
        Case(
            "ascii_with_a_surrogate_in_utf8.csv",
            lambda p: SURROGATE,
            rows=4,
            rejected=1,
            note="Line(s) 5 hold bytes that are not UTF-8 text",
        ),
        Case(
            "ascii_cut_inside_its_last_character.csv",
            lambda p: CUT_AT_END,
            rows=4,
            rejected=1,
            note="Line(s) 6 hold bytes that are not UTF-8 text",
            revenue=1000.0,
        ),
    ]
