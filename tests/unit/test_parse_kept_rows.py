"""The rows parse_sheet keeps: the same rows and cells whether few or many rows are dropped."""

from __future__ import annotations

from kam_core.ingest.header import detect_layout
from kam_core.ingest.validate import parse_sheet
from tests.support.grids import chunked_grid

HEADER = ["Order Date", "Customer ID", "Customer Name", "Sales", "Product"]


def _line(i: int) -> list[str]:
    return ["2024-01-05", f"C{i}", f"Client {i}", f"{i}.5", f"P{i % 3}"]


def _sheet(lines: int, bad_every: int) -> tuple[list[list[str]], list[int]]:
    """Data lines with every bad_every-th one an amount that is not one; the kept indexes."""
    rows, kept = [HEADER], []
    for i in range(lines):
        if i % bad_every == bad_every - 1:
            rows.append(["2024-01-05", f"C{i}", f"Client {i}", "abc", "P0"])
        else:
            rows.append(_line(i))
            kept.append(i)
    return rows, kept


def _check(lines: int, bad_every: int, chunk: int) -> None:
    rows, kept = _sheet(lines, bad_every)
    grid = chunked_grid(rows, chunk)
    parsed = parse_sheet(grid, detect_layout(grid))
    assert parsed.rows["source_row"].tolist() == [i + 2 for i in kept]
    assert parsed.rows["client_id"].tolist() == [f"C{i}" for i in kept]
    assert parsed.rows["client_name"].tolist() == [f"Client {i}" for i in kept]
    assert parsed.rows["product"].tolist() == [f"P{i % 3}" for i in kept]
    assert parsed.rows["revenue"].tolist() == [i + 0.5 for i in kept]
    assert len(parsed.rejected) == lines - len(kept)


def test_a_few_refused_rows_leave_the_others_in_order_across_chunks():
    # 3 refused rows of 40, in chunks of 7: the kept runs cross the chunks' borders.
    _check(lines=40, bad_every=13, chunk=7)


def test_many_scattered_refused_rows_leave_the_same_rows():
    # 600 refused rows of 1,800, one in every three.
    _check(lines=1_800, bad_every=3, chunk=500)


def test_a_refused_first_and_last_row():
    rows = [HEADER, ["2024-01-05", "C0", "A", "x", "P"], _line(1), _line(2)]
    rows.append(["2024-01-05", "C3", "D", "y", "P"])
    grid = chunked_grid(rows, chunk=2)
    parsed = parse_sheet(grid, detect_layout(grid))
    assert parsed.rows["client_id"].tolist() == ["C1", "C2"]
    assert parsed.rows["source_row"].tolist() == [3, 4]
