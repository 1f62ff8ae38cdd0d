"""Where report queries read from: the rollups, or filtered sales, behind the same CTE names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from kam_core.analytics.params import FILTERS, AnalysisParams, window_start
from kam_core.config import SETTINGS
from kam_core.store.rollup import DAILY_SQL, FACTS_SQL, MONTHLY_SQL, rollup_is_current

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Source:
    """A WITH prefix defining daily, monthly and facts, and the parameters it uses."""

    prefix: str
    args: dict[str, Any]


def source(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> Source:
    """Read the rollups when they are current and no filter is set; otherwise filtered sales."""
    filters = params.filters
    if not filters and rollup_is_current(conn):
        prefix = (
            "WITH daily AS (SELECT * FROM sales_daily), monthly AS (SELECT * FROM sales_monthly),"
            " facts AS (SELECT * FROM client_facts)"
        )
        return Source(prefix, {})
    # Column names come from the fixed FILTERS tuple; the values travel as parameters.
    conds = [f"{col} = $f_{col}" for col in FILTERS if col in filters and col != "manager"]
    if "manager" in filters:
        # A client belongs to its latest manager (as in every portfolio): all of its rows go
        # with it, and a manager's name matches whatever its case or spacing.
        facts = "client_facts" if rollup_is_current(conn) else f"({FACTS_SQL.format(where='')})"
        conds.append(
            f"""client_id IN (
                SELECT coalesce(f.client_id, c.client_id) FROM {facts} f
                FULL OUTER JOIN clients c ON c.client_id = f.client_id
                WHERE lower(trim(coalesce(f.manager, c.manager))) = lower(trim($f_manager)))"""
        )
    where = ("WHERE " + " AND ".join(conds)) if conds else ""
    prefix = (
        f"WITH daily AS ({DAILY_SQL.format(where=where)}),"
        f" monthly AS ({MONTHLY_SQL.format(daily='daily')}),"
        f" facts AS ({FACTS_SQL.format(where=where)})"
    )
    return Source(prefix, {f"f_{col}": value for col, value in filters.items()})


def run(
    conn: duckdb.DuckDBPyConnection, src: Source, body: str, args: dict[str, Any]
) -> pd.DataFrame:
    """Run prefix + body with exactly the parameters the text names (DuckDB refuses extras)."""
    sql = f"{src.prefix} {body}"
    merged = {**src.args, **args}
    used = set(_PARAM.findall(sql))
    return conn.execute(sql, {k: v for k, v in merged.items() if k in used}).df()


def latest_date(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> date | None:
    """The latest order date in the (filtered) data that is not in the future: the default as-of.

    One stray row dated 2099 must not move every report to 2099 (every client "lost").
    """
    src = source(conn, params)
    latest = date.today() + timedelta(days=SETTINGS.limits.future_grace_days)
    body = "SELECT max(order_date) AS d FROM daily WHERE order_date <= $latest"
    df = run(conn, src, body, {"latest": latest})
    value = df["d"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def resolve(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> AnalysisParams | None:
    """Fix the as-of date (latest in the data when unset); None when there is no data."""
    if params.as_of is not None:
        return params
    latest = latest_date(conn, params)
    return None if latest is None else params.with_as_of(latest)


def window_args(as_of: date, months: int) -> dict[str, Any]:
    """Parameters of the window: start, the first day read from daily rows, and as-of."""
    start = window_start(as_of, months)
    next_day = as_of + timedelta(days=1)
    # A window ending on a month's last day is read wholly from the monthly rollup.
    cut = next_day if next_day.day == 1 else date(as_of.year, as_of.month, 1)
    return {"start": start, "cut": cut, "as_of": as_of}


# Rows of the window: whole months from the monthly rollup, the as-of month's days from daily.
WINDOW_ROWS = """
w AS (
    SELECT client_id, month AS d, revenue, profit, quantity, n_purchases FROM monthly
    WHERE month >= $start AND month < $cut
    UNION ALL
    SELECT client_id, order_date AS d, revenue, profit, quantity, n_purchases FROM daily
    WHERE order_date >= $cut AND order_date <= $as_of
)
"""


def period_expr(period: str) -> str:
    """SQL for the absolute period number of column d (months or quarters since year 0)."""
    if period == "quarter":
        return "(year(d) * 4 + quarter(d) - 1)"
    return "(year(d) * 12 + month(d) - 1)"


def period_base(start: date, period: str) -> int:
    """Absolute period number of the window's first period, matching period_expr."""
    if period == "quarter":
        return start.year * 4 + (start.month - 1) // 3
    return start.year * 12 + start.month - 1
