"""Dates written with month names and months written without a day.

The names come from Babel's calendar data, not from tables typed here: wide and abbreviated,
format (Russian genitive, 'марта') and stand-alone ('март'), and every prefix of three letters
or more that names one month only ('Sept', 'фев', 'ספט'). Hebrew joins a month to 'ב' ('15 במרץ
2024'); Russian ends a year with 'г.' ('15 марта 2024 г.'); a weekday may lead ('Fri, 15 Mar
2024', 'יום ו׳, 15 במרץ 2024'). A cell that names a month and a year but no day ('Mar 2024',
'Mar-24', 'מרץ 2024', '2024-03', '03/2024') is a month: the column decides what it becomes.
Besides English, Hebrew and Russian, the names of the Western European languages whose exports
reach a sales team ('5 janv. 2024', '12. März 2024', '5 de marzo de 2024'): no name or prefix
of one of them names another month in another. Chinese, Japanese and Korean write the date in
figures with a sign after each part ('2024年3月5日', '2024년 3월 5일').
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from babel.dates import get_day_names, get_month_names

from kam_core.i18n import _
from kam_core.ingest.fields import normalise_label
from kam_core.ingest.header import Layout
from kam_core.ingest.text import Text, clean_arrow
from kam_core.ingest.written import CENTURY_PIVOT

_LOCALES = ("en", "he", "ru", "fr", "de", "es", "it", "pt", "nl")
_PREFIX = 3  # shortest prefix of a month's name taken as the month
# Marks that end or shorten a word: the dot of 'мар.', the geresh of 'ינו׳' (or an apostrophe
# typed for it).
_MARKS = re.compile(r"(?<=[^\W\d_])[.׳'’`]")
_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?Z?)$"
# 'г.', 'год', 'года' after a Russian year: a grammar word, not part of the date.
_YEAR_WORD = re.compile(r"(?<=\d)\s*(?:г|год|года)\.?$")
_WORD = r"([^\W\d_]+)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er|º|°)?"
_GAP = r"[\s\-/.,]*"
# Full dates: day month year, month day year, year month day.
_DMY = re.compile(rf"^{_DAY}{_GAP}{_WORD}{_GAP}(\d{{4}}|\d{{2}})$")
_MDY = re.compile(rf"^{_WORD}{_GAP}{_DAY}(?:[\s,]+|[-/.])(\d{{4}}|\d{{2}})$")
_YMD = re.compile(rf"^(\d{{4}}){_GAP}{_WORD}{_GAP}{_DAY}$")
# Months: 'Mar 2024', 'מרץ 2024', 'March, 2024', '2024 Mar'; Excel's mmm-yy 'Mar-24' and
# "Mar '24" (a two-digit year only after a dash or an apostrophe: 'Mar 24' may be a day).
_MY = re.compile(r"^([^\W\d_]+)[\s\-/.,]*(\d{4})$")
_MYY = re.compile(r"^([^\W\d_]+)\s*(?:-|'|’|-')\s*(\d{2})$")
_YM = re.compile(r"^(\d{4})[\s\-/.,]*([^\W\d_]+)$")
# Months in figures, a four-digit year beside the month: '2024-03', '03/2024'. '03/04' is not.
# Chinese and Japanese 年 月 日, Korean 년 월 일 (the day may be left out: a month).
_CJK = re.compile(r"^(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월](?:\s*(\d{1,2})\s*[日일]?)?$")
# ISO 8601's basic form with a time: '20240105T103000Z' (a date and time without separators).
_BASIC = re.compile(r"^(\d{4})(\d{2})(\d{2})t\d{4}(?:\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")
# Spanish and Portuguese join the parts with 'de' ('5 de marzo de 2024').
_OF = re.compile(r"(?<=[\w.])\s+de\s+(?=\w)")
NUMERIC_YM = r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})$"
NUMERIC_MY = r"^(?P<month>\d{1,2})[-/.](?P<year>\d{4})$"
_NO_DATE = np.datetime64("NaT", "s")


def _fold(word: str) -> str:
    """A name as compared: lower case, without its dots and geresh."""
    return _MARKS.sub("", word.casefold()).strip()


@cache
def month_words() -> dict[str, int]:
    """Every written month name (and unique prefix of three letters or more) -> month 1-12."""
    words: dict[str, int] = {}
    prefixes: dict[str, set[int]] = {}
    for locale in _LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale).items():
                    folded = _fold(name)
                    words[folded] = month
                    for end in range(_PREFIX, len(folded)):
                        prefixes.setdefault(folded[:end], set()).add(month)
    for prefix, months in prefixes.items():
        if len(months) == 1 and prefix not in words:
            words[prefix] = next(iter(months))
    return words


@cache
def _weekday_words() -> frozenset[str]:
    """The words of every weekday name ('fri', 'пятница', 'יום', 'ו')."""
    words: set[str] = set()
    for locale in _LOCALES:
        for width in ("wide", "abbreviated", "short"):
            for context in ("format", "stand-alone"):
                for name in get_day_names(width, context, locale).values():
                    words.update(_fold(name).split())
    return frozenset(words - set(month_words()))


def _month(word: str) -> int | None:
    """The month a word names: 'march', 'מרץ', 'במרץ' (Hebrew's 'in March'), 'марта'."""
    months = month_words()
    if word in months:
        return months[word]
    if word.startswith("ב") and word[1:] in months:
        return months[word[1:]]
    return None


def _without_weekday(text: str) -> str:
    """The text without a leading weekday: 'fri, 15 mar 2024' -> '15 mar 2024'."""
    words = _weekday_words()
    while (head := re.match(r"^([^\W\d_]+)\s*,?\s*", text)) and head.group(1) in words:
        text = text[head.end() :]
    return text


def _year(written: str) -> int:
    year = int(written)
    if len(written) == 2:  # as the d/m/y reader does
        year += 2000 if year <= CENTURY_PIVOT else 1900
    return year


def read_named(cell: str) -> tuple[date | None, bool]:
    """One cell: (the date, False) for a full date, (the month's first day, True) for a month."""
    text = _YEAR_WORD.sub("", _without_weekday(_fold(cell)))
    if figures := _CJK.match(text) or _BASIC.match(text):
        year, month, day = figures.groups()
        try:
            return date(int(year), int(month), int(day or 1)), day is None
        except ValueError:
            return None, False
    text = _OF.sub(" ", text)
    text = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", "", text)  # 'ב-מרץ' -> 'במרץ'
    text = re.sub(r"^(\d{1,2}\D*?)ב\s+(?=[^\W\d_])", r"\1", text)  # '15 ב מרץ' -> '15 מרץ'
    found = None
    if match := _DMY.match(text):
        found = (match.group(3), match.group(2), match.group(1), False)
    elif match := _MDY.match(text):
        found = (match.group(3), match.group(1), match.group(2), False)
    elif match := _YMD.match(text):
        found = (match.group(1), match.group(2), match.group(3), False)
    elif match := _MY.match(text) or _MYY.match(text):
        found = (match.group(2), match.group(1), "1", True)
    elif match := _YM.match(text):
        found = (match.group(1), match.group(2), "1", True)
    if found is None:
        return None, False
    year, word, day, month_only = found
    month = _month(word)
    if month is None:
        return None, False
    try:
        return date(_year(year), month, int(day)), month_only
    except ValueError:  # 31 February is not a date
        return None, False


def named_dates(arr: Text) -> tuple[np.ndarray, np.ndarray]:
    """Dates in cells written with month names (NaT elsewhere), and which of them are months."""
    # A time of day is dropped first, so a column holds few distinct texts (its days): each
    # distinct text is read once.
    text = pc.replace_substring_regex(arr, _TIME, "")
    distinct = pc.unique(text)
    read = [read_named(v) if v is not None else (None, False) for v in distinct.to_pylist()]
    values = np.array([d or _NO_DATE for d, _m in read], dtype="datetime64[s]")
    months = np.array([m for _d, m in read], dtype=bool)
    at = np.asarray(pc.index_in(text, value_set=distinct))
    return values[at], months[at]


def numeric_months(arr: Text) -> np.ndarray:
    """The first day of months written in figures with a four-digit year; NaT elsewhere."""
    result = np.full(len(arr), _NO_DATE)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()  # the few cells no other form read
    for pattern in (NUMERIC_YM, NUMERIC_MY):
        parts = pc.extract_regex(arr, pattern)
        year = pc.struct_field(parts, "year")
        month = pc.cast(pc.struct_field(parts, "month"), pa.int64())
        ok = np.asarray(
            pc.fill_null(pc.and_(pc.greater_equal(month, 1), pc.less_equal(month, 12)), False)
        )
        if not ok.any():
            continue
        years = np.asarray(pc.cast(year, pa.int64()).to_numpy(zero_copy_only=False))[ok]
        months = np.asarray(month.to_numpy(zero_copy_only=False))[ok]
        result[ok] = (
            ((years.astype("int64") - 1970) * 12 + months.astype("int64") - 1)
            .astype("datetime64[M]")
            .astype("datetime64[s]")
        )
    return result


def monthly_note(column: str) -> str:
    """What the import says of a date column whose months were stored as their first days."""
    return _(
        "{column}: the dates name a month without a day (a monthly export); "
        "each is stored as the first day of its month."
    ).format(column=column)


# A summary's date written over two columns: Year beside Month (Power BI's and Tableau's date
# hierarchy). Month alone was read as the date: 'October' was not a date, '10' a day in 1900.
_MONTH_LABELS = frozenset({"month", "month name", "חודש", "месяц", "monat", "mois", "mes"})
_YEAR_LABELS = frozenset({"year", "שנה", "год", "jahr", "année", "annee", "año", "ano"})
# A date hierarchy's day of the month (Power BI: Year, Quarter, Month, Day).
_DAY_LABELS = frozenset({"day", "day of month", "יום", "יום בחודש", "день", "tag", "jour", "día"})
_TOTAL_WORDS = r"total|סה\"כ|סהכ|סיכום|итог|всего"


def with_year(table: pa.Table, layout: Layout) -> tuple[pa.Table, str | None]:
    """The table with a month column read as the date joined to the year column beside it
    ('October' and '2025' -> 'October 2025'); the note saying so, or None."""
    at = layout.mapping.get("order_date")
    if at is None or normalise_label(layout.columns[at]) not in _MONTH_LABELS:
        return table, None
    mapped = set(layout.mapping.values())
    years = [
        col
        for col, label in enumerate(layout.columns)
        if col not in mapped and normalise_label(label) in _YEAR_LABELS
    ]
    if len(years) != 1:
        return table, None
    year = pc.replace_substring_regex(clean_arrow(table.column(years[0])), r"^(\d{4})\.0+$", r"\1")
    # A pivot table writes a year once above its months: a blank takes the year above it.
    blanks = pc.is_null(year)
    year = pc.fill_null_forward(year)
    month = clean_arrow(table.column(at))
    dated = pc.fill_null(pc.match_substring_regex(year, r"^\d{4}$"), False)
    totals = pc.fill_null(pc.match_substring_regex(year, _TOTAL_WORDS, ignore_case=True), False)
    others = pc.sum(pc.and_(pc.invert(pc.or_(dated, totals)), pc.is_valid(year))).as_py() or 0
    if not pc.any(dated).as_py() or others > max(2, len(year) // 10):
        return table, None  # not a column of years ('Grand Total' under them is)
    if pc.any(blanks).as_py():  # a pivot's month too is written once above its rows
        month = pc.if_else(dated, pc.fill_null_forward(month), month)
    # Only a month alone joins its year: 'Oct-25', '2025-10' or 'October 2025' are dates of
    # their own (a Year beside them may be a model year or a fiscal one).
    numbered = pc.fill_null(pc.match_substring_regex(month, r"^(0?[1-9]|1[0-2])(\.0+)?$"), False)
    named = pc.fill_null(pc.match_substring_regex(month, r"^[^\d]+$"), False)
    alone = pc.or_(numbered, named)
    if not pc.all(pc.or_(pc.or_(alone, pc.is_null(month)), pc.invert(dated))).as_py():
        return table, None
    number = pc.utf8_lpad(pc.replace_substring_regex(month, r"\.0+$", ""), 2, "0")
    # A pivot's 'January Total' row has no day: it is no row to date.
    subtotal = pc.fill_null(pc.match_substring_regex(month, _TOTAL_WORDS, ignore_case=True), False)
    day = _days(table, layout, mapped, pc.and_(dated, pc.invert(subtotal)))
    if day is not None:
        # The date hierarchy's day: '2024-02-29', '29 February 2024'.
        joined = pc.if_else(
            numbered,
            pc.binary_join_element_wise(year, number, day, "-"),
            pc.binary_join_element_wise(day, month, year, " "),
        )
    else:
        joined = pc.if_else(
            numbered,
            pc.binary_join_element_wise(year, number, "-"),
            pc.binary_join_element_wise(month, year, " "),
        )
    joined = pc.if_else(pc.and_(dated, alone), joined, month)
    table = table.set_column(at, table.field(at), joined)
    if day is not None:
        note = _("{month}: the months were read with the years of {year} and the days of {day}.")
    else:
        note = _("{month}: the months were read with the years of {year}.")
    note = note.format(
        month=layout.title(at),
        year=layout.title(years[0]),
        day=layout.title(_day_column(layout, mapped) or 0),
    )
    return table, note


def _day_column(layout: Layout, mapped: set[int]) -> int | None:
    """The one unmapped column labelled as the day of the month, if there is one."""
    days = [
        col
        for col, label in enumerate(layout.columns)
        if col not in mapped and normalise_label(label) in _DAY_LABELS
    ]
    return days[0] if len(days) == 1 else None


def _days(table: pa.Table, layout: Layout, mapped: set[int], dated: pa.Array) -> pa.Array | None:
    """The days of the month (two figures) of a day column beside the month, when every dated
    row has one, else None."""
    col = _day_column(layout, mapped)
    if col is None:
        return None
    day = pc.replace_substring_regex(clean_arrow(table.column(col)), r"\.0+$", "")
    valid = pc.fill_null(pc.match_substring_regex(day, r"^(0?[1-9]|[12]\d|3[01])$"), False)
    if not pc.all(pc.or_(valid, pc.invert(dated))).as_py():
        return None
    return pc.utf8_lpad(day, 2, "0")
