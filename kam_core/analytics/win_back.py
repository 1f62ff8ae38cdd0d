"""Win-back list: lost and at-risk clients by revenue at stake, with an offer and a status."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.churn import AT_RISK, LOST, churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.source import resolve
from kam_core.store.win_back import read_win_back
from kam_core.vocabulary import WIN_BACK_OPEN, WIN_BACK_STATUSES

OFFERS: dict[str, str] = {
    "A": "Personal meeting and a special offer",
    "B": "Discount",
    "C": "Campaign",
}
# What a manager can record, and what a client with nothing recorded shows.
STATUSES: tuple[str, ...] = WIN_BACK_STATUSES
DEFAULT_STATUS = WIN_BACK_OPEN
COLUMNS: list[str] = [
    "client_id",
    "client_name",
    "churn_status",
    "abc",
    "types",
    "is_key",
    "revenue_at_stake",
    "last_purchase",
    "days_since_last",
    "manager",
    "region",
    "offer",
    "status",
    "note",
    "updated_at",
    "updated_by",
]


def suggested_offer(abc: str | None) -> str:
    """The offer for a class; a client without a class in the window is treated as C."""
    return OFFERS.get(abc or "C", OFFERS["C"])


def win_back_list(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Lost and at-risk clients ordered by revenue at stake (then client id)."""
    resolved = resolve(conn, params)
    table = churn(conn, params)
    frame = table[table["status"].isin([LOST, AT_RISK])].rename(columns={"status": "churn_status"})
    if resolved is None or frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    classes = abc_xyz(conn, resolved).clients[["client_id", "abc"]]
    types = client_types(conn, resolved)[["client_id", "types", "is_key"]]
    frame = frame.merge(classes, on="client_id", how="left").merge(
        types, on="client_id", how="left"
    )
    frame["is_key"] = frame["is_key"].fillna(False).astype(bool)
    frame["offer"] = [suggested_offer(a if isinstance(a, str) else None) for a in frame["abc"]]
    stored = read_win_back(conn)[["client_id", "status", "note", "updated_at", "updated_by"]]
    frame = frame.merge(stored, on="client_id", how="left")
    frame["status"] = frame["status"].fillna(DEFAULT_STATUS)
    frame = frame.sort_values(["revenue_at_stake", "client_id"], ascending=[False, True])
    return frame[COLUMNS].reset_index(drop=True)
