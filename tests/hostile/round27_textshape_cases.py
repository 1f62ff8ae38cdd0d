"""Files of a twenty-seventh round, text files probed shape by shape: lines ended by the
Unicode line or paragraph separator, files that start with two byte-order marks, JSON written
as one document, duplicate headers."""

from __future__ import annotations

import json

from tests.hostile.case import Case

_ROWS = "date,client,amount{end}2024-01-05,Acme,1200{end}2024-01-06,Beta,300{end}"

# Lines ended by U+2028 (LINE SEPARATOR) alone: one line before, a header without rows.
LINE_SEPARATOR = _ROWS.format(end="\u2028").encode()
# JSON lines of lists, the first naming the columns; records a line with a comma after each:
# refused as "a JSON list of single values" and as "a value is missing".
JSON_LINES_OF_LISTS = (
    b'["date", "client", "amount"]\n["2024-01-05", "Acme", 1200]\n["2024-01-06", "Beta", 300]\n'
)
JSON_RECORDS_WITH_COMMAS = (
    b'{"date": "2024-01-05", "client": "Acme", "amount": 1200},\n'
    b'{"date": "2024-01-06", "client": "Beta", "amount": 300},\n'
)
# Hebrew names, lines ended by U+2029 (PARAGRAPH SEPARATOR) alone.
PARAGRAPH_SEPARATOR = (
    "תאריך,לקוח,סכום\u20292024-01-05,שטראוס,1200\u20292024-01-06,תנובה,300\u2029".encode()
)
# UTF-8's byte-order mark before UTF-16's: read as UTF-8, the header was bytes of no table.
UTF8_MARK_BEFORE_UTF16 = b"\xef\xbb\xbf" + ("\ufeff" + _ROWS.format(end="\r\n")).encode("utf-16-le")
# UTF-8's mark before UTF-32's: the text's own trailing NULs were cut as padding.
UTF8_MARK_BEFORE_UTF32 = b"\xef\xbb\xbf" + ("\ufeff" + _ROWS.format(end="\n")).encode("utf-32-le")


_RECORDS = [
    {"date": "2024-01-05", "client": "Acme", "amount": 1200},
    {"date": "2024-01-06", "client": "Beta", "amount": 300},
]
# A comma before the closing brace of a record: the whole file was refused for it.
JSON_LINES_TRAILING_COMMA = (
    b'{"date": "2024-01-05", "client": "Acme", "amount": 1200,}\n'
    b'{"date": "2024-01-06", "client": "Beta", "amount": 300}\n'
)
# Pretty-printed documents: read as CSV before ("no column recognised" naming "Column A").
JSON_WRAPPED = json.dumps({"data": _RECORDS, "count": 2}, indent=2).encode()
JSON_PRETTY_ARRAY = json.dumps(_RECORDS, indent=4).encode()
JSON_ROWS = json.dumps(
    [["date", "client", "amount"], *[list(r.values()) for r in _RECORDS]], indent=2
).encode()
# pandas' to_json(orient="split"): the names beside the rows.
JSON_SPLIT = json.dumps(
    {
        "columns": ["date", "client", "amount"],
        "index": [0, 1],
        "data": [list(r.values()) for r in _RECORDS],
    }
).encode()
# Records one after another, each over several lines.
JSON_RECORDS_OVER_LINES = b"\n".join(json.dumps(r, indent=2).encode() for r in _RECORDS)
# An API's answer: the records two levels down, in Hebrew.
JSON_HEBREW_API = json.dumps(
    {
        "status": "ok",
        "result": {
            "total": 2,
            "items": [
                {"תאריך": "2024-01-05", "לקוח": "שטראוס", "סכום": 1200},
                {"תאריך": "2024-01-06", "לקוח": "תנובה", "סכום": 300},
            ],
        },
    },
    ensure_ascii=False,
    indent=2,
).encode()
JSON_MISSING_COMMA = (
    b'[\n {"date": "2024-01-05", "client": "Acme", "amount": 1200}\n'
    b' {"date": "2024-01-06", "client": "Beta", "amount": 300}\n]'
)
JSON_MIXED = b'[\n {"date": "2024-01-05", "client": "Acme", "amount": 1200},\n 5\n]'
JSON_TWO_LISTS = json.dumps({"orders": _RECORDS, "returns": _RECORDS}, indent=1).encode()
JSON_BAD_BYTE = (
    b'[\n {"date": "2024-01-05", "client": "Ac\xffme", "amount": 1200},\n'
    b' {"date": "2024-01-06", "client": "Beta", "amount": 300},\n]'
)
# An ERP's page break: a page's own title, then the header again (the title was rejected as
# "revenue is missing").
PAGE_TITLE_ABOVE_HEADER = (
    b"date,client,amount\n2024-01-05,Acme,1200\n2024-01-06,Beta,300\n\n"
    b"Sales by client - continued\ndate,client,amount\n2024-01-07,Gamma,5\n"
)
# The header and blank lines only: "no valid rows to import." and nothing on why.
HEADER_AND_BLANK_LINES = b"date,client,amount\r\n\r\n,,\r\n"
# An API's records whose client and amount are objects: their fields were left out, and the
# file refused as having no client and no amount.
_NESTED = [
    {"date": "2024-01-05", "client": {"id": "C1", "name": "Acme"}, "amount": {"value": 1200}},
    {"date": "2024-01-06", "client": {"id": "C2", "name": "Beta"}, "amount": {"value": 300}},
]
JSON_NESTED_DOCUMENT = json.dumps({"data": _NESTED}, indent=2).encode()
JSON_LINES_NESTED = b"\n".join(json.dumps(r).encode() for r in _NESTED)
# PowerShell's ConvertTo-Json | Out-File writes UTF-16 LE with its mark: read as a CSV of
# one column before.
JSON_UTF16 = b"\xff\xfe" + json.dumps(_RECORDS, indent=4).replace("\n", "\r\n").encode("utf-16-le")


def round27_textshape_cases() -> list[Case]:
    return [
        Case(
            "round27_json_lines_of_lists.jsonl",
            lambda p: JSON_LINES_OF_LISTS,
            rows=2,
            revenue=1500.0,
            names=frozenset({"Acme", "Beta"}),
            note="Read as JSON lists written one after another",
        ),
        Case(
            "round27_json_records_with_commas.jsonl",
            lambda p: JSON_RECORDS_WITH_COMMAS,
            rows=2,
            revenue=1500.0,
            names=frozenset({"Acme", "Beta"}),
        ),
        Case(
            "round27_json_nested_objects.json",
            lambda p: JSON_NESTED_DOCUMENT,
            rows=2,
            revenue=1500.0,
            ids=frozenset({"C1", "C2"}),
            note="named by their path (such as 'client.id')",
        ),
        Case(
            "round27_json_lines_nested_objects.jsonl",
            lambda p: JSON_LINES_NESTED,
            rows=2,
            revenue=1500.0,
            names=frozenset({"Acme", "Beta"}),
            note="Objects inside the records were read as a column per field",
        ),
        Case(
            "round27_json_in_utf16.json",
            lambda p: JSON_UTF16,
            rows=2,
            revenue=1500.0,
            names=frozenset({"Acme", "Beta"}),
        ),
        Case(
            "round27_page_title_above_repeated_header.csv",
            lambda p: PAGE_TITLE_ABOVE_HEADER,
            rows=3,
            revenue=1505.0,
            names=frozenset({"Acme", "Beta", "Gamma"}),
        ),
        Case(
            "round27_header_and_blank_lines.csv",
            lambda p: HEADER_AND_BLANK_LINES,
            "below the header (row 1) were all skipped as blank",
        ),
        Case(
            "round27_json_lines_trailing_comma.jsonl",
            lambda p: JSON_LINES_TRAILING_COMMA,
            rows=2,
            revenue=1500.0,
            note="Line(s) 1: a comma stands before a closing bracket",
        ),
        Case(
            "round27_json_wrapped_in_data.json",
            lambda p: JSON_WRAPPED,
            rows=2,
            revenue=1500.0,
            names=frozenset({"Acme", "Beta"}),
            note="the records of 'data'",
        ),
        Case(
            "round27_json_pretty_array.json",
            lambda p: JSON_PRETTY_ARRAY,
            rows=2,
            revenue=1500.0,
            note="Read as one JSON document",
        ),
        Case(
            "round27_json_rows_with_header.json",
            lambda p: JSON_ROWS,
            rows=2,
            revenue=1500.0,
            names=frozenset({"Acme", "Beta"}),
            note="a list of lists",
        ),
        Case(
            "round27_json_split_layout.json",
            lambda p: JSON_SPLIT,
            rows=2,
            revenue=1500.0,
            note="the column names given beside 'data'",
        ),
        Case(
            "round27_json_records_over_lines.jsonl",
            lambda p: JSON_RECORDS_OVER_LINES,
            rows=2,
            revenue=1500.0,
            note="Read as JSON records written one after another",
        ),
        Case(
            "round27_json_hebrew_api_answer.json",
            lambda p: JSON_HEBREW_API,
            rows=2,
            revenue=1500.0,
            names=frozenset({"שטראוס", "תנובה"}),
            note="the records of 'result.items'",
        ),
        Case(
            "round27_json_document_missing_comma.json",
            lambda p: JSON_MISSING_COMMA,
            "one JSON document, but line 3 cannot be read: a comma is missing",
        ),
        Case(
            "round27_json_document_mixed_items.json",
            lambda p: JSON_MIXED,
            "the item on line 3 is the value 5",
        ),
        Case(
            "round27_json_document_two_lists.json",
            lambda p: JSON_TWO_LISTS,
            "several lists of records: 'orders' (2), 'returns' (2)",
        ),
        Case(
            "round27_json_document_bad_byte.json",
            lambda p: JSON_BAD_BYTE,
            rows=1,
            rejected=1,
            reason="not text in the file's encoding (UTF-8)",
            revenue=300.0,
            names=frozenset({"Beta"}),
        ),
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
