"""The dossier page on the demo data: the deep link, the header figures, saving the profile,
a save refused because someone else saved first, adding a contact, importing master data."""

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kam_core import dossier
from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.health import DEFAULT_WEIGHTS, PARTS, health_table
from kam_core.analytics.p_alive import model_fit, p_alive_table
from kam_core.analytics.params import AnalysisParams
from kam_core.demo import demo_sales
from kam_core.dossier.reads import client_list
from kam_core.i18n import fmt_date, fmt_money, fmt_number, fmt_percent
from kam_core.services import users
from kam_core.services.scope import client_managers
from kam_core.store import connect
from kam_core.store.dossier import list_records, read_profile
from tests.app.test_sign_in_gate import AUTH, ROOT
from tests.support.apptest import app_at, english_words, texts
from ui.auth import TEST_USER_KEY, SignedIn
from ui.screens import url_path

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def largest():
    """The demo's largest client by revenue, and its sales lines."""
    sales = demo_sales()
    client = sales.groupby("client_id")["revenue"].sum().idxmax()
    return client, sales[sales["client_id"] == client]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def submit(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_a_deep_link_opens_the_client_with_the_figures_of_the_data(demo_db, largest):
    client, lines = largest
    at = app_at("dossier", query={"client": client})
    assert not at.exception
    shown = metrics(at)
    as_of = demo_sales()["order_date"].max()
    window = lines[(lines["order_date"] >= "2025-01-01") & (lines["order_date"] <= as_of)]
    assert as_of == pd.Timestamp("2025-12-31")
    assert shown["Revenue in the window"] == f"₪{window['revenue'].sum():,.0f}"
    last = lines[lines["revenue"] > 0]["order_date"].max()
    assert shown["Last purchase"] == fmt_date(last)
    assert shown["Order lines"] == f"{len(lines):,}"
    conn = connect(demo_db)
    cells = abc_xyz(conn, AnalysisParams()).clients.set_index("client_id")["cell"]
    done = dossier.completeness(conn, client).score
    conn.close()
    assert shown["ABC-XYZ"] == cells[client]
    assert shown["Dossier complete"] == f"{done:.0%}"
    assert at.selectbox[0].value == client
    assert lines["client_name"].iloc[0] in [h.value for h in at.header]


def test_choosing_a_client_puts_it_in_the_address(demo_db, largest):
    client, _ = largest
    at = app_at("dossier")
    assert "Choose a client above" in texts(at)
    at.selectbox[0].select(client)
    at.run()
    assert not at.exception
    assert at.query_params["client"] == client


@pytest.mark.slow
def test_editing_the_profile_saves_it_under_your_name(demo_db, largest):
    client, _ = largest
    at = app_at("dossier", query={"client": client, "tab": "Profile"})
    at.text_input(key="user_name_input").set_value("Dana Levi").run()
    field = next(t for t in at.text_input if t.label == "Industry")
    field.set_value("Biotech")
    at = submit(at, "Save")
    assert not at.exception
    assert "Saved." in texts(at)
    conn = connect(demo_db)
    profile = read_profile(conn, client)
    conn.close()
    assert (profile["industry"], profile["updated_by"]) == ("Biotech", "Dana Levi")


@pytest.mark.slow
def test_a_save_after_someone_else_saved_is_refused_and_keeps_their_change(demo_db, largest):
    client, _ = largest
    at = app_at("dossier", query={"client": client, "tab": "Profile"})
    conn = connect(demo_db)  # another manager, in another session, saves first
    opened = read_profile(conn, client)["version"]
    dossier.save_profile(conn, client, {"industry": "Theirs"}, opened, "Ori")
    next(t for t in at.text_input if t.label == "Industry").set_value("Mine")
    at = submit(at, "Save")
    assert not at.exception
    assert "Ori saved this client's profile" in texts(at)
    assert any(b.label == "Load the latest version" for b in at.button)
    profile = read_profile(conn, client)
    conn.close()
    assert (profile["industry"], profile["updated_by"]) == ("Theirs", "Ori")


@pytest.mark.slow
def test_loading_the_latest_version_shows_their_values_and_then_saves(demo_db, largest):
    client, _ = largest
    at = app_at("dossier", query={"client": client, "tab": "Profile"})
    conn = connect(demo_db)
    opened = read_profile(conn, client)["version"]
    dossier.save_profile(conn, client, {"industry": "Theirs"}, opened, "Ori")
    at.run()
    at = submit(at, "Load the latest version")
    assert next(t for t in at.text_input if t.label == "Industry").value == "Theirs"
    next(t for t in at.text_input if t.label == "Website").set_value("https://example.org")
    at = submit(at, "Save")
    assert "Saved." in texts(at)
    profile = read_profile(conn, client)
    conn.close()
    assert (profile["industry"], profile["website"]) == ("Theirs", "https://example.org")


@pytest.mark.slow
def test_adding_a_contact_puts_them_on_the_decision_map(demo_db, largest):
    client, _ = largest
    at = app_at("dossier", query={"client": client, "tab": "Decision map"})
    name = next(t for t in at.text_input if t.label == "Name *")
    name.set_value("Rina <Head of Purchasing>")
    role = next(s for s in at.selectbox if s.label == "Role in the decision")
    role.select("gatekeeper")
    at = submit(at, "Add")
    assert not at.exception
    assert "Added." in texts(at)
    conn = connect(demo_db)
    people = list_records(conn, "contact", client).set_index("name")
    conn.close()
    assert people.at["Rina <Head of Purchasing>", "role"] == "gatekeeper"
    assert people.at["Rina <Head of Purchasing>", "updated_by"] == "manager"


@pytest.mark.slow
def test_a_client_without_a_dossier_warns_that_nobody_is_mapped(demo_db):
    sales = demo_sales()
    small = sales.groupby("client_id")["revenue"].sum().idxmin()
    at = app_at("dossier", query={"client": small, "tab": "Decision map"})
    assert not at.exception
    assert "No one is mapped yet" in texts(at)


@pytest.mark.slow
def test_a_master_data_workbook_is_imported_from_the_page(demo_db, largest, make_xlsx):
    client, _ = largest
    path = make_xlsx(
        {"Competitors": [["Client ID", "Competitor", "Share"], [client, "Newcomer Ltd", "15%"]]},
        name="rivals.xlsx",
    )
    at = app_at("dossier", query={"client": client})
    at.file_uploader[0].set_value(("rivals.xlsx", path.read_bytes(), XLSX))
    at.run()
    at = submit(at, "Import master data")
    assert not at.exception
    assert "Competitors: 1 added" in texts(at)
    conn = connect(demo_db)
    names = set(list_records(conn, "competitor", client)["name"])
    conn.close()
    assert "Newcomer Ltd" in names


@pytest.mark.slow
def test_master_data_of_invisible_names_and_tiny_amounts_shows_each_rejected_row(demo_db, largest):
    client, _ = largest
    data = (
        f"Client ID,Subject,Amount\n{client},Boxes,1e-400\n{client},\u200b,10\n{client},Bags,20\n"
    ).encode()
    at = app_at("dossier", query={"client": client})
    at.file_uploader[0].set_value(("tenders.csv", data, "text/csv"))
    at.run()
    at = submit(at, "Import master data")
    assert not at.exception
    assert "Tenders: 1 added" in texts(at)
    table = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert list(zip(table["row"], table["reason"], strict=True)) == [
        (2, "Amount is out of range (not zero, but too small for a number to hold)"),
        (3, "required value missing"),
    ]


def shown_texts(at) -> set[str]:
    """The 'What' column of every activity table the open tab shows."""
    return {t for d in at.dataframe if "text" in d.value.columns for t in d.value["text"]}


@pytest.mark.slow
def test_a_meeting_added_on_the_abm_plan_shows_on_the_abm_plan(demo_db, largest):
    client, _ = largest
    at = app_at("dossier", query={"client": client, "tab": "ABM plan"})
    kind = at.selectbox(key=f"add:plan:{client}:0:kind")
    assert kind.options == ["ABM action", "Win-back action", "Meeting"]  # no notes here
    kind.select("meeting")
    at.text_area(key=f"add:plan:{client}:0:text").set_value("Visit the new plant")
    at = submit(at, "Add")
    assert not at.exception
    assert "Added." in texts(at)
    assert "Visit the new plant" in shown_texts(at)
    conn = connect(demo_db)
    added = list_records(conn, "activity", client).set_index("text").loc["Visit the new plant"]
    conn.close()
    assert (added["kind"], added["status"]) == ("meeting", "planned")
    # A meeting is also a record of what was said: the notes list it too.
    at = app_at("dossier", query={"client": client, "tab": "Notes"})
    assert "Visit the new plant" in shown_texts(at)


@pytest.mark.slow
def test_a_note_added_on_the_notes_tab_stays_off_the_abm_plan(demo_db, largest):
    client, _ = largest
    at = app_at("dossier", query={"client": client, "tab": "Notes"})
    kind = at.selectbox(key=f"add:notes:{client}:0:kind")
    assert kind.options == ["Note", "Meeting"]
    at.text_area(key=f"add:notes:{client}:0:text").set_value("Asked about longer credit terms")
    at = submit(at, "Add")
    assert not at.exception
    assert "Asked about longer credit terms" in shown_texts(at)
    at = app_at("dossier", query={"client": client, "tab": "ABM plan"})
    assert "Asked about longer credit terms" not in shown_texts(at)


def test_the_header_shows_probability_alive_value_and_health_of_the_data(demo_db, largest):
    client, _ = largest
    at = app_at("dossier", query={"client": client})
    assert not at.exception
    conn = connect(demo_db)
    fit = model_fit(conn).bgnbd
    row = p_alive_table(conn).set_index("client_id").loc[client]
    parts = health_table(conn).set_index("client_id").loc[client]
    conn.close()
    # P(alive) of the BG/NBD paper (Fader, Hardie and Lee 2005, eq. 11) from the fitted
    # parameters and the client's own history, worked out here rather than read from the table.
    x, t_x, big_t = row["repeat_purchases"], row["recency_weeks"], row["age_weeks"]
    odds = fit.a / (fit.b + x - 1) * ((fit.alpha + big_t) / (fit.alpha + t_x)) ** (fit.r + x)
    alive = 1 / (1 + (odds if x > 0 else 0))
    w = DEFAULT_WEIGHTS
    scored = {p: parts[p] for p in PARTS if not pd.isna(parts[p])}
    health = sum(scored[p] * getattr(w, p) for p in scored) / sum(getattr(w, p) for p in scored)
    shown = metrics(at)
    assert shown["Probability alive"] == fmt_percent(alive)
    assert shown["Expected value, next 12 months"] == fmt_money(row["expected_value"], "₪", 0)
    # The table keeps parts to one decimal: the recomputed mean agrees within that rounding.
    assert parts["health"] == pytest.approx(health, abs=0.1)
    assert shown["Health score"] == f"{fmt_number(parts['health'])} / 100"
    assert f"rests on {len(scored)} parts of 7" in texts(at)


def _team_at(demo_db, email: str, query: dict[str, str]):
    conn = connect(demo_db)
    users.add_user(conn, "ceo@x.io", "executive")
    users.add_user(conn, "dana@x.io", "manager", "Dana Levi")
    frame = client_managers(conn).dropna().sort_values("client_id")
    conn.close()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.session_state[TEST_USER_KEY] = SignedIn(email)
    for key, value in query.items():
        at.query_params[key] = value
    at._page_hash = calc_hash(url_path("dossier"))
    return at.run(), frame


@pytest.mark.slow
def test_a_manager_picks_only_their_own_clients_and_edits_as_their_email(demo_db):
    at, owners = _team_at(demo_db, "dana@x.io", {})
    mine = set(owners.loc[owners["manager"] == "Dana Levi", "client_id"])
    assert not at.exception
    assert set(at.selectbox[0].options) <= {f"{n} ({c})" for n, c in _names(demo_db, mine)}
    client = sorted(mine)[0]
    at, _ = _team_at(demo_db, "dana@x.io", {"client": client, "tab": "Profile"})
    next(t for t in at.text_input if t.label == "Industry").set_value("Water")
    at = submit(at, "Save")
    assert "Saved." in texts(at)
    conn = connect(demo_db)
    assert read_profile(conn, client)["updated_by"] == "dana@x.io"
    conn.close()


def _names(path, ids: set[str]) -> list[tuple[str, str]]:
    conn = connect(path)
    frame = client_list(conn)
    conn.close()
    frame = frame[frame["client_id"].isin(ids)]
    return [(n, c) for c, n in zip(frame["client_id"], frame["client_name"], strict=True)]


@pytest.mark.slow
def test_an_executive_reads_a_dossier_but_its_forms_are_closed(demo_db, largest):
    client, _ = largest
    at, _ = _team_at(demo_db, "ceo@x.io", {"client": client, "tab": "Decision map"})
    assert not at.exception
    assert "executives read every dossier but change none" in texts(at)
    assert "Add" not in [b.label for b in at.button]
    at, _ = _team_at(demo_db, "ceo@x.io", {"client": client, "tab": "Profile"})
    assert next(b for b in at.button if b.label == "Save").disabled
    assert all(t.disabled for t in at.text_input if t.label == "Industry")
    assert not at.file_uploader  # no master-data import for an executive


def _data_words(demo_db, client: str) -> tuple[str, ...]:
    """What the dossier shows of the client's own data: names, ids, places, products."""
    conn = connect(demo_db)
    lines = demo_sales()
    mine = lines[lines["client_id"] == client]
    profile = read_profile(conn, client) or {}
    contacts = list_records(conn, "contact", client)
    conn.close()
    values = [client, *mine["client_name"], *mine["manager"], *mine["region"], *mine["segment"]]
    values += [profile.get(k) for k in ("client_name", "industry", "manager")]
    values += list(contacts["name"]) + list(contacts["title"].dropna())
    # The method's name and its cell codes (AX ... CZ) are the same in every language.
    values += ["ABC-XYZ"] + [a + x for a in "ABC" for x in "XYZ"]
    return tuple(sorted({str(v) for v in values if isinstance(v, str) and v}, key=len)[::-1])


@pytest.mark.parametrize("tab", ["היסטוריית הקשר", "פרופיל", "מפת קבלת החלטות", "תוכנית ABM"])
def test_the_dossier_in_hebrew_has_no_english_words_outside_data(demo_db, largest, tab):
    client, _ = largest
    at = app_at("dossier", query={"client": client, "lang": "he", "tab": tab})
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "הסתברות שהלקוח פעיל" in labels and "ציון בריאות" in labels
    assert "הכנסות בתקופה" in labels
    assert [t.label for t in at.tabs][:2] == ["היסטוריית הקשר", "פרופיל"]
    assert english_words(at, _data_words(demo_db, client)) == set()
