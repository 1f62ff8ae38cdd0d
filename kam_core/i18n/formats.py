"""Numbers, amounts, percentages and dates written the way the current language writes them."""

from __future__ import annotations

import decimal
import math
import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import numpy as np
from babel import Locale, dates, numbers

from kam_core.i18n.catalogs import get_language, pgettext

# Hebrew is written as in Israel. English as in Britain rather than the US: the users are in
# Israel and read dates day first (30/11/2026, as the Hebrew 30.11.2026), never 11/30/26.
LOCALES: dict[str, str] = {"en": "en_GB", "he": "he_IL"}
MISSING = "—"
# ISO codes the Settings page offers; shown as the code (with a space) rather than a sign.
_CODE = re.compile(r"^[A-Z]{3}$")


def locale(lang: str | None = None) -> Locale:
    """The Babel locale of a language (the current one by default)."""
    return _locale(lang or get_language())


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES.get(lang, "en_GB"))


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if value is None:
        return True
    if isinstance(value, float):  # numpy's float64 too
        return math.isnan(value)
    if isinstance(value, str | int):
        return False
    # Imported here: the file reader's fork server imports this module and needs no pandas
    # (half of its start-up time).
    import pandas as pd

    missing = pd.isna(value)
    # pd.isna answers an array for a list; a list is a value, not a missing one.
    return bool(missing) if isinstance(missing, (bool, np.bool_)) else False


def fmt_missing(value: Any, blank: bool = False) -> str | None:
    """The text for a missing value ('—', or '' where a blank reads better), or None if present."""
    if is_missing(value):
        return "" if blank else MISSING
    return None


def _decimal(value: float) -> decimal.Decimal:
    # Through str(): the value as printed (2.675 stays 2.675), so half-up rounds as Excel does.
    return decimal.Decimal(str(float(value)))


def _half_up() -> decimal.Context:
    return decimal.Context(rounding=decimal.ROUND_HALF_UP, prec=28)


def _with_decimals(pattern: str, decimals: int) -> str:
    """A CLDR pattern with exactly `decimals` fraction digits."""
    fraction = "." + "0" * decimals if decimals > 0 else ""
    return re.sub(r"0(?:\.[0#]+)?(?=[^0#.,]|$)", "0" + fraction, pattern)


# Patterns are parsed once per (language, kind, sign, decimals): a table formats many cells.
@lru_cache(maxsize=256)
def _pattern(lang: str, kind: str, sign: str, decimals: int) -> numbers.NumberPattern:
    loc = _locale(lang)
    if kind == "number":
        return numbers.parse_pattern(_with_decimals("#,##0", decimals))
    if kind == "percent":
        return numbers.parse_pattern(_with_decimals(loc.percent_formats[None].pattern, decimals))
    pattern = _with_decimals(loc.currency_formats["standard"].pattern, decimals)
    if _CODE.match(sign):
        # A code reads as a word: keep a space between it and the digits.
        pattern = re.sub(r"¤(?=[#0])", "¤\u00a0", pattern)
        pattern = re.sub(r"(?<=[#0])¤", "\u00a0¤", pattern)
    return numbers.parse_pattern(pattern.replace("¤", "'" + sign.replace("'", "''") + "'"))


def _apply(x: Any, kind: str, sign: str, decimals: int) -> str:
    missing = fmt_missing(x)
    if missing is not None:
        return missing
    lang = get_language()
    value = _decimal(x)
    # A negative amount that rounds to zero is zero: '-₪0' or '-0.0%' would claim a loss.
    shown = decimals + (2 if kind == "percent" else 0)
    if (
        value.is_signed()
        and value.is_finite()
        and abs(value).scaleb(shown) < decimal.Decimal("0.5")
    ):
        value = decimal.Decimal(0)
    with decimal.localcontext(_half_up()):
        return _pattern(lang, kind, sign, decimals).apply(value, _locale(lang))


def fmt_number(x: Any, decimals: int = 0) -> str:
    """A number with the locale's grouping and `decimals` fraction digits; '—' when missing."""
    return _apply(x, "number", "", decimals)


def fmt_money(x: Any, symbol_or_code: str = "₪", decimals: int = 0) -> str:
    """An amount with its currency placed as the locale places it: '₪1,235' / '1,235 ₪'."""
    return _apply(x, "money", symbol_or_code.strip() or "¤", decimals)


def fmt_percent(share: Any, decimals: int = 1) -> str:
    """A share as a percentage: 0.123 -> '12.3%'; '—' when missing."""
    return _apply(share, "percent", "", decimals)


def fmt_signed_percent(share: Any, decimals: int = 1) -> str:
    """A change as a signed percentage: 0.05 -> '+5.0%', -0.2 -> '-20.0%'."""
    text = fmt_percent(share, decimals)
    if text == MISSING or is_missing(share):
        return text
    # Zero after rounding gets no sign: '+0.0%' would claim a growth that is not there.
    if float(share) > 0 and any(ch in "123456789" for ch in text):
        return numbers.get_plus_sign_symbol(locale()) + text
    return text


def fmt_growth(old: Any, new: Any, decimals: int = 1) -> str:
    """Growth from old to new: 'new' when there was nothing before, else a signed percentage."""
    if is_missing(new):
        return MISSING
    if is_missing(old) or float(old) == 0:
        return pgettext("growth", "new") if float(new) != 0 else MISSING
    return fmt_signed_percent((float(new) - float(old)) / abs(float(old)), decimals)


def _as_date(d: Any) -> date | datetime | None:
    if is_missing(d):
        return None
    if isinstance(d, (date, datetime)):  # pandas' Timestamp is a datetime
        return d
    if isinstance(d, str):
        return date.fromisoformat(d[:10])
    if hasattr(d, "to_pydatetime"):
        return d.to_pydatetime()
    raise TypeError(f"not a date: {d!r}")


@lru_cache(maxsize=8)
def _short_date(lang: str) -> str:
    """The locale's short date pattern with a two-digit day and month and a four-digit year."""
    # Babel's he_IL short date is d.M.y (3.2.2026): padded, text and table columns show one
    # width and one form per language, 03.02.2026 (he) and 03/02/2026 (en_GB).
    pattern = _locale(lang).date_formats["short"].pattern
    pattern = re.sub(r"d+", "dd", pattern)
    pattern = re.sub(r"M+", "MM", pattern)
    return re.sub(r"y+", "y", pattern)


def date_pattern(lang: str | None = None) -> str:
    """The CLDR pattern every short date of a language is written with: 'dd/MM/y'."""
    return _short_date(lang or get_language())


def date_column_format(lang: str | None = None, with_time: bool = False) -> str:
    """The same date form for st.column_config / st.date_input (moment tokens): 'DD/MM/YYYY'."""
    moment = date_pattern(lang).replace("dd", "DD").replace("y", "YYYY")
    return f"{moment} HH:mm" if with_time else moment


def fmt_date(d: Any, style: str = "short") -> str:
    """A date: 'short' 30.11.2026 (he) / 30/11/2026 (en), or 'medium'; '—' if none."""
    value = _as_date(d)
    if value is None:
        return MISSING
    day = value.date() if isinstance(value, datetime) else value
    form = date_pattern() if style == "short" else style
    return dates.format_date(day, format=form, locale=locale())


def fmt_datetime(d: Any) -> str:
    """A date with hours and minutes (when a record was saved); '—' if none."""
    value = _as_date(d)
    if value is None:
        return MISSING
    if not isinstance(value, datetime):
        return fmt_date(value)
    return f"{fmt_date(value)} {value:%H:%M}"


def fmt_month(d: Any) -> str:
    """A month and year ('נוב׳ 2026' / 'Nov 2026') for period axes; '—' if none."""
    value = _as_date(d)
    if value is None:
        return MISSING
    return dates.format_skeleton("yMMM", value, locale=locale())


def finite(x: Any) -> bool:
    """True for a number that is neither missing nor infinite."""
    return not is_missing(x) and math.isfinite(float(x))


FSI, PDI = "\u2068", "\u2069"  # first strong isolate: the text takes its own direction inside
_HEBREW = re.compile(r"[\u0590-\u05ff\ufb1d-\ufb4f]")


def isolate(text: object) -> str:
    """Text wrapped in bidi isolates, so a mixed Hebrew/English name keeps its order in a line."""
    value = str(text)
    if value.startswith(FSI) and value.endswith(PDI):
        return value
    return f"{FSI}{value}{PDI}"


def strip_isolates(text: str) -> str:
    """The text without the isolate marks isolate() added (for values read back from a chart)."""
    return text.replace(FSI, "").replace(PDI, "")


def has_hebrew(text: object) -> bool:
    """True when the text holds a Hebrew letter."""
    return bool(_HEBREW.search(str(text)))
