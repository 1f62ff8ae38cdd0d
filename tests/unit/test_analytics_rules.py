"""Churn, type, concentration and parameter rules on hand-computed values."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from kam_core.analytics.churn import churn_status
from kam_core.analytics.client_types import ClientType, breadwinner, parse_override, top_new_clients
from kam_core.analytics.concentration import gini, key_band, top_share
from kam_core.analytics.losses import loss_trend, losses_by_month
from kam_core.analytics.params import (
    AnalysisParams,
    period_count,
    period_label,
    shift_months,
    thresholds_from_settings,
    window_start,
    xyz_cutoffs,
)
from kam_core.analytics.win_back import OfferCuts, offer_cuts, suggested_offer
from kam_core.config import Thresholds


def status(silent, age, gap=None):
    s = churn_status(pd.Series([silent]), pd.Series([age]), pd.Series([gap], dtype=float))
    return s.iloc[0]


def test_client_silent_for_three_median_gaps_is_lost():
    assert status(silent=301, age=1000, gap=100) == "lost"
    assert status(silent=300, age=1000, gap=100) == "at_risk"


def test_client_silent_over_180_days_with_short_gaps_is_lost():
    assert status(silent=181, age=1000, gap=10) == "lost"
    assert status(silent=180, age=1000, gap=10) == "at_risk"


def test_client_silent_over_one_and_a_half_gaps_and_60_days_is_at_risk():
    assert status(silent=91, age=1000, gap=60) == "at_risk"
    assert status(silent=90, age=1000, gap=60) == "active"
    assert status(silent=61, age=1000, gap=10) == "at_risk"


def test_first_purchase_within_90_days_is_new_unless_already_lost():
    assert status(silent=80, age=90, gap=None) == "new"
    assert status(silent=80, age=91, gap=None) == "at_risk"


def test_single_purchase_drops_the_gap_terms():
    assert status(silent=181, age=181) == "lost"
    assert status(silent=61, age=181) == "at_risk"
    assert status(silent=60, age=120) == "active"


def test_churn_numbers_are_settings():
    t = Thresholds(churn_lost_days=30, churn_risk_days=10, churn_new_days=5)
    got = churn_status(pd.Series([31, 11, 9]), pd.Series([100, 100, 100]), pd.Series([1.0] * 3), t)
    assert got.tolist() == ["lost", "at_risk", "active"]


def test_window_is_calendar_months_ending_with_the_as_of_month():
    assert window_start(date(2017, 12, 30), 12) == date(2017, 1, 1)
    assert window_start(date(2017, 3, 31), 3) == date(2017, 1, 1)
    assert window_start(date(2017, 2, 10), 14) == date(2016, 1, 1)


def test_window_of_quarters_counts_every_calendar_quarter_it_touches():
    assert period_count(date(2017, 12, 30), 12, "quarter") == 4
    assert period_count(date(2017, 11, 30), 12, "quarter") == 5
    assert period_count(date(2017, 11, 30), 12, "month") == 12
    assert period_label(date(2016, 12, 1), 1, "quarter") == "2017Q1"
    assert period_label(date(2016, 12, 1), 1, "month") == "2017-01"


def test_shift_months_clamps_to_the_last_day():
    assert shift_months(date(2017, 3, 31), -1) == date(2017, 2, 28)
    assert shift_months(date(2016, 12, 31), 2) == date(2017, 2, 28)


def test_xyz_presets_choose_the_cut_offs():
    stability = "stability"
    assert xyz_cutoffs(AnalysisParams(xyz_method=stability)) == (0.5, 1.0)
    assert xyz_cutoffs(AnalysisParams(xyz_method=stability, xyz_preset="classic")) == (0.10, 0.25)
    assert xyz_cutoffs(AnalysisParams(xyz_method=stability, xyz_preset="relative")) is None
    assert xyz_cutoffs(AnalysisParams(xyz_method="frequency")) == (0.75, 0.33)


def test_the_article_s_frequency_method_is_the_default():
    assert AnalysisParams().xyz_method == "frequency"


def test_params_refuse_unknown_values():
    with pytest.raises(ValueError):
        AnalysisParams(measure="margin")
    with pytest.raises(ValueError):
        AnalysisParams(months=0)


def test_stored_settings_override_default_thresholds():
    t = thresholds_from_settings({"churn_lost_days": 200, "thresholds": {"abc_a": 0.7}, "x": 1})
    assert (t.churn_lost_days, t.abc_a, t.abc_b) == (200, 0.7, 0.95)


def test_override_text_names_types_and_none_means_ordinary():
    assert parse_override("Breadwinner, image-maker") == {
        ClientType.BREADWINNER,
        ClientType.IMAGE_MAKER,
    }
    assert parse_override("none") == frozenset()
    assert parse_override(None) is None and parse_override("  ") is None


def test_breadwinner_by_share_or_by_class_a_with_a_year_of_relationship():
    got = breadwinner(
        pd.Series([0.10, 0.05, 0.05, 0.099]),
        pd.Series(["B", "A", "A", "B"]),
        pd.Series(pd.to_datetime(["2017-06-01", "2016-12-30", "2017-01-01", "2010-01-01"])),
        date(2017, 12, 30),
        Thresholds(),
    )
    assert got.tolist() == [True, True, False, False]


def test_prospects_are_the_top_fifth_of_new_clients_by_spend():
    days = pd.Series([10, 20, 30, 40, 50, 60, 300])
    spend = pd.Series([5.0, 50.0, 40.0, 30.0, 20.0, 10.0, 999.0])
    ids = pd.Series(list("abcdefg"))
    # Six new clients: the top 20% is ceil(1.2) = 2 clients: b and c; g is not new.
    assert top_new_clients(days, spend, ids, Thresholds()).tolist() == [
        False,
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_top_share_takes_at_least_one_client():
    shares = np.array([0.5, 0.3, 0.2])
    assert top_share(shares, 0.01) == 0.5
    assert top_share(shares, 0.5) == pytest.approx(0.8)
    assert top_share(np.array([]), 0.2) == 0.0


def test_gini_is_zero_for_equal_clients_and_high_when_one_holds_all():
    assert gini(np.array([5.0, 5.0, 5.0])) == pytest.approx(0.0)
    assert gini(np.array([0.0, 0.0, 0.0, 10.0])) == pytest.approx(0.75)
    assert np.isnan(gini(np.array([])))


def test_key_share_is_placed_against_the_band():
    assert [key_band(s, 0.3, 0.55) for s in (0.2, 0.3, 0.55, 0.6)] == [
        "below",
        "within",
        "within",
        "above",
    ]


def test_offer_follows_the_class_and_no_class_gets_a_campaign():
    assert suggested_offer("A").startswith("Personal meeting")
    assert suggested_offer("B") == "Discount"
    assert suggested_offer(None) == "Campaign"


def window_classes() -> pd.DataFrame:
    """A window whose smallest A client buys 800 and smallest B client 200."""
    return pd.DataFrame(
        {"abc": ["A", "A", "B", "B", "C", "C"], "revenue": [1000.0, 800.0, 300.0, 200.0, 50.0, 0.0]}
    )


def test_offer_cuts_are_the_revenue_of_the_smallest_a_and_b_client_of_the_window():
    assert offer_cuts(window_classes(), pd.Series([5.0, 900.0])) == OfferCuts(800.0, 200.0)


@pytest.mark.parametrize(
    ("abc", "at_stake", "offer"),
    [
        (None, 900.0, "Personal meeting"),  # lost: no class now, but an A client's revenue
        ("C", 800.0, "Personal meeting"),
        ("C", 799.0, "Discount"),
        ("C", 200.0, "Discount"),
        ("C", 199.0, "Campaign"),
        (None, 0.0, "Campaign"),
        ("A", 10.0, "Personal meeting"),  # the class is never talked down
        ("B", 10.0, "Discount"),
    ],
)
def test_a_large_lost_client_gets_a_personal_offer_and_a_small_one_a_campaign(abc, at_stake, offer):
    cuts = offer_cuts(window_classes(), pd.Series([at_stake]))
    assert suggested_offer(abc, at_stake, cuts).startswith(offer)


def test_without_classes_in_the_window_the_top_decile_at_stake_gets_the_personal_offer():
    at_stake = pd.Series([10.0 * i for i in range(1, 11)])  # 10 .. 100
    cuts = offer_cuts(pd.DataFrame({"abc": [], "revenue": []}), at_stake)
    # The 90th percentile of 10..100 (linear between 90 and 100) is 91.
    assert cuts == OfferCuts(91.0, 91.0)
    assert suggested_offer(None, 100.0, cuts).startswith("Personal meeting")
    assert suggested_offer(None, 90.0, cuts) == "Campaign"


def test_losses_are_counted_in_the_month_the_threshold_passed_with_zero_months_filled():
    lost = pd.DataFrame(
        {
            "client_id": ["a", "b", "c"],
            "lost_on": pd.to_datetime(["2017-01-31", "2017-01-01", "2017-03-15"]),
            "revenue_at_stake": [10.0, 5.0, 1.0],
        }
    )
    got = losses_by_month(lost, pd.Period("2017-04", freq="M"))
    assert got["month"].tolist() == ["2017-01", "2017-02", "2017-03", "2017-04"]
    assert got["clients_lost"].tolist() == [2, 0, 1, 0]
    assert got["revenue_lost"].tolist() == [15.0, 0.0, 1.0, 0.0]


def test_loss_trend_compares_the_last_three_months_with_the_three_before():
    frame = pd.DataFrame({"clients_lost": [1, 1, 1, 0, 0, 1]})
    assert loss_trend(frame) == "better"
    assert loss_trend(pd.DataFrame({"clients_lost": [0, 0, 0, 1, 0, 0]})) == "worse"
    assert loss_trend(pd.DataFrame({"clients_lost": [0, 0]})) == "stable"
