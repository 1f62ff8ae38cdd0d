"""Revenue concentration: top-share of clients, Pareto curve, Gini, key clients' share."""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.client_types import client_types
from kam_core.analytics.columns import among
from kam_core.analytics.params import AnalysisParams

TOP_SHARES: tuple[float, ...] = (0.01, 0.05, 0.10, 0.20)


@dataclass(frozen=True)
class ConcentrationResult:
    """Summary figures (metric, value) and the Pareto curve."""

    summary: pd.DataFrame
    pareto: pd.DataFrame


def top_share(shares_desc: np.ndarray, fraction: float) -> float:
    """Share of the total held by the top fraction of clients (at least one client)."""
    if len(shares_desc) == 0:
        return 0.0
    count = max(1, math.ceil(round(fraction * len(shares_desc), 9)))
    return float(shares_desc[:count].sum())


def gini(values: np.ndarray) -> float:
    """Gini coefficient of the values clipped at zero (0 = equal, near 1 = one holds all)."""
    x = np.sort(np.clip(np.asarray(values, dtype=float), 0, None))
    n, total = len(x), x.sum()
    if n == 0 or total <= 0:
        return float("nan")
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * x).sum()) / (n * total) - (n + 1) / n)


def key_band(share: float, low: float, high: float) -> str:
    """Where the key clients' share sits against the article's 30-55% band."""
    if share < low:
        return "below"
    return "above" if share > high else "within"


def concentration(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> ConcentrationResult:
    """Concentration of the measure over clients with sales in the window."""
    clients = abc_xyz(conn, params).clients  # already ordered by value desc, client id
    shares = clients["share"].to_numpy(dtype=float)
    t = params.thresholds
    types = client_types(conn, params)
    key_ids = set(types.loc[types["is_key"], "client_id"])
    key_share = float(clients.loc[among(clients["client_id"], key_ids), "share"].sum())
    rows = [(f"top_{round(f * 100)}pct_share", top_share(shares, f)) for f in TOP_SHARES]
    rows += [
        ("clients", float(len(clients))),
        ("gini", gini(clients["value"].to_numpy(dtype=float))),
        ("key_clients", float(among(clients["client_id"], key_ids).sum())),
        ("key_clients_share", key_share),
        ("key_band_low", t.key_share_low),
        ("key_band_high", t.key_share_high),
    ]
    summary = pd.DataFrame(rows, columns=["metric", "value"])
    band = key_band(key_share, t.key_share_low, t.key_share_high)
    summary = pd.concat(
        [
            summary.astype({"value": "object"}),
            pd.DataFrame([{"metric": "key_band", "value": band}]),
        ],
        ignore_index=True,
    )
    n = len(clients)
    pareto = pd.DataFrame(
        {
            "rank": np.arange(1, n + 1),
            "client_id": clients["client_id"].to_numpy(),
            "client_share": np.arange(1, n + 1) / n if n else np.zeros(0),
            "cumulative_share": clients["cumulative_share"].to_numpy(dtype=float),
        }
    )
    return ConcentrationResult(summary, pareto)
