"""Probability alive and expected value from a real DuckDB file, checked against the fits run
on a purchase history computed independently in pandas."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import reference as ref

from kam_core.analytics import clv
from kam_core.analytics import p_alive as pa
from kam_core.analytics.churn import churn
from kam_core.analytics.params import AnalysisParams
from kam_core.store import connect

CDNOW = Path(__file__).resolve().parents[1] / "data" / "CDNOW_sample.txt"
CAL_END = date(1997, 9, 30)


def cdnow_rows() -> pd.DataFrame:
    raw = pd.read_csv(
        CDNOW,
        sep=r"\s+",
        header=None,
        names=["master_id", "client", "date", "cds", "value"],
        dtype={"date": str},
    )
    return pd.DataFrame(
        {
            "order_date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "client_id": "C" + raw["client"].astype(str).str.zfill(4),
            "client_name": "Client " + raw["client"].astype(str),
            "revenue": raw["value"],
            "quantity": raw["cds"].astype(float),
        }
    )


def history(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """x, t_x, T in weeks and mean repeat-day value: days with a positive line, up to as-of."""
    end = pd.Timestamp(as_of)
    bought = rows[(rows["revenue"] > 0) & (rows["order_date"] <= end)]
    days = bought.groupby(["client_id", "order_date"], as_index=False)["revenue"].sum()
    first = days.groupby("client_id")["order_date"].transform("min")
    g = days.groupby("client_id")
    return pd.DataFrame(
        {
            "x": g.size() - 1,
            "t_x": (g["order_date"].max() - g["order_date"].min()).dt.days / 7,
            "T": (end - g["order_date"].min()).dt.days / 7,
            "m": days[days["order_date"] > first].groupby("client_id")["revenue"].mean(),
        }
    )


@pytest.fixture(scope="module")
def cdnow_db(tmp_path_factory):
    conn = connect(tmp_path_factory.mktemp("cdnow") / "kam.duckdb")
    rows = cdnow_rows()
    ref.insert_sales(conn, rows)
    yield conn, rows
    conn.close()


def test_model_fit_equals_the_fit_on_an_independent_history(cdnow_db) -> None:
    conn, rows = cdnow_db
    h = history(rows, CAL_END)
    # Eight customers' calibration lines are all $0.00: not purchases, so 2,349 clients here.
    assert len(h) == 2349
    fit = pa.model_fit(conn, CAL_END)
    own = clv.fit_bgnbd(h["x"], h["t_x"], h["T"])
    value = clv.fit_gamma_gamma(h["x"], h["m"])
    assert fit.trusted and fit.value_trusted
    assert fit.bgnbd.clients == 2349 and fit.gamma_gamma.repeat_buyers == 946
    # Sums in SQL and in pandas differ in the last bits; the optimiser stops within 1e-5.
    for name in ("r", "alpha", "a", "b"):
        assert getattr(fit.bgnbd, name) == pytest.approx(getattr(own, name), rel=1e-5)
    for name in ("p", "q", "gamma"):
        assert getattr(fit.gamma_gamma, name) == pytest.approx(getattr(value, name), rel=1e-5)
    assert fit.bgnbd.log_likelihood == pytest.approx(own.log_likelihood, rel=1e-10)
    assert fit.gamma_gamma.log_likelihood == pytest.approx(value.log_likelihood, rel=1e-10)
    assert fit.frequency_value_correlation == pytest.approx(
        np.corrcoef(h.loc[h["x"] > 0, "x"], h.loc[h["x"] > 0, "m"])[0, 1]
    )
    data = fit.as_dict()
    assert set(data["bgnbd"]) >= {"r", "alpha", "a", "b", "log_likelihood", "clients"}
    assert set(data["gamma_gamma"]) >= {
        "p",
        "q",
        "gamma",
        "log_likelihood",
        "repeat_buyers",
        "frequency_value_correlation",
    }


def test_p_alive_table_matches_the_formulas_client_by_client(cdnow_db) -> None:
    conn, rows = cdnow_db
    table = pa.p_alive_table(conn, CAL_END, horizon_months=12).set_index("client_id")
    h = history(rows, CAL_END)
    assert table.index.tolist() == sorted(h.index)
    fit = pa.model_fit(conn, CAL_END)
    weeks = 12 * 365.25 / 12 / 7
    for client in ("C0001", "C0002", "C0100", "C1234", "C2357"):
        x, t_x, T, m = h.loc[client, ["x", "t_x", "T", "m"]]
        row = table.loc[client]
        assert row["repeat_purchases"] == x
        assert row["recency_weeks"] == pytest.approx(t_x)
        assert row["age_weeks"] == pytest.approx(T)
        alive = clv.p_alive(fit.bgnbd, [x], [t_x], [T])[0]
        bought = clv.expected_purchases(fit.bgnbd, weeks, [x], [t_x], [T])[0]
        each = clv.expected_purchase_value(fit.gamma_gamma, [x], [m])[0]
        assert row["p_alive"] == pytest.approx(alive, rel=1e-12)
        assert row["expected_purchases"] == pytest.approx(bought, rel=1e-12)
        assert row["expected_purchase_value"] == pytest.approx(each, rel=1e-12)
        assert row["expected_value"] == pytest.approx(bought * each, rel=1e-12)
    # Customer 1 bought three times by 2 Aug 1997 (x = 2); customer 2 bought twice on 12 Jan.
    assert table.loc["C0001", "repeat_purchases"] == 2
    assert table.loc["C0002", "p_alive"] < table.loc["C0001", "p_alive"]


def test_status_is_the_churn_rule_and_names_come_along(cdnow_db) -> None:
    conn, _ = cdnow_db
    table = pa.p_alive_table(conn, CAL_END)
    rule = churn(conn, AnalysisParams(as_of=CAL_END)).set_index("client_id")
    assert table["status"].tolist() == rule.loc[table["client_id"], "status"].tolist()
    assert table.loc[table["client_id"] == "C0001", "client_name"].item() == "Client 1"


def test_default_as_of_is_the_latest_date_in_the_data(cdnow_db) -> None:
    conn, _ = cdnow_db
    assert pa.model_fit(conn).as_of == date(1998, 6, 30)
    assert pa.p_alive_table(conn)["age_weeks"].max() == pytest.approx(
        (date(1998, 6, 30) - date(1997, 1, 1)).days / 7
    )


def test_holdout_compares_predictions_with_what_happened(cdnow_db) -> None:
    conn, rows = cdnow_db
    check = pa.holdout_validation(conn, holdout_weeks=39)
    assert check.calibration_end == CAL_END and check.as_of == date(1998, 6, 30)
    h = history(rows, CAL_END)
    later = rows[(rows["order_date"] > pd.Timestamp(CAL_END)) & (rows["revenue"] > 0)]
    later = later[later["client_id"].isin(h.index)].drop_duplicates(["client_id", "order_date"])
    assert check.by_week["actual"].iloc[-1] == len(later)
    first_week = later["order_date"] <= pd.Timestamp("1997-10-07")
    assert check.by_week["actual"].iloc[0] == int(first_week.sum())
    fit = check.fit.bgnbd
    predicted = clv.expected_purchases(fit, 39.0, h["x"], h["t_x"], h["T"])
    assert check.by_week["predicted"].iloc[-1] == pytest.approx(predicted.sum(), rel=1e-9)
    assert check.end_error == pytest.approx(predicted.sum() / len(later) - 1, rel=1e-9)
    groups = check.by_purchases.set_index("calibration_purchases")
    assert groups["clients"].sum() == len(h)
    assert groups.loc["0", "clients"] == int((h["x"] == 0).sum())
    assert groups.loc["7+", "clients"] == int((h["x"] >= 7).sum())
    assert abs(check.end_error) < 0.25  # the model tracks CDNOW closely (published figure)


def small_history() -> list[dict]:
    """A: three purchase days, a return and a zero line between; B: one day; later rows."""
    rows = [
        {"order_date": "2024-01-01", "client_id": "A", "revenue": 100.0},
        {"order_date": "2024-01-01", "client_id": "A", "revenue": 50.0},
        {"order_date": "2024-01-15", "client_id": "A", "revenue": -80.0},  # a return
        {"order_date": "2024-01-22", "client_id": "A", "revenue": 0.0},  # a zero line
        {"order_date": "2024-02-05", "client_id": "A", "revenue": 40.0},
        {"order_date": "2024-02-05", "client_id": "A", "revenue": -10.0},
        {"order_date": "2024-03-04", "client_id": "A", "revenue": 20.0},
        {"order_date": "2024-02-12", "client_id": "B", "revenue": 70.0},
        {"order_date": "2024-03-20", "client_id": "B", "revenue": -70.0},  # only a return
        {"order_date": "2024-03-25", "client_id": "C", "revenue": 0.0},  # never bought
    ]
    return rows


def test_returns_and_zero_lines_are_not_purchases(conn) -> None:
    ref.insert_sales(conn, small_history())
    table = pa.p_alive_table(conn, date(2024, 3, 31)).set_index("client_id")
    assert table.index.tolist() == ["A", "B"]
    assert table.loc["A", "repeat_purchases"] == 2
    assert table.loc["A", "recency_weeks"] == pytest.approx(63 / 7)
    assert table.loc["A", "age_weeks"] == pytest.approx(90 / 7)
    assert table.loc["B", "repeat_purchases"] == 0
    assert table.loc["B", "recency_weeks"] == 0
    summary = pa.purchase_summary(conn, date(2024, 3, 31)).set_index("client_id")
    # Repeat days: 40 on 5 Feb (its -10 return is not a purchase) and 20 on 4 Mar.
    assert summary.loc["A", "monetary"] == pytest.approx(30.0)
    # Two clients: far too few to fit, so the model's columns stay empty.
    fit = pa.model_fit(conn, date(2024, 3, 31))
    assert not fit.trusted and fit.warnings
    assert table["p_alive"].isna().all() and table["expected_value"].isna().all()


def test_data_after_the_as_of_date_is_ignored(conn) -> None:
    ref.insert_sales(conn, small_history())
    before = pa.p_alive_table(conn, date(2024, 2, 20))
    ref.insert_sales(
        conn,
        [
            {"order_date": "2024-02-21", "client_id": "A", "revenue": 500.0},
            {"order_date": "2024-02-25", "client_id": "D", "revenue": 500.0},
        ],
    )
    after = pa.p_alive_table(conn, date(2024, 2, 20))
    pd.testing.assert_frame_equal(before, after)
    a = after.set_index("client_id").loc["A"]
    assert a["repeat_purchases"] == 1 and a["age_weeks"] == pytest.approx(50 / 7)


def test_horizon_months_are_average_calendar_months_in_weeks() -> None:
    assert pa.horizon_weeks(12) == pytest.approx(365.25 / 7)
    assert pa.horizon_weeks(6) == pytest.approx(365.25 / 14)


def test_empty_database_gives_empty_results(conn) -> None:
    assert pa.p_alive_table(conn).empty
    fit = pa.model_fit(conn)
    assert fit.bgnbd is None and not fit.trusted
    assert pa.holdout_validation(conn).by_week.empty


def test_disagreements_list_where_rule_and_model_part(cdnow_db) -> None:
    conn, _ = cdnow_db
    table = pa.p_alive_table(conn, CAL_END)
    odd = pa.disagreements(table)
    unlikely = (table["status"] == "active") & (table["p_alive"] < 0.3)
    likely = (table["status"] == "lost") & (table["p_alive"] > 0.7)
    assert len(odd) == int(unlikely.sum() + likely.sum()) > 0
    kinds = odd.set_index("client_id")["disagreement"]
    assert set(kinds[kinds == "lost_but_likely"].index) == set(table.loc[likely, "client_id"])
    assert set(kinds[kinds == "active_but_unlikely"].index) == set(table.loc[unlikely, "client_id"])
