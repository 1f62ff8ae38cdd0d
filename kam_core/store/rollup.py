"""Per-client rollups of sales (daily and monthly) kept up to date, and the reads on them."""

from __future__ import annotations

import re

import duckdb

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# A purchase is a row with positive revenue: returns (negative) and zero rows are not.
DAILY_SQL = """
SELECT client_id, order_date, revenue, profit, quantity, n_rows, n_purchases,
       CASE WHEN n_purchases > 0 THEN lag(order_date) OVER (
           PARTITION BY client_id, n_purchases > 0 ORDER BY order_date) END AS prev_purchase
FROM (
    SELECT client_id, order_date, sum(revenue) AS revenue, sum(profit) AS profit,
           sum(quantity) AS quantity, count(*) AS n_rows,
           count(*) FILTER (WHERE revenue > 0) AS n_purchases
    FROM sales {where}
    GROUP BY client_id, order_date
)
"""

MONTHLY_SQL = """
SELECT client_id, CAST(date_trunc('month', order_date) AS DATE) AS month,
       sum(revenue) AS revenue, sum(profit) AS profit, sum(quantity) AS quantity,
       sum(n_rows) AS n_rows, sum(n_purchases) AS n_purchases
FROM {daily}
GROUP BY client_id, month
"""

# Attributes of a client are its latest non-null values; ties on the date go to the later
# upload and the later source row, so the choice is deterministic. The three make one 128-bit
# number (day, upload id, source row), ordered as the tuple and half the cost of a struct.
_LATEST = (
    "(CAST(date_diff('day', DATE '1900-01-01', order_date) AS HUGEINT) << 96)"
    " + (CAST(upload_id AS HUGEINT) << 32) + coalesce(source_row, 0)"
)
# Rows of one upload order by (day, source row) alone: one 64-bit number, a third faster for
# arg_max than the 128-bit one (a first import, or a refresh of one upload's clients).
_LATEST_ONE_UPLOAD = (
    "CAST(date_diff('day', DATE '1900-01-01', order_date) AS BIGINT) * 4294967296"
    " + coalesce(source_row, 0)"
)
# The 64-bit number holds a day count of 31 bits: dates of years 1000 to 9999 fit with room.
_ONE_UPLOAD_SQL = """
SELECT min(upload_id) IS NOT DISTINCT FROM max(upload_id)
       AND coalesce(min(order_date) >= DATE '1000-01-01'
                    AND max(order_date) <= DATE '9999-12-31', true)
FROM sales {where}
"""
FACTS_SQL = (
    """
SELECT client_id,
       arg_max(client_name, latest) FILTER (WHERE client_name IS NOT NULL) AS client_name,
       arg_max(manager, latest) FILTER (WHERE manager IS NOT NULL) AS manager,
       arg_max(region, latest) FILTER (WHERE region IS NOT NULL) AS region,
       arg_max(segment, latest) FILTER (WHERE segment IS NOT NULL) AS segment,
       arg_max(category, latest) FILTER (WHERE category IS NOT NULL) AS category,
       min(order_date) AS first_date, max(order_date) AS last_date, count(*) AS n_rows
FROM (SELECT *, """
    + _LATEST
    + """ AS latest FROM sales {where})
GROUP BY client_id
"""
)


def _meta_set(conn: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def meta_value(conn: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """The value stored under key in the meta table, or None."""
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and refuses other work.
    rows = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return rows[0][0] if rows else None


def _sales_rows(conn: duckdb.DuckDBPyConnection) -> int:
    return int(conn.execute("SELECT count(*) FROM sales").fetchall()[0][0])


def refresh_rollup(conn: duckdb.DuckDBPyConnection, affected: str | None = None) -> None:
    """Rebuild the rollups from sales: entirely, or for the clients in the temp table `affected`."""
    # A partial refresh of a rollup never built fully would leave other clients missing.
    if affected is not None and meta_value(conn, "rollup_built") != "1":
        affected = None
    if affected is None:
        for table in ("sales_daily", "sales_monthly", "client_facts"):
            conn.execute(f"DELETE FROM {table}")
        where = ""
    else:
        if not _IDENTIFIER.match(affected):
            raise ValueError(f"not a table name: {affected!r}")
        keys = f'(SELECT DISTINCT client_id FROM "{affected}")'
        for table in ("sales_daily", "sales_monthly", "client_facts"):
            conn.execute(f"DELETE FROM {table} WHERE client_id IN {keys}")
        where = f"WHERE client_id IN {keys}"
    conn.execute(f"INSERT INTO sales_daily {DAILY_SQL.format(where=where)}")
    daily = "sales_daily" + (f" {where}" if where else "")
    conn.execute(f"INSERT INTO sales_monthly {MONTHLY_SQL.format(daily=daily)}")
    facts = FACTS_SQL.format(where=where)
    if conn.execute(_ONE_UPLOAD_SQL.format(where=where)).fetchall()[0][0]:
        facts = facts.replace(_LATEST, _LATEST_ONE_UPLOAD)
    conn.execute(f"INSERT INTO client_facts {facts}")
    rows = _sales_rows(conn)
    _meta_set(conn, "rollup_sales_rows", str(rows))
    _meta_set(conn, "rollup_built", "1")
    version = int(meta_value(conn, "data_version") or 0) + 1
    _meta_set(conn, "data_version", str(version))


def rollup_is_current(conn: duckdb.DuckDBPyConnection) -> bool:
    """True when the rollups were built and sales has not changed size since."""
    if meta_value(conn, "rollup_built") != "1":
        return False
    rows = _sales_rows(conn)
    return meta_value(conn, "rollup_sales_rows") == str(rows)


def data_version(conn: duckdb.DuckDBPyConnection) -> tuple[str, str, int]:
    """A key that changes whenever sales or the rollups change: (database id, version, rows)."""
    rows = _sales_rows(conn)
    return (meta_value(conn, "db_id") or "", meta_value(conn, "data_version") or "0", int(rows))
