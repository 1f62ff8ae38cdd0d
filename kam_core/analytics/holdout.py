"""The purchase model checked on held-out weeks: fitted on the history before them, its predicted
repeat purchases set against those that happened (cumulative by week, and by calibration count)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics import clv
from kam_core.analytics.cache import cached
from kam_core.analytics.clv_likelihood import distinct
from kam_core.analytics.model_fit import (
    WEEK,
    ModelFit,
    default_as_of,
    fit_summary,
    model_fit,
    purchase_summary,
)
from kam_core.store.db import query_df

MAX_HOLDOUT_WEEKS = 52
TOP_GROUP = 7  # calibration purchases of 7 and more form one group ("7+")

_HOLDOUT_SQL = """
WITH d AS (
    SELECT DISTINCT client_id, order_date FROM sales WHERE revenue > 0 AND order_date <= $as_of
),
c AS (SELECT client_id FROM d GROUP BY client_id HAVING min(order_date) <= $cal_end)
SELECT d.client_id, CAST(ceil((d.order_date - $cal_end) / 7.0) AS INTEGER) AS week,
       count(*) AS purchases
FROM d JOIN c USING (client_id) WHERE d.order_date > $cal_end
GROUP BY ALL
"""


@dataclass(frozen=True)
class HoldoutValidation:
    """Fit on the history before the holdout, predictions against what happened in it."""

    as_of: date | None
    calibration_end: date | None
    holdout_weeks: int
    fit: ModelFit
    by_week: pd.DataFrame  # week, end, actual, predicted: cumulative repeat purchases
    by_purchases: pd.DataFrame  # calibration_purchases, clients, actual, predicted, error
    end_error: float | None = None  # (predicted - actual) / actual of the total at the end
    curve_mape: float | None = None  # mean |predicted - actual| / actual over the weeks
    group_mae: float | None = None  # mean |predicted - actual| per client over the groups


def _empty_validation(as_of: date | None, cal_end: date | None, weeks: int, fit: ModelFit):
    by_week = pd.DataFrame(columns=["week", "end", "actual", "predicted"])
    by_group = pd.DataFrame(
        columns=["calibration_purchases", "clients", "actual", "predicted", "error"]
    )
    return HoldoutValidation(as_of, cal_end, weeks, fit, by_week, by_group)


def _default_holdout(conn: duckdb.DuckDBPyConnection, as_of: date) -> int:
    """Half the span of the data, at most a year, in whole weeks."""
    sql = "SELECT min(order_date) AS d FROM sales WHERE revenue > 0 AND order_date <= $as_of"
    first = query_df(conn, sql, {"as_of": as_of})["d"].iloc[0]
    if pd.isna(first):
        return 0
    span = (as_of - pd.Timestamp(first).date()).days / WEEK
    return int(min(MAX_HOLDOUT_WEEKS, span // 2))


def holdout_validation(
    conn: duckdb.DuckDBPyConnection, as_of: date | None = None, holdout_weeks: int | None = None
) -> HoldoutValidation:
    """Fit up to as-of minus the holdout; compare predicted and actual repeat purchases in it."""
    as_of = as_of or default_as_of(conn)
    if as_of is None:
        return _empty_validation(None, None, 0, fit_summary(pd.DataFrame()))
    weeks = _default_holdout(conn, as_of) if holdout_weeks is None else int(holdout_weeks)
    cal_end = as_of - pd.Timedelta(days=WEEK * weeks).to_pytimedelta()
    if weeks < 1:
        issue = clv.Issue("no_holdout", "The history is too short to hold part of it out.", True)
        return _empty_validation(as_of, cal_end, 0, ModelFit(as_of, None, None, None, (issue,)))

    def compute() -> HoldoutValidation:
        summary = purchase_summary(conn, cal_end)
        fit = model_fit(conn, cal_end)
        if not fit.trusted or fit.bgnbd is None:
            return _empty_validation(as_of, cal_end, weeks, fit)
        args = {"as_of": as_of, "cal_end": cal_end}
        actual = query_df(conn, _HOLDOUT_SQL, args)
        # The prediction is P(alive | x, t_x, T) times a factor of (x, T) alone: sum the
        # chances per distinct (x, T) and evaluate the costly factor once per week for each.
        x, t_x, t = (summary[c].to_numpy(float) for c in ("x", "t_x", "t"))
        alive = clv.p_alive(fit.bgnbd, x, t_x, t)
        (px, pt), inverse = distinct(x, t)
        chances = np.bincount(inverse, weights=alive, minlength=len(px))
        predicted = [
            float(clv.weighted_sum(chances, clv.expected_purchases_if_alive(fit.bgnbd, k, px, pt)))
            for k in range(1, weeks + 1)
        ]
        per_week = actual.groupby("week")["purchases"].sum()
        cumulative = per_week.reindex(range(1, weeks + 1), fill_value=0).cumsum()
        by_week = pd.DataFrame(
            {
                "week": range(1, weeks + 1),
                "end": [
                    cal_end + pd.Timedelta(days=7 * k).to_pytimedelta() for k in range(1, weeks + 1)
                ],
                "actual": cumulative.to_numpy(float),
                "predicted": predicted,
            }
        )
        own = clv.expected_purchases_if_alive(fit.bgnbd, weeks, px, pt)[inverse] * alive
        done = actual.groupby("client_id")["purchases"].sum()
        clients = pd.DataFrame(
            {
                "calibration_purchases": np.minimum(summary["x"].to_numpy(int), TOP_GROUP),
                "actual": summary["client_id"].map(done).fillna(0).to_numpy(float),
                "predicted": own,
            }
        )
        by_group = clients.groupby("calibration_purchases").agg(
            clients=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
        )
        by_group = by_group.reindex(range(TOP_GROUP + 1)).reset_index()
        by_group["clients"] = by_group["clients"].fillna(0).astype(int)
        by_group["error"] = by_group["predicted"] - by_group["actual"]
        labels = {k: str(k) for k in range(TOP_GROUP)} | {TOP_GROUP: f"{TOP_GROUP}+"}
        by_group["calibration_purchases"] = by_group["calibration_purchases"].map(labels)
        end_actual = float(by_week["actual"].iloc[-1])
        seen = by_week[by_week["actual"] > 0]
        return HoldoutValidation(
            as_of,
            cal_end,
            weeks,
            fit,
            by_week,
            by_group,
            (predicted[-1] - end_actual) / end_actual if end_actual > 0 else None,
            float((abs(seen["predicted"] - seen["actual"]) / seen["actual"]).mean())
            if len(seen)
            else None,
            float(by_group["error"].abs().mean()) if by_group["error"].notna().any() else None,
        )

    return cached("holdout_validation", conn, (as_of, weeks), compute)
