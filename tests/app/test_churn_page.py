"""The Churn and win-back page on the demo data: its numbers are kam_core's, statuses persist."""

from __future__ import annotations

import pytest

from kam_core.analytics.churn import churn
from kam_core.analytics.losses import losses
from kam_core.analytics.win_back import win_back_list
from kam_core.i18n import has_hebrew, strip_isolates
from kam_core.store import connect
from kam_core.store.win_back import read_win_back, set_win_back_status
from tests.support.apptest import app_at, english_words, texts
from tests.support.pages import figure, params_of, table_with

LABELS = {"New": "new", "Active": "active", "At risk": "at_risk", "Lost": "lost"}


def editor_state(row: int, status: str) -> dict:
    return {"edited_rows": {row: {"status": status}}, "added_rows": [], "deleted_rows": []}


def test_status_counts_equal_churn_value_counts(demo_db):
    at = app_at("churn")
    assert not at.exception
    conn = connect(demo_db)
    expected = churn(conn, params_of(conn))["status"].value_counts()
    metrics = {m.label: m.value for m in at.metric}
    for label, status in LABELS.items():
        assert metrics[label] == f"{int(expected.get(status, 0)):,}"
    bars = figure(at, "churn_status").data[0]
    assert list(bars.x) == ["New", "Active", "At risk", "Lost"]
    assert list(bars.y) == [int(expected.get(s, 0)) for s in LABELS.values()]


def test_losses_per_month_and_the_trend_are_those_of_kam_core(demo_db):
    at = app_at("churn")
    conn = connect(demo_db)
    result = losses(conn, params_of(conn))
    fig = figure(at, "losses")
    assert list(fig.data[0].y) == result.by_month["clients_lost"].tolist()
    assert list(fig.data[2].y) == pytest.approx(result.by_month["revenue_lost"].tolist())
    verdict = {"better": "getting better", "worse": "getting worse", "stable": "stable"}
    assert f"Churn is {verdict[result.trend]}" in texts(at)
    assert "3 x the client's median gap" in texts(at)  # the thresholds in force, shown


def test_the_breakdown_direction_comes_from_the_url(demo_db):
    at = app_at("churn", query={"by": "Manager"})
    assert not at.exception
    conn = connect(demo_db)
    expected = losses(conn, params_of(conn)).breakdowns["manager"]
    shown = table_with(at, "clients_lost")
    assert shown["manager"].tolist() == expected["manager"].tolist()
    assert shown["clients_lost"].tolist() == expected["clients_lost"].tolist()
    assert figure(at, "losses_by").layout.title.text == "Losses by manager"


def test_the_at_risk_list_holds_the_at_risk_clients(demo_db):
    at = app_at("churn")
    conn = connect(demo_db)
    table = churn(conn, params_of(conn))
    expected = set(table.loc[table["status"] == "at_risk", "client_id"])
    shown = table_with(at, "days_since_last")
    assert set(shown["client_id"]) == expected


@pytest.mark.slow
def test_editing_a_win_back_status_stores_it_and_shows_it_after_a_rerun(demo_db):
    at = app_at("churn")
    editor = at.data_editor[0]
    first = editor.value.iloc[0]
    assert first["status"] == "Open"
    at.sidebar.text_input(key="user_name_input").input("Dana")  # the sidebar's "Your name"
    at.run()
    at.session_state[at.data_editor[0].key] = editor_state(0, "Contacted")
    at.run()
    assert not at.exception
    assert any("Saved" in s.value and first["client_id"] in s.value for s in at.success)

    conn = connect(demo_db)
    stored = read_win_back(conn).set_index("client_id")
    assert stored.loc[first["client_id"], "status"] == "contacted"
    assert stored.loc[first["client_id"], "updated_by"] == "Dana"
    assert stored.loc[first["client_id"], "updated_at"] is not None
    conn.close()

    at.run()
    shown = at.data_editor[0].value.set_index("client_id")
    assert shown.loc[first["client_id"], "status"] == "Contacted"
    assert shown.loc[first["client_id"], "updated_by"] == "Dana"
    # A new session (a reload) reads it from the database.
    again = app_at("churn").data_editor[0].value.set_index("client_id")
    assert again.loc[first["client_id"], "status"] == "Contacted"


@pytest.mark.slow
def test_choosing_open_again_clears_the_stored_status(demo_db):
    conn = connect(demo_db)
    client = win_back_list(conn, params_of(conn))["client_id"].iloc[1]
    set_win_back_status(conn, client, "planned", user="Ori")
    conn.close()
    at = app_at("churn")
    rows = at.data_editor[0].value
    row = int(rows.index[rows["client_id"] == client][0])
    assert rows.loc[row, "status"] == "Planned"
    at.session_state[at.data_editor[0].key] = editor_state(row, "Open")
    at.run()
    assert not at.exception
    conn = connect(demo_db)
    assert client not in set(read_win_back(conn)["client_id"])


def test_the_win_back_list_is_kam_cores_and_offers_excel_and_csv(demo_db):
    at = app_at("churn")
    conn = connect(demo_db)
    expected = win_back_list(conn, params_of(conn))
    shown = at.data_editor[0].value
    assert shown["client_id"].tolist() == expected["client_id"].tolist()
    assert shown["offer"].tolist() == expected["offer"].tolist()
    keys = {b.key for b in at.get("download_button")}
    assert {"win_back:xlsx", "win_back:csv"} <= keys


@pytest.mark.slow
def test_key_clients_only_keeps_the_key_clients(demo_db):
    at = app_at("churn")
    at.toggle(key="key_only").set_value(True)
    at.run()
    assert not at.exception
    conn = connect(demo_db)
    expected = win_back_list(conn, params_of(conn))
    expected = expected[expected["is_key"]]
    assert at.data_editor[0].value["client_id"].tolist() == expected["client_id"].tolist()


def test_a_manager_in_the_url_filters_every_number(demo_db):
    manager = "Dana Levi"
    at = app_at("churn", query={"manager": manager})
    assert not at.exception
    conn = connect(demo_db)
    expected = churn(conn, params_of(conn, manager=manager))["status"].value_counts()
    metrics = {m.label: m.value for m in at.metric}
    for label, status in LABELS.items():
        assert metrics[label] == f"{int(expected.get(status, 0)):,}"
    assert set(at.data_editor[0].value["manager"]) == {manager}
    shown = table_with(at, "days_since_last")
    assert set(shown["manager"]) <= {manager}


def test_filters_that_leave_no_client_say_so(demo_db):
    at = app_at("churn", query={"manager": "Dana Levi", "region": "South"})
    assert not at.exception
    assert "No clients for these filters" in texts(at)


def test_only_the_issues_win_back_statuses_can_be_stored(demo_db):
    conn = connect(demo_db)
    for status in ("planned", "contacted", "won back", "declined"):
        set_win_back_status(conn, "C0001", status, user="Ann")
        assert read_win_back(conn).set_index("client_id").loc["C0001", "status"] == status
    with pytest.raises(ValueError, match="unknown win-back status"):
        set_win_back_status(conn, "C0001", "maybe")
    set_win_back_status(conn, "C0001", "open")
    assert read_win_back(conn).empty


def test_the_page_in_hebrew_reads_right_to_left_without_english(demo_db):
    at = app_at("churn", query={"lang": "he"})
    assert not at.exception
    assert at.title[0].value == "נטישה והחזרת לקוחות"
    # Model names are names; everything else a reader sees is Hebrew.
    assert english_words(at, data=("BG/NBD", "Gamma-Gamma")) == set()
    labels = [m.label for m in at.metric]
    assert labels[:4] == ["חדש", "פעיל", "בסיכון", "אבוד"]
    assert "הכנסות בסיכון" in labels
    bars = figure(at, "churn_status")
    assert [strip_isolates(x) for x in bars.data[0].x] == ["חדש", "פעיל", "בסיכון", "אבוד"]
    assert bars.layout.xaxis.autorange == "reversed"  # the first status on the right
    editor = at.data_editor[0].value
    assert list(editor.columns)[-1] == "client_id"  # first column on the right
    assert set(editor["status"]) == {"פתוח"}
    offers = set(editor["offer"])
    assert offers <= {
        "פגישה אישית עם מנהל לקוחות המפתח ועם מנהל בכיר; תנאים מותאמים",
        "הנחה",
        "מבצע",
    }
    assert has_hebrew(at.toggle(key="key_only").label)


def test_the_key_clients_switch_stays_in_the_url(demo_db):
    at = app_at("churn", query={"key_only": "true"})
    assert not at.exception
    assert at.toggle(key="key_only").value is True
    conn = connect(demo_db)
    expected = win_back_list(conn, params_of(conn))
    expected = expected[expected["is_key"]]
    assert at.data_editor[0].value["client_id"].tolist() == expected["client_id"].tolist()
