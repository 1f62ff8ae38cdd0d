"""Amounts on the dossier and in its brief: the settings' currency (the formats never sign a
zero: fmt_money(-0.3) is '₪0')."""

from __future__ import annotations

from typing import Any

from kam_core.i18n import fmt_money, fmt_number


def amount_text(value: Any, symbol: str = "₪", decimals: int = 0) -> str:
    """An amount with its currency (a plain number without one); '—' when missing."""
    return fmt_money(value, symbol, decimals) if symbol else fmt_number(value, decimals)
