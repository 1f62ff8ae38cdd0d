"""Sheet grids built by hand, as the file reader hands them to parse_sheet."""

from __future__ import annotations

import pyarrow as pa

from kam_core.ingest.grid import SheetGrid, column_letter


def chunked_grid(rows: list[list[str | None]], chunk: int = 2) -> SheetGrid:
    """A sheet of text cells, its columns in chunks of `chunk` rows as the reader sends them."""
    columns = list(zip(*rows, strict=True))
    arrays = [
        pa.chunked_array(
            [list(col[i : i + chunk]) for i in range(0, len(col), chunk)], type=pa.string()
        )
        for col in columns
    ]
    table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(len(columns))])
    return SheetGrid("Sales", table, 1, tuple(column_letter(i) for i in range(len(columns))))
