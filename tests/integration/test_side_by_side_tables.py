"""Tables side by side on one sheet under the same header (a year or a branch a table): every
table's rows are stored, each rejected row named by its own row number (only the first table was
read, the others' sales left out)."""

from __future__ import annotations

import pytest

from kam_core.importing import detect, import_file
from kam_core.ingest import ImportRefused, read_file
from kam_core.store import connect
from tests.hostile import rawzip as rz
from tests.hostile.round21_workbook_cases import (
    HEADER,
    SIDE_2023,
    SIDE_2024,
    side_by_side_tables,
)
from tests.hostile.round22_workbook_cases import merged_quarters


def _amount(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def test_every_table_beside_the_first_is_stored(tmp_path):
    conn = connect(tmp_path / "kam.duckdb")
    counts, parsed, pre = import_file(conn, side_by_side_tables(), "years.xlsx")
    readable = [r for r in SIDE_2023 + SIDE_2024 if _amount(r[2]) is not None]
    assert counts.rows_imported == len(readable) == 5
    got = conn.execute(
        "SELECT order_date, client_name, revenue FROM sales ORDER BY order_date"
    ).fetchall()
    assert [(d.isoformat(), c, r) for d, c, r in got] == sorted(
        (r[0], r[1], _amount(r[2])) for r in readable
    )
    rejected = sorted(zip(parsed.rejected["row"], parsed.rejected["value"], strict=True))
    # Beta's 2023 amount on sheet row 5 (A:C), Gamma's 2024 amount on sheet row 6 (E:G).
    assert rejected == [(5, "n/a"), (6, "oops")]
    assert set(parsed.rejected["column"]) == {"C/G (Amount)"}
    assert any("side by side" in note for note in pre.notes)


def test_the_note_stays_when_the_sheet_is_detected_again():
    book = read_file(side_by_side_tables(), "years.xlsx")
    first = detect(None, book, "x")
    again = detect(None, book, "x", sheet="Sales")
    assert any("side by side" in n for n in first.notes)
    assert any("side by side" in n for n in again.notes)
    assert again.layout.mapping == first.layout.mapping


@pytest.mark.parametrize(
    "header",
    [
        [*HEADER, "Amount", None, "Notes"],  # twin labels side by side: one table
        [*HEADER, None, "Customer", "Region"],  # a lookup table beside the sales
        [*HEADER, None, *HEADER[:2]],  # a second header cut short
    ],
)
def test_a_sheet_of_one_table_is_read_as_before(header):
    row = ["2024-01-01", "Acme", 1, 2, None, "x"][: len(header)]
    data = rz.xlsx([("Sales", rz.sheet_xml(rz.rows_xml([(1, header), (2, row)])))])
    pre = detect(None, read_file(data, "one.xlsx"), "x")
    assert not any("side by side" in n for n in pre.notes)
    assert pre.book.sheet("Sales").table.num_rows == 2


def test_tables_whose_rows_pass_the_row_bound_together_are_refused(monkeypatch):
    from dataclasses import replace

    from kam_core.ingest import sidetables

    six = replace(sidetables.SETTINGS, limits=replace(sidetables.SETTINGS.limits, max_rows=6))
    monkeypatch.setattr(sidetables, "SETTINGS", six)
    book = read_file(side_by_side_tables(), "years.xlsx")  # 3 + 4 + 3 rows together: 10
    with pytest.raises(ImportRefused, match="more than 6 rows"):
        detect(None, book, "x")


def test_tables_whose_labels_and_clients_are_merged_are_stacked_alike(tmp_path):
    # Merged cells kept the sheet from being stacked: only the first quarter was stored.
    conn = connect(tmp_path / "kam.duckdb")
    data = merged_quarters(tmp_path / "quarters.xlsx")
    counts, _parsed, pre = import_file(conn, data, "quarters.xlsx")
    assert (counts.rows_imported, counts.rows_rejected) == (6, 0)
    got = conn.execute(
        "SELECT order_date, client_name, revenue FROM sales ORDER BY order_date"
    ).fetchall()
    assert [(d.isoformat(), c, r) for d, c, r in got] == [
        ("2024-01-05", "Acme", 100.0),
        ("2024-02-06", "Beta", 200.0),
        ("2024-03-07", "Gamma", 300.0),
        ("2024-04-05", "Delta", 10.0),
        ("2024-05-06", "Delta", 20.0),  # under the merge F4:F5
        ("2024-06-07", "Beta", 30.0),
    ]
    notes = " ".join(pre.notes)
    assert "2 tables side by side under the same header (A:C, E:G)" in notes
    assert "1 merged cell over several rows (F4:F5)" in notes
