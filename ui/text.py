"""Showing user text safely: names from workbooks never become markdown or HTML."""

from __future__ import annotations

import re

import streamlit as st

from kam_core.i18n import fmt_money
from kam_core.services.settings import DEFAULT_CURRENCY, DEFAULT_DECIMALS

# Where ui.frame.page() leaves the currency symbol and the decimals of amounts for this run.
CURRENCY_STATE = "currency_symbol"
DECIMALS_STATE = "money_decimals"

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")
# The renderer links bare addresses (http://, www., name@host) even when escaped: an invisible
# word joiner inside them keeps them text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)")
WORD_JOINER = "\u2060"


def esc(value: object) -> str:
    """Escape markdown so user text shows as typed (no links, images, colours or maths)."""
    # One line: a line break followed by === or --- would make a heading.
    text = _MARKDOWN.sub(r"\\\1", " ".join(str(value).splitlines()))
    return _AUTOLINK.sub(r"\1" + WORD_JOINER, text).replace("@", WORD_JOINER + "@")


def money(value: float | None, symbol: str | None = None, decimals: int | None = None) -> str:
    """An amount in the current language with the currency and the decimals chosen in Settings
    (ui.frame.page() leaves both in the session); a dash when missing."""
    if symbol is None:
        symbol = st.session_state.get(CURRENCY_STATE) or DEFAULT_CURRENCY
    if decimals is None:
        decimals = st.session_state.get(DECIMALS_STATE, DEFAULT_DECIMALS)
    return fmt_money(value, symbol, int(decimals))
