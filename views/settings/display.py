"""Settings: how amounts are shown (currency, decimals), the default language, and who may
upload in team mode."""

from __future__ import annotations

import duckdb
import streamlit as st

from kam_core.i18n import _, fmt_money
from kam_core.services.scope import Scope
from kam_core.services.settings import (
    CURRENCIES,
    DEFAULT_CURRENCY,
    LANGUAGES,
    currency_symbol,
    default_language,
    managers_may_import,
    money_decimals,
    save_display,
    save_language,
    save_managers_may_import,
)
from ui.language import NAMES, formatter

BROWSER = "browser"  # the language choice that leaves it to each visitor's browser


def _language_option(code: str) -> str:
    return _("The visitor's browser decides") if code == BROWSER else NAMES[code]


def display_form(conn: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> None:
    """Choose the currency symbol, the decimals of amounts and the installation's language."""
    current = currency_symbol(conn)
    options = list(CURRENCIES) if current in CURRENCIES else [current, *CURRENCIES]
    chosen = st.selectbox(
        _("Currency symbol (default {symbol})").format(symbol=DEFAULT_CURRENCY),
        options,
        index=options.index(current),
        key="currency_choice",
    )
    if chosen != current:
        save_display(conn, currency=chosen, by=scope)
        st.session_state["flash"] = _("Amounts are now shown in {symbol}.").format(symbol=chosen)
        st.rerun()
    decimals = money_decimals(conn)
    picked = st.radio(
        _("Decimals of amounts"),
        [0, 2],
        index=[0, 2].index(decimals),
        key="decimals_choice",
        horizontal=True,
        format_func=formatter(lambda n: fmt_money(1234.5, chosen, n)),
        help=_("Every amount on every page: whole amounts, or with agorot / cents."),
    )
    if picked != decimals:
        save_display(conn, decimals=int(picked), by=scope)
        st.session_state["flash"] = _("Amounts now show {n} decimals.").format(n=picked)
        st.rerun()
    stored = default_language(conn) or BROWSER
    language = st.selectbox(
        _("Language of a first visit"),
        [BROWSER, *LANGUAGES],
        index=[BROWSER, *LANGUAGES].index(stored),
        key="language_choice",
        format_func=formatter(_language_option),
        help=_(
            "The language a visitor sees before choosing one in the sidebar. A link with "
            "?lang= and a visitor's own choice always win."
        ),
    )
    if language != stored:
        save_language(conn, None if language == BROWSER else language, by=scope)
        st.session_state["flash"] = _("The default language is saved.")
        st.rerun()


def access_form(conn: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """Team mode, admins: whether managers may upload sales files."""
    allowed = managers_may_import(conn)
    wanted = st.toggle(
        _("Managers may upload sales files"),
        value=allowed,
        key="managers_may_import",
        help=_(
            "Off: only admins upload. On: managers upload too; undoing an import stays with "
            "admins. Every upload is recorded in the audit log."
        ),
    )
    if wanted != allowed:
        save_managers_may_import(conn, wanted, by=scope)
        st.session_state["flash"] = _("Saved: who may upload.")
        st.rerun()
