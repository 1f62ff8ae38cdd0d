"""Two columns that could each be the revenue, with different amounts: the Upload page says
so and imports only once the user chose the column or said the one shown is right."""

from __future__ import annotations

import duckdb

from tests.support.apptest import app_at, texts

DATA = b"date,client,amount,sum\n2024-01-05,Acme,1200,5\n2024-01-06,Beta,300,7\n"


def _upload(at):
    at.file_uploader[0].set_value(("orders.csv", DATA, "text/csv"))
    return at.run()


def _revenue(path) -> float | None:
    conn = duckdb.connect(str(path))
    try:
        return conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0]
    finally:
        conn.close()


def test_the_page_asks_which_column_is_the_revenue_before_importing(fresh_db):
    at = _upload(app_at("upload"))
    assert not at.exception
    shown = texts(at).replace("\\", "")  # shown escaped, as typed
    assert "columns C, D ('amount', 'sum') could each be the revenue" in shown
    assert not any(b.label == "Import" for b in at.button)
    next(c for c in at.checkbox if c.label.startswith("The columns chosen above")).check()
    at.run()
    assert not at.exception
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    assert _revenue(fresh_db) == 1500.0


def test_choosing_the_other_column_imports_its_amounts(fresh_db):
    at = _upload(app_at("upload"))
    next(s for s in at.selectbox if s.label == "Revenue *").select("sum")
    at.run()
    assert not at.exception
    assert "could each be the revenue" not in texts(at).replace("\\", "")
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    assert _revenue(fresh_db) == 12.0
