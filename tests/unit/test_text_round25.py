"""Text files of a twenty-fifth round, read as written: UTF-8 damage in ASCII text (read as
Windows-1252 or -1250 before), ..."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.ingest.encoding import detect_encoding
from tests.hostile.round25_textvalues_cases import (
    CAFE_1252,
    CUT_AT_END,
    OVERLONG,
    SURROGATE,
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
    with pytest.raises(Exception, match=r"Line\(s\) 1 hold bytes that are not UTF-8 text"):
        import_file(conn, data, "export.csv")


@pytest.mark.parametrize("encoding", ["cp1255", "cp1251"])
def test_code_page_files_stay_in_their_code_page(conn, encoding):
    name = "שטראוס" if encoding == "cp1255" else "Газпром"
    data = f"Date,Client,Amount\n2024-01-05,{name},100\n".encode(encoding)
    assert detect_encoding(data) == encoding
