"""Figures of the key-client types: how many clients of each type, and how much they bring."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.theme import TYPE_COLOURS, style

# Type value (as client_types writes it) -> label on charts and tables; "ordinary" = no type.
TYPE_LABELS: dict[str, str] = {
    "breadwinner": "Breadwinner",
    "prospect": "Prospect",
    "image_maker": "Image-maker",
    "expert": "Expert",
    "ordinary": "Ordinary",
}
ORDINARY = "ordinary"
DIST_COLUMNS = ["type", "label", "clients", "value", "client_share", "value_share"]


def type_colour(kind: str) -> str:
    """The colour of a type value (image_maker and image-maker are the same type)."""
    return TYPE_COLOURS.get(kind.replace("_", "-"), TYPE_COLOURS[ORDINARY])


def type_labels(types: str | None) -> str:
    """A client's types as a reader sees them: "breadwinner,expert" -> "Breadwinner, Expert"."""
    kinds = [k for k in str(types or "").split(",") if k]
    return ", ".join(TYPE_LABELS.get(k, k) for k in kinds) or TYPE_LABELS[ORDINARY]


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
    grouped = grouped.reindex(list(TYPE_LABELS), fill_value=0)
    clients_total = len(merged)
    value_total = float(merged["value"].clip(lower=0).sum())
    out = grouped.rename_axis("type").reset_index()
    out["label"] = out["type"].map(TYPE_LABELS)
    out["clients"] = out["clients"].astype("int64")
    out["value"] = out["value"].astype(float)
    out["client_share"] = out["clients"] / clients_total if clients_total else 0.0
    out["value_share"] = out["positive"] / value_total if value_total > 0 else 0.0
    return out[DIST_COLUMNS]


def types_count_figure(dist: pd.DataFrame) -> go.Figure:
    """Bar chart: clients per type."""
    fig = go.Figure(
        go.Bar(
            x=dist["label"],
            y=dist["clients"],
            marker_color=[type_colour(t) for t in dist["type"]],
            text=[f"{n:,}" for n in dist["clients"]],
            textposition="outside",
            customdata=dist[["client_share"]].to_numpy(),
            hovertemplate="<b>%{x}</b><br>Clients: %{y:,}<br>"
            "Share of clients: %{customdata[0]:.1%}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    return style(fig, "Clients per type", "Type", "Clients")


def types_value_figure(dist: pd.DataFrame, measure_label: str = "Revenue") -> go.Figure:
    """Bar chart: the measure in the window per type, with its share of the total."""
    fig = go.Figure(
        go.Bar(
            x=dist["label"],
            y=dist["value"],
            marker_color=[type_colour(t) for t in dist["type"]],
            text=[f"{s:.0%}" for s in dist["value_share"]],
            textposition="outside",
            customdata=dist[["value_share", "clients"]].to_numpy(),
            hovertemplate=f"<b>%{{x}}</b><br>{measure_label}: %{{y:,.0f}}<br>"
            "Share of the total: %{customdata[0]:.1%}<br>"
            "Clients: %{customdata[1]:,}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    return style(fig, f"{measure_label} per type", "Type", measure_label)


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


def clients_of_type(
    types: pd.DataFrame, values: pd.DataFrame, kind: str, status: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The clients of one type (or "ordinary"), largest value first, for the table under the chart.

    types: client_types' frame; values: client_id, value; status: client_id, status (optional).
    """
    rows = explode_types(types)
    chosen = types[types["client_id"].isin(rows.loc[rows["type"] == kind, "client_id"])]
    out = chosen.merge(values[["client_id", "value"]], on="client_id", how="left")
    out["value"] = out["value"].fillna(0.0).astype(float)
    out["type_labels"] = out["types"].map(type_labels)
    if status is not None:
        out = out.merge(status[["client_id", "status"]], on="client_id", how="left")
        out["status"] = out["status"].str.replace("_", " ")  # at_risk -> at risk
    else:
        out["status"] = None
    out = out.sort_values(["value", "client_id"], ascending=[False, True], kind="stable")
    return out[CLIENT_COLUMNS].reset_index(drop=True)
