"""Losses: clients that became lost per month, revenue lost, breakdowns and the trend."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.churn import LOST, churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.columns import map_distinct
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.source import resolve

DIMENSIONS: tuple[str, ...] = ("region", "manager", "segment", "category", "abc", "client_type")
TREND_MONTHS = 3


@dataclass(frozen=True)
class LossesResult:
    """Per-month losses, the lost clients, breakdowns by dimension and the trend."""

    by_month: pd.DataFrame
    clients: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    trend: str


def losses_by_month(lost: pd.DataFrame, end: pd.Period) -> pd.DataFrame:
    """Clients lost and revenue lost per month, every month from the first loss to end."""
    if lost.empty:
        return pd.DataFrame(
            {
                "month": pd.Series(dtype="str"),
                "clients_lost": pd.Series(dtype="int64"),
                "revenue_lost": pd.Series(dtype="float64"),
            }
        )
    months = pd.to_datetime(lost["lost_on"]).dt.to_period("M")
    grouped = (
        lost.assign(month=months)
        .groupby("month")
        .agg(clients_lost=("client_id", "size"), revenue_lost=("revenue_at_stake", "sum"))
    )
    index = pd.period_range(min(months.min(), end), end, freq="M")
    grouped = grouped.reindex(index, fill_value=0)
    grouped.index = grouped.index.astype(str)
    return grouped.rename_axis("month").reset_index().astype({"clients_lost": "int64"})


def loss_trend(by_month: pd.DataFrame, months: int = TREND_MONTHS) -> str:
    """Worse, better or stable: clients lost in the last months against the months before."""
    counts = by_month["clients_lost"].to_numpy()
    recent, before = counts[-months:].sum(), counts[-2 * months : -months].sum()
    if recent > before:
        return "worse"
    return "better" if recent < before else "stable"


def breakdown(lost: pd.DataFrame, column: str) -> pd.DataFrame:
    """Clients and revenue lost by one dimension (missing values shown as "(none)")."""
    keys = lost[column].fillna("(none)").replace("", "(none)")
    out = (
        lost.assign(key=keys)
        .groupby("key")
        .agg(clients_lost=("client_id", "size"), revenue_lost=("revenue_at_stake", "sum"))
    )
    out = out.sort_values(["revenue_lost", "clients_lost"], ascending=False)
    return out.rename_axis(column).reset_index()


def _client_type(types: pd.Series) -> pd.Series:
    """Each client's types, "ordinary" where it has none (empty or missing)."""
    if types.dtype == "str":
        named = (types.notna() & types.ne("")).to_numpy(dtype=bool)
        values = np.where(named, types.to_numpy(dtype=object), "ordinary")
        return pd.Series(values, index=types.index, dtype="str")
    # Value by value: with no typed client the merged column is all-missing floats.
    return pd.Series(
        [t if isinstance(t, str) and t else "ordinary" for t in types],
        index=types.index,
        dtype="str",
    )


def losses(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> LossesResult:
    """Clients lost as of the as-of date, by the month the lost threshold passed."""
    resolved = resolve(conn, params)
    table = churn(conn, params)
    lost = table[table["status"] == LOST].copy()
    if resolved is None or resolved.as_of is None:
        empty = losses_by_month(lost, pd.Period("2000-01", freq="M"))
        return LossesResult(empty.iloc[0:0], lost, {}, "stable")
    classes = abc_xyz(conn, resolved).clients[["client_id", "abc"]]
    lost = lost.merge(classes, on="client_id", how="left")
    # A lost client usually has no sales in the window: its class is then "none".
    lost["abc"] = lost["abc"].fillna("none")
    types = client_types(conn, resolved)[["client_id", "types"]]
    lost = lost.merge(types, on="client_id", how="left")
    lost["client_type"] = _client_type(lost["types"])
    by_month = losses_by_month(lost, pd.Period(resolved.as_of, freq="M"))
    parts = {}
    for dim in DIMENSIONS:
        source = lost
        if dim == "client_type":
            # A client of several types counts once under each of them.
            # Split once per distinct combination of types, not once per client.
            split = map_distinct(lost["client_type"], lambda t: str(t).split(","))
            source = lost.assign(client_type=split).explode("client_type")
        parts[dim] = breakdown(source, dim)
    return LossesResult(by_month, lost, parts, loss_trend(by_month))


def rolling_losses(by_month: pd.DataFrame, months: int = 3) -> pd.Series:
    """The average of clients lost over the last `months` months, per month."""
    return by_month["clients_lost"].astype(float).rolling(months, min_periods=1).mean()
