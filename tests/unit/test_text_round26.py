"""Text files of a twenty-sixth round: a JSON line that is no JSON refused in the user's
language, saying where and what; lines ended by NEL read with a note saying so."""

from __future__ import annotations

import pytest

from kam_core.i18n import use_language
from kam_core.importing import import_file
from kam_core.ingest.errors import ImportRefused
from tests.hostile.round26_textprobe_cases import (
    JSON_CUT_SHORT,
    JSON_LONE_SURROGATE,
    JSON_VALUE_MISSING,
    NEL_WITH_BOM,
)

_FIRST = '{"date": "2024-01-05", "client": "Acme", "amount": 1200}\n'


def _refusal(conn, data: bytes, lang: str = "en") -> str:
    with use_language(lang), pytest.raises(ImportRefused) as refused:
        import_file(conn, data, "orders.csv")
    return str(refused.value)


def test_a_missing_value_is_named_with_its_line_and_character(conn):
    # The parser's English passed through before: "Expecting value (column 52)".
    message = _refusal(conn, JSON_VALUE_MISSING)
    assert message == (
        "orders.csv: the file holds JSON records, one a line, but line 2 cannot be read: a value "
        "is missing, at character 52 (near ', \"amount\": }')."
    )
    assert "Expecting" not in message


def test_a_missing_value_is_refused_in_hebrew(conn):
    message = _refusal(conn, JSON_VALUE_MISSING, "he")
    assert "אבל את שורה 2 אי אפשר לקרוא: חסר ערך, בתו 52 (ליד '" in message
    assert "Expecting" not in message and "is missing" not in message


@pytest.mark.parametrize(
    ("line", "english", "hebrew"),
    [
        (
            '{"date": "2024-01-06", "client": "Beta" "amount": 5}',
            "a comma is missing between two values, at character 41",
            "חסר פסיק בין שני ערכים, בתו 41",
        ),
        (
            '{"date": "2024-01-06", "client": "Beta", "amount" 5}',
            "a colon is missing after a key, at character 51",
            "חסרות נקודתיים אחרי מפתח, בתו 51",
        ),
        (
            "{'date': '2024-01-06'}",
            "a key is not written in double quotes, at character 2",
            "מפתח אינו כתוב במירכאות כפולות, בתו 2",
        ),
        (
            '{"date": "2024-01-06", "amount": five}',
            "a value is not written as JSON writes values",
            "ערך אינו כתוב כפי ש-JSON כותב ערכים",
        ),
        (
            '{"date": "2024-01-06", "client": "Be\\ta\\q"}',
            "a backslash stands before a character it cannot escape, at character 40",
            "לוכסן הפוך עומד לפני תו",
        ),
        (
            '{"date": "2024-01-06", "amount": 5} {"x": 1}',
            "more follows after the record is closed (one record a line), at character 37",
            "יש המשך אחרי שהרשומה נסגרה",
        ),
        (
            '{"date": "2024-01-06", "amount": [5}',
            "a list or an object is closed by the wrong bracket, at character 36",
            "רשימה או אובייקט נסגרים בסוגר הלא נכון",
        ),
        (
            '{"date": "2024-01-06", "amount": 5',
            "the record ends before it is closed",
            "הרשומה מסתיימת לפני שנסגרה",
        ),
    ],
    ids=[
        "comma",
        "colon",
        "quotes",
        "bare word",
        "escape",
        "extra",
        "bracket",
        "cut",
    ],
)
def test_each_kind_of_damage_is_said_in_both_languages(conn, line, english, hebrew):
    data = (_FIRST + line + "\n").encode()
    assert f"line 2 cannot be read: {english}" in _refusal(conn, data)
    message = _refusal(conn, data, "he")
    assert f"את שורה 2 אי אפשר לקרוא: {hebrew}" in message
    assert "Expecting" not in message


def test_a_record_cut_inside_a_text_names_where_the_text_opens(conn):
    # "Unterminated string starting at: line 1 column 34 (char 33)" in the parser's words.
    assert "line 3 cannot be read: a text opened by a quote is not closed, at character 34" in (
        _refusal(conn, JSON_CUT_SHORT)
    )


def test_lines_ended_by_nel_are_read_with_a_note(conn):
    # Read without a word on how the lines were told apart.
    counts, _parsed, pre = import_file(conn, NEL_WITH_BOM, "mainframe.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 1500.0)
    stored = conn.execute("SELECT client_name, revenue FROM sales ORDER BY source_row").fetchall()
    assert stored == [("שטראוס", 1200.0), ("תנובה", 300.0)]
    assert (
        "The lines end in NEL (U+0085), as in text converted from a mainframe's EBCDIC; each NEL "
        "was read as a line break." in pre.notes
    )


def test_the_nel_note_is_in_hebrew_and_only_where_nel_ends_the_lines(conn):
    with use_language("he"):
        _counts, _parsed, pre = import_file(conn, NEL_WITH_BOM, "mainframe.csv")
    assert any("השורות מסתיימות בתו NEL (U+0085)" in n for n in pre.notes)
    data = "Date,Client,Amount\n2024-01-05,Ac\x85me,1200\n".encode()
    _counts, _parsed, pre = import_file(conn, data, "export.csv")
    assert not any("NEL" in n for n in pre.notes)


def test_an_escaped_half_surrogate_rejects_its_row_only(conn):
    # "the file could not be read (UnicodeEncodeError ...)" before: the whole file refused.
    counts, parsed, _pre = import_file(conn, JSON_LONE_SURROGATE, "orders.csv")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (1, 1, 800.0)
    assert parsed.rejected.iloc[0]["row"] == 2
    assert "not text in the file's encoding (UTF-8)" in parsed.rejected.iloc[0]["reason"]
    stored = conn.execute("SELECT client_name, revenue FROM sales").fetchall()
    assert stored == [("Beta", 800.0)]
