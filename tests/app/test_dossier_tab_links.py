"""?tab= links of the dossier hold a code of the same spelling in every language."""

from __future__ import annotations

import pytest

from kam_core.demo import demo_sales
from tests.support.apptest import app_at
from views.dossier.tab_links import TABS, tab_code


@pytest.fixture(scope="module")
def client() -> str:
    sales = demo_sales()
    return str(sales.groupby("client_id")["revenue"].sum().idxmax())


def open_tab(at) -> str:
    """The label of the one tab whose content ran."""
    shown = [t.label for t in at.tabs if len(t.children)]
    assert len(shown) == 1
    return shown[0]


def test_every_code_and_every_label_in_both_languages_names_its_tab():
    assert tab_code("tenders") == "tenders"
    assert tab_code("Tenders") == "tenders"
    assert tab_code("מכרזים") == "tenders"
    assert tab_code("תוכנית ABM") == "abm-plan"
    assert tab_code("ABM plan") == "abm-plan"
    assert tab_code("nonsense") is None
    assert tab_code(None) is None
    assert len(set(TABS)) == 9


@pytest.mark.parametrize("lang,label", [("he", "מכרזים"), ("en", "Tenders")])
def test_a_tab_code_opens_the_same_tab_in_either_language(demo_db, client, lang, label):
    at = app_at("dossier", query={"client": client, "tab": "tenders", "lang": lang})
    assert not at.exception
    assert open_tab(at) == label
    assert at.query_params["tab"] == "tenders"


def test_a_link_made_in_hebrew_with_the_old_label_opens_the_tab_in_english_as_a_code(
    demo_db, client
):
    at = app_at("dossier", query={"client": client, "tab": "מכרזים", "lang": "en"})
    assert not at.exception
    assert open_tab(at) == "Tenders"
    assert at.query_params["tab"] == "tenders"


def test_switching_the_language_keeps_the_open_tab(demo_db, client):
    at = app_at("dossier", query={"client": client, "tab": "timeline", "lang": "he"})
    assert open_tab(at) == "ציר זמן"
    at.query_params["lang"] = "en"
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert open_tab(at) == "Timeline"
    assert at.query_params["tab"] == "timeline"


def test_an_unknown_tab_opens_the_first_and_leaves_the_address(demo_db, client):
    at = app_at("dossier", query={"client": client, "tab": "nonsense"})
    assert not at.exception
    assert open_tab(at) == "Relationship history"
    assert "tab" not in at.query_params
