"""Files of a twenty-fifth round, text files and numbers read as written: ASCII text holding
UTF-8 damage (an overlong form, a surrogate, a character cut short at the end: read as
Windows-1252 or -1250), JSON lines holding 1e400 (the whole file refused naming 'row 1'), a
blank line, a bad byte (an internal error) or 100,000 nested brackets (refused as needing more
than 2 GB), amounts of 1e-400 (stored as 0), lines ended by NEL (a header without rows) and a
NEL inside a name (read as a space: 'Ac me', a second client beside 'Acme')."""

from __future__ import annotations

from tests.hostile.case import Case

_ASCII_ROWS = [f"2024-01-{day:02d},Client {day},{100 * day}\n".encode() for day in range(1, 6)]


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


# JSON lines: 1e400 on line 3 after a blank line, NaN on line 4, a client code of 20 digits
# (a double keeps 17), the rest read: Acme 1,200.50 and Gamma 300.
JSON_NOT_DOUBLES = (
    b'{"date": "2024-01-05", "client": "Acme", "client_id": 12345678901234567890, '
    b'"amount": 1200.50}\n\n'
    b'{"date": "2024-01-06", "client": "Beta", "client_id": 2, "amount": 1e400}\n'
    b'{"date": "2024-01-07", "client": "Delta", "client_id": 3, "amount": NaN}\n'
    b'{"date": "2024-01-08", "client": "Gamma", "client_id": 4, "amount": 300}\n'
)
# A byte that is not UTF-8 in one record's name (line 2): that row rejected.
JSON_BAD_BYTE = (
    b'{"date": "2024-01-05", "client": "Acme", "amount": 1200}\n'
    b'{"date": "2024-01-06", "client": "B\xffeta", "amount": 800}\n'
    b'{"date": "2024-01-07", "client": "Gamma", "amount": 300}\n'
)


# Amounts past a double's smallest: 1e-400 and -2.5E-330 (stored as 0 and as a figure of a few
# digits) rejected; 0e-400, a written zero, stored as 0.
UNDERFLOW = (
    b"Date,Client,Amount\n2024-01-05,Acme,1200\n2024-01-06,Beta,1e-400\n"
    b"2024-01-07,Gamma,-2.5E-330\n2024-01-08,Delta,0e-400\n"
)


# Lines ended by NEL alone (U+0085), as text converted from a mainframe's EBCDIC: one line, a
# header without rows, before. A NEL inside a name is no line break (Excel shows nothing).
NEL_LINES = "Date,Client,Amount\x852024-01-05,Acme,1200\x852024-01-06,Beta,100\x85".encode()
NEL_IN_NAME = "Date,Client,Amount\n2024-01-05,Ac\x85me,1200\n2024-01-06,Acme,100\n".encode()


def json_nested(depth: int) -> bytes:
    """A record whose key holds lists nested depth deep, after a plain record."""
    return (
        b'{"date": "2024-01-05", "client": "Acme", "amount": 1200}\n'
        b'{"date": "2024-01-06", "client": "Beta", "amount": 5, "x": '
        + b"[" * depth
        + b"]" * depth
        + b"}\n"
    )


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
        Case(
            "json_lines_numbers_a_double_does_not_keep.csv",
            lambda p: JSON_NOT_DOUBLES,
            rows=2,
            rejected=2,
            value="1e400",
            reason="revenue is out of range",
            ids=frozenset({"12345678901234567890", "4"}),
            revenue=1500.5,
        ),
        Case(
            "json_lines_with_a_bad_byte.csv",
            lambda p: JSON_BAD_BYTE,
            rows=2,
            rejected=1,
            reason="not text in the file's encoding (UTF-8)",
            revenue=1500.0,
        ),
        Case(
            "amounts_too_small_for_a_number.csv",
            lambda p: UNDERFLOW,
            rows=2,
            rejected=2,
            value="1e-400",
            reason="not zero, but too small for a number to hold",
            revenue=1200.0,
        ),
        Case(
            "lines_ended_by_nel.csv",
            lambda p: NEL_LINES,
            rows=2,
            revenue=1300.0,
            names=frozenset({"Acme", "Beta"}),
        ),
        Case(
            "nel_inside_a_name.csv",
            lambda p: NEL_IN_NAME,
            rows=2,
            revenue=1300.0,
            names=frozenset({"Acme"}),
        ),
        Case(
            "json_lines_nested_100000_deep.csv",
            lambda p: json_nested(100_000),
            "line 2 nests lists or objects 100,001 deep; the bound is 64",
        ),
    ]
