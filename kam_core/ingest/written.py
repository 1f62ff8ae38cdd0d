"""Numbers and dates written as text: separators, currency signs, day-first, serials.

The slow path of parsing: only the cells the fast Arrow path leaves come here (dates written
with month names are read in months.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kam_core.ingest.text import clean_text

# Signs and codes of currencies, and the local words of those whose exports write one ('zł',
# 'kr', 'Kč', 'Ft', 'лв', 'грн'); any code of three capitals ('CHF 1’234.50', '980,00 PLN'); the
# letters before a dollar sign naming whose dollar it is ('A$', 'NZ$', 'R$', the real).
CURRENCY_SIGNS = "₪$€£₽¥₹₴₺₩฿₫₱₦₸₼₾"  # dropped wherever they stand, as the codes are
_CURRENCY = (
    f"[{CURRENCY_SIGNS}]|"
    r"\b(?:ILS|NIS|USD|EUR|GBP|RUB|RUR|INR)\b|(?-i:\b[A-Z]{3}\b)"
    r"|ש\"ח|ש״ח|שח\b|руб\.?|р\.$|zł|\bzl\b|kč|\bkr\b\.?|\bft\b|\blei\b|\bs?fr\.|лв\.?"
    r"|грн\.?|\b(?:A|AU|C|CA|NZ|HK|S|SG|US|R|NT|MX)(?=\$)"
)
_SPACES = r"[\s\u00a0\u202f\u2009\u2007'’]"
# Digits of other scripts and full width, and the Arabic decimal and thousands marks, as ASCII
# ('١٢٣٫٥' is 123.5, '１２３' is 123); a dash before the figure is a minus ('–100.00').
_OTHER_FIGURES = r"[\u0660-\u066c\u06f0-\u06f9\uff10-\uff19\uff0c\uff0e]"
_ASCII_FIGURES = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９٫٬．，", "0123456789" * 3 + ".,.,"
)
# Digits spaced but not in groups of three: a first group of four or more, or a later group of
# other than three digits.
_BADLY_SPACED = rf"(?:^|\D)\d{{4,}}{_SPACES}+\d|\d{_SPACES}+(?:\d{{1,2}}|\d{{4,}})(?!\d)"
# A time may carry its offset (Z, +02:00, -0500, ' -0500', ' UTC', ' +0200 IST'): the date is
# the one written, as the exporter saw it.
_ZONE = r"(?: ?(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?(?: [A-Z]{2,5})?"
_DATE_ISO = (
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    rf"(?:(?:[T ]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?)?{_ZONE})?$"
)
_DATE_DMY = (
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})"
    rf"(?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?: ?[AaPp][Mm])?{_ZONE})?$"
)
# Three two-digit parts: d/m/y, m/d/y or, in some exports, yy-mm-dd (see year_first).
DATE_YY = r"^(\d{2})[-/.](\d{1,2})[-/.](\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$"
_DATE_YMD8 = r"^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:\.0+)?$"
DATE_SERIAL = r"^\d{1,5}(?:\.\d+)?$"
# A two-digit year up to this one is of the 2000s, a later one of the 1900s (as Excel reads it).
CENTURY_PIVOT = 68
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# A workbook saved with the 1904 date system (an option of Excel for Mac) counts from here.
EPOCH_1904 = pd.Timestamp("1904-01-01")
MIN_DATE = pd.Timestamp("1950-01-01")
MAX_DATE = pd.Timestamp("2100-12-31")
# Indian digit grouping: thousands, then lakhs and crores by two (12,34,567.89).
_INDIAN = r"[1-9]\d?(?:,\d{2})*,\d{2},\d{3}"
_WELL_GROUPED = (
    r"^(?:\d+(?:[.,]\d*)?|[.,]\d+|\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d{1,3}(?:\.\d{3})+(?:,\d*)?"
    rf"|{_INDIAN}(?:\.\d*)?)$"
)


def parse_written_numbers(values: pd.Series, decimal_comma: bool) -> pd.Series:
    """Read numbers written as text with separators, currency signs and odd minus signs."""
    text = clean_text(values)
    if text.str.contains(_OTHER_FIGURES, regex=True).fillna(False).any():
        text = text.str.translate(_ASCII_FIGURES)
    text = text.str.replace(_CURRENCY, "", regex=True, case=False)
    # Spaces and apostrophes group thousands only by three ('1 234 567', "1'234.50"); digits
    # spaced otherwise are no amount ('15 01 2024' is a date, '03 555 1234' a phone number).
    spaced_wrong = text.str.contains(_BADLY_SPACED, regex=True).fillna(False)
    text = text.str.replace(_SPACES, "", regex=True).where(~spaced_wrong)
    # '1.234,-' is German for 1.234,00 (no cents), not a trailing minus: the mark before the
    # dash is the decimal one, so the marks before it group thousands.
    no_cents = text.str.contains(r"\d[.,]-$", regex=True).fillna(False)
    if no_cents.any():
        whole = text[no_cents].str.slice(stop=-2).str.replace(r"[.,]", "", regex=True)
        text = text.where(~no_cents, whole)
    negative = (
        # a minus anywhere in the leading signs ("+-5" as "-5"), a trailing one, or brackets
        text.str.match(r"^\(.*\)$") | text.str.endswith("-") | text.str.match(r"^[(+]*[-−–]")
    ).fillna(False)
    # Two minus signs ('--5') are a typo or a double negation, not a sign: not read.
    twice = text.str.match(r"^[(+]*[-−–][(+]*[-−–]") | text.str.contains(r"[-−]\)?[-−]\)?$")
    twice = twice.fillna(False)
    text = text.str.replace(r"^[(\-−–+]+|[)\-]+$", "", regex=True).where(~twice)
    # Separators must group digits by three: '15.01.2024' in an amount column is a date typed
    # in the wrong place, not 15,012,024.
    text = text.where(text.str.match(_WELL_GROUPED).fillna(False))
    # A value with both marks is clear alone: the last one is the decimal mark.
    comma_last = text.str.match(r"^.*\..*,\d*$").fillna(False)
    dot_last = text.str.match(r"^.*,.*\.\d*$").fillna(False)
    several_commas = text.str.count(",").fillna(0) > 1
    several_dots = text.str.count(r"\.").fillna(0) > 1
    if decimal_comma:
        dots_group = (
            comma_last | several_dots | text.str.match(r"^[1-9]\d{0,2}\.\d{3}$").fillna(False)
        )
        commas_group = dot_last | several_commas
    else:
        dots_group = comma_last | several_dots
        commas_group = ~comma_last
    text = text.where(~dots_group, text.str.replace(".", "", regex=False))
    text = text.where(~commas_group, text.str.replace(",", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
    text = text.str.replace(r"(?<=\d)\.$", "", regex=True)  # '100.' as some exports end it
    number = pd.to_numeric(
        text.where(text.str.match(r"^\d*\.?\d+(?:[eE][-+]?\d+)?$").fillna(False)), errors="coerce"
    ).astype("float64")
    return number.where(~negative, -number)


def _from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    parts = pd.DataFrame(
        {
            "year": pd.to_numeric(year, errors="coerce"),
            "month": pd.to_numeric(month, errors="coerce"),
            "day": pd.to_numeric(day, errors="coerce"),
        }
    )
    ok = parts.notna().all(axis=1)
    result = pd.Series(pd.NaT, index=year.index, dtype="datetime64[s]")
    if ok.any():
        result[ok] = pd.to_datetime(parts[ok].astype("int64"), errors="coerce")
    return result


def date_order(values: pd.Series, monthfirst: bool | None = None) -> str:
    """Decide 'dmy' or 'mdy' for a column's d/m/y text: a part above 12 decides, else day first."""
    if monthfirst is not None:
        return "mdy" if monthfirst else "dmy"
    return order_witness(values) or "dmy"


def order_witness(values: pd.Series) -> str | None:
    """'dmy' or 'mdy' as most of the column's d/m/y dates that read one way only, else None."""
    parts = clean_text(values).str.extract(_DATE_DMY)
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    # A part above 12 decides only in a date that is one read so: 04/31/2024 is no date either
    # way, and turned a column of day-first dates month-first without a word.
    year = _full_year(parts[2])
    # The dates read one way only outvote the others: one 25/03/2024 typed day first among
    # thirty-five dates only month first read the whole column day first (and the rest
    # rejected or swapped); now that one is the date rejected.
    day_first = int(_real(year, second, first, first > 12).sum())
    month_first = int(_real(year, first, second, second > 12).sum())
    if day_first > month_first:
        return "dmy"
    if month_first > day_first:
        return "mdy"
    return None


@dataclass(frozen=True)
class DayFirst:
    """A column's proof that its day comes first: how many dates read day first only, one of
    them, and one that reads both ways (with its date read day first)."""

    count: int
    example: str
    swapped: str | None
    swapped_as: pd.Timestamp | None


def day_first_proof(values: pd.Series) -> DayFirst | None:
    """The column's dates that read day first only, when they outvote those that read month
    first only (order_witness 'dmy'); else None."""
    if order_witness(values) != "dmy":
        return None
    text = clean_text(values)
    parts = text.str.extract(_DATE_DMY)
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    year = _full_year(parts[2])
    only = _real(year, second, first, first > 12).reindex(text.index, fill_value=False)
    either = (first <= 12) & (second <= 12) & (first != second)
    both = _real(year, first, second, either).reindex(text.index, fill_value=False)
    swapped = text[both].iloc[0] if both.any() else None
    swapped_as = None
    if swapped is not None:
        at = both[both].index[0]
        swapped_as = pd.Timestamp(year=int(year[at]), month=int(first[at]), day=int(second[at]))
    return DayFirst(int(only.sum()), str(text[only].iloc[0]), swapped, swapped_as)


def _real(year: pd.Series, month: pd.Series, day: pd.Series, where: pd.Series) -> pd.Series:
    """Of the rows in where, those whose year, month and day make a date of the calendar."""
    if not where.any():
        return where
    picked = pd.DataFrame({"year": year[where], "month": month[where], "day": day[where]})
    return pd.to_datetime(picked, errors="coerce").notna()


def _full_year(year: pd.Series) -> pd.Series:
    """Years as written, two-digit ones put in their century (CENTURY_PIVOT)."""
    year = pd.to_numeric(year, errors="coerce")
    return year.where(year >= 100, np.where(year <= CENTURY_PIVOT, 2000 + year, 1900 + year))


def year_first(values: pd.Series, today: pd.Timestamp | None = None) -> bool:
    """True when a column's dates of three two-digit parts write the year first (yy-mm-dd)."""
    parts = values.str.extract(DATE_YY).apply(pd.to_numeric, errors="coerce").dropna()
    if parts.empty or (parts[1] > 12).any():
        return False  # none, or the middle part is a day: the year is last (m/d/y)
    first, last = parts[0], parts[2]
    if (first > 31).any() or (first == 0).any():
        return True  # no day is written so
    if (last > 31).any() or (last == 0).any():
        return False
    # Both fit the calendar: a year read last but in the future is a day, not a year.
    now = (today or pd.Timestamp.now()).year
    years_last, years_first = _full_year(last), _full_year(first)
    later_last, later_first = (years_last > now + 1).any(), (years_first > now + 1).any()
    if later_last != later_first:
        return bool(later_last)
    # A sales file's dates are recent: the year first only when it puts them years nearer to
    # today (24-01-05 ... 24-03-30: 2024 against 2005-2030; 01-01-24 ... 01-12-25, a bill on
    # each month's first day, stays 2024-2025 rather than 2001).
    near_first = abs(float(np.median(years_first)) - now)
    near_last = abs(float(np.median(years_last)) - now)
    return near_first + 3 < near_last


def parse_written_dates(
    values: pd.Series, monthfirst: bool | None, epoch: pd.Timestamp = EXCEL_EPOCH
) -> tuple[pd.Series, str]:
    """Read the dates the fast ISO path left: d/m/y, m/d/y, yy-mm-dd, serials, yyyymmdd.

    The order returned is 'ymd' when two-digit years come first in the column (looked for
    unless monthfirst says the order), else 'dmy' or 'mdy'.
    """
    text = clean_text(values)
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    iso = text.str.extract(_DATE_ISO)
    hit = iso[0].notna()
    if hit.any():
        result[hit] = _from_parts(iso.loc[hit, 0], iso.loc[hit, 1], iso.loc[hit, 2])
    order = date_order(text, monthfirst)
    dmy = text.str.extract(_DATE_DMY)
    hit = dmy[0].notna()
    first = None
    if monthfirst is None and year_first(text):
        # '24-01-05' of a file of 2024: the two-digit parts are read year, month, day (the
        # other dates of the column keep their order).
        yy = text.str.extract(DATE_YY)
        first = yy[0].notna()
        result[first] = _from_parts(
            _full_year(yy.loc[first, 0]), yy.loc[first, 1], yy.loc[first, 2]
        )
        hit &= ~first
    if hit.any():
        year = _full_year(dmy.loc[hit, 2])
        # A date written with points (05.01.2024) is day first wherever it is written so,
        # whatever the column's slashed dates decide; unless the user says month first, or the
        # dotted dates themselves do (01.15.2024).
        dotted = text[hit].str.match(r"^\d{1,2}\.").fillna(False)
        if monthfirst or (pd.to_numeric(dmy.loc[hit, 1][dotted], errors="coerce") > 12).any():
            dotted[:] = False
        day_first = dotted | (order == "dmy")
        day = dmy.loc[hit, 0].where(day_first, dmy.loc[hit, 1])
        month = dmy.loc[hit, 1].where(day_first, dmy.loc[hit, 0])
        result[hit] = _from_parts(year, month, day)
    if first is not None and first.any():
        order = "ymd"
    ymd = text.str.extract(_DATE_YMD8)
    hit = ymd[0].notna()
    if hit.any():
        result[hit] = _from_parts(ymd.loc[hit, 0], ymd.loc[hit, 1], ymd.loc[hit, 2])
    serial = text.where(text.str.match(DATE_SERIAL).fillna(False) & result.isna())
    number = pd.to_numeric(serial, errors="coerce")
    hit = number.notna() & (number >= 1)
    if hit.any():
        days = np.floor(number[hit]).astype("int64")
        result[hit] = (epoch + pd.to_timedelta(days, unit="D")).astype("datetime64[s]")
    return result, order
