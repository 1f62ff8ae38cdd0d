"""Will the client buy again: probability alive and expected value per client, beside the rule.

The fit lives in model_fit.py and its check on held-out weeks in holdout.py; their names are
imported here too, so callers keep one place to read the model from (DOMAIN.md section 8b).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from kam_core.analytics import clv
from kam_core.analytics.cache import cached
from kam_core.analytics.churn import ACTIVE, LOST, churn
from kam_core.analytics.clv_likelihood import distinct
from kam_core.analytics.holdout import HoldoutValidation, holdout_validation
from kam_core.analytics.model_fit import (
    WEEK,
    ModelFit,
    default_as_of,
    fit_summary,
    horizon_weeks,
    model_fit,
    purchase_summary,
)
from kam_core.analytics.params import AnalysisParams, load_thresholds
from kam_core.config import Thresholds
from kam_core.store.settings import read_settings

__all__ = [
    "ACTIVE_BUT_UNLIKELY",
    "COLUMNS",
    "CUTOFF_KEYS",
    "LOST_BUT_LIKELY",
    "WEEK",
    "DisagreementCutoffs",
    "HoldoutValidation",
    "ModelFit",
    "default_as_of",
    "disagreements",
    "fit_summary",
    "holdout_validation",
    "horizon_weeks",
    "load_disagreement_cutoffs",
    "model_fit",
    "p_alive_table",
    "predict",
    "purchase_summary",
]

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


# Where the churn rule and the model disagree enough to be worth a look (issue 14): defaults of
# the two cut-offs, stored as settings under these keys (kam_core.services.settings saves them).
ACTIVE_BUT_UNLIKELY, LOST_BUT_LIKELY = 0.30, 0.70
CUTOFF_KEYS: dict[str, str] = {"low": "model_active_below", "high": "model_lost_above"}


@dataclass(frozen=True)
class DisagreementCutoffs:
    """Rule says active and the model under low; rule says lost and the model over high."""

    low: float = ACTIVE_BUT_UNLIKELY
    high: float = LOST_BUT_LIKELY

    def __post_init__(self) -> None:
        """Refuse cut-offs outside 0 < low < high < 1."""
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in (self.low, self.high)):
            raise ValueError("disagreement cut-offs must be numbers")
        if not 0 < self.low < self.high < 1:
            raise ValueError("disagreement cut-offs must satisfy 0 < low < high < 1")


def load_disagreement_cutoffs(conn: duckdb.DuckDBPyConnection) -> DisagreementCutoffs:
    """The cut-offs in force: stored values over the defaults (the defaults if they contradict)."""
    stored = read_settings(conn)
    values = {name: stored[key] for name, key in CUTOFF_KEYS.items() if key in stored}
    try:
        return DisagreementCutoffs(**values)
    except (TypeError, ValueError):
        # Only the settings service writes them, checked; a hand-edited database falls back.
        return DisagreementCutoffs()


def disagreements(
    table: pd.DataFrame, low: float = ACTIVE_BUT_UNLIKELY, high: float = LOST_BUT_LIKELY
) -> pd.DataFrame:
    """Rows of p_alive_table where the rule says active but p_alive < low, or lost but > high."""
    active = (table["status"] == ACTIVE) & (table["p_alive"] < low)
    lost = (table["status"] == LOST) & (table["p_alive"] > high)
    out = table[active | lost].copy()
    out["disagreement"] = np.where(active[active | lost], "active_but_unlikely", "lost_but_likely")
    return out.reset_index(drop=True)
