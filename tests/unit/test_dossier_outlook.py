"""The dossier header's outlook: a client's row of the model and health tables, with each health
part's share of the weight worked out by hand."""

import math

import pandas as pd
import pytest

from kam_core.analytics.health import HealthWeights
from kam_core.dossier.outlook import client_outlook, parts_frame

ALIVE = pd.DataFrame(
    {
        "client_id": ["C1", "C2"],
        "p_alive": [0.8, float("nan")],
        "expected_purchases": [3.0, float("nan")],
        "expected_value": [1500.0, float("nan")],
    }
)
HEALTH = pd.DataFrame(
    {
        "client_id": ["C1"],
        "health": [72.7],
        "parts_used": [3],
        "trend": [50.0],
        "p_alive": [80.0],
        "regularity": [100.0],
        "coverage": [float("nan")],
        "completeness": [float("nan")],
        "on_time": [float("nan")],
        "risks": [float("nan")],
    }
)
WEIGHTS = HealthWeights(
    trend=20, p_alive=25, regularity=10, coverage=15, completeness=10, on_time=10, risks=10
)


def test_a_client_with_a_trusted_fit_shows_its_probability_and_value():
    out = client_outlook(ALIVE, HEALTH, "C1", WEIGHTS)
    assert out.bought and out.model_trusted
    assert (out.p_alive, out.expected_value, out.expected_purchases) == (0.8, 1500.0, 3.0)
    assert (out.health, out.parts_used) == (72.7, 3)


def test_a_fit_that_cannot_be_trusted_leaves_the_figures_unknown():
    out = client_outlook(ALIVE, HEALTH, "C2", WEIGHTS)
    assert out.bought and not out.model_trusted
    assert out.expected_value is None
    assert out.health is None and out.parts_used == 0


def test_a_prospect_without_purchases_has_no_model_row():
    out = client_outlook(ALIVE, HEALTH, "P9", WEIGHTS)
    assert not out.bought and not out.model_trusted


def test_each_part_carries_its_share_of_the_weights_of_the_parts_with_data():
    frame = parts_frame(client_outlook(ALIVE, HEALTH, "C1", WEIGHTS)).set_index("part")
    # Trend, probability alive and regularity have data: weights 20 + 25 + 10 = 55.
    assert frame.loc["Revenue trend", "weight"] == pytest.approx(20 / 55)
    assert frame.loc["Will buy again", "weight"] == pytest.approx(25 / 55)
    assert frame.loc["Regular buying", "weight"] == pytest.approx(10 / 55)
    assert math.isnan(frame.loc["People we know", "weight"])
    assert frame["weight"].sum() == pytest.approx(1.0)
    # The score is the weighted mean of the parts with data: (50*20 + 80*25 + 100*10) / 55.
    scores = frame["score"].dropna() * frame["weight"].dropna()
    assert scores.sum() == pytest.approx((50 * 20 + 80 * 25 + 100 * 10) / 55)
    assert frame["meaning"].str.len().min() > 20
