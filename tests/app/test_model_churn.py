"""The model on the Churn page, on hand-built sales: the disagreement list (checked with the
BG/NBD formula written out here), the fit and its holdout check, and a fit that cannot be
trusted."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from kam_core.analytics.p_alive import model_fit
from kam_core.store import connect
from tests.reference import insert_sales
from tests.support.apptest import app_at, texts
from tests.support.pages import figure, table_with

AS_OF = date(2025, 6, 30)
SUDDEN = "Z001"
SUDDEN_FIRST, SUDDEN_DAYS = date(2025, 3, 25), 42  # daily to 2025-05-05: 56 days silent


def _row(client: str, name: str, day: date, revenue: float, manager: str) -> dict:
    return {
        "order_date": day.isoformat(),
        "client_id": client,
        "client_name": name,
        "revenue": revenue,
        "manager": manager,
        "region": "North",
    }


def model_rows() -> list[dict]:
    """Rows of 40 steady clients, 15 gone, 5 one-off and the sudden stop."""
    rows = []
    start = date(2023, 7, 1)
    for i in range(40):
        # Three years of history: the holdout check fits on the first two.
        client, day, k = f"S{i:02d}", date(2022, 7, 1) + timedelta(days=i % 14), 0
        while day <= AS_OF:
            rows.append(_row(client, f"Steady {i}", day, 100 + 5 * i + 10 * (k % 3), "Ann"))
            # Clients differ in rhythm (every 1 to 8 weeks), as real ones do.
            day += timedelta(days=7 * (1 + i % 8) + (i + k) % 5)
            k += 1
    for i in range(15):
        day = start + timedelta(days=3 * i - 300 * (i % 3))
        for k in range(8):
            rows.append(_row(f"G{i:02d}", f"Gone {i}", day, 80 + 7 * i + 5 * k, "Ben"))
            day += timedelta(days=10)
    for i in range(5):
        rows.append(_row(f"O{i}", f"Once {i}", date(2024, 3, 1 + i), 50.0, "Ben"))
    for k in range(SUDDEN_DAYS):
        day = SUDDEN_FIRST + timedelta(days=k)
        rows.append(_row(SUDDEN, "Sudden Stop Ltd", day, 200 + 3 * (k % 4), "Ann"))
    return rows


def few_repeat_rows() -> list[dict]:
    """Twelve clients, three of whom bought twice: too little for the model."""
    rows = [_row(f"F{i}", f"Few {i}", date(2025, 1, 1 + i), 100.0, "Ann") for i in range(12)]
    rows += [_row(f"F{i}", f"Few {i}", date(2025, 3, 1 + i), 120.0, "Ann") for i in range(3)]
    return rows


@pytest.fixture
def model_db(fresh_db):
    conn = connect(fresh_db)
    insert_sales(conn, model_rows())
    conn.close()
    return fresh_db


def p_alive_by_hand(r: float, alpha: float, a: float, b: float, x: int, t_x: float, t: float):
    """P(alive | x, t_x, T) of Fader, Hardie and Lee (2005), eq. (6), for x > 0."""
    ratio = (alpha + t) / (alpha + t_x)
    return 1.0 / (1.0 + (a / (b + x - 1)) * ratio ** (r + x))


def test_a_client_the_rule_calls_active_but_the_model_gives_up_is_listed(model_db):
    conn = connect(model_db)
    fit = model_fit(conn)
    conn.close()
    assert fit.as_of == AS_OF and fit.trusted
    bg = fit.bgnbd
    # Daily for 42 days from 25.03.2025 (first purchase 97 days before the as-of date, so not
    # new), last on 05.05.2025: 56 days silent, under the 60 the rule needs for "at risk".
    x, t_x, t = SUDDEN_DAYS - 1, (SUDDEN_DAYS - 1) / 7, (AS_OF - SUDDEN_FIRST).days / 7
    expected = p_alive_by_hand(bg.r, bg.alpha, bg.a, bg.b, x, t_x, t)
    assert expected < 0.30

    at = app_at("churn")
    assert not at.exception
    odd = table_with(at, "disagreement").set_index("client_id")
    assert SUDDEN in odd.index
    row = odd.loc[SUDDEN]
    assert row["status"] == "Active"
    assert row["p_alive"] == pytest.approx(expected * 100, abs=1e-7)  # percentage points
    assert row["disagreement"] == "Rule: active; model: probably gone"
    assert row["repeat_purchases"] == x
    # Lost clients who bought once are 100% alive for the model by construction: left out, said.
    assert not any(c.startswith("O") for c in odd.index)
    assert "Lost clients who bought only once are left out (5)" in texts(at)
    # The at-risk and status views carry probability alive too.
    assert "Will they buy again?" in texts(at)
    boxes = figure(at, "p_alive_status")
    assert [trace.name for trace in boxes.data] == ["Active", "Lost"]


def open_model(at):
    """Open the model section (built only when opened, as a click on it does)."""
    at.session_state["churn_model"] = True
    return at.run()


def test_the_model_section_is_built_only_when_opened(model_db):
    at = app_at("churn")
    assert not at.exception
    labels = {m.label for m in at.metric}
    assert "Chance to leave after a purchase" not in labels
    with pytest.raises(StopIteration):
        figure(at, "holdout_weeks")
    assert figure(open_model(at), "holdout_weeks").data


def test_the_model_section_shows_the_fit_and_the_holdout_check(model_db):
    conn = connect(model_db)
    fit = model_fit(conn)
    conn.close()
    at = open_model(app_at("churn"))
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Clients"] == "61"
    assert metrics["Bought more than once"] == "56"
    chance = fit.bgnbd.a / (fit.bgnbd.a + fit.bgnbd.b)
    assert metrics["Chance to leave after a purchase"] == f"{100 * chance:.1f}%"
    params = table_with(at, "meaning").set_index("parameter")["value"]
    assert params["r"] == f"{fit.bgnbd.r:,.3f}"
    assert params["gamma"] == f"{fit.gamma_gamma.gamma:,.3f}"
    # The holdout: cumulative predicted against actual over 52 weeks, and per group.
    weeks = figure(at, "holdout_weeks")
    actual, predicted = (list(trace.y) for trace in weeks.data)
    assert len(actual) == len(predicted) == 52
    assert actual == sorted(actual) and actual[-1] > 0  # cumulative
    error = (predicted[-1] - actual[-1]) / actual[-1]
    sign = "+" if error > 0 and round(100 * abs(error), 1) > 0 else ""
    shown = metrics["Error at the end"].replace("−", "-")
    assert shown == f"{sign}{100 * error:.1f}%"
    groups = figure(at, "holdout_groups")
    assert list(groups.data[0].x) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert "cannot be trusted" not in texts(at)


def test_a_fit_on_few_repeat_buyers_says_it_cannot_be_trusted(fresh_db):
    conn = connect(fresh_db)
    insert_sales(conn, few_repeat_rows())
    conn.close()
    at = open_model(app_at("churn"))
    assert not at.exception
    shown = texts(at)
    assert "The model cannot be trusted on this data, so its figures are not shown." in shown
    assert "Too few clients have bought more than once" in shown
    assert "no probability alive is shown" in shown
    labels = {m.label for m in at.metric}
    assert "Bought more than once" not in labels and "Error at the end" not in labels
    with pytest.raises(StopIteration):
        figure(at, "holdout_weeks")


def test_probability_by_hand_is_one_minus_nothing_for_a_fresh_repeat_buyer():
    # Bought again just now (t_x = T): the chance to be alive is 1 / (1 + a / (b + x - 1)).
    value = p_alive_by_hand(0.5, 2.0, 1.0, 4.0, 2, 10.0, 10.0)
    assert value == pytest.approx(1 / (1 + 1 / 5))
    assert math.isfinite(value)
