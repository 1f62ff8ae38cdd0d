"""Account health: weights rescaled over the parts that have data, and each part's score."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from kam_core.analytics import health as h


def parts(**values: float) -> pd.DataFrame:
    row = {p: values.get(p, np.nan) for p in h.PARTS}
    return pd.DataFrame([{"client_id": "A", **row}])


def test_missing_parts_are_left_out_and_the_weights_rescaled() -> None:
    out = h.combine(parts(trend=50.0, p_alive=100.0))
    # Default weights 20 and 25: (20 x 50 + 25 x 100) / 45.
    assert out.loc[0, "health"] == pytest.approx(round((20 * 50 + 25 * 100) / 45, 1))
    assert out.loc[0, "parts_used"] == 2


def test_every_part_present_is_the_plain_weighted_mean() -> None:
    scores = dict(
        trend=40, p_alive=90, regularity=100, coverage=70, completeness=50, on_time=80, risks=65
    )
    out = h.combine(parts(**scores))
    w = h.DEFAULT_WEIGHTS
    expected = sum(getattr(w, k) * v for k, v in scores.items()) / 100
    assert sum(vars(w).values()) == 100
    assert out.loc[0, "health"] == pytest.approx(round(expected, 1))
    assert out.loc[0, "parts_used"] == 7


def test_a_client_with_no_part_has_no_health() -> None:
    out = h.combine(parts())
    assert math.isnan(out.loc[0, "health"]) and out.loc[0, "parts_used"] == 0


def test_a_zero_weight_part_does_not_count_as_used() -> None:
    weights = h.HealthWeights(
        trend=0, p_alive=1, regularity=0, coverage=0, completeness=0, on_time=0, risks=1
    )
    out = h.combine(parts(trend=0.0, p_alive=80.0, risks=40.0), weights)
    assert out.loc[0, "health"] == 60.0
    assert out.loc[0, "parts_used"] == 2


def test_weights_must_be_usable() -> None:
    with pytest.raises(ValueError):
        h.HealthWeights(trend=-1)
    with pytest.raises(ValueError):
        h.HealthWeights(0, 0, 0, 0, 0, 0, 0)


def test_trend_score_is_the_revenue_ratio_against_a_twenty_percent_rise() -> None:
    now = pd.Series([120.0, 100.0, 50.0, 0.0, 80.0, -10.0])
    before = pd.Series([100.0, 100.0, 100.0, 100.0, 0.0, 100.0])
    scores = h.trend_score(now, before)
    assert scores.iloc[:4].tolist() == [100.0, 83.3, 41.7, 0.0]
    assert math.isnan(scores.iloc[4])  # nothing to compare with: no trend
    assert scores.iloc[5] == 0.0  # net returns


def test_coverage_adds_decision_maker_champion_and_a_fresh_key_contact() -> None:
    as_of = date(2024, 12, 31)
    frame = pd.DataFrame(
        {
            "decision_maker": [True, True, False, False, True],
            "champion": [True, False, True, False, True],
            "last_key_contact": pd.to_datetime(
                ["2024-11-15", "2024-08-01", None, None, "2023-01-01"]
            ),
        }
    )
    # 46 days: fresh (30); 152 days: stale (15); none; none; 730 days: too old (0).
    assert h.coverage_score(frame, as_of).tolist() == [100.0, 55.0, 30.0, 0.0, 70.0]


def test_risks_cost_points_per_lost_tender_and_overdue_action() -> None:
    scores = h.risk_score(pd.Series([0, 1, 0, 1, 3]), pd.Series([0, 0, 2, 1, 1]))
    assert scores.tolist() == [100.0, 65.0, 60.0, 45.0, 0.0]


def test_every_part_has_a_rule_in_words() -> None:
    assert set(h.PART_RULES) == set(h.PARTS) == set(vars(h.DEFAULT_WEIGHTS))
