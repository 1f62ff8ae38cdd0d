"""Files of a twenty-eighth round, on JSON that holds no records: a list of plain numbers or
of true and false, single values one a line in a file named .jsonl (each read as a CSV and
refused as having no column recognised)."""

from __future__ import annotations

from tests.hostile.case import Case

_SINGLE = "the file is a JSON list of single values (the first is "


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
    ]
