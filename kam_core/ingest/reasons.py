"""Why a row is refused: the first problem of each row, found column by column on Arrow text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.config import SETTINGS
from kam_core.i18n import N_, _, fmt_number
from kam_core.ingest.errors import FORMULA_WITHOUT_RESULT
from kam_core.ingest.fields import (
    BOOL_FIELDS,
    DATE_FIELDS,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    field_word,
)
from kam_core.ingest.header import Layout
from kam_core.ingest.text import SLICE_ROWS, Text
from kam_core.ingest.written import MAX_DATE, MIN_DATE

# What a cell shows when its formula failed; a workbook read as text carries these codes.
# LibreOffice shows some of its own by number (Err:502, Err:504: a bad argument).
EXCEL_ERROR = (
    r"(?:#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|GETTING_DATA|SPILL!|CALC!)|Err:[0-9]{3})"
)
# "<field> is not <kind>", whole sentences so each language can order its words.
_NOT_READABLE = {
    "order_date": N_("{field} is not a date"),
    "due_date": N_("{field} is not a date"),
    "ship_date": N_("{field} is not a date"),
    "revenue": N_("{field} is not an amount"),
    "profit": N_("{field} is not an amount"),
    "quantity": N_("{field} is not a number"),
    "returned": N_("{field} is not yes or no"),
}
# A month alone among dates with days: said apart from "not a date", since it is one to a person.
_MONTH_ONLY = N_("{field} names a month without a day, while the column's other dates have days")
# A date that reads but lies beyond the years any order can have (a typo: 2204, 1024, 9999).
_OUTSIDE = N_("{field} is outside the years {first} to {last}")
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
SHOWN_CHARS = 200  # a rejected cell's value is shown up to this many characters
_EXCEL_ROUNDED = r"^[+-]?\d(?:[.,]\d+)?[eE]\+\d{2,3}$"  # 1.23457E+11, as Excel writes it


def mask(arr: Text) -> np.ndarray:
    """A boolean Arrow array as NumPy, nulls as False."""
    return np.asarray(pc.fill_null(arr, False), dtype=bool)


def missing(values: np.ndarray | Text | pd.Series) -> np.ndarray:
    """Where a parsed column (Arrow text, NumPy numbers or dates, a Series) has no value."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return np.asarray(values.is_null(), dtype=bool)
    if isinstance(values, pd.Series):
        return values.isna().to_numpy()
    if values.dtype.kind == "M":
        return np.isnat(values)
    return np.isnan(values)


class Reasons:
    """The first problem noted for each row: which column, the value shown, the reason."""

    def __init__(self, n: int) -> None:
        """Start with no problem on any of n rows."""
        self.code = np.full(n, -1, dtype=np.int32)  # index into entries, -1: none
        self.entries: list[tuple[str, Text | str, str]] = []
        self._same: dict[tuple[str, str, str], int] = {}  # a row's own entry, shared by others

    @property
    def found(self) -> np.ndarray:
        """Rows with a problem."""
        return self.code >= 0

    def note(self, where: np.ndarray, column: str, value: Text | str, reason: str) -> None:
        """Note the reason for the rows in where that have none yet."""
        fill = where & (self.code < 0)
        if fill.any():
            self.code[fill] = len(self.entries)
            self.entries.append((column, value, reason))

    def replace(self, row: int, column: str, value: str, reason: str) -> None:
        """Set a row's reason, replacing any noted before."""
        # A million rows given one reason share one entry (each its own made frame() slow).
        key = (column, value, reason)
        if key not in self._same:
            self._same[key] = len(self.entries)
            self.entries.append(key)
        self.code[row] = self._same[key]

    def frame(self, rows: np.ndarray) -> pd.DataFrame:
        """column, value and reason of the given rows (positions), as text."""
        out = np.full((3, len(rows)), np.nan, dtype=object)
        codes = self.code[rows]
        # The rows of each reason, from one sort (not one pass over the rows per reason).
        order = np.argsort(codes, kind="stable")
        ordered = codes[order]
        starts = np.flatnonzero(np.diff(ordered, prepend=-2)).tolist()
        for start, stop in zip(starts, [*starts[1:], len(order)], strict=False):
            k = int(ordered[start])
            if k < 0:
                continue
            column, value, reason = self.entries[k]
            at = order[start:stop]
            out[0, at] = column
            out[2, at] = reason
            if isinstance(value, str):
                out[1, at] = value
            else:
                # Cut in Arrow, a slice of rows at a time: 40,000 cells of 9,000 characters
                # were copied twice whole, 500,000 of 1,000 characters took 480 MB at once.
                for part in range(0, len(at), SLICE_ROWS):
                    some = at[part : part + SLICE_ROWS]
                    cells = pc.utf8_slice_codeunits(
                        value.take(pa.array(rows[some])), 0, SHOWN_CHARS
                    )
                    # A workbook's date arrives with its midnight ('2027-07-09 00:00:00'):
                    # shown as the day the manager typed.
                    cells = pc.replace_substring_regex(cells, _MIDNIGHT, r"\1")
                    out[1, some] = [np.nan if v is None else v for v in cells.to_pylist()]
        return pd.DataFrame({"column": out[0], "value": out[1], "reason": out[2]}, dtype="object")


def find_reasons(
    texts: Callable[[int], Text],
    out: dict[str, object],
    layout: Layout,
    has_client: np.ndarray,
    months: dict[str, np.ndarray] | None = None,
    formulas: dict[int, np.ndarray] | None = None,
    outside: dict[str, np.ndarray] | None = None,
) -> Reasons:
    """First problem of each row: errors, over-long cells, missing or unreadable values.

    months: per date field, the cells naming a month without a day in a column of full dates;
    formulas: per column, the rows whose cell holds a formula without a saved result;
    outside: per date field, the cells read as a date outside the years orders can have.
    """
    found = Reasons(len(has_client))
    limit, text_limit = SETTINGS.limits.max_cell_chars, SETTINGS.limits.max_value_chars
    for fld, col in layout.mapping.items():
        raw = texts(col)
        where = layout.title(col)
        label = field_word(fld)
        if formulas and col in formulas:  # the reader reads such a cell as empty
            found.note(formulas[col] & missing(raw), where, "", _(FORMULA_WITHOUT_RESULT))
        hashes = mask(pc.or_(pc.starts_with(raw, "#"), pc.starts_with(raw, "Err:")))
        if hashes.any():  # the error pattern only where a cell can hold one
            at = np.flatnonzero(hashes)
            hit = mask(pc.match_substring_regex(raw.take(pa.array(at)), f"^{EXCEL_ERROR}$"))
            errors = np.zeros(len(raw), dtype=bool)
            errors[at[hit]] = True
            why = _("{field} is an Excel error value; fix the formula").format(field=label)
            found.note(errors, where, raw, why)
        # A cell has no more characters than bytes: count characters only past the limit.
        longest = (pc.max(pc.binary_length(raw)).as_py() or 0) if len(raw) else 0
        bounds = [(limit, _("{field} is longer than {limit} characters (Excel's cell limit)"))]
        if fld in TEXT_FIELDS:  # text stored as it is: a name, id, product
            why = _("{field} is longer than {limit} characters; no name or code is that long")
            bounds.append((text_limit, why))
        for bound, why in bounds:
            if longest > bound:
                too_long = mask(pc.greater(pc.utf8_length(raw), bound))
                if bound == text_limit:
                    too_long = _letters_over(raw, too_long, bound)
                found.note(too_long, where, raw, why.format(field=label, limit=fmt_number(bound)))
    for fld in ("client_id", "order_id"):
        if fld not in layout.mapping:
            continue
        col = layout.mapping[fld]
        raw = texts(col)
        # Excel shows a long number as 1.23457E+11 and saves it so: the digits are gone, and
        # different clients (or orders) would become one.
        rounded = mask(pc.match_substring_regex(raw, _EXCEL_ROUNDED)) if len(raw) else None
        if rounded is not None and rounded.any():
            why = _(
                "{field} was rounded by Excel (written in scientific notation, its digits are "
                "lost); export the column as text"
            ).format(field=field_word(fld))
            found.note(rounded, layout.title(col), raw, why)
    for fld in ("order_date", "revenue"):
        col = layout.mapping[fld]
        where = layout.title(col)
        missing_why = _("{field} is missing").format(field=field_word(fld))
        found.note(missing(texts(col)), where, "", missing_why)
    missing_client = _("client is missing (no client id and no client name)")
    found.note(~has_client, _("client"), "", missing_client)
    for fld in (*DATE_FIELDS, *NUMBER_FIELDS, *BOOL_FIELDS):
        if fld not in layout.mapping:
            continue
        col = layout.mapping[fld]
        raw = texts(col)
        where = layout.title(col)
        if months is not None and fld in months:
            found.note(months[fld], where, raw, _(_MONTH_ONLY).format(field=field_word(fld)))
        if outside is not None and outside.get(fld) is not None:
            why = _(_OUTSIDE).format(field=field_word(fld), first=MIN_DATE.year, last=MAX_DATE.year)
            found.note(outside[fld], where, raw, why)
        found.note(
            ~missing(raw) & missing(out[fld]),
            where,
            raw,
            _(_NOT_READABLE[fld]).format(field=field_word(fld)),
        )
    _poison(texts, out, layout, found)
    return found


# The smallest number a double holds at full precision: a written amount below it (1e-400) reads
# as 0, or as a figure of a few digits.
_TINY = np.finfo(np.float64).tiny
# A figure with a nonzero digit before an exponent: '1e-400', '-2.5E-330' (not '0e-400').
_NONZERO_EXPONENT = r"^[^eE]*[1-9][^eE]*[eE]"


def _underflow(raw: Text, value: np.ndarray) -> np.ndarray:
    """Cells that write a nonzero amount read as 0 or nearly: the written value is lost."""
    out = np.zeros(len(value), dtype=bool)
    with np.errstate(invalid="ignore"):
        at = np.flatnonzero(np.abs(value) < _TINY)  # NaN (missing) is not
    if len(at):
        written = mask(pc.match_substring_regex(raw.take(pa.array(at)), _NONZERO_EXPONENT))
        out[at[written]] = True
    return out


def _letters_over(raw: Text, over: np.ndarray, bound: int) -> np.ndarray:
    """Of the cells over bound characters, those over it in letters: marks (Hebrew points, an
    accent written apart, as macOS writes it) do not count as characters of a name."""
    at = np.flatnonzero(over)
    if not len(at):
        return over
    out = np.zeros(len(over), dtype=bool)
    for part in range(0, len(at), SLICE_ROWS):  # each slice's copies go before the next's
        some = at[part : part + SLICE_ROWS]
        letters = pc.replace_substring_regex(raw.take(pa.array(some)), r"\p{M}", "")
        out[some] = mask(pc.greater(pc.utf8_length(letters), bound))
    return out


def _poison(
    texts: Callable[[int], Text], out: dict[str, object], layout: Layout, found: Reasons
) -> None:
    """Values that read fine but would poison every report: huge amounts, future orders."""
    limits = SETTINGS.limits
    for fld in NUMBER_FIELDS:
        if fld not in layout.mapping:
            continue
        col = layout.mapping[fld]
        value = out[fld]
        wrong = ~np.isnan(value) & ~(np.abs(value) <= limits.max_amount)  # inf fails it
        found.note(
            wrong,
            layout.title(col),
            texts(col),
            _("{field} is out of range (beyond {limit} per line)").format(
                field=field_word(fld), limit=fmt_number(limits.max_amount)
            ),
        )
        found.note(
            _underflow(texts(col), value),
            layout.title(col),
            texts(col),
            _("{field} is out of range (not zero, but too small for a number to hold)").format(
                field=field_word(fld)
            ),
        )
    if "order_date" in layout.mapping:
        col = layout.mapping["order_date"]
        latest = np.datetime64(date.today() + timedelta(days=limits.future_grace_days), "s")
        found.note(
            out["order_date"] > latest,
            layout.title(col),
            texts(col),
            _("order date is in the future"),
        )
