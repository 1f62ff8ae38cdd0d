"""A client with more lines than a table shows: the deliveries come a page at a time, with a
search, and the figures still count every line."""

from __future__ import annotations

import pytest

from kam_core.store import connect
from tests.support.apptest import app_at, texts
from ui.tables import ROW_LIMIT

LINES = ROW_LIMIT + 100


@pytest.fixture
def big_db(fresh_db):
    conn = connect(fresh_db)
    # One line a day from 2024-01-01, product P<i mod 7>; C2 buys once so there is a market.
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, order_id,"
        " product, revenue) SELECT i, 1, DATE '2024-01-01' + CAST(i AS INTEGER), 'C1', 'Big',"
        " 'O' || i, 'P' || (i % 7), 10.0 FROM range(?) t(i)",
        [LINES],
    )
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue)"
        " VALUES (?, 1, DATE '2024-02-01', 'C2', 'Small', 5.0)",
        [LINES + 1],
    )
    conn.close()
    return fresh_db


def test_a_big_client_shows_a_page_of_deliveries_and_counts_every_line(big_db):
    at = app_at("dossier", query={"client": "C1", "lang": "en"})
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["Order lines"] == f"{LINES:,}"
    deliveries = next(t.value for t in at.dataframe if "delivery" in t.value.columns)
    assert len(deliveries) == ROW_LIMIT
    assert f"The first {ROW_LIMIT} of {LINES} rows" in texts(at)
    assert any(t.label == f"Show all {LINES} rows" for t in at.toggle)
