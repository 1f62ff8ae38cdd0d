"""Files of a twenty-sixth round, text files probed shape by shape: JSON lines that are no JSON
on one line (refused in the parser's English words whatever the page's language), lines ended
by NEL in a file with a byte-order mark (read without a word on how)."""

from __future__ import annotations

from tests.hostile.case import Case

_FIRST = b'{"date": "2024-01-05", "client": "Acme", "amount": 1200}\n'

# Line 2 misses its amount's value ('"amount": }'), at character 52.
JSON_VALUE_MISSING = _FIRST + b'{"date": "2024-01-06", "client": "Beta", "amount": }\n'
# Line 3 is cut short: its record never closes.
JSON_CUT_SHORT = (
    _FIRST
    + b'{"date": "2024-01-06", "client": "Beta", "amount": 5}\n'
    + b'{"date": "2024-01-07", "client": "Gam'
)

# Hebrew names in UTF-8 with a byte-order mark, lines ended by NEL (U+0085) alone.
NEL_WITH_BOM = (
    "\ufeffתאריך,לקוח,סכום\x852024-01-05,שטראוס,1200\x852024-01-06,תנובה,300\x85".encode()
)

# An escaped half of a surrogate pair in a name (line 1): an internal error before.
JSON_LONE_SURROGATE = (
    b'{"date": "2024-01-05", "client": "Ac\\ud800me", "amount": 1200.5}\n'
    b'{"date": "2024-01-06", "client": "Beta", "amount": 800}\n'
)


def round26_textprobe_cases() -> list[Case]:
    return [
        Case(
            "json_lines_a_value_missing.csv",
            lambda p: JSON_VALUE_MISSING,
            "line 2 cannot be read: a value is missing, at character 52",
        ),
        Case(
            "json_lines_cut_inside_a_text.csv",
            lambda p: JSON_CUT_SHORT,
            "line 3 cannot be read: a text opened by a quote is not closed, at character 34",
        ),
        Case(
            "nel_lines_with_a_byte_order_mark.csv",
            lambda p: NEL_WITH_BOM,
            rows=2,
            revenue=1500.0,
            names=frozenset({"שטראוס", "תנובה"}),
            note="The lines end in NEL (U+0085)",
        ),
        Case(
            "json_lines_escaped_half_surrogate.csv",
            lambda p: JSON_LONE_SURROGATE,
            rows=1,
            rejected=1,
            reason="not text in the file's encoding (UTF-8)",
            revenue=800.0,
            names=frozenset({"Beta"}),
        ),
    ]
