"""The rollup stays equal to sales after partial refreshes, and caches follow the data."""

import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.cache import clear_cache
from kam_core.analytics.churn import churn
from kam_core.analytics.params import AnalysisParams, load_thresholds
from kam_core.store import connect
from kam_core.store.rollup import data_version, refresh_rollup, rollup_is_current
from tests import reference as ref

TABLES = {
    "sales_daily": "client_id, order_date",
    "sales_monthly": "client_id, month",
    "client_facts": "client_id",
}


def snapshot(conn) -> dict[str, pd.DataFrame]:
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY {k}").df() for t, k in TABLES.items()}


def test_refreshing_only_affected_clients_equals_a_full_rebuild():
    conn = connect(":memory:")
    rows = ref.generate(2000, 60, seed=3)
    ref.insert_sales(conn, rows.iloc[:1500])
    ref.insert_sales(conn, rows.iloc[1500:], refresh=False)
    conn.execute(
        "CREATE TEMP TABLE changed AS SELECT DISTINCT client_id FROM sales WHERE source_row > 1500"
    )
    conn.execute("BEGIN TRANSACTION")
    refresh_rollup(conn, "changed")
    conn.execute("COMMIT")
    partial = snapshot(conn)
    refresh_rollup(conn)
    full = snapshot(conn)
    for table in TABLES:
        pd.testing.assert_frame_equal(partial[table], full[table])


def test_deleted_rows_leave_the_rollup_after_a_partial_refresh():
    conn = connect(":memory:")
    ref.insert_sales(
        conn,
        [
            {"order_date": "2017-01-01", "client_id": "a", "revenue": 5.0},
            {"order_date": "2017-02-01", "client_id": "b", "revenue": 7.0},
        ],
    )
    conn.execute("DELETE FROM sales WHERE client_id = 'a'")
    conn.execute("CREATE TEMP TABLE gone AS SELECT 'a' AS client_id")
    refresh_rollup(conn, "gone")
    assert conn.execute("SELECT DISTINCT client_id FROM sales_daily").fetchall() == [("b",)]
    assert abc_xyz(conn, AnalysisParams()).clients["client_id"].tolist() == ["b"]


def test_refresh_refuses_a_table_name_that_is_not_an_identifier():
    conn = connect(":memory:")
    refresh_rollup(conn)
    try:
        refresh_rollup(conn, "x; DROP TABLE sales")
    except ValueError:
        pass
    else:
        raise AssertionError("expected ValueError")


def test_stale_rollup_is_not_used_and_reports_read_sales():
    conn = connect(":memory:")
    ref.insert_sales(conn, [{"order_date": "2017-01-01", "client_id": "a", "revenue": 5.0}])
    ref.insert_sales(
        conn, [{"order_date": "2017-01-02", "client_id": "b", "revenue": 9.0}], refresh=False
    )
    assert not rollup_is_current(conn)
    assert abc_xyz(conn, AnalysisParams()).clients["client_id"].tolist() == ["b", "a"]


def test_results_are_cached_until_the_data_version_changes():
    conn = connect(":memory:")
    ref.insert_sales(conn, [{"order_date": "2017-01-01", "client_id": "a", "revenue": 5.0}])
    first = abc_xyz(conn, AnalysisParams())
    assert abc_xyz(conn, AnalysisParams()) is first
    before = data_version(conn)
    ref.insert_sales(conn, [{"order_date": "2017-01-03", "client_id": "b", "revenue": 9.0}])
    assert data_version(conn) != before
    assert abc_xyz(conn, AnalysisParams()).clients["client_id"].tolist() == ["b", "a"]


def test_reports_run_on_a_cursor_per_thread():
    from concurrent.futures import ThreadPoolExecutor

    conn = connect(":memory:")
    ref.insert_sales(conn, ref.generate(500, 30, seed=5))
    clear_cache()

    def work(kind: str) -> int:
        cur = conn.cursor()
        p = AnalysisParams(months=6 if kind == "a" else 9)
        return len(abc_xyz(cur, p).clients) + len(churn(cur, p))

    with ThreadPoolExecutor(4) as pool:
        assert all(n > 0 for n in pool.map(work, ["a", "b", "a", "b"]))


def test_migration_two_adds_the_dossier_and_settings_tables():
    conn = connect(":memory:")
    tables = {
        r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {"clients", "win_back", "settings", "sales_monthly", "sales_daily"} <= tables
    conn.execute("INSERT INTO settings VALUES ('churn_lost_days', '200')")
    assert load_thresholds(conn).churn_lost_days == 200
