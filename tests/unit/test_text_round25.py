"""Text files of a twenty-fifth round, read as written: UTF-8 damage in ASCII text (read as
Windows-1252 or -1250 before); JSON lines read with numbers as written, rows following the
lines, a bad byte rejecting its row and deep nesting refused by its depth."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.ingest.encoding import detect_encoding
from kam_core.ingest.errors import ImportRefused
from tests.hostile.round25_textvalues_cases import (
    CAFE_1252,
    CUT_AT_END,
    JSON_BAD_BYTE,
    JSON_NOT_DOUBLES,
    NEL_IN_NAME,
    NEL_LINES,
    OVERLONG,
    SURROGATE,
    UNDERFLOW,
    json_nested,
)


def _stored(conn) -> list[tuple[str, float]]:
    return conn.execute("SELECT client_name, revenue FROM sales ORDER BY source_row").fetchall()


@pytest.mark.parametrize(
    ("data", "line"),
    [(OVERLONG, 5), (SURROGATE, 5), (CUT_AT_END, 6)],
    ids=["overlong", "surrogate", "cut at the end"],
)
def test_utf8_damage_in_ascii_text_rejects_its_line_only(conn, data, line):
    assert detect_encoding(data) == "utf-8"
    counts, parsed, pre = import_file(conn, data, "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (4, 1)
    rejected = parsed.rejected.iloc[0]
    assert rejected["row"] == line
    assert "not text in the file's encoding (UTF-8)" in rejected["reason"]
    clients = [f"Client {n}" for n in range(1, 6) if n != line - 1]
    assert [name for name, _ in _stored(conn)] == clients
    notes = [*pre.notes, *parsed.notes]
    assert any(f"Line(s) {line} hold bytes that are not UTF-8 text" in n for n in notes)


def test_one_accented_letter_in_ascii_text_is_still_windows_1252(conn):
    # A lone byte is a code page's letter ('Caf\xe9'): the name as Excel wrote it.
    assert detect_encoding(CAFE_1252) == "cp1252"
    counts, _parsed, _pre = import_file(conn, CAFE_1252, "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (5, 0)
    assert _stored(conn)[3] == ("Client\u00e94", 400.0)


@pytest.mark.parametrize(
    "damage",
    [b"\xff", b"\x80", b"\xc0\xaf", b"\xed\xa0\x80"],
    ids=["invalid byte", "lone continuation", "overlong", "surrogate"],
)
def test_hebrew_utf8_with_one_bad_sequence_stays_utf8(conn, damage):
    names = ["שטראוס", "אסם", "תנובה", "עלית"]
    lines = [f"2024-01-0{n + 1},{name},{100 * (n + 1)}\n".encode() for n, name in enumerate(names)]
    lines[2] = lines[2].replace("תנובה".encode(), damage + "תנובה".encode())
    data = b"Date,Client,Amount\n" + b"".join(lines)
    counts, parsed, _pre = import_file(conn, data, "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 1)
    assert parsed.rejected.iloc[0]["row"] == 4
    assert _stored(conn) == [("שטראוס", 100.0), ("אסם", 200.0), ("עלית", 400.0)]


def test_a_bad_byte_in_the_header_names_its_line(conn):
    data = "Date,Cli\udcffent,Amount\n2024-01-05,שטראוס,100\n".encode("utf-8", "surrogateescape")
    with pytest.raises(ImportRefused, match=r"Line\(s\) 1 hold bytes that are not UTF-8 text"):
        import_file(conn, data, "export.csv")


@pytest.mark.parametrize("encoding", ["cp1255", "cp1251"])
def test_code_page_files_stay_in_their_code_page(conn, encoding):
    name = "שטראוס" if encoding == "cp1255" else "Газпром"
    data = f"Date,Client,Amount\n2024-01-05,{name},100\n".encode(encoding)
    assert detect_encoding(data) == encoding


def test_json_lines_keep_numbers_as_written_and_rows_follow_the_lines(conn):
    # The whole file was refused ("Number too big to be stored in double ... in row 1").
    counts, parsed, pre = import_file(conn, JSON_NOT_DOUBLES, "orders.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 2)
    # By hand: Acme 1,200.50 and Gamma 300; the 20-digit code whole (a double keeps 17).
    assert conn.execute(
        "SELECT client_id, client_name, revenue FROM sales ORDER BY source_row"
    ).fetchall() == [("12345678901234567890", "Acme", 1200.5), ("4", "Gamma", 300.0)]
    rejected = parsed.rejected.set_index("row")
    # Line 3 (after a blank line) is row 4, the keys being row 1; the value as written.
    assert rejected.loc[4, "value"] == "1e400"
    assert rejected.loc[4, "reason"].startswith("revenue is out of range")
    assert rejected.loc[5, "value"] == "NaN"
    assert rejected.loc[5, "reason"] == "revenue is not an amount"
    assert any("the record on line N of the file is row N + 1" in n for n in pre.notes)


def test_json_lines_with_a_bad_byte_reject_that_row_only(conn):
    # An internal error before (the reader's text held the byte).
    counts, parsed, _pre = import_file(conn, JSON_BAD_BYTE, "orders.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 1)
    assert parsed.rejected.iloc[0]["row"] == 3
    assert _stored(conn) == [("Acme", 1200.0), ("Gamma", 300.0)]


def test_json_lines_nested_too_deep_are_refused_naming_depth_and_bound(conn):
    # Refused as needing more than 2 GB to read (the parser recursed per level).
    with pytest.raises(ImportRefused) as refused:
        import_file(conn, json_nested(100_000), "orders.csv")
    assert "line 2 nests lists or objects 100,001 deep; the bound is 64" in str(refused.value)


def test_json_lines_nested_a_little_or_brackets_in_text_are_read(conn):
    data = json_nested(10) + (
        b'{"date": "2024-01-07", "client": "' + b"[" * 200 + b'", "amount": 7}\n'
    )
    counts, _parsed, pre = import_file(conn, data, "orders.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 0)
    assert counts.revenue == 1212.0
    assert any("'x' hold lists or objects" in n for n in pre.notes)


def test_json_lines_key_holding_text_and_numbers_is_read(conn):
    # Arrow refused a key holding a number in one record and text in another.
    data = (
        b'{"date": "2024-01-05", "client": "Acme", "amount": 1200}\n'
        b'{"date": "2024-01-06", "client": "Beta", "amount": "800"}\n'
    )
    counts, _parsed, _pre = import_file(conn, data, "orders.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 2000.0)


def test_json_line_that_is_no_record_is_refused_naming_its_line(conn):
    data = b'{"date": "2024-01-05", "client": "Acme", "amount": 1200}\n\n{"date": oops}\n'
    with pytest.raises(ImportRefused, match="line 3 cannot be read"):
        import_file(conn, data, "orders.csv")


def test_amounts_too_small_for_a_number_are_rejected_with_the_value_written(conn):
    # 1e-400 was stored as 0 (a line the file says is not zero), -2.5E-330 as -2.5e-330.
    counts, parsed, _pre = import_file(conn, UNDERFLOW, "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 2)
    assert _stored(conn) == [("Acme", 1200.0), ("Delta", 0.0)]
    why = "revenue is out of range (not zero, but too small for a number to hold)"
    assert parsed.rejected[["row", "value", "reason"]].values.tolist() == [
        [3, "1e-400", why],
        [4, "-2.5E-330", why],
    ]


def test_amounts_beyond_the_bound_show_the_value_as_written_in_csv_and_json(conn):
    # The value shown is the cell's text: never 'inf'.
    written = ["1e400", "-1E+400", "1.8e308"]
    lines = "".join(f"2024-01-0{n + 1},C{n},{v}\n" for n, v in enumerate(written))
    lines += "2024-01-09,Acme,5\n"
    _counts, parsed, _pre = import_file(conn, f"Date,Client,Amount\n{lines}".encode(), "a.csv")
    assert list(parsed.rejected["value"]) == written
    records = "".join(
        f'{{"date": "2024-01-0{n + 1}", "client": "C{n}", "amount": {v}}}\n'
        for n, v in enumerate(written)
    )
    records += '{"date": "2024-01-09", "client": "Acme", "amount": 5}\n'
    _counts, parsed, _pre = import_file(conn, records.encode(), "b.csv")
    assert list(parsed.rejected["value"]) == written
    assert set(parsed.rejected["reason"]) == {
        "revenue is out of range (beyond 1,000,000,000,000 per line)"
    }


def test_lines_ended_by_nel_alone_are_read_as_lines(conn):
    # One line before: a header without rows, the file refused.
    counts, _parsed, _pre = import_file(conn, NEL_LINES, "mainframe.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 0)
    assert _stored(conn) == [("Acme", 1200.0), ("Beta", 100.0)]


def test_a_nel_inside_a_name_is_dropped_as_a_control_character(conn):
    # Read as a space before: 'Ac me', a second client beside 'Acme'.
    counts, _parsed, _pre = import_file(conn, NEL_IN_NAME, "export.csv")
    assert counts.clients == 1
    assert _stored(conn) == [("Acme", 1200.0), ("Acme", 100.0)]


def test_windows_1252_ellipsis_is_no_nel(conn):
    # 0x85 is '…' in Windows-1252: kept in the name, and the lines are the file's own.
    data = "Date,Client,Amount\r\n2024-01-05,Caf\u00e9 Co\u2026,1200\r\n".encode("cp1252")
    _counts, _parsed, _pre = import_file(conn, data, "export.csv")
    assert _stored(conn) == [("Caf\u00e9 Co\u2026", 1200.0)]
