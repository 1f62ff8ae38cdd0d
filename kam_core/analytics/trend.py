"""Trend per client: revenue per period of the window and change against the previous window."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from kam_core.analytics.abc_xyz import window_totals
from kam_core.analytics.cache import cached
from kam_core.analytics.params import (
    AnalysisParams,
    period_count,
    period_label,
    shift_months,
    window_start,
)
from kam_core.analytics.source import (
    WINDOW_ROWS,
    period_base,
    period_expr,
    resolve,
    run,
    source,
    window_args,
)

_PERIODS_SQL = (
    ", "
    + WINDOW_ROWS
    + """
    , x AS (
    SELECT client_id, {period} - $p0 AS period, sum(revenue) AS revenue
    FROM w WHERE $client IS NULL OR client_id = $client
    GROUP BY ALL
)
-- Every period of the window for every client, zero where it bought nothing.
SELECT c.client_id, p.range AS period, coalesce(x.revenue, 0) AS revenue
FROM (SELECT DISTINCT client_id FROM x) c CROSS JOIN range($n) p
LEFT JOIN x ON x.client_id = c.client_id AND x.period = p.range
ORDER BY c.client_id, period
"""
)


def revenue_change(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, as_of: date
) -> pd.DataFrame:
    """Per client: revenue in the window, in the previous window of equal length, the change."""
    previous_as_of = shift_months(as_of, -params.months)
    now = window_totals(conn, params, as_of)[["client_id", "revenue"]]
    before = window_totals(conn, params, previous_as_of)[["client_id", "revenue"]]
    frame = pd.merge(now, before, on="client_id", how="outer", suffixes=("", "_prev"))
    frame = frame.fillna({"revenue": 0.0, "revenue_prev": 0.0})
    frame["change"] = frame["revenue"] - frame["revenue_prev"]
    frame["change_pct"] = (frame["change"] / frame["revenue_prev"]).where(frame["revenue_prev"] > 0)
    return frame.sort_values("client_id").reset_index(drop=True)


def client_trend(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, client_id: str | None = None
) -> pd.DataFrame:
    """Revenue per period of the window (every period, zeros included) per client."""
    resolved = resolve(conn, params)
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame(columns=["client_id", "period", "label", "revenue"])
    as_of = resolved.as_of
    start = window_start(as_of, resolved.months)

    def compute() -> pd.DataFrame:
        args = {**window_args(as_of, resolved.months), "p0": period_base(start, resolved.period)}
        args["client"] = client_id
        args["n"] = period_count(as_of, resolved.months, resolved.period)
        body = _PERIODS_SQL.format(period=period_expr(resolved.period))
        return run(conn, source(conn, resolved), body, args)

    key = (resolved.filters_key(), as_of, resolved.months, resolved.period, client_id)
    frame = cached("client_trend", conn, key, compute).copy()
    n = period_count(as_of, resolved.months, resolved.period)
    labels = {i: period_label(start, i, resolved.period) for i in range(n)}
    frame["label"] = frame["period"].map(labels)
    return frame[["client_id", "period", "label", "revenue"]]
