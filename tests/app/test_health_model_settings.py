"""Settings' Thresholds tab, its Health score and Churn model sections: the health weights and
the rule-and-model cut-offs with their defaults, stored, refused and reset; the pages and
`report health` then agree on the numbers."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from dataclasses import asdict

import pandas as pd
import pytest

from kam_core.analytics.health import health_table
from kam_core.analytics.health_weights import DEFAULT_WEIGHTS, PARTS, HealthWeights
from kam_core.analytics.holdout import holdout_validation
from kam_core.analytics.p_alive import DisagreementCutoffs, p_alive_table
from kam_core.cli.main import main
from kam_core.demo import demo_sales
from kam_core.dossier.outlook import PART_NAMES
from kam_core.i18n import fmt_number
from kam_core.services.settings import (
    disagreement_cutoffs,
    health_weights,
    save_disagreement_cutoffs,
    save_health_weights,
)
from kam_core.store import connect
from kam_core.store.settings import read_settings
from tests.app.test_model_churn import model_rows
from tests.reference import insert_sales
from tests.support.apptest import app_at, texts
from tests.support.pages import table_with

# The defaults as the page writes them: weight and share of the 100 points they add up to.
DEFAULT_LABELS = {
    "trend": "Revenue trend (default 20, that is 20% of the score)",
    "p_alive": "Will buy again (default 25, that is 25% of the score)",
    "regularity": "Regular buying (default 10, that is 10% of the score)",
    "coverage": "People we know (default 15, that is 15% of the score)",
    "completeness": "Dossier filled in (default 10, that is 10% of the score)",
    "on_time": "Deliveries on time (default 10, that is 10% of the score)",
    "risks": "Open risks (default 10, that is 10% of the score)",
}


def stored_weights(path) -> HealthWeights:
    conn = connect(path)
    try:
        return health_weights(conn)
    finally:
        conn.close()


def stored_cutoffs(path) -> DisagreementCutoffs:
    conn = connect(path)
    try:
        return disagreement_cutoffs(conn)
    finally:
        conn.close()


def click(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_every_health_part_is_shown_with_its_default_and_its_meaning(fresh_db):
    at = app_at("settings")
    assert not at.exception
    labels = {w.key: w.label for w in at.number_input if str(w.key).startswith("hw_")}
    assert labels == {f"hw_{part}": text for part, text in DEFAULT_LABELS.items()}
    shown = texts(at)
    assert "only the proportions matter" in shown
    assert "How much of the dossier is filled in." in shown
    assert sum(asdict(DEFAULT_WEIGHTS).values()) == 100  # so a default weight is its share


def test_changed_weights_are_stored_and_a_reset_restores_the_defaults(fresh_db):
    at = app_at("settings")
    at.number_input(key="hw_trend").set_value(40.0)
    at.number_input(key="hw_risks").set_value(0.0)
    at = click(at, "Save health weights")
    assert not at.exception
    assert "Health weights saved" in texts(at)
    assert stored_weights(fresh_db) == HealthWeights(40, 25, 10, 15, 10, 10, 0)
    assert at.number_input(key="hw_trend").value == pytest.approx(40.0)
    at = click(at, "Reset the health weights to their defaults")
    assert not at.exception
    assert stored_weights(fresh_db) == DEFAULT_WEIGHTS
    assert at.number_input(key="hw_trend").value == pytest.approx(20.0)


def test_all_weights_at_zero_are_refused_and_nothing_is_stored(fresh_db):
    at = app_at("settings")
    for part in PARTS:
        at.number_input(key=f"hw_{part}").set_value(0.0)
    at = click(at, "Save health weights")
    assert not at.exception
    assert "At least one health weight must be above zero." in texts(at)
    conn = connect(fresh_db)
    assert not any(k.startswith("health_weight_") for k in read_settings(conn))
    conn.close()
    assert stored_weights(fresh_db) == DEFAULT_WEIGHTS


def test_cutoffs_are_stored_in_percent_and_refused_out_of_order(fresh_db):
    at = app_at("settings")
    assert "(default 30%)" in at.number_input(key="mc_low").label
    assert "(default 70%)" in at.number_input(key="mc_high").label
    at.number_input(key="mc_low").set_value(80.0)
    at = click(at, "Save the cut-offs")
    assert "Not saved" in texts(at)
    assert stored_cutoffs(fresh_db) == DisagreementCutoffs()
    at.number_input(key="mc_low").set_value(20.0)
    at.number_input(key="mc_high").set_value(85.0)
    at = click(at, "Save the cut-offs")
    assert not at.exception
    assert stored_cutoffs(fresh_db) == DisagreementCutoffs(0.20, 0.85)
    at = click(at, "Reset the cut-offs to their defaults")
    assert stored_cutoffs(fresh_db) == DisagreementCutoffs()


def test_the_churn_page_lists_disagreements_by_the_stored_cutoffs(fresh_db):
    conn = connect(fresh_db)
    insert_sales(conn, model_rows())
    # Most steady clients are above 99% alive: a cut-off at 99% lists the few below it too.
    save_disagreement_cutoffs(conn, 0.99, 0.995)
    table = p_alive_table(conn)
    conn.close()
    active = (table["status"] == "active") & (table["p_alive"] < 0.99)
    lost = (table["status"] == "lost") & (table["p_alive"] > 0.995)
    expected = set(table.loc[active | (lost & (table["repeat_purchases"] > 0)), "client_id"])
    assert len(expected) > 1 and "Z001" in expected
    at = app_at("churn")
    assert not at.exception
    shown = texts(at)
    assert "gives them under 99%" in shown and "over 99.5%" in shown
    assert "Settings, under Thresholds (defaults 30% and 70%)" in shown
    listed = table_with(at, "disagreement")
    assert set(listed["client_id"]) == expected


def test_dossier_header_and_report_health_agree_with_changed_weights(demo_db):
    sales = demo_sales()
    client = sales.groupby("client_id")["revenue"].sum().idxmax()
    weights = HealthWeights(
        trend=50, p_alive=0, regularity=5, coverage=30, completeness=5, on_time=0, risks=10
    )
    conn = connect(demo_db)
    save_health_weights(conn, weights)
    parts = health_table(conn).set_index("client_id").loc[client]
    conn.close()
    # The score by hand: the weighted mean of the parts that have data.
    scored = {p: parts[p] for p in PARTS if not pd.isna(parts[p])}
    total = sum(getattr(weights, p) for p in scored)
    by_hand = sum(scored[p] * getattr(weights, p) for p in scored) / total
    assert parts["health"] == pytest.approx(by_hand, abs=0.1)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--db", str(demo_db), "report", "health", "--format", "csv"]) == 0
    cli = pd.read_csv(io.StringIO(out.getvalue()), dtype={"client_id": str}).set_index("client_id")
    assert cli.loc[client, "health"] == pytest.approx(parts["health"])
    at = app_at("dossier", query={"client": client})
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["Health score"] == f"{fmt_number(cli.loc[client, 'health'])} / 100"
    # The parts table (built when its expander is opened) gives each part the share of the
    # stored weights it carries.
    assert not any("weight" in df.value.columns for df in at.dataframe)
    at.session_state["dossier_health_why"] = True
    at.run()
    table = next(df.value for df in at.dataframe if "weight" in df.value.columns)
    shown_weight = dict(zip(table["part"], table["weight"], strict=True))
    by_hand = {PART_NAMES[p]: 100 * getattr(weights, p) / total for p in scored}  # points
    assert {k: v for k, v in shown_weight.items() if not pd.isna(v)} == pytest.approx(by_hand)


def test_the_demo_model_passes_its_holdout_check(demo_db):
    conn = connect(demo_db)
    check = holdout_validation(conn)
    conn.close()
    # Two years of calibration, one held out: every client shares one small dropout chance.
    assert check.fit.trusted and check.holdout_weeks == 52
    assert abs(check.end_error) < 0.10
    at = app_at("churn")
    at.session_state["churn_model"] = True  # the model section, built when opened
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert "Error at the end" in metrics
    assert "The check cannot be made" not in texts(at)
