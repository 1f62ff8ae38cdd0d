"""A CSV within the row bound is read whole in parallel blocks, with the same cells in order."""

import pytest

from kam_core.config import ImportLimits
from kam_core.ingest import csvread
from kam_core.ingest.csvread import read_csv


def _file(rows: int) -> bytes:
    lines = ["Order Date,Customer,Amount,Note"]
    for i in range(rows):
        # Quoted line breaks and blank lines make records and lines differ.
        note = f'"two\nlines {i}"' if i % 97 == 0 else f"n{i}"
        lines.append(f"2024-01-{1 + i % 28:02d},C{i},{i}.5,{note}")
        if i % 50 == 0:
            lines.append("")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_the_whole_read_gives_the_cells_of_the_block_by_block_read(monkeypatch):
    data = _file(20_000)
    monkeypatch.setattr(csvread, "WHOLE_BLOCK", 16 << 10)  # many blocks, parsed in parallel
    whole, _notes = read_csv(data, "a.csv", ImportLimits())
    # A bound below the line count makes the reader watch it block by block.
    monkeypatch.setattr(csvread, "_line_bound", lambda _data: 10**9)
    streamed, _notes = read_csv(data, "a.csv", ImportLimits())
    assert whole.table.equals(streamed.table)
    column = whole.table.column(1).to_pylist()
    assert column[:3] == ["Customer", "C0", None]  # the blank line after row 0 stays a row
    assert whole.table.column(3).to_pylist()[1] == "two\nlines 0"
    assert whole.table.num_rows == 1 + 20_000 + 400


def test_line_breaks_bound_the_records_whatever_their_kind():
    assert csvread._line_bound(b"a\nb\nc") == 3
    assert csvread._line_bound(b"a\rb\rc\r") == 4
    assert csvread._line_bound(b"a\r\nb\r\n") >= 3  # a CRLF counts twice: still a bound


@pytest.mark.parametrize("ending", [b"\n", b"\r", b"\r\n"])
def test_a_file_over_the_row_bound_is_refused_whichever_line_ending(ending):
    data = b"Order Date,Customer,Amount" + ending + (b"2024-01-05,A,1" + ending) * 30
    with pytest.raises(csvread.ImportRefused, match="more than 20 rows"):
        read_csv(data, "big.csv", ImportLimits(max_rows=20))
