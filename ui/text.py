"""Showing user text safely: names from workbooks never become markdown or HTML."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# The renderer links bare addresses (http://, www., name@host) even when escaped: an invisible
# word joiner inside them keeps them text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)")
WORD_JOINER = "\u2060"


def esc(value: object) -> str:
    """Escape markdown so user text shows as typed (no links, images, colours or maths)."""
    text = _MARKDOWN.sub(r"\\\1", str(value))
    return _AUTOLINK.sub(r"\1" + WORD_JOINER, text).replace("@", WORD_JOINER + "@")


def money(value: float | None, symbol: str = "") -> str:
    """Format an amount with thousands separators."""
    if value is None:
        return "-"
    return f"{symbol}{value:,.0f}" if abs(value) >= 100 else f"{symbol}{value:,.2f}"
