"""Amounts marked CR or DR, Magento's Closed orders, SugarCRM's expected close, a client's
status on its invoices and NetSuite's Name: shapes of real exports, read as they mean."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from kam_core.importing import import_file
from kam_core.ingest.parse import numbers
from kam_core.store import connect


@pytest.fixture
def conn(tmp_path):
    db = connect(tmp_path / "kam.duckdb")
    yield db
    db.close()


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8") + b"\n"


def _stored(conn) -> list[tuple[str, str, float]]:
    rows = conn.execute(
        "SELECT client_name, CAST(order_date AS VARCHAR), revenue FROM sales ORDER BY source_row"
    ).fetchall()
    return [(name, day, revenue) for name, day, revenue in rows]


def test_amounts_marked_cr_or_dr_read_with_their_side():
    cells = ["1,200.50 DR", "200.00 CR", "500.00CR", "-300.00", "12 cr", "7 Dr.", "-5 CR", None]
    got = numbers(pa.array(cells, pa.string()))
    # A credit below zero, a debit above; a minus beside a mark says the side twice: not read.
    want = [1200.5, -200.0, -500.0, -300.0, -12.0, 7.0, np.nan, np.nan]
    np.testing.assert_array_equal(got, want)


def test_amounts_marked_cr_with_a_decimal_comma():
    got = numbers(pa.array(["1.200,50 Cr", "3,5 DR"], pa.string()), comma_default=True)
    np.testing.assert_array_equal(got, [-1200.5, 3.5])


def test_an_invoice_listing_with_cr_and_dr_stores_credits_negative(conn):
    # Each row was rejected as "not an amount". By hand: 1,200.50 - 200 - 500 + 300 = 800.50;
    # the client named '... CR' keeps its name.
    data = _csv(
        """
Customer,Invoice No,Date,Amount
Acme Corp,INV-1,2024-01-15,"1,200.50 DR"
Beta LLC,INV-2,2024-02-10,200.00 CR
Acme Corp,INV-3,2024-03-01,500.00CR
Gamma CR,INV-4,2024-03-05,300.00
"""
    )
    counts, parsed, _pre = import_file(conn, data, "ledger.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (4, 0)
    assert counts.revenue == pytest.approx(800.5)
    assert [row[2] for row in _stored(conn)] == [1200.5, -200.0, -500.0, 300.0]
    assert {row[0] for row in _stored(conn)} == {"Acme Corp", "Beta LLC", "Gamma CR"}
    assert any("CR or DR" in note for note in parsed.notes)
