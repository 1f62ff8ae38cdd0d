"""The dossier header on a small book of business: amounts that round to zero read '₪0', and
the model's figures say 'not enough data' when too few clients buy again to trust the fit."""

from __future__ import annotations

import pytest

from kam_core.store import connect
from tests.support.apptest import app_at

# C1 bought 100.00 and returned 100.30: its window revenue is -0.30, which shows as zero.
ROWS = [
    (1, "2025-03-01", "C1", "Client One", 100.0),
    (2, "2025-06-01", "C1", "Client One", -100.3),
    (3, "2025-05-01", "C2", "Client Two", 80.0),
    (4, "2025-12-31", "C3", "Client Three", 50.0),
]


@pytest.fixture
def small_db(fresh_db):
    conn = connect(fresh_db)
    for key, day, client, name, revenue in ROWS:
        conn.execute(
            "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue)"
            " VALUES (?, 1, CAST(? AS DATE), ?, ?, ?)",
            [key, day, client, name, revenue],
        )
    conn.close()
    return fresh_db


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_window_revenue_that_rounds_to_zero_reads_zero_without_a_sign(small_db):
    at = app_at("dossier", query={"client": "C1", "lang": "en"})
    assert not at.exception
    assert metrics(at)["Revenue in the window"] == "₪0"


def test_with_three_clients_the_model_is_not_trusted_and_says_so(small_db):
    at = app_at("dossier", query={"client": "C2", "lang": "en"})
    assert not at.exception
    shown = metrics(at)
    assert shown["Probability alive"] == "not enough data"
    assert shown["Expected value, next 12 months"] == "not enough data"
    helps = {m.label: m.help for m in at.metric}
    assert "Too few clients buy repeatedly" in helps["Probability alive"]


def test_in_hebrew_the_model_says_not_enough_data_in_hebrew(small_db):
    at = app_at("dossier", query={"client": "C2", "lang": "he"})
    assert not at.exception
    shown = metrics(at)
    assert shown["הסתברות שהלקוח פעיל"] == shown["ערך צפוי, 12 החודשים הבאים"]
    assert "not enough" not in shown["הסתברות שהלקוח פעיל"]
