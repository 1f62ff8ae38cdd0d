"""Portfolio per manager: clients, revenue and its change, ABC-XYZ mix, key, at-risk, lost."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.churn import AT_RISK, LOST, churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.health import health_table
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.source import resolve
from kam_core.analytics.trend import revenue_change
from kam_core.dossier.completeness import completeness_by_client
from kam_core.store.clients import read_clients

UNASSIGNED = "(unassigned)"
COLUMNS: list[str] = [
    "manager",
    "clients",
    "clients_in_window",
    "revenue",
    "revenue_prev",
    "revenue_change",
    "revenue_change_pct",
    "a",
    "b",
    "c",
    "x",
    "y",
    "z",
    "key_clients",
    "at_risk",
    "lost",
    "dossier_completeness",
    "health",
]


def portfolio_clients(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """One row per client with its manager (latest in the data), class, status and revenue."""
    resolved = resolve(conn, params)
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame()
    table = churn(conn, resolved)[["client_id", "client_name", "status", "manager"]]
    classes = abc_xyz(conn, resolved).clients[["client_id", "client_name", "abc", "xyz", "cell"]]
    frame = pd.merge(table, classes, on="client_id", how="outer", suffixes=("", "_w"))
    frame["client_name"] = frame["client_name"].fillna(frame.pop("client_name_w"))
    change = revenue_change(conn, resolved, resolved.as_of)
    frame = frame.merge(change, on="client_id", how="left")
    types = client_types(conn, resolved)[["client_id", "is_key"]]
    frame = frame.merge(types, on="client_id", how="left")
    master = read_clients(conn)[["client_id", "manager"]]
    frame = frame.merge(master, on="client_id", how="left", suffixes=("", "_master"))
    # The data's latest manager wins; the dossier's manager covers clients the data leaves blank.
    frame["manager"] = frame["manager"].fillna(frame.pop("manager_master")).fillna(UNASSIGNED)
    # The dossier's own completeness (sections filled), as its header shows it; 0 without one.
    scores = completeness_by_client(conn)[["client_id", "completeness"]]
    frame = frame.merge(scores, on="client_id", how="left")
    frame["completeness"] = frame["completeness"].fillna(0.0).astype(float)
    frame["is_key"] = frame["is_key"].fillna(False).astype(bool)
    # Health is the client's own (health_table ignores the row filters); NaN when no part has data.
    health = health_table(conn, resolved)[["client_id", "health"]]
    frame = frame.merge(health, on="client_id", how="left")
    frame["health"] = frame["health"].astype(float)
    return frame.fillna({"revenue": 0.0, "revenue_prev": 0.0, "change": 0.0})


def portfolio(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Per manager: the summary of its clients' portfolio."""
    frame = portfolio_clients(conn, params)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    frame = frame.assign(
        in_window=frame["abc"].notna(),
        **{k.lower(): frame["abc"] == k for k in "ABC"},
        **{k.lower(): frame["xyz"] == k for k in "XYZ"},
        at_risk=frame["status"] == AT_RISK,
        lost=frame["status"] == LOST,
    )
    out = frame.groupby("manager").agg(
        clients=("client_id", "size"),
        clients_in_window=("in_window", "sum"),
        revenue=("revenue", "sum"),
        revenue_prev=("revenue_prev", "sum"),
        **{k: (k, "sum") for k in "abcxyz"},
        key_clients=("is_key", "sum"),
        at_risk=("at_risk", "sum"),
        lost=("lost", "sum"),
    )
    # Dossiers are kept for key clients (docs/DOMAIN.md, completeness): ordinary clients would
    # only dilute the figure, and a portfolio without key clients has none (NaN).
    key = frame[frame["is_key"]]
    out["dossier_completeness"] = key.groupby("manager")["completeness"].mean()
    # The mean over the clients that have a health score (NaN scores are left out).
    out["health"] = frame.groupby("manager")["health"].mean().round(1)
    out["revenue_change"] = out["revenue"] - out["revenue_prev"]
    out["revenue_change_pct"] = (out["revenue_change"] / out["revenue_prev"]).where(
        out["revenue_prev"] > 0
    )
    out = out.reset_index().sort_values(["revenue", "manager"], ascending=[False, True])
    return out[COLUMNS].reset_index(drop=True)


MIX_COLUMNS = ["abc", "xyz", "clients", "revenue"]


def manager_mix(clients: pd.DataFrame) -> pd.DataFrame:
    """Clients and revenue per ABC-XYZ cell (all nine listed) of a set of clients.

    clients: abc, xyz (NaN for clients without sales in the window, left out), revenue.
    """
    inside = clients[clients["abc"].notna() & clients["xyz"].notna()]
    grouped = inside.groupby(["abc", "xyz"]).agg(
        clients=("client_id", "size"), revenue=("revenue", "sum")
    )
    index = pd.MultiIndex.from_product([list("ABC"), list("XYZ")], names=["abc", "xyz"])
    out = grouped.reindex(index, fill_value=0).reset_index()
    out["clients"] = out["clients"].astype("int64")
    out["revenue"] = out["revenue"].astype(float)
    return out[MIX_COLUMNS]
