"""Showing user text safely: names from workbooks never become markdown or HTML."""

from __future__ import annotations

import re

import streamlit as st

# Where ui.frame.page() leaves the currency symbol for this run (read from the settings).
CURRENCY_STATE = "currency_symbol"

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


def money(value: float | None, symbol: str | None = None) -> str:
    """Format an amount with thousands separators and the currency symbol chosen in Settings."""
    if value is None or value != value:
        return "-"
    if symbol is None:
        symbol = st.session_state.get(CURRENCY_STATE, "")
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,.0f}" if abs(value) >= 100 else f"{abs(value):,.2f}"
    return f"{sign}{symbol}{digits}"
