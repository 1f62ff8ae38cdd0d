"""The frame's language: ?lang=, the session, the Settings default, the browser; Hebrew turns
the page right to left and the switch changes the language and the URL."""

from __future__ import annotations

import ui.language
from kam_core.services.settings import save_language
from kam_core.store import connect
from tests.support.apptest import app_at, english_words

RTL_MARK = "direction: rtl"


def _styles(at) -> str:
    """Every HTML block of the run (the direction style sheet is one)."""
    return "\n".join(str(getattr(el, "proto", el)) for el in at.get("html"))


def test_hebrew_link_shows_the_title_in_hebrew_and_turns_the_page_around():
    at = app_at("overview", query={"lang": "he"})
    assert not at.exception
    assert at.title[0].value == "סקירה כללית"
    assert RTL_MARK in _styles(at)
    assert at.query_params["lang"] == "he"


def test_english_is_the_default_with_no_direction_style():
    at = app_at("overview")
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert RTL_MARK not in _styles(at)
    assert at.session_state["lang"] == "en"


def test_the_switch_changes_the_language_and_the_url():
    at = app_at("settings")
    assert at.title[0].value == "Settings"
    switch = at.button_group(key=ui.language.SWITCH_KEY)
    switch.set_value("he").run()
    assert not at.exception
    assert at.title[0].value == "הגדרות"
    assert at.query_params["lang"] == "he"
    # The choice stays for the session when the URL no longer says it.
    del at.query_params["lang"]
    at.run()
    assert at.title[0].value == "הגדרות"


def test_a_first_visit_opens_in_the_settings_default(fresh_db):
    conn = connect(fresh_db)
    save_language(conn, "he")
    conn.close()
    at = app_at("settings")
    assert at.title[0].value == "הגדרות"
    # A link's ?lang= still wins over the default.
    at = app_at("settings", query={"lang": "en"})
    assert at.title[0].value == "Settings"


def test_a_hebrew_browser_opens_in_hebrew(monkeypatch):
    monkeypatch.setattr(ui.language, "browser_locale", lambda: "he-IL")
    at = app_at("settings")
    assert at.title[0].value == "הגדרות"


def test_the_settings_page_in_hebrew_has_no_english_words(fresh_db):
    at = app_at("settings", query={"lang": "he"})
    assert not at.exception
    assert [t.label for t in at.tabs] == ["ספים", "תצוגה", "נתונים"]
    labels = {w.key: w.label for w in at.number_input}
    assert labels["th_abc_a"] == "סיווג A: לקוחות עד הנתח המצטבר הזה מהערך, % (ברירת מחדל 80%)"
    assert labels["th_churn_lost_days"] == "אבוד: וגם לפחות ימים ללא רכישה (ברירת מחדל 180 ימים)"
    assert english_words(at) == set()


def test_the_empty_database_prompt_in_hebrew(fresh_db):
    at = app_at("overview", query={"lang": "he"})
    assert not at.exception
    assert "אין עדיין נתוני מכירות" in at.info[0].value
    assert [b.label for b in at.button] == ["טעינת נתוני הדגמה"]
    assert english_words(at) == set()


def test_the_sidebar_parameters_in_hebrew(demo_db):
    at = app_at("abc_xyz", query={"lang": "he"})
    side = at.sidebar
    assert side.subheader[0].value == "ניתוח"
    assert side.selectbox(key="p_months").label == "תקופת הניתוח (חודשים)"
    assert side.selectbox(key="p_manager").label == "מנהל לקוח"
    assert side.selectbox(key="p_manager").value == "All"  # the stored value; shown as הכול
    assert side.date_input(key="p_as_of").label == "נכון לתאריך"
