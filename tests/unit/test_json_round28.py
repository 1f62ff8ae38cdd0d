"""JSON that holds no records: a list of single values, or one value a line in a file named as
JSON, is refused as such (it was read as CSV and refused as having no column recognised)."""

from __future__ import annotations

import pytest

from kam_core.config import ImportLimits
from kam_core.i18n.catalogs import use_language
from kam_core.ingest import ImportRefused
from kam_core.ingest.jsonlines import json_kind, refuse_single_values
from kam_core.ingest.read import read_here


@pytest.mark.parametrize(
    ("data", "first"),
    [
        (b"[1, 2, 3]", "the value 1"),
        (b"[\n  -1.5,\n  2\n]\n", "the value -1.5"),
        (b"[true, false]", "the value true"),
        (b"[null]", "the value null"),
        (b"[12345678901234567890123]", "the value 12345678901234567890123"),
    ],
)
def test_a_list_of_plain_values_is_refused_as_json(data, first):
    with pytest.raises(ImportRefused) as caught:
        read_here(data, "values.json", ImportLimits())
    message = str(caught.value)
    assert "JSON list of single values" in message and first in message
    assert "not of records with named fields" in message and '[{"date": ' in message


@pytest.mark.parametrize(
    ("data", "first"),
    [
        (b"1\n2\n3\n", "the value 1"),
        (b'\xef\xbb\xbf"Acme"\r\n\r\n"Beta"\r\n', "the text 'Acme'"),
        (b"true\n", "the value true"),
    ],
)
@pytest.mark.parametrize("name", ["values.jsonl", "values.ndjson", "VALUES.JSON"])
def test_single_values_one_a_line_are_refused_in_a_file_named_as_json(data, first, name):
    with pytest.raises(ImportRefused, match=f"JSON list of single values \\(the first is {first}"):
        read_here(data, name, ImportLimits())


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"1\n2\n3\n", "values.csv"),  # a column of numbers: read as CSV, as before
        (b'1\n{"a": 1}\n', "mixed.jsonl"),  # not single values only
        (b"date,client\n2024-01-05,Acme\n", "sales.json"),  # no JSON at all
    ],
)
def test_other_files_are_not_refused_as_single_values(data, name):
    refuse_single_values(data, name)


def test_a_title_in_brackets_above_a_table_is_no_json_document():
    assert json_kind(b"[1] Sales by client\ndate,client,amount\n2024-01-05,Acme,5\n") is None


def test_the_refusal_is_in_hebrew_too():
    with use_language("he"), pytest.raises(ImportRefused) as caught:
        read_here(b"[1, 2, 3]", "values.json", ImportLimits())
    assert "ערכים בודדים" in str(caught.value) and "values.json" in str(caught.value)


_HEAD = '"Order Date": "2024-01-05", "Customer": "Acme", '


def _notes_and_amounts(text: str, name: str) -> tuple[list[str], list[str]]:
    book = read_here(text.encode(), name, ImportLimits())
    rows = [list(r.values()) for r in book.sheets[0].table.to_pylist()]
    return book.notes, [row[rows[0].index("Amount")] for row in rows[1:]]


def test_a_key_written_twice_in_json_lines_is_noted_with_its_line_and_records():
    text = "".join(
        "{" + _HEAD + amounts + "}\n"
        for amounts in [
            '"Amount": 5',
            '"Amount": 5, "Amount": 7',
            '"Amount": 3, "Amount": 3',  # the same value twice: nothing lost
            '"Amount": 1, "Amount": 2',
            '"Amount": 1 , "Amount" : 4',  # as Jackson's pretty printer writes keys
        ]
    )
    notes, amounts = _notes_and_amounts(text, "sales.jsonl")
    assert amounts == ["5", "7", "3", "2", "4"]
    assert (
        "Key 'Amount' appears twice in a record, with different values (line 2, and 2 more "
        "records); the last value was read in each." in notes
    )


def test_a_key_written_twice_in_a_json_document_is_noted_with_the_line_of_its_record():
    text = "[\n {" + _HEAD + '"Amount": 5},\n {' + _HEAD + '"Amount": 5,\n  "Amount": 7}\n]'
    notes, amounts = _notes_and_amounts(text, "sales.json")
    assert amounts == ["5", "7"]
    assert (
        "Key 'Amount' appears twice in a record, with different values (line 3); the last "
        "value was read." in notes
    )


@pytest.mark.parametrize(
    "text",
    [
        "{" + _HEAD + '"Amount": 5, "Note": "a \\":b"}\n',  # an escaped quote before a colon
        "[{" + _HEAD + '"Amount": 5, "client": {"id": "C1"}}]',  # keys of an inner object
        "[{" + _HEAD + '"Amount": 5, "Amount": 5}]',  # the same value twice
    ],
)
def test_records_holding_no_key_twice_with_different_values_get_no_note(text):
    notes, _amounts = _notes_and_amounts(text, "sales.json")
    assert not any("appears twice" in note for note in notes)


def test_a_record_written_over_lines_one_after_another_is_looked_at_too():
    text = "{" + _HEAD + '\n"Amount": 5, "Amount": 6}\n{' + _HEAD + '\n"Amount": 5}\n'
    notes, amounts = _notes_and_amounts(text, "sales.json")
    assert amounts == ["6", "5"]
    assert any("Key 'Amount' appears twice" in note and "(line 1)" in note for note in notes)


def test_the_note_is_in_hebrew_too():
    text = "{" + _HEAD + '"Amount": 5, "Amount": 7}\n' + "{" + _HEAD + '"Amount": 1, "Amount": 2}\n'
    with use_language("he"):
        notes, _amounts = _notes_and_amounts(text, "sales.jsonl")
    assert any("מופיע פעמיים" in note and "ועוד 1 רשומה" in note for note in notes)
