"""Showing user text safely: names from workbooks never become markdown or HTML."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def esc(value: object) -> str:
    """Escape markdown so user text shows as typed (no links, images, colours or maths)."""
    return _MARKDOWN.sub(r"\\\1", str(value))


def money(value: float | None, symbol: str = "") -> str:
    """Format an amount with thousands separators."""
    if value is None:
        return "-"
    return f"{symbol}{value:,.0f}" if abs(value) >= 100 else f"{symbol}{value:,.2f}"
