"""Churn status per client as of the as-of date: new, active, at risk, lost."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics.cache import cached
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.source import resolve, run, source
from kam_core.config import Thresholds
from kam_core.vocabulary import ACTIVE, AT_RISK, CHURN_STATUSES, LOST, NEW, label_of

STATUS_COUNT_COLUMNS = ["status", "label", "clients", "revenue_at_stake", "share"]
COLUMNS: list[str] = [
    "client_id",
    "client_name",
    "first_purchase",
    "last_purchase",
    "days_since_last",
    "median_gap_days",
    "status",
    "purchase_dates",
    "lost_threshold_days",
    "lost_on",
    "revenue_total",
    "revenue_at_stake",
    "manager",
    "region",
    "segment",
    "category",
]

# All history up to as-of. A purchase is a day with a positive-revenue row; gaps are between
# consecutive distinct purchase dates (prev_purchase is kept in the daily rollup).
_HISTORY_SQL = """,
h AS (
    SELECT client_id,
           min(order_date) FILTER (WHERE n_purchases > 0) AS first_purchase,
           max(order_date) FILTER (WHERE n_purchases > 0) AS last_purchase,
           count(*) FILTER (WHERE n_purchases > 0) AS purchase_dates,
           median(order_date - prev_purchase)
               FILTER (WHERE n_purchases > 0 AND prev_purchase IS NOT NULL) AS median_gap_days,
           sum(revenue) AS revenue_total
    FROM daily WHERE order_date <= $as_of
    GROUP BY client_id
),
s AS (
    -- Revenue at stake: what the client bought in the 365 days up to its last purchase.
    SELECT d.client_id, sum(d.revenue) AS revenue_at_stake
    FROM daily d JOIN h ON d.client_id = h.client_id
    WHERE d.order_date > h.last_purchase - 365 AND d.order_date <= h.last_purchase
    GROUP BY d.client_id
)
SELECT h.client_id, f.client_name, h.first_purchase, h.last_purchase,
       $as_of - h.last_purchase AS days_since_last, $as_of - h.first_purchase AS days_since_first,
       h.median_gap_days, h.purchase_dates, h.revenue_total, s.revenue_at_stake,
       f.manager, f.region, f.segment, f.category
FROM h LEFT JOIN s USING (client_id) LEFT JOIN facts f USING (client_id)
WHERE h.first_purchase IS NOT NULL
"""


def lost_threshold_days(median_gap: pd.Series, t: Thresholds) -> pd.Series:
    """Days of silence after which a client is lost: max(180, 3 x median gap)."""
    return (median_gap.astype(float) * t.churn_lost_gaps).fillna(0).clip(lower=t.churn_lost_days)


def at_risk_threshold_days(median_gap: pd.Series, t: Thresholds) -> pd.Series:
    """Days of silence after which a client is at risk: max(60, 1.5 x median gap)."""
    return (median_gap.astype(float) * t.churn_risk_gaps).fillna(0).clip(lower=t.churn_risk_days)


def churn_status(
    days_since_last: pd.Series,
    days_since_first: pd.Series,
    median_gap: pd.Series,
    t: Thresholds | None = None,
) -> pd.Series:
    """Status per client, checked in order: lost, new, at risk, active (DOMAIN.md section 8)."""
    t = t or Thresholds()
    silent = days_since_last.astype(float).to_numpy()
    age = days_since_first.astype(float).to_numpy()
    lost = silent > lost_threshold_days(median_gap, t).to_numpy()
    new = age <= t.churn_new_days
    risk = silent > at_risk_threshold_days(median_gap, t).to_numpy()
    status = np.select([lost, new, risk], [LOST, NEW, AT_RISK], default=ACTIVE)
    return pd.Series(status, index=days_since_last.index, dtype="str")


def client_history(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, as_of: date
) -> pd.DataFrame:
    """Per client with a purchase up to as-of: first and last purchase, gaps, revenue."""

    def compute() -> pd.DataFrame:
        return run(conn, source(conn, params), _HISTORY_SQL, {"as_of": as_of})

    return cached("client_history", conn, (params.filters_key(), as_of), compute)


def churn(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Churn table: one row per client who ever purchased up to as-of, with its status."""
    resolved = resolve(conn, params)
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    as_of, t = resolved.as_of, resolved.thresholds

    def compute() -> pd.DataFrame:
        frame = client_history(conn, resolved, as_of).copy()
        frame["status"] = churn_status(
            frame["days_since_last"], frame["days_since_first"], frame["median_gap_days"], t
        )
        frame["lost_threshold_days"] = lost_threshold_days(frame["median_gap_days"], t)
        # The day the lost threshold was passed: last purchase + threshold (whole days).
        lost_on = pd.to_datetime(frame["last_purchase"]) + pd.to_timedelta(
            np.floor(frame["lost_threshold_days"]), unit="D"
        )
        frame["lost_on"] = lost_on.where(frame["status"] == LOST)
        frame = frame.sort_values("client_id").reset_index(drop=True)
        return frame[COLUMNS]

    return cached("churn", conn, (resolved.filters_key(), as_of, t), compute)


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Clients and revenue at stake per churn status, every status listed in a fixed order.

    table: client_id, status and, when known, revenue_at_stake (else counted as 0).
    """
    if "revenue_at_stake" not in table:
        table = table.assign(revenue_at_stake=0.0)
    grouped = table.groupby("status").agg(
        clients=("client_id", "size"), revenue_at_stake=("revenue_at_stake", "sum")
    )
    grouped = grouped.reindex(list(CHURN_STATUSES), fill_value=0)
    out = grouped.rename_axis("status").reset_index()
    out["label"] = [label_of(CHURN_STATUSES, s) for s in out["status"]]
    out["clients"] = out["clients"].astype("int64")
    out["revenue_at_stake"] = out["revenue_at_stake"].astype(float)
    total = int(out["clients"].sum())
    out["share"] = out["clients"] / total if total else 0.0
    return out[STATUS_COUNT_COLUMNS]


def revenue_at_stake(counts: pd.DataFrame) -> float:
    """What the at-risk and lost clients bought in the 12 months up to their last purchase.

    counts: status_counts() of a churn table.
    """
    at_stake = counts[counts["status"].isin([AT_RISK, LOST])]["revenue_at_stake"]
    return float(at_stake.sum())


def at_risk_clients(table: pd.DataFrame) -> pd.DataFrame:
    """The at-risk rows of a churn table, largest revenue at stake first (then client id)."""
    at_risk = table[table["status"] == AT_RISK]
    return at_risk.sort_values(["revenue_at_stake", "client_id"], ascending=[False, True])


def lost_recently(by_month: pd.DataFrame, months: int = 3) -> tuple[int, int]:
    """Clients lost in the last `months` months of losses per month, and in the months before."""
    counts = by_month["clients_lost"].to_numpy() if len(by_month) else []
    return int(sum(counts[-months:])), int(sum(counts[-2 * months : -months]))
