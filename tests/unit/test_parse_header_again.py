"""A header printed again inside the data is skipped, whatever its case or script."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kam_core.ingest.grid import SheetGrid, column_letter
from kam_core.ingest.header import Layout, detect_layout
from kam_core.ingest.skipped import repeated_headers
from kam_core.ingest.validate import parse_sheet


def _grid(rows: list[list[str]]) -> SheetGrid:
    columns = list(zip(*rows, strict=True))
    arrays = [pa.chunked_array([list(col)], type=pa.string()) for col in columns]
    table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(len(columns))])
    return SheetGrid("Sales", table, 1, tuple(column_letter(i) for i in range(len(columns))))


def test_an_english_header_again_in_capitals_is_skipped():
    header = ["Order Date", "Customer ID", "Customer Name", "Sales"]
    grid = _grid(
        [
            header,
            ["2024-01-05", "C1", "Acme", "100"],
            ["ORDER DATE", "CUSTOMER ID", "customer name", "SALES"],
            ["2024-01-06", "C2", "Beta", "50"],
        ]
    )
    parsed = parse_sheet(grid, detect_layout(grid))
    assert parsed.skipped["repeated_header"] == 1
    assert parsed.rows["client_id"].tolist() == ["C1", "C2"]


def test_a_hebrew_header_again_is_skipped():
    header = ["תאריך", "מספר לקוח", "שם לקוח", "סכום"]
    grid = _grid(
        [
            header,
            ["2024-01-05", "C1", "אקמה", "100"],
            header,
            ["2024-01-06", "C2", "בטא", "50"],
        ]
    )
    parsed = parse_sheet(grid, detect_layout(grid))
    assert parsed.skipped["repeated_header"] == 1
    assert parsed.rows["source_row"].tolist() == [2, 4]


def test_cells_equal_to_a_label_once_lower_cased_whatever_their_length_in_bytes():
    # The Kelvin sign lower-cases to an ASCII k (3 bytes to 1); others keep their length.
    cells = pa.chunked_array(
        [["Kg", "\u212ag", "KG ", None], ["kg", "kG", "K", "ĸg"]], type=pa.string()
    )
    dates = pa.chunked_array([["Order Date"] * 4, ["order date"] * 4], type=pa.string())
    table = pa.Table.from_arrays([dates, cells], names=["c0", "c1"])
    layout = Layout(
        "Sales", 1, 0, ["Order Date", "Kg"], ("A", "B"), {"order_date": 0, "quantity": 1}
    )
    again, moved = repeated_headers(table, layout, np.ones(8, dtype=bool), ["order date", "kg"])
    assert again.tolist() == [True, True, True, False, True, True, False, False]
    assert not moved.any()
