"""Vectorised parsing of text cells as exports write them: numbers, dates, flags, identifiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.ingest.fields import normalise_label

_CURRENCY = r"[₪$€£₽¥]|\b(?:ILS|NIS|USD|EUR|GBP|RUB|RUR)\b|ש\"ח|ש״ח|שח\b|руб\.?|р\.$"
_SPACES = r"[\s\u00a0\u202f\u2009\u2007'’]"
_DATE_ISO = r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?Z?$"
_DATE_DMY = (
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$"
)
_DATE_YMD8 = r"^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:\.0+)?$"
_DATE_SERIAL = r"^\d{1,5}(?:\.\d+)?$"
_TEXT_FORMATS = ("%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%d-%b-%y", "%B %d, %Y", "%d %B %Y")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
MIN_DATE = pd.Timestamp("1950-01-01")
MAX_DATE = pd.Timestamp("2100-12-31")
_TRUE = {
    "yes",
    "y",
    "true",
    "1",
    "x",
    "v",
    "returned",
    "return",
    "כן",
    "החזרה",
    "הוחזר",
    "да",
    "возврат",
    "t",
    "✓",
    "✔",
}
_FALSE = {"no", "n", "false", "0", "f", "לא", "нет", "-"}


_DECIMAL_COMMA = r"\d,\d{1,2}\D*$|\d,\d{4,}\D*$|\.\d{3},"  # "\D*": a trailing " ₽" or ")-"
_WELL_GROUPED = (
    r"^(?:\d+(?:[.,]\d*)?|[.,]\d+|\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d{1,3}(?:\.\d{3})+(?:,\d*)?)$"
)
_PLAIN_NUMBER = r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$"
_ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S")
_INVISIBLE = r"[\x00-\x1f\x7f-\x9f\x{ad}\x{200b}\x{2060}\x{feff}]"
# Every character clean_name changes: the invisible ones and the line separators.
_UNCLEAN = r"[\x00-\x1f\x7f-\x9f\x{ad}\x{200b}\x{2060}\x{feff}\x{2028}\x{2029}]"
_ISO_DAY = r"^\d{4}-\d{1,2}-(?P<day>\d{1,2})"


def _arrow(values: pd.Series) -> pa.Array:
    """Return the cells as a trimmed Arrow string array, blanks as nulls."""
    arr = pa.array(values.astype("str"), type=pa.string(), from_pandas=True)
    arr = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(pc.binary_length(arr), 0), pa.scalar(None, pa.string()), arr)


def clean_text(values: pd.Series) -> pd.Series:
    """Strip text cells and turn blanks into missing values."""
    return pd.Series(_arrow(values), index=values.index, dtype="str")


def _needs_cleaning(arr: pa.Array) -> bool:
    """True when some cell may hold a character clean_name removes or replaces."""
    # An ASCII column (most) is settled by one fast pass; others by one regular expression.
    if pc.all(pc.string_is_ascii(arr)).as_py() is not False:
        return pc.all(pc.ascii_is_printable(arr)).as_py() is False
    return bool(pc.any(pc.match_substring_regex(arr, _UNCLEAN)).as_py())


def clean_name(values: pd.Series) -> pd.Series:
    """Text to store (names, ids): control characters dropped, line breaks and tabs as spaces."""
    arr = pa.array(values.astype("str"), type=pa.string(), from_pandas=True)
    if _needs_cleaning(arr):
        arr = pc.replace_substring_regex(arr, r"[\t\n\r\x0b\x0c\x85\x{2028}\x{2029}]+", " ")
        arr = pc.replace_substring_regex(arr, _INVISIBLE, "")
    return clean_text(pd.Series(arr, index=values.index, dtype="str"))


def parse_numbers(values: pd.Series) -> pd.Series:
    """Read amounts such as '₪ 1,234.50', '(1.234,50)', '1 234,5-', '$-12'; NaN where unreadable."""
    arr = _arrow(values)
    # A column writes decimals with a comma when some value ends in ",d" or ",dd" or has
    # "1.234,5"; there "1.000" is a thousand, not one.
    decimal_comma = pc.any(pc.match_substring_regex(arr, _DECIMAL_COMMA)).as_py() or False
    plain = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_NUMBER), False)
    if decimal_comma:
        grouped = pc.fill_null(pc.match_substring_regex(arr, r"^-?\d{1,3}(?:\.\d{3})+$"), False)
        plain = pc.and_(plain, pc.invert(grouped))
    # Numbers the workbook stored as numbers arrive plain: cast those in one go.
    fast = pc.cast(pc.if_else(plain, arr, pa.scalar(None, pa.string())), pa.float64())
    result = pd.Series(fast, index=values.index, dtype="float64")
    rest = ~np.asarray(plain) & np.asarray(pc.is_valid(arr))
    if rest.any():
        result[rest] = _parse_written_numbers(values[rest], decimal_comma)
    return result


def _parse_written_numbers(values: pd.Series, decimal_comma: bool) -> pd.Series:
    """Read numbers written as text with separators, currency signs and odd minus signs."""
    text = clean_text(values)
    text = text.str.replace(_CURRENCY, "", regex=True, case=False)
    text = text.str.replace(_SPACES, "", regex=True)
    negative = (
        text.str.match(r"^\(.*\)$") | text.str.endswith("-") | text.str.match(r"^[-−]")
    ).fillna(False)
    text = text.str.replace(r"^[(\-−+]+|[)\-]+$", "", regex=True)
    # Separators must group digits by three: '15.01.2024' in an amount column is a date typed
    # in the wrong place, not 15,012,024.
    text = text.where(text.str.match(_WELL_GROUPED).fillna(False))
    # A value with both marks is clear alone: the last one is the decimal mark.
    comma_last = text.str.match(r"^.*\..*,\d*$").fillna(False)
    dot_last = text.str.match(r"^.*,.*\.\d*$").fillna(False)
    several_commas = text.str.count(",").fillna(0) > 1
    several_dots = text.str.count(r"\.").fillna(0) > 1
    if decimal_comma:
        dots_group = comma_last | several_dots | text.str.match(r"^\d{1,3}\.\d{3}$").fillna(False)
        commas_group = dot_last | several_commas
    else:
        dots_group = comma_last | several_dots
        commas_group = ~comma_last
    text = text.where(~dots_group, text.str.replace(".", "", regex=False))
    text = text.where(~commas_group, text.str.replace(",", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
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
    parts = clean_text(values).str.extract(_DATE_DMY)
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    if (first > 12).any():
        return "dmy"
    if (second > 12).any():
        return "mdy"
    return "dmy"


def parse_dates(values: pd.Series, monthfirst: bool | None = None) -> tuple[pd.Series, str]:
    """Read Excel dates, serials, ISO, d/m/y or m/d/y text and yyyymmdd; NaT where unreadable."""
    arr = _arrow(values)
    fast = pa.nulls(len(arr), pa.timestamp("s"))
    for fmt in _ISO_FORMATS:
        fast = pc.coalesce(fast, pc.strptime(arr, format=fmt, unit="s", error_is_null=True))
    # Arrow's strptime rolls 2024-02-30 over to 1 March: keep a fast date only when its day is
    # the day written; the others take the slow path, which checks the calendar.
    written_day = pc.struct_field(pc.extract_regex(arr, _ISO_DAY), [0])
    same_day = pc.fill_null(pc.equal(pc.day(fast), pc.cast(written_day, pa.int64())), False)
    fast = pc.if_else(same_day, fast, pa.scalar(None, pa.timestamp("s")))
    result = pd.Series(fast, index=values.index).astype("datetime64[s]")
    rest = result.isna().to_numpy() & np.asarray(pc.is_valid(arr))
    if rest.any():
        slow, order = _parse_written_dates(values[rest], monthfirst)
        result[rest] = slow
    else:
        order = "dmy" if not monthfirst else "mdy"
    return result.where((result >= MIN_DATE) & (result <= MAX_DATE)), order


def _parse_written_dates(values: pd.Series, monthfirst: bool | None) -> tuple[pd.Series, str]:
    """Read the dates the fast ISO path left: d/m/y, m/d/y, serials, yyyymmdd, month names."""
    text = clean_text(values)
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    iso = text.str.extract(_DATE_ISO)
    hit = iso[0].notna()
    if hit.any():
        result[hit] = _from_parts(iso.loc[hit, 0], iso.loc[hit, 1], iso.loc[hit, 2])
    order = date_order(text, monthfirst)
    dmy = text.str.extract(_DATE_DMY)
    hit = dmy[0].notna()
    if hit.any():
        year = pd.to_numeric(dmy.loc[hit, 2], errors="coerce")
        year = year.where(year >= 100, np.where(year <= 68, 2000 + year, 1900 + year))
        day, month = (
            (dmy.loc[hit, 0], dmy.loc[hit, 1])
            if order == "dmy"
            else (dmy.loc[hit, 1], dmy.loc[hit, 0])
        )
        result[hit] = _from_parts(year, month, day)
    ymd = text.str.extract(_DATE_YMD8)
    hit = ymd[0].notna()
    if hit.any():
        result[hit] = _from_parts(ymd.loc[hit, 0], ymd.loc[hit, 1], ymd.loc[hit, 2])
    serial = text.where(text.str.match(_DATE_SERIAL).fillna(False) & result.isna())
    number = pd.to_numeric(serial, errors="coerce")
    hit = number.notna() & (number >= 1)
    if hit.any():
        days = np.floor(number[hit]).astype("int64")
        result[hit] = (EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).astype("datetime64[s]")
    return _parse_named_months(text, result), order


def _parse_named_months(text: pd.Series, result: pd.Series) -> pd.Series:
    """Fill dates written with month names ('15-Jan-2024', 'Jan 15, 2024')."""
    left = (
        text.notna() & result.isna() & text.str.contains(r"[A-Za-z]{3}", regex=True).fillna(False)
    )
    for fmt in _TEXT_FORMATS:
        if not left.any():
            break
        parsed = pd.to_datetime(text[left], format=fmt, errors="coerce")
        got = parsed.notna()
        if got.any():
            result[got[got].index] = parsed[got].astype("datetime64[s]")
            left = left & result.isna()
    return result


def parse_flags(values: pd.Series) -> pd.Series:
    """Read yes/no flags in three languages, or a non-zero number as yes; NA where unreadable."""
    text = clean_text(values)
    norm = text.str.casefold().str.strip()
    out = pd.Series(pd.NA, index=text.index, dtype="boolean")
    out[norm.isin(_TRUE).fillna(False)] = True
    out[norm.isin(_FALSE).fillna(False)] = False
    number = pd.to_numeric(norm.where(out.isna()), errors="coerce")
    out[number.notna() & (number != 0)] = True
    out[number.notna() & (number == 0)] = False
    return out


def parse_ids(values: pd.Series) -> pd.Series:
    """Keep identifiers as text ('00001' stays); drop a '.0' that numeric cells carry."""
    text = clean_name(values)
    arr = pa.array(text, type=pa.string(), from_pandas=True)
    numeric = pc.match_substring_regex(arr, r"^\d+\.0+$")
    if not pc.any(numeric).as_py():  # one test instead of a rewrite of every id
        return text
    return text.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def client_key(names: pd.Series) -> pd.Series:
    """Derive a client id from a name: case, spaces and punctuation do not count."""
    text = _arrow(names)
    unique = pc.unique(text).drop_null()
    keys = pa.array([normalise_label(name) or name for name in unique.to_pylist()], pa.string())
    derived = pc.take(keys, pc.index_in(text, value_set=unique))
    return pd.Series(derived, index=names.index, dtype="str")
