"""Running the app under Streamlit's AppTest against a fresh database."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kam_core.ingest.guard import SALES_SUFFIXES
from ui.screens import url_path

ROOT = Path(__file__).resolve().parents[2]


def app_at(screen: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """An AppTest of app.py opened on views/<screen>/ (as a deep link would), run once."""
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if screen:
        # Before its first run AppTest.switch_page finds pages by file name, and every screen
        # is a page.py; st.navigation identifies a page by the hash of its URL path, so ask
        # for that page directly.
        at._page_hash = calc_hash(url_path(screen))
    return at.run()


def texts(at: AppTest) -> str:
    """Return every piece of text the run showed, joined, for 'is it on the page' checks."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "success",
        "warning",
        "error",
    ):
        parts += [str(el.value) for el in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


# Latin words a Hebrew page may show: the method's class names and file formats.
ALLOWED_LATIN = frozenset({"ABC", "XYZ", "ABM", "CSV", "Excel", "UTC"})
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_WIDGETS = (
    "button",
    "download_button",
    "selectbox",
    "multiselect",
    "number_input",
    "text_input",
    "text_area",
    "date_input",
    "checkbox",
    "toggle",
    "radio",
    "tabs",
    "expander",
)


def visible_texts(at: AppTest) -> list[str]:
    """What a reader sees besides data: titles, headers, captions, messages, metric and widget
    labels, tab names (st.text is left out: the pages show data and ids with it)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption"):
        parts += [str(el.value) for el in getattr(at, kind)]
    for kind in ("info", "success", "warning", "error"):
        parts += [str(el.value) for el in getattr(at, kind)]
    parts += [str(m.label) for m in at.metric]
    for kind in _WIDGETS:
        found = getattr(at, kind, ())
        parts += [str(getattr(el, "label", "")) for el in found]
    return [p for p in parts if p]


def english_words(at: AppTest, data: tuple[str, ...] = ()) -> set[str]:
    """Latin words on the page that are neither allowed terms nor part of the given data."""
    words = set()
    for text in visible_texts(at):
        for value in data:
            text = text.replace(value, " ")
        words |= {w for w in _LATIN_WORD.findall(text) if w not in ALLOWED_LATIN}
    return words


def import_into(db, data: bytes, name: str) -> None:
    """Import a file's bytes into the database at db, as another user's upload would."""
    from kam_core.importing import import_file
    from kam_core.store import connect

    conn = connect(db)
    try:
        import_file(conn, data, name)
    finally:
        conn.close()


# File formats the pages name as they are spelled on the user's disk (not words to translate),
# longest first: a word is taken out of a text before any shorter one inside it.
FILE_FORMATS = (
    "OpenDocument",
    "JSON",
    "XML",
    *sorted(SALES_SUFFIXES, key=len, reverse=True),
)
