"""ABC-XYZ analysis: per-client measure, ABC class, XYZ metric and class, and the 3x3 matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics.cache import cached
from kam_core.analytics.notices import Notice, crowded_xyz_notice
from kam_core.analytics.params import (
    AnalysisParams,
    period_count,
    window_start,
    xyz_cutoffs,
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
from kam_core.i18n import N_, gettext

# Thresholds are compared after rounding so a value that is exactly on a cut-off in decimal
# terms (0.8, 0.5) is not pushed across it by floating-point noise.
_DECIMALS = 9

# The article's strategy per cell, translated when a matrix is made (abc_xyz_matrix, matrix_of).
STRATEGIES: dict[str, str] = {
    "AX": N_("Keep and grow: personal key account manager, long-term agreements"),
    "AY": N_("Secure the volume: regular contact, plan orders together, flexible terms"),
    "AZ": N_("Understand the swings: individual approach, forecast together, keep stock"),
    "BX": N_("Develop: cross-sell and upsell, move toward A"),
    "BY": N_("Stabilise and develop: standard service with periodic reviews"),
    "BZ": N_("Watch closely: find the cause of the swings, flexible offers"),
    "CX": N_("Serve efficiently: standard terms, automate reorders"),
    "CY": N_("Serve at low cost: standard terms, occasional campaigns"),
    "CZ": N_("Serve at low cost: minimal effort, review whether to keep"),
}


CELLS: tuple[str, ...] = tuple(a + x for a in "ABC" for x in "XYZ")
COLUMNS: list[str] = [
    "client_id",
    "client_name",
    "value",
    "share",
    "cumulative_share",
    "abc",
    "xyz_metric",
    "xyz",
    "cell",
    "revenue",
    "profit",
    "quantity",
]


@dataclass(frozen=True)
class AbcXyzResult:
    """The ABC-XYZ table with what it was computed for."""

    clients: pd.DataFrame
    as_of: date | None
    window_start: date | None
    periods: int
    measure: str
    clients_outside_window: int
    xyz_cutoffs: tuple[float, float] | None
    notices: tuple[str, ...] = field(default_factory=tuple)


def abc_class(
    values: pd.Series, client_ids: pd.Series, a: float = 0.80, b: float = 0.95
) -> pd.DataFrame:
    """Share, cumulative share and ABC class per client (index kept), by DOMAIN.md section 4."""
    frame = pd.DataFrame({"value": values.astype(float), "client_id": client_ids})
    ordered = frame.sort_values(["value", "client_id"], ascending=[False, True], kind="stable")
    positive = ordered["value"].clip(lower=0).to_numpy()
    total = positive.sum()
    running = np.cumsum(positive)
    before = np.concatenate([[0.0], running[:-1]])
    if total > 0:
        share, cumulative, previous = positive / total, running / total, before / total
    else:
        share = cumulative = previous = np.zeros(len(ordered))
    previous = np.round(previous, _DECIMALS)
    # A client is A while the share before it is under 80%: it is the one that crosses.
    classes = np.where(previous < a, "A", np.where(previous < b, "B", "C"))
    classes = np.where(ordered["value"].to_numpy() > 0, classes, "C")
    out = pd.DataFrame(
        {"share": share, "cumulative_share": cumulative, "abc": classes}, index=ordered.index
    )
    return out.reindex(frame.index)


def relative_cutoffs(metrics: pd.Series) -> tuple[float, float] | None:
    """Tertiles of the observed metrics (linear interpolation); None when none is observed."""
    observed = metrics.dropna()
    if observed.empty:
        return None
    return (float(observed.quantile(1 / 3)), float(observed.quantile(2 / 3)))


def xyz_class(metrics: pd.Series, method: str, cutoffs: tuple[float, float] | None) -> pd.Series:
    """XYZ class per metric: stability (CV, lower is steadier) or frequency (higher is more)."""
    m = metrics.astype(float).round(_DECIMALS)
    if cutoffs is None:
        return pd.Series("Z", index=metrics.index, dtype="str")
    x, y = cutoffs
    if method == "frequency":
        classes = np.where(m >= x, "X", np.where(m >= y, "Y", "Z"))
    else:
        # NaN (mean <= 0) fails both comparisons and lands in Z, as the rule says.
        classes = np.where(m <= x, "X", np.where(m <= y, "Y", "Z"))
    return pd.Series(classes, index=metrics.index, dtype="str")


def coefficient_of_variation(mean: pd.Series, variance: pd.Series) -> pd.Series:
    """Population std / mean; NaN where the mean is <= 0 (such a client is Z)."""
    std = np.sqrt(variance.astype(float).clip(lower=0))
    return (std / mean.astype(float)).where(mean > 0)


_WINDOW_SQL = (
    ", "
    + WINDOW_ROWS
    + """,
pp AS (
    SELECT client_id, {period} - $p0 AS period, sum(revenue) AS rev, sum(profit) AS profit,
           sum(quantity) AS quantity, sum(n_purchases) AS np
    FROM w GROUP BY ALL
),
c AS (
    SELECT client_id, sum(rev) AS revenue, sum(profit) AS profit, sum(quantity) AS quantity,
           count(*) FILTER (WHERE np > 0) AS purchase_periods, sum(rev) / $n AS mean
    FROM pp GROUP BY client_id
)
SELECT c.client_id, any_value(f.client_name) AS client_name, any_value(c.revenue) AS revenue,
       any_value(c.profit) AS profit, any_value(c.quantity) AS quantity,
       any_value(c.purchase_periods) AS purchase_periods, any_value(c.mean) AS mean,
       -- Two-pass variance; the periods without rows contribute (0 - mean)^2 each.
       (sum((pp.rev - c.mean) ^ 2) + ($n - count(*)) * any_value(c.mean) ^ 2) / $n AS variance
FROM c JOIN pp USING (client_id) LEFT JOIN facts f USING (client_id)
GROUP BY c.client_id
"""
)


def window_totals(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, as_of: date
) -> pd.DataFrame:
    """Per client with rows in the window: revenue, profit, quantity and the XYZ statistics."""

    def compute() -> pd.DataFrame:
        src = source(conn, params)
        start = window_start(as_of, params.months)
        n = period_count(as_of, params.months, params.period)
        args = {**window_args(as_of, params.months), "p0": period_base(start, params.period)}
        args["n"] = n
        body = _WINDOW_SQL.format(period=period_expr(params.period))
        return run(conn, src, body, args)

    key = (params.filters_key(), as_of, params.months, params.period)
    return cached("window_totals", conn, key, compute)


def _has_profit(conn: duckdb.DuckDBPyConnection, params: AnalysisParams, as_of: date) -> bool:
    src = source(conn, params)
    df = run(
        conn,
        src,
        "SELECT count(profit) AS n FROM daily WHERE order_date <= $as_of",
        {"as_of": as_of},
    )
    return bool(df["n"].iloc[0] > 0)


def _clients_up_to(conn: duckdb.DuckDBPyConnection, params: AnalysisParams, as_of: date) -> int:
    src = source(conn, params)
    df = run(
        conn, src, "SELECT count(*) AS n FROM facts WHERE first_date <= $as_of", {"as_of": as_of}
    )
    return int(df["n"].iloc[0])


def effective_measure(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, as_of: date
) -> tuple[str, tuple[str, ...]]:
    """The measure to use, falling back from profit to revenue (with a notice) without profit."""
    if params.measure == "profit" and not _has_profit(conn, params, as_of):
        return "revenue", (Notice(N_("The data has no profit: revenue is used instead.")),)
    return params.measure, ()


def abc_xyz(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> AbcXyzResult:
    """The ABC-XYZ classification of every client with sales in the window."""
    resolved = resolve(conn, params)
    if resolved is None:
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
        return AbcXyzResult(
            empty, None, None, 0, params.measure, 0, None, (Notice(N_("No data.")),)
        )
    as_of = resolved.as_of
    assert as_of is not None

    def compute() -> AbcXyzResult:
        totals = window_totals(conn, resolved, as_of)
        measure, notices = effective_measure(conn, resolved, as_of)
        frame = totals.copy()
        frame["value"] = frame[measure].fillna(0.0).astype(float)
        frame = frame.join(abc_class(frame["value"], frame["client_id"], *_abc_cuts(resolved)))
        n = period_count(as_of, resolved.months, resolved.period)
        if resolved.xyz_method == "frequency":
            frame["xyz_metric"] = frame["purchase_periods"] / n
        else:
            frame["xyz_metric"] = coefficient_of_variation(frame["mean"], frame["variance"])
        cuts = xyz_cutoffs(resolved)
        if cuts is None:
            cuts = relative_cutoffs(frame["xyz_metric"])
        frame["xyz"] = xyz_class(frame["xyz_metric"], resolved.xyz_method, cuts)
        frame["cell"] = frame["abc"] + frame["xyz"]
        frame = frame.sort_values(["value", "client_id"], ascending=[False, True])
        frame = frame[COLUMNS].reset_index(drop=True)
        outside = _clients_up_to(conn, resolved, as_of) - len(frame)
        start = window_start(as_of, resolved.months)
        notices = (*notices, *crowded_xyz_notice(frame["xyz"], resolved))
        return AbcXyzResult(frame, as_of, start, n, measure, outside, cuts, notices)

    return cached("abc_xyz", conn, resolved, compute)


def _abc_cuts(params: AnalysisParams) -> tuple[float, float]:
    return (params.thresholds.abc_a, params.thresholds.abc_b)


def abc_xyz_matrix(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """The 3x3 summary: clients, value and share of value per cell, with a suggested strategy."""
    return matrix_of(abc_xyz(conn, params).clients)


def matrix_of(clients: pd.DataFrame) -> pd.DataFrame:
    """Summarise an ABC-XYZ table into the nine cells (empty cells included)."""
    positive = clients["value"].clip(lower=0) if len(clients) else clients["value"]
    grouped = (
        clients.assign(positive=positive)
        .groupby("cell")
        .agg(clients=("client_id", "size"), value=("value", "sum"), positive=("positive", "sum"))
    )
    total = float(positive.sum()) if len(clients) else 0.0
    rows = []
    for cell in CELLS:
        hit = cell in grouped.index
        count = int(grouped.at[cell, "clients"]) if hit else 0
        value = float(grouped.at[cell, "value"]) if hit else 0.0
        pos = float(grouped.at[cell, "positive"]) if hit else 0.0
        rows.append(
            {
                "cell": cell,
                "abc": cell[0],
                "xyz": cell[1],
                "clients": count,
                "value": value,
                "share": pos / total if total > 0 else 0.0,
                "strategy": gettext(STRATEGIES[cell]),
            }
        )
    return pd.DataFrame(rows)
