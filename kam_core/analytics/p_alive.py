"""Will the client buy again: BG/NBD and Gamma-Gamma fitted on the sales table, per client.

A purchase is a day with at least one line of positive revenue; its value is the sum of those
lines. x = purchase days after the first, t_x = weeks from the first to the last, T = weeks from
the first to the as-of date; nothing after the as-of date is read (DOMAIN.md section 8b).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics import clv
from kam_core.analytics.cache import cached
from kam_core.analytics.churn import ACTIVE, LOST, churn
from kam_core.analytics.clv_likelihood import distinct
from kam_core.analytics.params import AnalysisParams, load_thresholds
from kam_core.analytics.source import resolve
from kam_core.config import Thresholds

WEEK = 7.0  # days
COLUMNS: list[str] = [
    "client_id",
    "client_name",
    "repeat_purchases",
    "recency_weeks",
    "age_weeks",
    "p_alive",
    "expected_purchases",
    "expected_purchase_value",
    "expected_value",
    "status",
]

# The mean of the repeat days is (all days - the first day) / x: one pass, no window.
_SUMMARY_SQL = """
WITH d AS (
    SELECT client_id, order_date, sum(revenue) AS value
    FROM sales WHERE revenue > 0 AND order_date <= $as_of
    GROUP BY client_id, order_date
)
SELECT client_id, count(*) - 1 AS x,
       CAST(max(order_date) - min(order_date) AS DOUBLE) / 7 AS t_x,
       CAST($as_of - min(order_date) AS DOUBLE) / 7 AS t,
       (sum(value) - arg_min(value, order_date)) / nullif(count(*) - 1, 0) AS monetary
FROM d GROUP BY client_id ORDER BY client_id
"""


def horizon_weeks(months: float) -> float:
    """Weeks in a number of months (average calendar months)."""
    return months * 365.25 / 12 / WEEK


def default_as_of(conn: duckdb.DuckDBPyConnection) -> date | None:
    """The as-of date every report uses by default: the latest date in the data."""
    resolved = resolve(conn, AnalysisParams())
    return None if resolved is None else resolved.as_of


def _read(conn: duckdb.DuckDBPyConnection, sql: str, args: dict[str, Any]) -> pd.DataFrame:
    cur = conn.cursor()
    try:
        return cur.execute(sql, args).df()
    finally:
        cur.close()


def purchase_summary(conn: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Per client who bought by as-of: x, t_x and T in weeks, mean value of repeat purchase days."""

    def compute() -> pd.DataFrame:
        return _read(conn, _SUMMARY_SQL, {"as_of": as_of})

    return cached("clv_summary", conn, as_of, compute)


@dataclass(frozen=True)
class ModelFit:
    """Both fits for one as-of date, with what can and cannot be trusted about them."""

    as_of: date | None
    bgnbd: clv.BgNbdFit | None
    gamma_gamma: clv.GammaGammaFit | None
    frequency_value_correlation: float | None = None
    issues: tuple[clv.Issue, ...] = field(default_factory=tuple)

    @property
    def trusted(self) -> bool:
        """True when probability alive and expected purchases can be shown."""
        return self.bgnbd is not None and self.bgnbd.quality.trusted

    @property
    def value_trusted(self) -> bool:
        """True when expected values per purchase can be shown as well."""
        return self.trusted and self.gamma_gamma is not None and self.gamma_gamma.quality.trusted

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every finding in words, blocking ones first."""
        ordered = sorted(self.issues, key=lambda i: not i.blocking)
        return tuple(i.message for i in ordered)

    def as_dict(self) -> dict[str, Any]:
        """The fit as plain data (the shape `report model` prints)."""
        bg, gg = self.bgnbd, self.gamma_gamma
        return {
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "bgnbd": {
                "r": _num(bg and bg.r),
                "alpha": _num(bg and bg.alpha),
                "a": _num(bg and bg.a),
                "b": _num(bg and bg.b),
                "log_likelihood": _num(bg and bg.log_likelihood),
                "clients": 0 if bg is None else bg.clients,
                "repeat_buyers": 0 if bg is None else bg.repeat_buyers,
                "converged": bool(bg and bg.converged),
                "trusted": self.trusted,
            },
            "gamma_gamma": {
                "p": _num(gg and gg.p),
                "q": _num(gg and gg.q),
                "gamma": _num(gg and gg.gamma),
                "log_likelihood": _num(gg and gg.log_likelihood),
                "repeat_buyers": 0 if gg is None else gg.repeat_buyers,
                "frequency_value_correlation": _num(self.frequency_value_correlation),
                "converged": bool(gg and gg.converged),
                "trusted": self.value_trusted,
            },
            "warnings": list(self.warnings),
        }


def _num(value: object) -> float | None:
    """A finite float, or None (JSON has no NaN)."""
    if value is None or isinstance(value, bool):
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None


def fit_summary(summary: pd.DataFrame, as_of: date | None = None) -> ModelFit:
    """Fit both models on a purchase summary (columns x, t_x, t, monetary)."""
    if summary.empty:
        issue = clv.Issue("no_data", "No purchases up to the as-of date: nothing to fit.", True)
        return ModelFit(as_of, None, None, None, (issue,))
    x, t_x, t = (summary[c].to_numpy(float) for c in ("x", "t_x", "t"))
    monetary = summary["monetary"].to_numpy(float)
    bg = clv.fit_bgnbd(x, t_x, t)
    gg = clv.fit_gamma_gamma(x, monetary)
    corr = clv.frequency_value_correlation(x, monetary)
    issues = bg.quality.issues + tuple(
        i for i in gg.quality.issues if i.code != "few_repeat_buyers" or bg.quality.trusted
    )
    return ModelFit(as_of, bg, gg, corr, issues + clv.correlation_issues(corr))


def model_fit(conn: duckdb.DuckDBPyConnection, as_of: date | None = None) -> ModelFit:
    """BG/NBD and Gamma-Gamma fitted on every client's purchase days up to as-of."""
    as_of = as_of or default_as_of(conn)
    if as_of is None:
        return fit_summary(pd.DataFrame(columns=["x", "t_x", "t", "monetary"]))
    return cached(
        "model_fit", conn, as_of, lambda: fit_summary(purchase_summary(conn, as_of), as_of)
    )


def predict(fit: ModelFit, summary: pd.DataFrame, horizon: float) -> dict[str, np.ndarray]:
    """Probability alive, expected purchases in horizon weeks, value per purchase, per client."""
    n = len(summary)
    nan = np.full(n, np.nan)
    out = {"p_alive": nan, "expected_purchases": nan, "expected_purchase_value": nan}
    if not fit.trusted or fit.bgnbd is None or n == 0:
        return {**out, "expected_value": nan}
    x, t_x, t = (summary[c].to_numpy(float) for c in ("x", "t_x", "t"))
    out["p_alive"] = clv.p_alive(fit.bgnbd, x, t_x, t)
    # The costly factor depends on (x, T) alone: evaluate it once per distinct pair.
    (px, pt), inverse = distinct(x, t)
    factor = clv.expected_purchases_if_alive(fit.bgnbd, horizon, px, pt)
    out["expected_purchases"] = factor[inverse] * out["p_alive"]
    if fit.value_trusted and fit.gamma_gamma is not None:
        monetary = summary["monetary"].to_numpy(float)
        out["expected_purchase_value"] = clv.expected_purchase_value(fit.gamma_gamma, x, monetary)
    out["expected_value"] = out["expected_purchases"] * out["expected_purchase_value"]
    return out


def p_alive_table(
    conn: duckdb.DuckDBPyConnection,
    as_of: date | None = None,
    horizon_months: float = 12,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """One row per client who bought by as-of: history, probability alive, expected value, status.

    recency_weeks is t_x (first to last purchase) and age_weeks is T (first purchase to as-of),
    as in the BG/NBD papers; model columns are empty when the fit cannot be trusted.
    """
    as_of = as_of or default_as_of(conn)
    if as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    thresholds = thresholds or load_thresholds(conn)

    def compute() -> pd.DataFrame:
        summary = purchase_summary(conn, as_of)
        predicted = predict(model_fit(conn, as_of), summary, horizon_weeks(horizon_months))
        frame = pd.DataFrame(
            {
                "client_id": summary["client_id"],
                "repeat_purchases": summary["x"].astype(int),
                "recency_weeks": summary["t_x"].astype(float),
                "age_weeks": summary["t"].astype(float),
                **predicted,
            }
        )
        rule = churn(conn, AnalysisParams(as_of=as_of, thresholds=thresholds))
        frame = frame.merge(
            rule[["client_id", "client_name", "status"]], on="client_id", how="left"
        )
        return frame[COLUMNS].sort_values("client_id").reset_index(drop=True)

    key = (as_of, float(horizon_months), thresholds)
    return cached("p_alive_table", conn, key, compute).copy()


# Where the churn rule and the model disagree enough to be worth a look (issue 14).
ACTIVE_BUT_UNLIKELY, LOST_BUT_LIKELY = 0.30, 0.70


def disagreements(
    table: pd.DataFrame, low: float = ACTIVE_BUT_UNLIKELY, high: float = LOST_BUT_LIKELY
) -> pd.DataFrame:
    """Rows of p_alive_table where the rule says active but p_alive < low, or lost but > high."""
    active = (table["status"] == ACTIVE) & (table["p_alive"] < low)
    lost = (table["status"] == LOST) & (table["p_alive"] > high)
    out = table[active | lost].copy()
    out["disagreement"] = np.where(active[active | lost], "active_but_unlikely", "lost_but_likely")
    return out.reset_index(drop=True)


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
    first = _read(conn, sql, {"as_of": as_of})["d"].iloc[0]
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
        actual = _read(conn, _HOLDOUT_SQL, args)
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
