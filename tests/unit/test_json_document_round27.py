"""JSON written as one document is read item by item into columns of text: keys first met
after thousands of records, true and false, nested values, commas before a closing bracket."""

from __future__ import annotations

import json

import pytest

from kam_core.config import ImportLimits
from kam_core.ingest import ImportRefused
from kam_core.ingest.jsondoc import read_json_document, trailing_comma
from kam_core.ingest.jsonlines import read_json_lines


def test_a_key_first_met_after_many_records_lines_up_with_its_record():
    records = [{"date": "2024-01-05", "amount": i} for i in range(70_000)]
    records[66_000]["note"] = "late"
    records[5]["paid"] = True
    records[7]["items"] = [{"sku": "A"}]
    doc = read_json_document(json.dumps({"data": records}), "big.json", ImportLimits())
    columns = dict(zip(doc.keys, doc.columns, strict=True))
    assert doc.count == 70_000 and doc.where == "data"
    assert columns["amount"][69_999].as_py() == "69999"
    assert columns["note"][66_000].as_py() == "late"
    assert columns["note"].null_count == 69_999
    assert columns["paid"][5].as_py() == "true"
    assert "items" not in columns and "items" in doc.nested


def test_the_grid_of_a_list_of_rows_keeps_the_first_row_as_the_header():
    data = json.dumps([["date", "client", "amount"], ["2024-01-05", "Acme", 5], ["x"]]).encode()
    grid, notes = read_json_lines(data, "rows.json", ImportLimits())
    rows = grid.table.to_pylist()
    assert [list(r.values()) for r in rows] == [
        ["date", "client", "amount"],
        ["2024-01-05", "Acme", "5"],
        ["x", None, None],
    ]
    assert "a list of lists" in notes[0]


def test_commas_before_a_closing_bracket_are_left_out_and_their_lines_noted():
    text = '[\n {"a": 1,\n  "b": [1, 2,],\n },\n]'
    doc = read_json_document(text, "t.json", ImportLimits())
    assert doc.count == 1
    assert doc.trailing == [3, 4]


@pytest.mark.parametrize(
    ("text", "at"),
    [('{"a": 1,}', 7), ("[1, 2 ,\n]", 6), ('{"a": 1,,}', None), ("[,]", None), ('{"a":}', None)],
)
def test_only_a_comma_after_a_value_counts_as_a_trailing_comma(text, at):
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        assert trailing_comma(text, exc.pos) == at


def test_a_document_over_the_row_bound_is_refused_while_it_is_read():
    limits = ImportLimits(max_rows=100)
    data = json.dumps([{"a": i} for i in range(1_000)])
    with pytest.raises(ImportRefused, match="more than 100 rows"):
        read_json_document(data, "big.json", limits)


def test_a_list_of_single_values_is_refused_saying_what_it_is():
    with pytest.raises(ImportRefused, match="JSON list of single values"):
        read_json_lines(b'["Acme", "Beta"]', "names.json", ImportLimits())


@pytest.mark.parametrize(
    "data",
    [
        b'[{"a": 1, "b": 2, "c": 3, "date": "2024-01-05"}]',
        b'{"a": 1, "b": 2, "c": 3, "date": "2024-01-05"}\n',
        b'{"a": 1, "b": 2, "c": 3, "date": "2024-01-05", "x": 1e400}\n',
    ],
    ids=["document", "json lines", "line by line"],
)
def test_keys_past_the_bound_on_columns_are_said_in_a_note(data):
    grid, notes = read_json_lines(data, "wide.json", ImportLimits(max_columns=3))
    assert grid.table.num_columns == 3
    assert any("keys more than the 3 columns this app reads" in note for note in notes)


def test_an_object_holding_the_records_on_one_line_is_read_as_a_document():
    data = b'{"data": [{"date": "2024-01-05", "client": "Acme", "amount": 5}], "count": 1}\n'
    grid, notes = read_json_lines(data, "api.json", ImportLimits())
    assert grid.table.num_rows == 2  # the keys and the record
    assert "the records of 'data'" in notes[0]


def test_records_each_with_a_trailing_comma_are_read_in_linear_time():
    # Each failed parse counted the lines from the start of the text: 20,000 such records
    # took 7 s of processor time.
    import time

    record = '{"date": "2024-01-05", "client": "Acme", "amount": 5,},\n'
    text = "[" + record * 20_000 + "]"
    start = time.process_time()
    doc = read_json_document(text, "t.json", ImportLimits())
    assert time.process_time() - start < 3.0
    assert doc.count == 20_000
    assert doc.trailing[:2] == [1, 2]


def test_a_value_longer_than_the_piece_looked_at_is_read_whole():
    digits = "7" * 5_000
    text = f'[{{"a": 1,}}, {{"a": {digits}, "b": "{"x" * 3_000}"}}]'
    doc = read_json_document(text, "t.json", ImportLimits())
    columns = dict(zip(doc.keys, doc.columns, strict=True))
    assert columns["a"][1].as_py() == digits
    assert len(columns["b"][1].as_py()) == 3_000
