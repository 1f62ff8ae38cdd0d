"""Files of a twenty-seventh round, text files probed shape by shape: lines ended by the
Unicode line or paragraph separator, files that start with two byte-order marks, JSON written
as one document, duplicate headers."""

from __future__ import annotations

from tests.hostile.case import Case

_ROWS = "date,client,amount{end}2024-01-05,Acme,1200{end}2024-01-06,Beta,300{end}"

# Lines ended by U+2028 (LINE SEPARATOR) alone: one line before, a header without rows.
LINE_SEPARATOR = _ROWS.format(end="\u2028").encode()
# Hebrew names, lines ended by U+2029 (PARAGRAPH SEPARATOR) alone.
PARAGRAPH_SEPARATOR = (
    "תאריך,לקוח,סכום\u20292024-01-05,שטראוס,1200\u20292024-01-06,תנובה,300\u2029".encode()
)
# UTF-8's byte-order mark before UTF-16's: read as UTF-8, the header was bytes of no table.
UTF8_MARK_BEFORE_UTF16 = b"\xef\xbb\xbf" + ("\ufeff" + _ROWS.format(end="\r\n")).encode("utf-16-le")
# UTF-8's mark before UTF-32's: the text's own trailing NULs were cut as padding.
UTF8_MARK_BEFORE_UTF32 = b"\xef\xbb\xbf" + ("\ufeff" + _ROWS.format(end="\n")).encode("utf-32-le")


def round27_textshape_cases() -> list[Case]:
    return [
        Case(
            "round27_lines_end_in_line_separator.csv",
            lambda p: LINE_SEPARATOR,
            rows=2,
            revenue=1500.0,
            names=frozenset({"Acme", "Beta"}),
            note="The lines end in the Unicode line or paragraph separator (U+2028)",
        ),
        Case(
            "round27_hebrew_lines_end_in_paragraph_separator.csv",
            lambda p: PARAGRAPH_SEPARATOR,
            rows=2,
            revenue=1500.0,
            names=frozenset({"שטראוס", "תנובה"}),
            note="(U+2029)",
        ),
        Case(
            "round27_utf8_mark_before_utf16_mark.csv",
            lambda p: UTF8_MARK_BEFORE_UTF16,
            rows=2,
            revenue=1500.0,
            names=frozenset({"Acme", "Beta"}),
            note="2 byte-order marks (UTF-8, UTF-16 LE)",
        ),
        Case(
            "round27_utf8_mark_before_utf32_mark.csv",
            lambda p: UTF8_MARK_BEFORE_UTF32,
            rows=2,
            revenue=1500.0,
            names=frozenset({"Acme", "Beta"}),
            note="it was read in UTF-32 LE",
        ),
    ]
