"""Amounts on the dossier and in its brief: the settings' currency, never a signed zero."""

from __future__ import annotations

import decimal
from typing import Any

from kam_core.i18n import fmt_money, fmt_number
from kam_core.i18n.formats import is_missing

MISSING = "—"


def unsigned_zero(value: float, decimals: int = 0) -> float:
    """The value, or 0.0 when it rounds (half up, as shown) to zero: -0.3 would read '-₪0'."""
    step = decimal.Decimal(1).scaleb(-decimals)
    shown = decimal.Decimal(str(float(value))).quantize(step, rounding=decimal.ROUND_HALF_UP)
    return 0.0 if shown == 0 else float(value)


def amount_text(value: Any, symbol: str = "₪", decimals: int = 0) -> str:
    """An amount with its currency (a plain number without one); '—' when missing."""
    if is_missing(value):
        return MISSING
    number = unsigned_zero(float(value), decimals)
    return fmt_money(number, symbol, decimals) if symbol else fmt_number(number, decimals)
