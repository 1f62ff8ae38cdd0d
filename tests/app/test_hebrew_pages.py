"""Every page in Hebrew, on the demo loaded in Hebrew: no English word outside data, ids and the
method's names, in titles, texts, messages, metrics, widget labels, options and help, table
headers and chart texts (titles, axes, legends, hover texts)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kam_core.demo import demo_sales
from kam_core.demo.texts import COMPETITORS, FIRST, LAST
from tests.support.apptest import ALLOWED_LATIN, FILE_FORMATS, app_at, visible_texts
from tests.support.demo_cache import demo_database
from ui.screens import SCREENS

LARGEST = "C0276"  # the demo's largest client: its dossier is the fullest
# Names of the method and its models, codes and formats that read the same in Hebrew.
TERMS = (
    "ABC-XYZ",
    *(a + x for a in "ABC" for x in "XYZ"),
    "BG/NBD",
    "Gamma-Gamma",
    "EUR",
    "USD",
    "ILS",
    "PDF",
    *FILE_FORMATS,
    "English",  # the switch names each language in itself
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_CODE = re.compile(r"`[^`]*`|\?lang=")
_HELPED = (
    "selectbox",
    "multiselect",
    "radio",
    "number_input",
    "text_input",
    "text_area",
    "date_input",
    "checkbox",
    "toggle",
    "button",
    "download_button",
    "metric",
)
_CHART_TEXT = ("text", "title", "name", "hovertemplate", "ticktext", "texttemplate", "hovertext")


@pytest.fixture(scope="module")
def hebrew_demo() -> Path:
    """The demo loaded in Hebrew, once per version of the code."""
    return demo_database("he")


@pytest.fixture
def hebrew_db(fresh_db, hebrew_demo) -> Path:
    shutil.copy(hebrew_demo, fresh_db)
    return fresh_db


@pytest.fixture(scope="module")
def data_words() -> tuple[str, ...]:
    """What the pages show of the data: names of clients, people, places, products, ids."""
    sales = demo_sales()
    values: set[str] = set(TERMS) | set(COMPETITORS) | set(FIRST) | set(LAST)
    for column in ("client_id", "client_name", "manager", "region", "segment", "category"):
        values |= set(sales[column].astype(str))
    values |= set(sales["product"].astype(str)) | {"kam-demo-sales.xlsx", "Orders"}
    return tuple(sorted(values, key=len, reverse=True))


def _headers(at: AppTest) -> list[str]:
    """The column headers a reader sees: each column's label, else its name (hidden left out)."""
    out = []
    for table in at.dataframe:
        config = json.loads(table.proto.columns or "{}")
        shown = list(table.proto.column_order) or [str(c) for c in table.value.columns]
        for column in shown:
            entry = config.get(column, {})
            entry = entry if isinstance(entry, dict) else {"label": entry}
            if not entry.get("hidden") and column != "_index":
                out.append(str(entry.get("label", column)))
    return out


def _options_and_help(at: AppTest) -> list[str]:
    out = []
    for kind in _HELPED:
        for element in getattr(at, kind, ()):
            out.append(_CODE.sub(" ", str(getattr(element.proto, "help", "") or "")))
            if kind in ("selectbox", "multiselect", "radio"):
                out += [str(o) for o in element.options]
    return out


def _chart_texts(at: AppTest) -> list[str]:
    out: list[str] = []

    def walk(node, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("customdata", "x", "y", "z", "ids", "labels", "parents", "template"):
                    continue
                # A trace kept out of the legend whose hover drops its name shows no name.
                hidden_name = node.get("showlegend") is False and "<extra></extra>" in str(
                    node.get("hovertemplate", "<extra></extra>")
                )
                if not (k == "name" and hidden_name):
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in _CHART_TEXT:
            # Plotly's own placeholders (%{x}, <br>, <extra>) are not words on the screen.
            out.append(html.unescape(re.sub(r"%\{[^}]*\}|<[^>]+>", " ", node)))

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return out


def english_left(at: AppTest, data: tuple[str, ...]) -> dict[str, str]:
    """Each English word on the page outside data and allowed terms, with where it was."""
    texts = visible_texts(at) + _headers(at) + _options_and_help(at) + _chart_texts(at)
    found: dict[str, str] = {}
    for text in texts:
        cleaned = text
        for value in data:
            cleaned = cleaned.replace(value, " ")
        for word in _LATIN_WORD.findall(cleaned):
            if word not in ALLOWED_LATIN:
                found.setdefault(word, text[:100])
    return found


@pytest.mark.parametrize("screen", [name for name, *_rest in SCREENS])
def test_every_page_in_hebrew_has_no_english_words(hebrew_db, data_words, screen):
    query = {"lang": "he"}
    if screen == "dossier":
        query["client"] = LARGEST
    at = app_at(screen, query=query)
    assert not at.exception, at.exception
    assert at.title, screen
    assert english_left(at, data_words) == {}


def _admin(screen: str) -> None:
    from kam_core.config import db_path
    from kam_core.i18n import set_language
    from kam_core.services.scope import Scope
    from kam_core.store import connect
    from ui.admin import audit_page, users_page

    set_language("he")
    page = {"users": users_page, "audit": audit_page}[screen]
    page(connect(db_path()), Scope("admin", "admin@x.io"))


@pytest.mark.parametrize("screen", ["users", "audit"])
def test_the_admin_pages_in_hebrew_have_no_english_words(hebrew_db, data_words, screen):
    st.cache_resource.clear()
    at = AppTest.from_function(_admin, args=(screen,), default_timeout=60).run()
    assert not at.exception, at.exception
    assert english_left(at, (*data_words, "admin@x.io")) == {}


def test_the_check_finds_english_in_a_chart_and_a_table_header(hebrew_db, data_words):
    # The check itself: English put where a reader sees it is found.
    at = app_at("overview", query={"lang": "he"})
    at.get("plotly_chart")[0].proto.spec = json.dumps({"layout": {"title": {"text": "Revenue"}}})
    found = english_left(at, data_words)
    assert found.get("Revenue") == "Revenue"


def test_the_dossier_picker_says_in_hebrew_how_many_clients_it_leaves_out(
    hebrew_db, data_words, monkeypatch
):
    # The demo's 300 clients are listed whole; lowered limits make the picker search, as it
    # does over 500 clients.
    monkeypatch.setattr("views.dossier.header.PICKER_ALL", 10)
    monkeypatch.setattr("views.dossier.header.PICKER_MATCHES", 5)
    at = app_at("dossier", query={"lang": "he", "client": LARGEST})
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert "5 הגדולים מתוך 300 לקוחות. הקלידו שם או מזהה כדי למצוא כל לקוח אחר." in captions
    assert english_left(at, data_words) == {}
    # C0100 to C0199 hold "C01" in their ids, and no name does.
    at.text_input(key="dossier_client_search").set_value("C01").run()
    captions = [c.value for c in at.caption]
    assert "5 הראשונים מתוך 100 לקוחות שמתאימים לחיפוש, מהגדול לקטן." in captions
    assert english_left(at, data_words) == {}
