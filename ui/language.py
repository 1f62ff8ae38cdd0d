"""The interface language of each run: from the URL, the session, the Settings default or the
browser; kept in the session and in the URL so a shared link opens in the sender's language."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import duckdb
import streamlit as st

from kam_core.i18n import _, get_language, negotiate, normalise, set_language, use_language
from kam_core.services.settings import default_language
from ui.rtl import apply_direction

URL_KEY = "lang"
SESSION_KEY = "lang"
SWITCH_KEY = "_lang_switch"
# Each language's name in itself: the switch is readable whatever the page's language is.
NAMES: dict[str, str] = {"en": "English", "he": "עברית"}


def browser_locale() -> str | None:
    """The browser's locale as Streamlit reports it ('he-IL'), or None."""
    try:
        return st.context.locale
    except Exception:  # no browser behind this run (a bare script run)
        return None


def _browser() -> str:
    """The language the browser asks for (English when it says nothing readable)."""
    return negotiate(browser_locale())


def choose(conn: duckdb.DuckDBPyConnection | None) -> str:
    """The language of this run: ?lang=, else the session's, else the Settings default, else
    the browser's."""
    from_url = normalise(st.query_params.get(URL_KEY))
    if from_url:
        return from_url
    from_session = normalise(st.session_state.get(SESSION_KEY))
    if from_session:
        return from_session
    stored = default_language(conn) if conn is not None else None
    return stored or _browser()


def _switched() -> None:
    """The sidebar switch: the new language for the session and the URL (runs before the body)."""
    # A click on the language already chosen clears the control: keep that language then.
    lang = normalise(st.session_state.get(SWITCH_KEY)) or st.session_state.get(SESSION_KEY, "en")
    st.session_state[SESSION_KEY] = lang
    st.query_params[URL_KEY] = lang


def apply(conn: duckdb.DuckDBPyConnection | None) -> str:
    """Set this run's language before any text, remember it, write it to the URL, turn the page
    around for Hebrew; return it."""
    lang = set_language(choose(conn))
    st.session_state[SESSION_KEY] = lang
    if st.query_params.get(URL_KEY) != lang:
        st.query_params[URL_KEY] = lang
    apply_direction(lang)
    return lang


def language_switch() -> None:
    """The English / Hebrew switch in the sidebar."""
    lang = st.session_state.get(SESSION_KEY, "en")
    st.session_state[SWITCH_KEY] = lang
    st.sidebar.segmented_control(
        _("Language"),
        list(NAMES),
        key=SWITCH_KEY,
        format_func=NAMES.get,
        on_change=_switched,
        label_visibility="collapsed",
    )


def formatter(fn: Callable[[Any], str]) -> Callable[[Any], str]:
    """A widget's format_func bound to this run's language: Streamlit (and AppTest) may call it
    outside the run, where the language is the default one."""
    lang = get_language()

    def formatted(value: Any) -> str:
        with use_language(lang):
            return fn(value)

    return formatted


def in_session_language() -> AbstractContextManager[str]:
    """For callbacks, which run before the script body sets the language: use the session's."""
    return use_language(st.session_state.get(SESSION_KEY, "en"))
