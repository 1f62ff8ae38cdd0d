"""Account health on a hand-made database: each part's score worked out by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from kam_core.analytics import health as h
from kam_core.analytics.p_alive import p_alive_table
from kam_core.analytics.params import AnalysisParams
from kam_core.dossier.records import add
from kam_core.store.rollup import refresh_rollup

AS_OF = date(2024, 12, 10)  # the latest date in the data: the default as-of


def insert(conn, rows: list[dict]) -> None:
    """Sales rows with delivery dates, straight into the table, then the rollups."""
    frame = pd.DataFrame(rows)
    for col in ("due_date", "ship_date"):
        frame[col] = pd.to_datetime(frame.get(col))
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["row_key"] = np.arange(1, len(frame) + 1)
    frame["source_row"] = frame["row_key"]
    frame["upload_id"] = 0
    frame["client_name"] = "Client " + frame["client_id"]
    conn.register("incoming", frame)
    conn.execute(
        "INSERT INTO sales BY NAME SELECT row_key::UHUGEINT AS row_key, upload_id, source_row,"
        " order_date::DATE AS order_date, client_id, client_name, revenue,"
        " due_date::DATE AS due_date, ship_date::DATE AS ship_date FROM incoming"
    )
    conn.unregister("incoming")
    refresh_rollup(conn)


def sales() -> list[dict]:
    rows = []
    for month in range(1, 13):
        # A: 100 a month in 2023, 50 a month in 2024, always on the 10th.
        rows.append({"order_date": f"2023-{month:02d}-10", "client_id": "A", "revenue": 100.0})
        rows.append({"order_date": f"2024-{month:02d}-10", "client_id": "A", "revenue": 50.0})
    # Delivery dates on four of A's 2024 lines: three on time, one late; one late in 2023.
    dated = {1: "2024-01-12", 2: "2024-02-10", 3: "2024-03-01", 4: "2024-04-30"}
    for row in rows:
        day = row["order_date"]
        if row["client_id"] == "A" and day.startswith("2024-0") and int(day[5:7]) in dated:
            row["due_date"] = f"2024-{int(day[5:7]):02d}-15"
            row["ship_date"] = dated[int(day[5:7])]
    rows[0].update(due_date="2023-01-15", ship_date="2023-03-01")
    # 40 other clients so the model has enough history to be trusted.
    rng = np.random.default_rng(5)
    for i in range(40):
        start = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 300)))
        for k in range(int(rng.integers(1, 9))):
            day = start + pd.Timedelta(days=int(k * rng.integers(20, 60)))
            if day <= pd.Timestamp(AS_OF):
                rows.append({"order_date": day, "client_id": f"Z{i:02d}", "revenue": 80.0})
    return rows


@pytest.fixture
def health_db(conn):
    insert(conn, sales())
    dm = add(conn, "contact", "A", {"name": "Dana", "role": "decision_maker"}, "test")
    add(conn, "contact", "A", {"name": "Chen", "role": "champion", "attitude": "supporter"}, "t")
    add(
        conn,
        "activity",
        "A",
        {
            "kind": "meeting",
            "text": "Review",
            "activity_date": "2024-11-15",
            "status": "done",
            "contact_id": dm,
        },
        "test",
    )
    add(
        conn,
        "activity",
        "A",
        {"kind": "abm", "text": "Offer", "status": "planned", "due_date": "2024-12-01"},
        "test",
    )
    add(
        conn,
        "tender",
        "A",
        {
            "subject": "2024 supply",
            "tender_date": "2024-06-01",
            "result": "lost",
            "winner": "Rival",
        },
        "test",
    )
    add(
        conn,
        "tender",
        "A",
        {
            "subject": "2023 supply",
            "tender_date": "2023-06-01",
            "result": "lost",
            "winner": "Rival",
        },
        "test",
    )
    # D: a prospect with a dossier and no sales; its only contact is a user.
    conn.execute("INSERT INTO clients (client_id, client_name) VALUES ('D', 'Delta Prospect')")
    add(conn, "contact", "D", {"name": "Eli", "role": "user"}, "test")
    return conn


def test_every_part_of_a_hand_made_client(health_db) -> None:
    table = h.health_table(health_db, AnalysisParams()).set_index("client_id")
    assert h.health_change(health_db)["client_id"].tolist() == table.index.tolist()
    a = table.loc["A"]
    assert a["trend"] == 41.7  # 600 against 1,200: 0.5 / 1.2
    assert a["regularity"] == 100.0  # the same amount every month: X
    assert a["on_time"] == 75.0  # 3 of the 4 dated 2024 lines; the late 2023 line is outside
    assert a["coverage"] == 100.0  # decision maker 40 + champion 30 + meeting 25 days ago 30
    # Decision map, tenders, plan (the open ABM action) and notes (the meeting): 4 of 7.
    assert a["completeness"] == round(100 * 4 / 7, 1)
    assert a["risks"] == 45.0  # one tender lost within 12 months (35), one overdue action (20)
    alive = p_alive_table(health_db, AS_OF).set_index("client_id").loc["A", "p_alive"]
    assert a["p_alive"] == round(100 * alive, 1)
    assert a["parts_used"] == 7
    w = h.DEFAULT_WEIGHTS
    expected = sum(getattr(w, p) * a[p] for p in h.PARTS) / 100
    assert a["health"] == pytest.approx(round(expected, 1))


def test_clients_without_a_dossier_rest_on_their_sales(health_db) -> None:
    table = h.health_table(health_db).set_index("client_id")
    z = table.loc["Z00"]
    assert np.isnan(z["coverage"]) and np.isnan(z["completeness"]) and np.isnan(z["risks"])
    assert np.isnan(z["on_time"])  # no delivery dates
    assert z["parts_used"] == int(z[list(h.PARTS)].notna().sum())
    used = [p for p in h.PARTS if not np.isnan(z[p])]
    w = h.DEFAULT_WEIGHTS
    expected = sum(getattr(w, p) * z[p] for p in used) / sum(getattr(w, p) for p in used)
    assert z["health"] == pytest.approx(round(expected, 1), abs=0.051)


def test_a_prospect_without_sales_rests_on_its_dossier(health_db) -> None:
    d = h.health_table(health_db).set_index("client_id").loc["D"]
    assert d["coverage"] == 0.0  # only a user is mapped
    assert d["completeness"] == 0.0
    assert np.isnan(d["risks"])  # no tenders or actions to judge
    assert d["parts_used"] == 2 and d["health"] == 0.0
    assert d["client_name"] == "Delta Prospect"


def test_health_change_compares_with_the_previous_quarter(health_db) -> None:
    change = h.health_change(health_db).set_index("client_id")
    now = h.health_table(health_db).set_index("client_id")
    before = h.health_table(health_db, AnalysisParams(as_of=date(2024, 9, 10)))
    before = before.set_index("client_id")
    assert change.loc["A", "health"] == now.loc["A", "health"]
    assert change.loc["A", "health_prev"] == before.loc["A", "health"]
    assert change["change"].dropna().eq(change["health"] - change["health_prev"]).all()
    assert change["fell"].eq(change["change"] <= -h.HEALTH_FALL_POINTS).all()
    # In September the ABM action was not yet overdue and the meeting not yet held.
    assert before.loc["A", "risks"] == 65.0
    assert before.loc["A", "coverage"] == 70.0


def test_row_filters_do_not_change_a_clients_health(health_db) -> None:
    plain = h.health_table(health_db).set_index("client_id")
    filtered = h.health_table(health_db, AnalysisParams(region="Nowhere")).set_index("client_id")
    pd.testing.assert_frame_equal(plain, filtered)


def test_custom_weights_change_the_score_not_the_parts(health_db) -> None:
    only_trend = h.HealthWeights(1, 0, 0, 0, 0, 0, 0)
    a = h.health_table(health_db, weights=only_trend).set_index("client_id").loc["A"]
    assert a["health"] == a["trend"] == 41.7
    assert a["parts_used"] == 1


def test_empty_database_has_no_health(conn) -> None:
    assert h.health_table(conn).empty and h.health_change(conn).empty


def test_health_is_computed_once_per_stored_state_and_follows_dossier_edits(
    health_db, monkeypatch
) -> None:
    computed = []
    compute = h._health_table

    def counted(conn, resolved, weights):
        computed.append(resolved.as_of)
        return compute(conn, resolved, weights)

    monkeypatch.setattr(h, "_health_table", counted)
    first = h.health_table(health_db, AnalysisParams()).set_index("client_id")
    h.health_change(health_db)  # now (kept) and the quarter before (computed)
    h.health_table(health_db, AnalysisParams(region="East"))  # row filters: the same table
    assert len(computed) == 2
    assert np.isnan(first.loc["Z00", "coverage"])
    # A decision maker mapped on Z00: its dossier is started, coverage 40 (no meeting yet).
    add(health_db, "contact", "Z00", {"name": "Ola", "role": "decision_maker"}, "test")
    after = h.health_table(health_db, AnalysisParams()).set_index("client_id")
    assert after.loc["Z00", "coverage"] == 40.0
    assert len(computed) == 3
