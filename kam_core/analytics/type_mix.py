"""How the key-client types divide clients and value: counts, shares, the clients of a type."""

from __future__ import annotations

import pandas as pd

from kam_core.analytics.columns import among
from kam_core.vocabulary import CHURN_STATUSES, CLIENT_TYPES, ORDINARY, label_of, type_labels

DIST_COLUMNS = ["type", "label", "clients", "value", "client_share", "value_share"]
CLIENT_COLUMNS = [
    "client_id",
    "client_name",
    "type_labels",
    "abc",
    "value",
    "profit_share",
    "first_purchase",
    "status",
    "qualified",
    "overridden",
]


def explode_types(types: pd.DataFrame) -> pd.DataFrame:
    """One row per client and type; a client with no type is one "ordinary" row."""
    kinds = types["types"].fillna("").astype("str").replace("", ORDINARY).str.split(",")
    return types.assign(type=kinds).explode("type").reset_index(drop=True)


def type_distribution(types: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Clients and value per type (every type listed, empty ones as 0).

    types: client_id, types (comma-separated, as client_types returns them);
    values: client_id, value (the measure in the window; clients without sales count 0).
    A client of several types counts under each, so shares are of all clients and of the total
    value and may add up to more than 100%.
    """
    merged = types[["client_id", "types"]].merge(
        values[["client_id", "value"]], on="client_id", how="left"
    )
    merged["value"] = merged["value"].fillna(0.0).astype(float)
    # Shares are of the positive values, as in ABC: a client with a loss does not shrink others.
    rows = explode_types(merged.assign(positive=merged["value"].clip(lower=0)))
    grouped = rows.groupby("type").agg(
        clients=("client_id", "size"), value=("value", "sum"), positive=("positive", "sum")
    )
    grouped = grouped.reindex(list(CLIENT_TYPES), fill_value=0)
    clients_total = len(merged)
    value_total = float(merged["value"].clip(lower=0).sum())
    out = grouped.rename_axis("type").reset_index()
    out["label"] = [label_of(CLIENT_TYPES, k) for k in out["type"]]
    out["clients"] = out["clients"].astype("int64")
    out["value"] = out["value"].astype(float)
    out["client_share"] = out["clients"] / clients_total if clients_total else 0.0
    out["value_share"] = out["positive"] / value_total if value_total > 0 else 0.0
    return out[DIST_COLUMNS]


def clients_of_type(
    types: pd.DataFrame, values: pd.DataFrame, kind: str, status: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The clients of one type (or "ordinary"), largest value first, for the table under the chart.

    types: client_types' frame; values: client_id, value; status: client_id, status (optional).
    """
    rows = explode_types(types)
    chosen = types[among(types["client_id"], rows.loc[rows["type"] == kind, "client_id"])]
    out = chosen.merge(values[["client_id", "value"]], on="client_id", how="left")
    out["value"] = out["value"].fillna(0.0).astype(float)
    out["type_labels"] = out["types"].map(type_labels)
    if status is not None:
        out = out.merge(status[["client_id", "status"]], on="client_id", how="left")
        out["status"] = [
            label_of(CHURN_STATUSES, s) if isinstance(s, str) else s for s in out["status"]
        ]
    else:
        out["status"] = None
    out = out.sort_values(["value", "client_id"], ascending=[False, True], kind="stable")
    return out[CLIENT_COLUMNS].reset_index(drop=True)
