"""The Overview's figures: key figures of the window, revenue per period, movers and alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz, window_totals
from kam_core.analytics.churn import AT_RISK, LOST, at_risk_threshold_days, churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.columns import among
from kam_core.analytics.concentration import concentration
from kam_core.analytics.health import health_change
from kam_core.analytics.params import (
    AnalysisParams,
    period_count,
    period_label,
    shift_months,
    window_start,
)
from kam_core.analytics.source import resolve
from kam_core.analytics.trend import client_trend, revenue_change

# "Just turned at risk": the at-risk threshold passed within this many days before as-of.
ALERT_DAYS = 30
# "Lost in the last quarter": the lost threshold passed in the as-of month or the two before.
LOST_MONTHS = 3
MOVERS = 10


@dataclass(frozen=True)
class KeyFigures:
    """The Overview's headline numbers for one window (revenue, clients, key share, risks)."""

    as_of: date | None
    window_start: date | None
    months: int
    measure: str
    revenue: float
    revenue_prev: float
    revenue_change_pct: float | None
    clients: int
    clients_prev: int
    key_clients: int
    key_share: float
    key_band: str
    key_band_low: float
    key_band_high: float
    at_risk: int
    lost_last_quarter: int


def _empty_figures(params: AnalysisParams) -> KeyFigures:
    t = params.thresholds
    return KeyFigures(
        None, None, params.months, params.measure, 0.0, 0.0, None, 0, 0, 0, 0.0, "below",
        t.key_share_low, t.key_share_high, 0, 0,
    )  # fmt: skip


def lost_since(as_of: date, months: int = LOST_MONTHS) -> date:
    """First day of the months counted as 'the last quarter': as-of's month and those before."""
    return shift_months(date(as_of.year, as_of.month, 1), -(months - 1))


def key_figures(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> KeyFigures:
    """Revenue and its change, clients, key clients and their share, at risk, recently lost."""
    resolved = resolve(conn, params)
    if resolved is None or resolved.as_of is None:
        return _empty_figures(params)
    as_of = resolved.as_of
    previous = shift_months(as_of, -resolved.months)
    now = window_totals(conn, resolved, as_of)
    before = window_totals(conn, resolved, previous)
    revenue, revenue_prev = float(now["revenue"].sum()), float(before["revenue"].sum())
    change = (revenue - revenue_prev) / revenue_prev if revenue_prev > 0 else None
    summary = concentration(conn, resolved).summary.set_index("metric")["value"]
    table = churn(conn, resolved)
    lost_on = pd.to_datetime(table["lost_on"])
    recent_lost = (table["status"] == LOST) & (lost_on >= pd.Timestamp(lost_since(as_of)))
    t = resolved.thresholds
    return KeyFigures(
        as_of=as_of,
        window_start=window_start(as_of, resolved.months),
        months=resolved.months,
        measure=abc_xyz(conn, resolved).measure,
        revenue=revenue,
        revenue_prev=revenue_prev,
        revenue_change_pct=change,
        clients=len(now),
        clients_prev=len(before),
        key_clients=int(summary["key_clients"]),
        key_share=float(summary["key_clients_share"]),
        key_band=str(summary["key_band"]),
        key_band_low=t.key_share_low,
        key_band_high=t.key_share_high,
        at_risk=int((table["status"] == AT_RISK).sum()),
        lost_last_quarter=int(recent_lost.sum()),
    )


def revenue_per_period(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Revenue per period of the window beside the same period of the previous window."""
    columns = ["period", "label", "revenue", "label_prev", "revenue_prev"]
    resolved = resolve(conn, params)
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    earlier = resolved.with_as_of(shift_months(resolved.as_of, -resolved.months))
    parts = []
    for p, suffix in ((resolved, ""), (earlier, "_prev")):
        trend = client_trend(conn, p)
        part = trend.groupby(["period", "label"], as_index=False)["revenue"].sum()
        parts.append(
            part.rename(columns={"label": f"label{suffix}", "revenue": f"revenue{suffix}"})
        )
    now, before = parts
    # Every period of the window, also when no client bought in it.
    frame = full_periods(now, resolved, "")
    frame = frame.merge(full_periods(before, earlier, "_prev"), on="period", how="left")
    return frame[columns]


def full_periods(part: pd.DataFrame, params: AnalysisParams, suffix: str) -> pd.DataFrame:
    """Reindex per-period sums over every period of the window, labelling empty ones."""
    assert params.as_of is not None
    start = window_start(params.as_of, params.months)
    n = period_count(params.as_of, params.months, params.period)
    frame = pd.DataFrame({"period": np.arange(n)})
    frame[f"label{suffix}"] = [period_label(start, i, params.period) for i in range(n)]
    sums = part.set_index("period")[f"revenue{suffix}"] if len(part) else pd.Series(dtype=float)
    frame[f"revenue{suffix}"] = frame["period"].map(sums).fillna(0.0).astype(float)
    return frame


def client_names(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Name and manager of every client who bought up to as-of (or has sales in the window)."""
    table = churn(conn, params)[["client_id", "client_name", "manager"]]
    window = abc_xyz(conn, params).clients[["client_id", "client_name"]]
    extra = window[~among(window["client_id"], table["client_id"])]
    return pd.concat([table, extra], ignore_index=True)


def biggest_movers(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, n: int = MOVERS
) -> pd.DataFrame:
    """The n clients whose revenue grew most and the n whose fell most against the last window."""
    columns = [
        "direction", "client_id", "client_name", "manager", "revenue", "revenue_prev", "change",
        "change_pct",
    ]  # fmt: skip
    resolved = resolve(conn, params)
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    change = revenue_change(conn, resolved, resolved.as_of)
    up = change[change["change"] > 0].sort_values(["change", "client_id"], ascending=[False, True])
    down = change[change["change"] < 0].sort_values(["change", "client_id"])
    frame = pd.concat(
        [up.head(n).assign(direction="up"), down.head(n).assign(direction="down")],
        ignore_index=True,
    )
    frame = frame.merge(client_names(conn, resolved), on="client_id", how="left")
    frame["client_name"] = frame["client_name"].fillna(frame["client_id"])
    return frame[columns]


def key_clients_at_risk(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Key clients whose status is at risk, with the day they turned at risk, most recent first."""
    columns = [
        "client_id", "client_name", "types", "at_risk_since", "days_at_risk", "last_purchase",
        "days_since_last", "median_gap_days", "revenue_at_stake", "manager", "region",
    ]  # fmt: skip
    resolved = resolve(conn, params)
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    t = resolved.thresholds
    table = churn(conn, resolved)
    table = table[table["status"] == AT_RISK]
    types = client_types(conn, resolved)[["client_id", "types", "is_key"]]
    frame = table.merge(types, on="client_id", how="inner")
    frame = frame[frame["is_key"]].copy()
    limit = at_risk_threshold_days(frame["median_gap_days"], t)
    # The first day with more silent days than the threshold; a new client turns no earlier
    # than the day it stops being new.
    turned = pd.to_datetime(frame["last_purchase"]) + pd.to_timedelta(np.floor(limit) + 1, "D")
    not_new = pd.to_datetime(frame["first_purchase"]) + pd.Timedelta(days=t.churn_new_days + 1)
    frame["at_risk_since"] = np.maximum(turned, not_new).dt.date
    frame["days_at_risk"] = [(resolved.as_of - d).days for d in frame["at_risk_since"]]
    frame = frame.sort_values(["days_at_risk", "revenue_at_stake"], ascending=[True, False])
    return frame[columns].reset_index(drop=True)


def at_risk_alerts(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, days: int = ALERT_DAYS
) -> pd.DataFrame:
    """Key clients that turned at risk within the last `days` days up to as-of."""
    frame = key_clients_at_risk(conn, params)
    return frame[frame["days_at_risk"] < days].reset_index(drop=True)


def pareto_curve(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """The Pareto curve of concentration with each client's name, value and share."""
    resolved = resolve(conn, params) or params
    curve = concentration(conn, resolved).pareto
    clients = abc_xyz(conn, resolved).clients[["client_id", "client_name", "value", "share"]]
    return curve.merge(clients, on="client_id", how="left")


def health_alerts(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Key clients of the params' clients whose health fell 15+ points since the last quarter.

    Health is each client's own (health_change ignores row filters); the key clients come from
    client_types under the params, so a manager's filter keeps only their clients. Largest fall
    first.
    """
    columns = ["client_id", "client_name", "types", "health", "health_prev", "change", "manager"]
    resolved = resolve(conn, params)
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    change = health_change(conn, resolved)
    fell = change[change["fell"].fillna(False).astype(bool)]
    types = client_types(conn, resolved)
    key = types[types["is_key"].fillna(False).astype(bool)][["client_id", "types"]]
    frame = fell.merge(key, on="client_id", how="inner")
    managers = client_names(conn, resolved)[["client_id", "manager"]].drop_duplicates("client_id")
    frame = frame.merge(managers, on="client_id", how="left")
    frame = frame.sort_values(["change", "client_id"]).reset_index(drop=True)
    return frame[columns]


def with_health(frame: pd.DataFrame, health: pd.DataFrame) -> pd.DataFrame:
    """The frame with each client's health score (0-100, NaN when unknown) after its name."""
    scores = health[["client_id", "health"]].drop_duplicates("client_id")
    out = frame.drop(columns="health", errors="ignore").merge(scores, on="client_id", how="left")
    order = list(frame.columns.drop("health", errors="ignore"))
    at = order.index("client_name") + 1 if "client_name" in order else len(order)
    return out[[*order[:at], "health", *order[at:]]]
