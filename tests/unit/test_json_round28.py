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
