"""Vectorised parsing of text cells as exports write them: numbers, dates, flags, identifiers.

The column functions (numbers, dates, ...) take trimmed Arrow text with blanks as nulls and
return NumPy arrays: plain numbers and ISO dates take a pyarrow fast path, the cells it leaves
go through the written forms of written.py. The parse_* functions are the same for Series.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from babel.numbers import list_currencies

from kam_core.i18n import _
from kam_core.ingest.fields import NAME_KEYS, normalise_label
from kam_core.ingest.months import named_dates, numeric_months
from kam_core.ingest.text import (
    SLICE_ROWS,
    Text,
    as_series,
    byte_range,
    clean_arrow,
    clean_name_arrow,
    clean_text,
    figures_only,
    id_arrow,
    may_hold,
    without_marks,
)
from kam_core.ingest.written import (
    CURRENCY_SIGNS,
    DATE_SERIAL,
    DATE_YY,
    EXCEL_EPOCH,
    MAX_DATE,
    MIN_DATE,
    date_order,
    order_witness,
    parse_written_dates,
    parse_written_numbers,
)

__all__ = [
    "DateColumn",
    "clean_name",
    "clean_text",
    "client_key",
    "date_column",
    "date_order",
    "dates",
    "numbers",
    "parse_dates",
    "parse_flags",
    "parse_ids",
    "parse_numbers",
    "sides_marked",
]

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


# "\D*": a trailing " ₽" or ")-"; "0,500" cannot group thousands (no group starts with 0).
_DECIMAL_COMMA = r"\d,\d{1,2}\D*$|\d,\d{4,}\D*$|\.\d{3},|(?:^|[^\d.,])0,\d"
# Commas grouping thousands, and nothing else ('1,234.50', '$1,234'; not '1,5' or '0,500').
_COMMAS_GROUP = (
    r"^[^\d,]*(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d?(?:,\d{2})*,\d{2},\d{3})(?:\.\d+)?[^\d,]*$"
    r"|^[^,]*$"
)
# A comma grouping thousands before a decimal point ("1,234.50"), or grouping twice.
_DECIMAL_POINT = r"\d,\d{3}\.\d|\d,\d{3},\d{3}(?:\D|$)"
_PLAIN_NUMBER = r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$"
# A formatted amount: a currency sign before or after it (a space between), thousands grouped
# by three with the other mark, or none; the decimal mark the column's (ASCII figures only).
_SIGNS = CURRENCY_SIGNS  # the signs the written reading drops
_SIGN_OR_SPACE = f"[{_SIGNS} ]"
_FORMATTED = {
    decimal_comma: (
        f"^(?:[{_SIGNS}] ?)?-?(?:[1-9][0-9]{{0,2}}(?:{group}[0-9]{{3}})+|[0-9]+)"
        f"(?:{mark}[0-9]+)?(?: ?[{_SIGNS}])?$"
    )
    for decimal_comma, group, mark in ((False, ",", r"\."), (True, r"\.", ","))
}
# A point with one or two decimals after it ('100.50'): the column's decimal mark is a point.
_POINT_DECIMALS = r"\d\.\d{1,2}\D*$"
# One mark before three digits and nothing else: 1,750 and 12.000 read either way.
_EITHER_COMMA = r"^[^\d,.]*\d{1,3},\d{3}[^\d,.]*$"
_EITHER_POINT = r"^[^\d,.]*\d{1,3}\.\d{3}[^\d,.]*$"
# Dots grouping thousands twice or more ("1.234.567"): a dot is no decimal mark in that column.
_DOT_GROUPS = r"\d\.\d{3}\.\d{3}(?:\D|$)"
_ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S")
_ISO_DAY = r"^\d{4}-\d{1,2}-(?P<day>\d{1,2})"
# The first two parts of a date written d/m/y or m/d/y (written.py's pattern, named); dots
# are left out: 05.01.2024 is day first wherever it is written so.
_DAY_MONTH = (
    r"^(?P<a>\d{1,2})[-/](?P<b>\d{1,2})[-/](?:\d{4}|\d{2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$"
)
_NO_DATE = np.datetime64("NaT", "s")


def _with_commas(arr: Text) -> Text:
    """Only the cells holding a comma (a plain number has none): cheap before a regex."""
    return arr.filter(pc.fill_null(pc.match_substring(arr, ","), False))


def _dots_group(arr: Text) -> bool:
    """True when some cell groups thousands with dots twice or more ("1.234.567")."""
    # Then "1.234" in the same column is a thousand too, as it is beside "1.234,5".
    several = arr.filter(pc.fill_null(pc.greater_equal(pc.count_substring(arr, "."), 2), False))
    return bool(len(several) and pc.any(pc.match_substring_regex(several, _DOT_GROUPS)).as_py())


# The currencies an amount may be written in, by the sign shown for each. Amounts of two
# currencies in one column were added as one ($100 + €100 = 200).
CURRENCIES = {
    "$": r"\$|\bUSD\b|דולר",
    "€": r"€|\bEUR\b|יורו|אירו",
    "£": r"£|\bGBP\b",
    "₪": r"₪|\bILS\b|\bNIS\b|ש\"ח|ש״ח|שח|שקל",
    "₽": r"₽|\bRUB\b|\bRUR\b|руб|р\.$",
    "¥": r"¥|\bJPY\b|\bCNY\b|\bRMB\b",
    "₹": r"₹|\bINR\b",
    # Local words of currencies, told apart from the codes of three capitals found below.
    "PLN": r"zł|\bzl\b|\bPLN\b",
    "CZK": r"kč|\bCZK\b",
    "HUF": r"\bft\b|\bHUF\b",
    "CHF": r"\bs?fr\.|\bCHF\b",
}
_ANY_CURRENCY = "|".join(CURRENCIES.values())
# Any other code of three capitals beside an amount ('980.00 SEK'), case sensitive: 'abc' is
# no currency.
_CODE = r"\b(?P<code>[A-Z]{3})\b"


def codes_mixed(
    arr: Text, unnamed: str, rows: np.ndarray, own: str | None
) -> dict[str, np.ndarray]:
    """Per currency, the rows a column of currency codes names it in, when it names two or
    more; else empty. Its empty cells in the rows `rows` (those with an amount) are the
    company's own currency: `own` where the column names it too, else a currency of their own
    under the name unnamed."""
    named = _column_currencies(arr)
    empty = np.asarray(pc.is_null(arr).to_numpy(zero_copy_only=False), dtype=bool) & rows
    if named and empty.any():
        key = own if own in named else unnamed
        named = {**named, key: named.get(key, False) | empty}
    return named if len(named) > 1 else {}


def currencies_mixed(arr: Text) -> dict[str, np.ndarray]:
    """Per currency sign, the cells written in it, when a column writes amounts in two or
    more currencies; else empty."""
    low, high = byte_range(arr)
    if low > ord("$") and high <= ord("9"):
        return {}  # digits, points, commas, signs and brackets only: no currency at all
    # The signs are looked for in each distinct shape of the cells, every figure written 0
    # ('00.000,00 €'): no pattern holds a figure, and a figure stays a word character, so
    # each shape matches as its cells do. A million distinct amounts are a few shapes (the
    # patterns over every cell took 1.4 s).
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    shapes = pc.dictionary_encode(_figures_as_zero(arr))
    distinct = shapes.dictionary
    at = pc.fill_null(shapes.indices, len(distinct)).to_numpy(zero_copy_only=False)

    def cells(hit: pa.Array) -> np.ndarray:
        """The cells of the shapes hit (an empty cell is in none)."""
        shape = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
        return np.append(shape, False)[at]

    known = pc.any(pc.match_substring_regex(distinct, _ANY_CURRENCY, ignore_case=True)).as_py()
    codes = pc.struct_field(pc.extract_regex(distinct, _CODE), "code")
    if not known and codes.null_count == len(codes):
        return {}
    found = {}
    for sign, pattern in CURRENCIES.items():
        hit = cells(pc.match_substring_regex(distinct, pattern, ignore_case=True))
        if hit.any():
            found[sign] = hit
    for code in pc.unique(codes).to_pylist():
        if (
            code is None
            or code not in _iso_codes()
            or any(re.fullmatch(p, code, re.IGNORECASE) for p in CURRENCIES.values())
        ):
            continue  # no currency ('TBD'), or one named above ('USD' is '$')
        found[code] = cells(pc.equal(codes, code))
    return found if len(found) > 1 else {}


_ZERO_FIGURES = np.arange(256, dtype=np.uint8)
_ZERO_FIGURES[ord("0") : ord("9") + 1] = ord("0")


def _figures_as_zero(arr: pa.Array) -> pa.Array:
    """The text with every ASCII figure written 0, byte by byte on the text's buffer (a figure's
    byte is never part of another UTF-8 character): a tenth of the time of a replacement."""
    validity, offsets, data = arr.buffers()
    if data is None:
        return arr
    zeroed = pa.py_buffer(_ZERO_FIGURES[np.frombuffer(data, dtype=np.uint8)].tobytes())
    return pa.Array.from_buffers(
        arr.type, len(arr), [validity, offsets, zeroed], arr.null_count, arr.offset
    )


@cache
def _iso_codes() -> frozenset[str]:
    """The codes of ISO 4217's currencies, from Babel's data."""
    return frozenset(list_currencies())


def _column_currencies(arr: Text) -> dict[str, np.ndarray]:
    """Per currency, the cells of a column of currency codes naming it: a sign for the codes
    and words known (USD, $, דולר), else the code itself (CHF, CAD, SEK)."""
    distinct = [v for v in pc.unique(arr).to_pylist() if v is not None]
    if len(distinct) > 50 or any(ch.isdigit() for v in distinct for ch in v):
        return {}  # not a column of currencies (a rate, an amount)
    kinds: dict[str, list[str]] = {}
    for value in distinct:
        sign = next(
            (s for s, pattern in CURRENCIES.items() if re.search(pattern, value, re.IGNORECASE)),
            value.strip().upper(),
        )
        kinds.setdefault(sign, []).append(value)
    found = {}
    for sign, values in kinds.items():
        hit = pc.fill_null(pc.is_in(arr, value_set=pa.array(values, pa.string())), False)
        found[sign] = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
    return found


def thousands_in_doubt(arr: Text, mark: str = ".") -> str | None:
    """A cell such as '2.500' when every amount with a point has three digits after it.

    Such a column reads the point as a decimal mark (2.5), as most exports mean it; where the
    point groups thousands (2,500 written the European way, without any decimals) every
    amount would be a thousand times too small, and nothing else in the column can tell.
    mark=",": the same for a comma ('12,500' in a ';' file, read as 12.5).
    """
    if mark == ",":
        if not may_hold(arr, b","):
            return None  # no comma: no amount to read either way (most columns of a ';' file)
        arr = pc.replace_substring(pc.replace_substring(arr, ".", "\x00"), ",", ".")
    elif not may_hold(arr, b"."):
        return None
    # Every amount with a point must pass: the first few thousand cells settle most columns
    # (two decimals) before the passes over all of them.
    head = arr.slice(0, _HEAD_CELLS)
    if len(head) < len(arr) and not _three_after(_dotted(head)[1]):
        return None
    dotted, figures = _dotted(arr)
    if not len(dotted) or not _three_after(figures):
        return None
    three = pc.match_substring_regex(figures, r"^[^\d.,]*\d{1,3}\.\d{3}$")
    three = pc.fill_null(three, False)
    other = "\x00" if mark == "," else ","
    if not pc.all(three).as_py() or pc.any(pc.match_substring(arr, other)).as_py():
        return None
    return str(dotted[0]).replace(".", ",") if mark == "," else str(dotted[0])


_HEAD_CELLS = 4_096


def _dotted(arr: Text) -> tuple[Text, Text]:
    """The cells holding a point, and their figures without a trailing sign, bracket or
    currency ('₪1.500', '(1.500)' and '1.500-' are amounts with three decimals too)."""
    dotted = arr.filter(pc.fill_null(pc.greater_equal(pc.find_substring(arr, "."), 0), False))
    return dotted, pc.utf8_rtrim(dotted, characters=" )-+%₪$€£¥₽₹")


def _three_after(figures: Text) -> bool:
    """True when every figure has three characters after its point (a cheap test: most
    columns have two decimals), before the pattern looks at them."""
    after = pc.subtract(pc.binary_length(figures), pc.find_substring(figures, "."))
    return bool(pc.all(pc.equal(after, 4)).as_py())


def numbers(arr: Text, comma_default: bool = False) -> np.ndarray:
    """Amounts from cleaned text: '₪ 1,234.50', '(1.234,50)', '1 234,5-'; NaN where unreadable.

    comma_default: a column that does not show its decimal mark has a comma (a file whose
    columns are separated by ';', as Excel writes them where the comma is the decimal mark).
    """
    arr = figures_only(arr)
    if not comma_default:
        plain = _cast_plain(arr)
        if plain is not None:
            return plain
    arr = without_marks(arr)
    sides = sides_marked(arr)
    if sides is not None:
        # The figures without their mark go through the reading below, once.
        marked, credit = sides
        read = numbers(pc.replace_substring_regex(arr, _SIDE, r"\1"), comma_default)
        # '-200.00 CR' says its side twice, perhaps two different ways: not read.
        read[marked & (read < 0)] = np.nan
        return np.where(credit, -read, read) + 0.0
    # A column writes decimals with a comma when some value ends in ",d" or ",dd" or has
    # "1.234,5"; there "1.000" is a thousand, not one.
    commas = _with_commas(arr)
    decimal_comma = _comma_shown(commas) or _dots_group(arr)
    if not decimal_comma and comma_default and not _point_shown(arr, commas):
        decimal_comma = True
    if (decimal_comma and _points_too(commas)) or (
        not decimal_comma and _either_way(arr, commas) and not _point_shown(arr, commas)
    ):
        # Both marks in one column ("1,234.50" beside a typed "1,5"; "1,750" beside "12.000"):
        # a cell that reads one way only is read so, one that reads either way ("2,000": 2 or
        # 2,000) is not read; taking either mark for the column made such amounts a thousand
        # times off.
        one, other = _read_numbers(arr, True), _read_numbers(arr, False)
        # Read with a decimal point, a comma must group thousands ('1,5' and '0,500' do not).
        grouping = pc.match_substring_regex(arr, _COMMAS_GROUP)
        other[np.asarray(pc.fill_null(pc.invert(grouping), False))] = np.nan
        same = np.isnan(one) | np.isnan(other) | (one == other)
        return np.where(np.isnan(one), other, np.where(same, one, np.nan))
    return _read_numbers(arr, decimal_comma)


# The side of an accounting amount after its figure: '200.00 CR' a credit, '1,200.50 DR' a
# debit (ledgers and invoice listings of ERPs, Tally's 'Cr'/'Dr').
_SIDE = r"(?i)([\d)])\s*(?:CR|DR)\.?$"


def sides_marked(arr: Text) -> tuple[np.ndarray, np.ndarray] | None:
    """The cells marking their side (CR or DR after the figure) and those marked a credit
    ('200.00 CR'), when some cell of the column marks it; else None."""
    if not len(arr) or byte_range(arr)[1] < ord("C"):
        return None  # no letter: no mark (most columns of amounts)
    marked = pc.fill_null(pc.match_substring_regex(arr, _SIDE), False)
    if not pc.any(marked).as_py():
        return None
    credit = pc.fill_null(pc.match_substring_regex(arr, r"(?i)[\d)]\s*CR\.?$"), False)
    return (
        np.asarray(marked.to_numpy(zero_copy_only=False), dtype=bool),
        np.asarray(credit.to_numpy(zero_copy_only=False), dtype=bool),
    )


def _cast_plain(arr: Text) -> np.ndarray | None:
    """The amounts of a column of plain figures ('-6.5', '1200') in one cast; else None."""
    # Digits, points, minus signs and slashes only: no comma, sign or letter to read first.
    # Arrow's cast reads every such cell as the reading below does, or fails on the column
    # ('1.2.3', '5-', '1/2'), which is then read cell by cell.
    low, high = byte_range(arr)
    if low < ord("-") or high > ord("9"):
        return None
    try:
        cast = pc.cast(arr, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return np.array(cast.to_numpy(zero_copy_only=False), dtype="float64") + 0.0


def _comma_shown(commas: Text) -> bool:
    """True when some cell writes decimals with a comma ('1,5', '1.234,56', '0,500')."""
    return bool(len(commas) and pc.any(pc.match_substring_regex(commas, _DECIMAL_COMMA)).as_py())


def _point_shown(arr: Text, commas: Text) -> bool:
    """True when some cell writes decimals with a point ('100.50', '1,234.5')."""
    if _points_too(commas):
        return True
    return bool(pc.any(pc.match_substring_regex(arr, _POINT_DECIMALS)).as_py())


def _either_way(arr: Text, commas: Text) -> bool:
    """True when a column holds '1,750' and '12.000', each reading either way."""
    if not len(commas) or not pc.any(pc.match_substring_regex(commas, _EITHER_COMMA)).as_py():
        return False
    return bool(pc.any(pc.match_substring_regex(arr, _EITHER_POINT)).as_py())


def _points_too(commas: Text) -> bool:
    """True when some cell shows commas grouping thousands ('1,234.50', '1,234,567')."""
    return bool(len(commas) and pc.any(pc.match_substring_regex(commas, _DECIMAL_POINT)).as_py())


def decimal_marks_mixed(arr: Text, comma_default: bool = False) -> tuple[str, str] | None:
    """A cell writing decimals with a comma and one with a point, when a column holds both
    (or, in a column showing neither, one of each mark before three digits)."""
    arr = without_marks(arr)
    commas = _with_commas(arr)
    if not len(commas):
        return None
    comma = commas.filter(pc.fill_null(pc.match_substring_regex(commas, _DECIMAL_COMMA), False))
    point = commas.filter(pc.fill_null(pc.match_substring_regex(commas, _DECIMAL_POINT), False))
    if len(comma) and len(point):
        return str(comma[0]), str(point[0])
    if len(comma) or comma_default or _dots_group(arr) or _point_shown(arr, commas):
        return None
    if not _either_way(arr, commas):
        return None
    comma = commas.filter(pc.fill_null(pc.match_substring_regex(commas, _EITHER_COMMA), False))
    point = arr.filter(pc.fill_null(pc.match_substring_regex(arr, _EITHER_POINT), False))
    return str(comma[0]), str(point[0])


# One comma before three digits, and no point ('5,000', '₪1,500'; not '0,500', which
# cannot group thousands): a thousand or five, as the column's decimal mark says.
_COMMA_THREE = r"^[^\d,.]*[1-9]\d{0,2},\d{3}[^\d,.]*$"


def comma_decimals_in_doubt(arr: Text) -> tuple[str, str] | None:
    """A cell such as '5,000' that was read as 5 because another cell of the column writes
    decimals with a comma ('3,5'): (that cell, the other); None where no cell reads so, or
    where a cell holds a point (grouping thousands beside a decimal comma, '1.234,5', it says
    how the column writes; a decimal point is the case of decimal_marks_mixed)."""
    if not may_hold(arr, b","):
        return None
    arr = without_marks(arr)
    commas = _with_commas(arr)
    three = commas.filter(pc.fill_null(pc.match_substring_regex(commas, _COMMA_THREE), False))
    if not len(three):
        return None
    if may_hold(arr, b".") and pc.any(pc.match_substring(arr, ".")).as_py():
        return None
    shown = commas.filter(pc.fill_null(pc.match_substring_regex(commas, _DECIMAL_COMMA), False))
    return (str(three[0]), str(shown[0])) if len(shown) else None


def comma_decimals_note(column: str, doubt: tuple[str, str]) -> str:
    """The note on amounts such as '5,000' read as 5 in a column writing '3,5'."""
    value, comma = doubt
    read = numbers(pa.array([value], pa.string()), comma_default=True)[0]
    return _(
        "{column}: values such as '{value}' were read as {read}: the column writes decimals "
        "with a comma, as '{comma}'. If the comma groups thousands in those values, they are "
        "a thousand times too small: correct the file and import it again."
    ).format(column=column, value=value, read=format(read, "g"), comma=comma)


def _read_numbers(arr: Text, decimal_comma: bool) -> np.ndarray:
    """The amounts of the cells read with the column's decimal mark."""
    plain = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_NUMBER), False)
    if decimal_comma:
        # A group of thousands never starts with 0: '0.001' is a decimal fraction.
        grouped = pc.match_substring_regex(arr, r"^-?[1-9]\d{0,2}(?:\.\d{3})+$")
        grouped = pc.fill_null(grouped, False)
        plain = pc.and_(plain, pc.invert(grouped))
    # Numbers the workbook stored as numbers arrive plain: cast those in one go.
    fast = pc.cast(pc.if_else(plain, arr, pa.scalar(None, arr.type)), pa.float64())
    # Amounts as exports format them ('1,234.50', '36.837,98 €', '1234,56') read as the
    # written reading below reads them, in one go: read one by one, a million distinct ones
    # took 10-17 seconds.
    formatted = pc.fill_null(pc.match_substring_regex(arr, _FORMATTED[decimal_comma]), False)
    if pc.any(formatted).as_py():
        cells = pc.replace_substring_regex(
            pc.if_else(formatted, arr, pa.scalar(None, arr.type)), _SIGN_OR_SPACE, ""
        )
        if decimal_comma:
            cells = pc.replace_substring(pc.replace_substring(cells, ".", ""), ",", ".")
        else:
            cells = pc.replace_substring(cells, ",", "")
        fast = pc.coalesce(fast, pc.cast(cells, pa.float64()))
        plain = pc.or_(plain, formatted)
    result = np.array(fast.to_numpy(zero_copy_only=False), dtype="float64")
    rest = ~np.asarray(plain) & np.asarray(arr.is_valid())
    if rest.any():
        # Written amounts ('₪ 1,234.50') repeat: each distinct text is read once (the reading
        # is per cell, with the column's decimal mark).
        cells = arr.filter(pa.array(rest))
        distinct = pc.unique(cells)
        read = parse_written_numbers(as_series(distinct), decimal_comma).to_numpy()
        result[rest] = read[np.asarray(pc.index_in(cells, value_set=distinct))]
    # -0 and 0 are one amount: adding 0.0 turns -0.0 into 0.0, which shows and sums as 0.
    result += 0.0
    return result


def parse_numbers(values: pd.Series) -> pd.Series:
    """Read amounts such as '₪ 1,234.50', '(1.234,50)', '1 234,5-', '$-12'; NaN where unreadable."""
    return pd.Series(numbers(clean_arrow(values)), index=values.index, dtype="float64")


@dataclass
class DateColumn:
    """A date column read: its dates, the d/m order used, and the cells naming only a month."""

    values: np.ndarray  # datetime64[s], NaT where unread
    order: str
    months: np.ndarray  # cells naming a month without a day
    monthly: bool  # every date names a month: those cells hold the month's first day
    outside: np.ndarray | None = None  # cells read as a date before MIN_DATE or after MAX_DATE
    # A written date whose order nothing in the column decided (every part 12 or less, day
    # and month differing somewhere): read day first, as the default says; one such text.
    guessed: str | None = None
    # A date of a column that writes two-digit years first (yy-mm-dd), read so; one such text.
    year_first: str | None = None
    # A column of Unix times (seconds or milliseconds since 1970), read so; one such text.
    unix: str | None = None
    # Unix times among written dates, each read so (unix: one such text).
    unix_cells: int = 0
    # A number read as an Excel day number (a serial: 45123 is 2023-07-16); one such text.
    serial: str | None = None


def date_column(
    arr: Text, monthfirst: bool | None = None, epoch: pd.Timestamp = EXCEL_EPOCH
) -> DateColumn:
    """Read a column of dates from cleaned text; months without a day count only if all are.

    Serial numbers count days from epoch (1904-01-01 in a workbook of the 1904 date system).
    """
    arr = figures_only(arr)
    unix = _unix_times(arr)
    if unix is not None:
        return unix
    whole = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    encoded = pc.dictionary_encode(whole)
    if len(encoded.dictionary) * 2 > len(arr):
        # Texts of their own (a time on each): the dates written repeat once times are off.
        arr = whole = _without_times(whole)
        encoded = pc.dictionary_encode(whole)
    del whole
    distinct = encoded.dictionary
    if not len(arr) or len(distinct) * 2 > len(arr):
        return _date_column(arr, monthfirst, epoch)
    # An order date repeats (a thousand days in a million rows): each distinct text is read
    # once and spread back to its cells. Every reading is per cell, and the column-wide
    # decisions (the d/m order, a monthly export) rest on which texts occur, not how often.
    read = _date_column(distinct, monthfirst, epoch)
    at = pc.fill_null(encoded.indices, len(distinct)).to_numpy(zero_copy_only=False)
    del encoded

    def spread(values: np.ndarray, blank: object) -> np.ndarray:
        return np.append(values, np.array([blank], dtype=values.dtype))[at]

    outside = None if read.outside is None else spread(read.outside, False)
    return DateColumn(
        spread(read.values, _NO_DATE),
        read.order,
        spread(read.months, False),
        read.monthly,
        outside,
        read.guessed,
        read.year_first,
        serial=read.serial,
    )


# Unix times: seconds since 1970 (ten digits from 2001 to 2286) or milliseconds (thirteen).
# Excel's serials have five digits and yyyymmdd eight: no column of those is taken for them.
_UNIX_TIME = r"^(?:\d{10}|\d{13})$"
_UNIX_FIRST = pd.Timestamp("2000-01-01")
_UNIX_GRACE = pd.Timedelta(days=366)  # orders dated a year ahead at most


def _unix_times(arr: Text) -> DateColumn | None:
    """A column every cell of which is a Unix time of this century, read as their days in
    UTC (the times carry no zone of their own); None for any other column."""
    valid = len(arr) - arr.null_count
    if not valid or (pc.max(pc.binary_length(arr)).as_py() or 0) > 13:
        return None
    # The first cells first: a column of written dates is left at once, not matched whole.
    for cells in (arr.slice(0, 1_000), arr):
        shaped = pc.fill_null(pc.match_substring_regex(cells, _UNIX_TIME), True)
        if not pc.all(shaped).as_py():
            return None
    figures = pc.cast(arr, pa.int64())
    milli = pc.fill_null(pc.equal(pc.binary_length(arr), 13), False)
    seconds = pc.if_else(milli, pc.divide(figures, 1000), figures)
    first = int(_UNIX_FIRST.timestamp())
    last = int((pd.Timestamp.now("UTC") + _UNIX_GRACE).timestamp())
    if pc.min(seconds).as_py() < first or pc.max(seconds).as_py() > last:
        return None
    # Dates are days: the time of day is dropped, as it is from a written timestamp.
    days = pc.multiply(pc.divide(seconds, 86_400), 86_400)
    values = np.array(
        pc.cast(days, pa.timestamp("s")).to_numpy(zero_copy_only=False), dtype="datetime64[s]"
    )
    example = pc.drop_null(arr)[0].as_py()
    return DateColumn(values, "dmy", np.zeros(len(values), dtype=bool), False, unix=example)


def with_unix_cells(arr: Text, column: DateColumn) -> DateColumn:
    """The column with each cell left unread that is a Unix time of this century (ten or
    thirteen digits, which no other date is) read as its day in UTC, as a whole column is."""
    left = np.isnat(column.values) & np.asarray(arr.is_valid())
    if column.unix or not left.any():
        return column
    at = np.flatnonzero(left)
    read = _unix_cells(figures_only(arr.take(pa.array(at))))
    if read is None:
        return column
    got = ~np.isnat(read.values)
    values = column.values.copy()
    values[at[got]] = read.values[got]
    outside = None if column.outside is None else column.outside.copy()
    if outside is not None:
        outside[at[got]] = False
    example = str(arr[int(at[got][0])])
    return replace(column, values=values, outside=outside, unix=example, unix_cells=int(got.sum()))


def _unix_cells(cells: Text) -> DateColumn | None:
    """The cells that are Unix times of this century read (others unread), or None if none."""
    shaped = pc.fill_null(pc.match_substring_regex(cells, _UNIX_TIME), False)
    if not pc.any(shaped).as_py():
        return None
    keep = pc.if_else(shaped, cells, pa.scalar(None, cells.type))
    figures = pc.cast(keep, pa.int64())
    seconds = pc.if_else(pc.equal(pc.binary_length(keep), 13), pc.divide(figures, 1000), figures)
    first = int(_UNIX_FIRST.timestamp())
    last = int((pd.Timestamp.now("UTC") + _UNIX_GRACE).timestamp())
    within = pc.and_(pc.greater_equal(seconds, first), pc.less_equal(seconds, last))
    seconds = pc.if_else(pc.fill_null(within, False), seconds, pa.scalar(None, pa.int64()))
    if seconds.null_count == len(seconds):
        return None
    days = pc.multiply(pc.divide(seconds, 86_400), 86_400)
    values = np.array(
        pc.cast(days, pa.timestamp("s")).to_numpy(zero_copy_only=False), dtype="datetime64[s]"
    )
    return DateColumn(values, "dmy", np.zeros(len(values), dtype=bool), False)


# A time (and its zone) after a date: the date is what is stored. Left on, every cell of a
# till's export was a text of its own, read one by one (3 million took 80 s).
_TIME_AFTER = (
    r"^(.*\d)[ T]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s?(?:[AaPp]\.?[Mm]\.?)?"
    r"\s?(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?(?:\s[A-Z]{2,5})?$"
)


def _without_times(arr: Text) -> Text:
    """The dates without the time written after them, where a column holds times."""
    if not pc.any(pc.fill_null(pc.match_substring(arr, ":"), False)).as_py():
        return arr
    return pc.replace_substring_regex(arr, _TIME_AFTER, r"\1")


def _date_column(arr: Text, monthfirst: bool | None, epoch: pd.Timestamp) -> DateColumn:
    """date_column, cell by cell."""
    arr = without_marks(arr)
    fast = pa.nulls(len(arr), pa.timestamp("s"))
    valid = int(len(arr) - arr.null_count)
    for fmt in _ISO_FORMATS:
        if fast.null_count == len(fast) - valid:  # every cell read: no other format can add
            break
        fast = pc.coalesce(fast, pc.strptime(arr, format=fmt, unit="s", error_is_null=True))
    # Arrow's strptime rolls 2024-02-30 over to 1 March: keep a fast date only when its day is
    # the day written; the others take the slow path, which checks the calendar.
    written_day = pc.struct_field(pc.extract_regex(arr, _ISO_DAY), [0])
    same_day = pc.fill_null(pc.equal(pc.day(fast), pc.cast(written_day, pa.int64())), False)
    fast = pc.if_else(same_day, fast, pa.scalar(None, pa.timestamp("s")))
    result = np.array(fast.to_numpy(zero_copy_only=False), dtype="datetime64[s]")
    months = np.zeros(len(result), dtype=bool)
    rest = np.isnat(result) & np.asarray(arr.is_valid())
    order = "dmy" if not monthfirst else "mdy"
    guessed = year_first = serial = None
    if rest.any():
        # A column repeats its days: the slow forms are read once per distinct text (the d/m
        # order is decided by the same texts, so it is the same).
        cells = arr.filter(pa.array(rest))
        distinct = pc.unique(cells)
        values, named, order = _slow_dates(distinct, monthfirst, epoch)
        # Figures alone read as a date are a serial (a month such as 03.2024 is named).
        counted = np.asarray(pc.fill_null(pc.match_substring_regex(distinct, DATE_SERIAL), False))
        counted &= ~np.isnat(values) & ~named & (values >= MIN_DATE.to_datetime64())
        counted &= values <= MAX_DATE.to_datetime64()
        if counted.any():
            serial = str(distinct[int(np.flatnonzero(counted)[0])])
        if order == "ymd":
            year_first = str(distinct.filter(pc.match_substring_regex(distinct, DATE_YY))[0])
        elif monthfirst is None:
            guessed = _order_guessed(distinct)
        at = np.asarray(pc.index_in(cells, value_set=distinct))
        result[rest], months[rest] = values[at], named[at]
    low, high = MIN_DATE.to_datetime64(), MAX_DATE.to_datetime64()
    outside = ~np.isnat(result) & ((result < low) | (result > high))
    result[outside] = _NO_DATE
    months &= ~outside
    # A month stands for a day only in a monthly export: among dates with days, a month
    # dated to its first day would move a purchase by up to a month (recency, gaps, churn).
    monthly = bool(months.any()) and not (~np.isnat(result) & ~months).any()
    if not monthly:
        result[months] = _NO_DATE
    return DateColumn(result, order, months, monthly, outside, guessed, year_first, serial=serial)


def _order_guessed(texts: Text) -> str | None:
    """A d/m/y text of a column whose texts leave the order open (every part 12 or less, and
    day and month differ in some), else None."""
    parts = pc.extract_regex(texts, _DAY_MONTH)
    first = pc.cast(pc.struct_field(parts, [0]), pa.int64())
    second = pc.cast(pc.struct_field(parts, [1]), pa.int64())
    if first.null_count == len(first):
        return None  # no date written d/m/y or m/d/y
    if order_witness(as_series(texts)) is not None:
        return None  # a part above 12 decided
    either = pc.and_(pc.less_equal(first, 12), pc.less_equal(second, 12))
    differ = pc.fill_null(pc.and_(pc.not_equal(first, second), either), False)
    if not pc.any(differ).as_py():
        return None  # 01/01, 05/05: either order reads the same
    return str(texts.filter(differ)[0])


def _slow_dates(
    arr: Text, monthfirst: bool | None, epoch: pd.Timestamp
) -> tuple[np.ndarray, np.ndarray, str]:
    """The cells the fast path left: month names, the written forms, then months in figures."""
    values = np.full(len(arr), _NO_DATE)
    months = np.zeros(len(arr), dtype=bool)
    named = np.asarray(pc.fill_null(pc.match_substring_regex(arr, r"\pL"), False))
    if named.any():  # only cells with a letter can name a month
        values[named], months[named] = named_dates(arr.filter(pa.array(named)))
    left = np.isnat(values)
    order = "dmy" if not monthfirst else "mdy"
    if left.any():
        left_text = as_series(arr.filter(pa.array(left)))
        slow, order = parse_written_dates(left_text, monthfirst, epoch)
        values[left] = slow.to_numpy(dtype="datetime64[s]")
    # '03.2024' reads as the serial 3.2024 (in 1900), which no order date can be: a month then.
    left = np.flatnonzero(np.isnat(values) | (values < MIN_DATE.to_datetime64()))
    if len(left):
        figures = numeric_months(arr.take(pa.array(left)))
        got = ~np.isnat(figures)
        values[left[got]] = figures[got]
        months[left[got]] = True
    return values, months, order


def dates(arr: Text, monthfirst: bool | None = None) -> tuple[np.ndarray, str]:
    """Dates (datetime64[s], NaT where unreadable) from cleaned text, and the d/m order used."""
    column = date_column(arr, monthfirst)
    return column.values, column.order


def parse_dates(values: pd.Series, monthfirst: bool | None = None) -> tuple[pd.Series, str]:
    """Read Excel dates, serials, ISO, d/m/y, m/d/y, yyyymmdd and month names; NaT if unreadable."""
    result, order = dates(clean_arrow(values), monthfirst)
    return pd.Series(result, index=values.index, dtype="datetime64[s]"), order


def clean_name(values: pd.Series) -> pd.Series:
    """Text to store (names, ids): control characters dropped, line breaks and tabs as spaces."""
    return as_series(clean_name_arrow(clean_arrow(values)), values.index)


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


def parse_ids(values: pd.Series, plain_ids: bool = True) -> pd.Series:
    """Keep identifiers as text ('00001' stays); drop a '.0' that numeric cells carry.

    plain_ids: as text.id_arrow (databases of name_keys 3 store their ids so).
    """
    return as_series(id_arrow(clean_arrow(values), plain_ids), values.index)


# The rows' column that says which client ids were derived from the name (no id in the file).
FROM_NAME = "client_id_from_name"


def _ascii_keys(text: pa.Array) -> pa.Array:
    """An ASCII name's key as normalise_label makes it; other names as they are."""
    # utf8_ kernels, not ascii_: those misread text whose first offset is not 0 (a slice).
    keys = pc.replace_substring_regex(pc.utf8_lower(text), "[\"']", "")
    keys = pc.utf8_trim(pc.replace_substring_regex(keys, "[^a-z0-9]+", " "), " ")
    return pc.if_else(pc.equal(pc.binary_length(keys), 0), text, keys)


def client_key(names: pd.Series, name_keys: int = NAME_KEYS) -> pd.Series:
    """Derive a client id from a name: case, spaces and punctuation do not count."""
    text = clean_arrow(names)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    # An ASCII name's key, as normalise_label makes it, in Arrow's kernels over every row:
    # five million distinct names were five million Python strings twice over and a hash of
    # them all (a gigabyte, five seconds). Other names go through normalise_label, each
    # distinct one once.
    # A slice of rows at a time: each kernel copies the text, and over 500,000 names of 250
    # characters the copies took 700 MB at once.
    derived = pa.chunked_array(
        [_ascii_keys(text.slice(at, SLICE_ROWS)) for at in range(0, len(text), SLICE_ROWS)],
        pa.string(),
    ).combine_chunks()
    other = pc.invert(pc.fill_null(pc.string_is_ascii(text), True))
    if pc.any(other).as_py():
        names_ = text.filter(other)
        unique = pc.unique(names_)
        own = [normalise_label(name, name_keys) or name for name in unique.to_pylist()]
        found = pc.take(pa.array(own, pa.string()), pc.index_in(names_, value_set=unique))
        derived = pc.replace_with_mask(derived, other, found)
    return pd.Series(derived, index=names.index, dtype="str")
