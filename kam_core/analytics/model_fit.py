"""The purchase model's fit: every client's purchase days summarised, BG/NBD and Gamma-Gamma fitted.

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
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.source import resolve
from kam_core.store.db import query_df

WEEK = 7.0  # days

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


def purchase_summary(conn: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Per client who bought by as-of: x, t_x and T in weeks, mean value of repeat purchase days."""

    def compute() -> pd.DataFrame:
        return query_df(conn, _SUMMARY_SQL, {"as_of": as_of})

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
