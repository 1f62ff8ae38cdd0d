"""A second export of stored orders with some amounts corrected: the corrected lines are named
and, by default, skipped, so no order counts twice."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kam_core.importing import describe_amended, import_file
from kam_core.store import connect

HEADER = ["Invoice", "Date", "Customer ID", "Customer", "Amount"]
# Twenty invoices of July 2024, four clients: 100 + 10 * i, so the file sums to 3,900.
INVOICES = [
    [f"INV-{i:03d}", dt.date(2024, 7, 1 + i), f"C{i % 4}", f"Client {i % 4}", 100.0 + 10 * i]
    for i in range(20)
]
FIRST_TOTAL = 3900.0


def run(conn, path: Path, **kwargs):
    return import_file(conn, path.read_bytes(), path.name, **kwargs)


def stored(conn) -> tuple[int, float]:
    count, revenue = conn.execute("SELECT count(*), sum(revenue) FROM sales").fetchall()[0]
    return count, round(revenue, 2)


def corrected(changes: dict[str, float]) -> list[list[object]]:
    rows = [list(r) for r in INVOICES]
    for row in rows:
        row[4] = changes.get(row[0], row[4])
    return [HEADER, *rows]


@pytest.fixture
def first(conn, make_xlsx):
    assert sum(r[4] for r in INVOICES) == FIRST_TOTAL
    run(conn, make_xlsx({"July": [HEADER, *INVOICES]}, "july.xlsx"))
    return conn


def test_a_reexport_with_two_amounts_corrected_counts_no_order_twice(first, make_xlsx):
    # INV-003 was 130.00, INV-011 was 210.00.
    path = make_xlsx({"July": corrected({"INV-003": 135.5, "INV-011": 200.0})}, "july_v2.xlsx")
    counts, parsed, _ = run(first, path)
    assert (counts.rows_imported, counts.rows_duplicate) == (0, 18)
    assert counts.rows_probable_duplicate == 2
    assert sorted(parsed.rejected["row"]) == [5, 13]  # the sheet rows of INV-003 and INV-011
    assert stored(first) == (20, FIRST_TOTAL)
    assert describe_amended(counts.overlap) == (
        "2 lines have the order, client and date of stored lines but other amounts (such as "
        "order 'INV-003': 130.00 stored, 135.50 in this file). Skipped, the stored amounts "
        "count; kept, both count. If this file corrects the earlier one, undo import 1 in the "
        "import history and import this file again."
    )


def test_kept_both_amounts_count_and_undoing_the_first_leaves_the_correction(first, make_xlsx):
    from kam_core.store.sales import undo_upload

    path = make_xlsx({"July": corrected({"INV-003": 135.5})}, "july_v2.xlsx")
    counts, _, _ = run(first, path, duplicates="keep")
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (1, 0)
    assert stored(first) == (21, FIRST_TOTAL + 135.5)
    undo_upload(first, 1)
    run(first, path)
    assert stored(first) == (20, FIRST_TOTAL - 130.0 + 135.5)


def test_every_amount_otherwise_net_against_gross_is_one_month_stored_twice(first, make_xlsx):
    gross = corrected({r[0]: round(r[4] * 1.17, 2) for r in INVOICES})
    counts, _, _ = run(first, make_xlsx({"July": gross}, "july_gross.xlsx"))
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (0, 20)
    assert "(such as order 'INV-000': 100.00 stored, 117.00 in this file)" in describe_amended(
        counts.overlap
    )
    assert stored(first) == (20, FIRST_TOTAL)


def test_a_branch_sharing_one_order_number_by_chance_is_stored(first, make_xlsx):
    # Another branch's July: its own invoices, one numbered, dated and billed as INV-005.
    rows = [[f"B-{i}", dt.date(2024, 7, 2 + i), "C1", "Client 1", 50.0 + i] for i in range(9)]
    rows.append(["INV-005", dt.date(2024, 7, 6), "C1", "Client 1", 75.0])
    counts, _, _ = run(first, make_xlsx({"July": [HEADER, *rows]}, "branch.xlsx"))
    # 1 of its 10 July rows pairs with a stored one: far below most of the month.
    assert (counts.rows_imported, counts.rows_probable_duplicate) == (10, 0)
    assert describe_amended(counts.overlap) == ""
    assert stored(first) == (30, FIRST_TOTAL + sum(50.0 + i for i in range(9)) + 75.0)


def test_a_line_added_to_an_order_is_new(first, make_xlsx):
    rows = corrected({})
    rows.append(["INV-004", dt.date(2024, 7, 5), "C0", "Client 0", 12.0])  # a second line
    counts, _, _ = run(first, make_xlsx({"July": rows}, "july_plus.xlsx"))
    assert (counts.rows_imported, counts.rows_duplicate, counts.rows_probable_duplicate) == (
        1,
        20,
        0,
    )
    assert stored(first) == (21, FIRST_TOTAL + 12.0)


def test_the_command_line_says_which_order_changed(db_file, make_xlsx):
    def kam(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kam_core", "--db", str(db_file), *map(str, args)],
            capture_output=True,
            text=True,
            check=False,
        )

    assert kam("import", make_xlsx({"July": [HEADER, *INVOICES]}, "july.xlsx")).returncode == 0
    second = make_xlsx({"July": corrected({"INV-007": 99.0})}, "july_v2.xlsx")
    done = kam("import", second)
    assert done.returncode == 0, done.stderr
    assert "(such as order 'INV-007': 170.00 stored, 99.00 in this file)" in done.stdout
    out = json.loads(kam("import", second, "--json").stdout)
    assert "undo import 1" in out["probable_duplicates"]["amended"]
    conn = connect(db_file)
    try:
        assert stored(conn) == (20, FIRST_TOTAL)
    finally:
        conn.close()
