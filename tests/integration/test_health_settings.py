"""Health weights and the rule-and-model cut-offs as settings: checked, stored in one go,
audited, and read by every health reader and by `report health` (hand-made database of
test_health.py, whose parts are worked out by hand there)."""

from __future__ import annotations

import argparse
import io
import math
from contextlib import redirect_stdout
from dataclasses import asdict

import pandas as pd
import pytest

from kam_core.analytics import health as h
from kam_core.analytics.health_weights import DEFAULT_WEIGHTS, PARTS, load_health_weights
from kam_core.analytics.p_alive import DisagreementCutoffs, disagreements, load_disagreement_cutoffs
from kam_core.cli import report as cli_report
from kam_core.services import audit
from kam_core.services import settings as svc
from kam_core.store.settings import read_settings, write_settings
from tests.integration.test_health import health_db  # noqa: F401  (the fixture)

ONLY_TREND = {"trend": 1.0, **{p: 0.0 for p in PARTS if p != "trend"}}


def report_health(conn) -> pd.DataFrame:
    parser = argparse.ArgumentParser()
    cli_report.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["report", "health", "--format", "csv"])
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli_report.run(args, conn) == 0
    return pd.read_csv(io.StringIO(out.getvalue()), dtype={"client_id": str})


def test_until_someone_changes_them_the_weights_are_the_defaults(conn) -> None:
    assert load_health_weights(conn) == DEFAULT_WEIGHTS == svc.health_weights(conn)
    assert asdict(DEFAULT_WEIGHTS) == {
        "trend": 20.0,
        "p_alive": 25.0,
        "regularity": 10.0,
        "coverage": 15.0,
        "completeness": 10.0,
        "on_time": 10.0,
        "risks": 10.0,
    }


def test_saved_weights_are_stored_one_key_a_part_and_audited(conn) -> None:
    svc.reset_health_weights(conn, by="ann@x.io")
    svc.save_health_weights(conn, {"trend": 40, "risks": 0}, by="ann@x.io")
    stored = read_settings(conn)
    assert {k: v for k, v in stored.items() if k.startswith("health_weight_")} == {
        f"health_weight_{p}": float(v)
        for p, v in {**asdict(DEFAULT_WEIGHTS), "trend": 40, "risks": 0}.items()
    }
    assert load_health_weights(conn) == h.HealthWeights(40, 25, 10, 15, 10, 10, 0)
    entry = audit.read(conn, action="settings.change").iloc[0]
    assert entry["user_email"] == "ann@x.io"
    # Only the weights that moved since the reset are named.
    assert entry["target"] == "health_weight_risks,health_weight_trend"


@pytest.mark.parametrize(
    "wanted",
    [
        {"trend": -1.0},
        {p: 0.0 for p in PARTS},
        {"trend": math.nan},
        {"trend": math.inf},
        {"loyalty": 5.0},
        {"trend": "ten"},
    ],
)
def test_weights_that_cannot_be_used_are_refused_and_nothing_is_stored(conn, wanted) -> None:
    with pytest.raises(svc.SettingsRefused):
        svc.save_health_weights(conn, wanted)
    assert not any(k.startswith("health_weight_") for k in read_settings(conn))


def test_reset_stores_the_default_weights(conn) -> None:
    svc.save_health_weights(conn, ONLY_TREND)
    svc.reset_health_weights(conn)
    assert load_health_weights(conn) == DEFAULT_WEIGHTS


def test_a_hand_edited_weight_that_makes_no_sense_falls_back_to_the_defaults(conn) -> None:
    write_settings(conn, {"health_weight_trend": -5})
    assert load_health_weights(conn) == DEFAULT_WEIGHTS


def test_health_table_and_change_read_the_stored_weights(health_db) -> None:  # noqa: F811
    svc.save_health_weights(health_db, ONLY_TREND)
    a = h.health_table(health_db).set_index("client_id").loc["A"]
    # A's revenue halved (600 after 1200): 100 x 0.5 / 1.2 = 41.7, the one part that counts.
    assert a["health"] == a["trend"] == 41.7 and a["parts_used"] == 1
    change = h.health_change(health_db).set_index("client_id")
    assert change.loc["A", "health"] == 41.7


def test_report_health_prints_the_parts_and_follows_the_stored_weights(health_db) -> None:  # noqa: F811
    before = report_health(health_db)
    assert list(before.columns) == ["client_id", "client_name", "health", "parts_used", *PARTS]
    svc.save_health_weights(health_db, ONLY_TREND)
    after = report_health(health_db).set_index("client_id")
    page = h.health_table(health_db).set_index("client_id")
    assert after.loc["A", "health"] == 41.7
    pd.testing.assert_series_equal(
        after["health"], page["health"].astype(float), check_names=False, check_dtype=False
    )
    # A part's score does not depend on the weights; the prospect without sales (D) rests on
    # no part any more, so it leaves the report.
    earlier = before.set_index("client_id")
    assert set(earlier.index) - set(after.index) == {"D"}
    pd.testing.assert_series_equal(
        after["trend"], earlier.loc[after.index, "trend"], check_dtype=False
    )


def test_cutoffs_default_to_30_and_70_percent(conn) -> None:
    assert load_disagreement_cutoffs(conn) == DisagreementCutoffs(0.30, 0.70)


def test_cutoffs_are_stored_and_audited(conn) -> None:
    svc.save_disagreement_cutoffs(conn, 0.2, 0.8, by="ann@x.io")
    assert svc.disagreement_cutoffs(conn) == DisagreementCutoffs(0.2, 0.8)
    stored = read_settings(conn)
    assert (stored["model_active_below"], stored["model_lost_above"]) == (0.2, 0.8)
    entry = audit.read(conn, action="settings.change").iloc[0]
    assert entry["target"] == "model_active_below,model_lost_above"
    svc.reset_disagreement_cutoffs(conn)
    assert svc.disagreement_cutoffs(conn) == DisagreementCutoffs()


@pytest.mark.parametrize(
    ("low", "high"), [(0.7, 0.3), (0.5, 0.5), (0.0, 0.7), (0.3, 1.0), (math.nan, 0.7)]
)
def test_cutoffs_out_of_order_or_range_are_refused(conn, low, high) -> None:
    with pytest.raises(svc.SettingsRefused):
        svc.save_disagreement_cutoffs(conn, low, high)
    assert "model_active_below" not in read_settings(conn)


def test_the_disagreement_list_follows_the_cutoffs_given() -> None:
    table = pd.DataFrame(
        {
            "client_id": ["A", "B", "C", "D", "E", "F"],
            "status": ["active", "active", "lost", "lost", "active", "lost"],
            "p_alive": [0.25, 0.15, 0.75, 0.85, 0.35, 0.65],
        }
    )
    assert disagreements(table)["client_id"].tolist() == ["A", "B", "C", "D"]
    assert disagreements(table, 0.2, 0.8)["client_id"].tolist() == ["B", "D"]
