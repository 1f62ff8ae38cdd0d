"""Small reads the pages need before the analytics reports: totals, months, one client."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from kam_core.config import SETTINGS
from kam_core.store.db import query_df


def sales_summary(conn: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Rows, clients, revenue, the first order date and the last one not in the future.

    The last date is the default as-of of every page: one stray row dated 2099 (stored before
    imports refused future dates) must not make every client "lost".
    """
    latest = date.today() + timedelta(days=SETTINGS.limits.future_grace_days)
    frame = query_df(
        conn,
        """SELECT count(*) AS rows, count(DISTINCT client_id) AS clients,
                  coalesce(sum(revenue), 0) AS revenue, min(order_date) AS first_date,
                  max(order_date) FILTER (WHERE order_date <= ?) AS last_date FROM sales""",
        [latest],
    )
    return frame.iloc[0].to_dict()


def monthly_revenue(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return revenue and active clients per calendar month."""
    return query_df(
        conn,
        """SELECT date_trunc('month', order_date)::DATE AS month, sum(revenue) AS revenue,
                  count(DISTINCT client_id) AS clients
           FROM sales GROUP BY 1 ORDER BY 1""",
    )


def client_list(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every client with its latest name, revenue and last purchase, largest first."""
    return query_df(
        conn,
        """SELECT client_id, arg_max(client_name, order_date) AS client_name,
                  sum(revenue) AS revenue, max(order_date) AS last_purchase
           FROM sales GROUP BY client_id ORDER BY revenue DESC, client_id""",
    )


def client_sales(conn: duckdb.DuckDBPyConnection, client_id: str) -> pd.DataFrame:
    """Return one client's sales rows, newest first."""
    return query_df(
        conn,
        """SELECT order_date, order_id, product, category, quantity, revenue, profit, manager,
                  region, due_date, ship_date, returned
           FROM sales WHERE client_id = ? ORDER BY order_date DESC, order_id""",
        [client_id],
    )


def dimension_values(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Return the distinct managers, regions, segments and categories, sorted."""
    out: dict[str, list[str]] = {}
    for column in ("manager", "region", "segment", "category"):
        frame = query_df(
            conn,
            f"SELECT DISTINCT {column} AS v FROM sales WHERE {column} IS NOT NULL ORDER BY 1",
        )
        out[column] = [str(v) for v in frame["v"]]
    return out
