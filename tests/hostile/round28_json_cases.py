"""Files of a twenty-eighth round, on JSON that holds no records: a list of plain numbers or
of true and false, single values one a line in a file named .jsonl (each read as a CSV and
refused as having no column recognised); JSON records holding a key twice with different
values (the last value was read without a word)."""

from __future__ import annotations

from tests.hostile.case import Case

_SINGLE = "the file is a JSON list of single values (the first is "
_TWICE = "Key 'amount' appears twice in a record, with different values (line 2"

# The second record's amount written twice, 300 then 3000: 3000 is read, and noted.
JSON_LINES_KEY_TWICE = (
    b'{"date": "2024-01-05", "client": "Acme", "amount": 1200}\n'
    b'{"date": "2024-01-06", "client": "Beta", "amount": 300, "amount": 3000}\n'
)
JSON_DOCUMENT_KEY_TWICE = (
    b'[\n{"date": "2024-01-05", "client": "Acme", "amount": 1200},\n'
    b'{"date": "2024-01-06", "client": "Beta",\n "amount" : 300,\n "amount" : 3000}\n]\n'
)


def round28_json_cases() -> list[Case]:
    return [
        Case(
            "json_list_of_numbers.json", lambda p: b"[1200, 300, 450]\n", _SINGLE + "the value 1200"
        ),
        Case(
            "json_list_of_numbers_pretty.json",
            lambda p: b"[\n  -1.5,\n  2\n]\n",
            _SINGLE + "the value -1.5",
        ),
        Case("json_list_of_booleans.json", lambda p: b"[true, false]", _SINGLE + "the value true"),
        Case(
            "json_lines_of_single_values.jsonl",
            lambda p: b'"Acme"\n"Beta"\n"Gamma"\n',
            _SINGLE + "the text 'Acme'",
        ),
        Case("json_lines_of_numbers.ndjson", lambda p: b"1200\n300\n", _SINGLE + "the value 1200"),
        Case(
            "json_lines_key_written_twice.jsonl",
            lambda p: JSON_LINES_KEY_TWICE,
            rows=2,
            note=_TWICE + "); the last value was read.",
            revenue=4200.0,
        ),
        Case(
            "json_document_key_written_twice.json",
            lambda p: JSON_DOCUMENT_KEY_TWICE,
            rows=2,
            note=_TWICE.replace("line 2", "line 3") + "); the last value was read.",
            revenue=4200.0,
        ),
    ]
