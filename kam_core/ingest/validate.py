"""Turn a sheet's data rows into clean canonical rows, skipped rows and rejected rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.config import SETTINGS
from kam_core.i18n import N_, _, fmt_number
from kam_core.ingest.fields import (
    BOOL_FIELDS,
    DATE_FIELDS,
    FIELDS,
    NUMBER_FIELDS,
    TOTAL_LABELS,
    TOTAL_PREFIXES,
    TOTAL_SUFFIXES,
    field_word,
    normalise_label,
)
from kam_core.ingest.grid import SheetGrid
from kam_core.ingest.header import Layout
from kam_core.ingest.parse import (
    clean_name,
    clean_text,
    client_key,
    parse_dates,
    parse_flags,
    parse_ids,
    parse_numbers,
)

_TOTAL_HINT = r"total|\bsum\b|overall|סה|סך|סיכום|итог|всего"
# What a cell shows when its formula failed; a workbook read as text carries these codes.
EXCEL_ERROR = r"#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|GETTING_DATA|SPILL!|CALC!)"
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


@dataclass
class ParsedSheet:
    """The outcome of reading one sheet: rows to load, rows refused, rows that were not data."""

    rows: pd.DataFrame  # canonical fields + source_row
    rejected: pd.DataFrame  # sheet, row, column, value, reason + the row's cells
    rows_read: int
    skipped: dict[str, int] = field(default_factory=dict)
    date_orders: dict[str, str] = field(default_factory=dict)

    @property
    def rows_skipped(self) -> int:
        """Rows that were not data: blanks, totals, repeated headers."""
        return sum(self.skipped.values())


class _Texts(dict):
    """Each column's cells stripped, blanks as missing: cleaned once, used by every check."""

    def __init__(self, frame: pd.DataFrame) -> None:
        super().__init__()
        self.frame = frame
        self.index = frame.index

    def __missing__(self, col: int) -> pd.Series:
        self[col] = clean_text(self.frame[col])
        return self[col]


def _frame(grid: SheetGrid, layout: Layout) -> pd.DataFrame:
    start = layout.header_index + 1
    table = grid.table.slice(start)
    frame = table.to_pandas(types_mapper=lambda _t: pd.StringDtype("pyarrow", na_value=np.nan))
    frame.columns = list(range(frame.shape[1]))
    frame.index = pd.RangeIndex(start + grid.first_row, start + grid.first_row + len(frame))
    return frame


def _blank_rows(table: pa.Table, texts: _Texts) -> pd.Series:
    """Rows with no text in any cell (columns without any text are skipped at once)."""
    blank = np.ones(table.num_rows, dtype=bool)
    for col, column in enumerate(table.columns):
        if column.null_count == len(column):
            continue
        blank &= texts[col].isna().to_numpy()
    return pd.Series(blank, index=texts.index)


def _repeated_headers(frame: pd.DataFrame, layout: Layout, texts: _Texts) -> pd.Series:
    mapped = sorted(set(layout.mapping.values()))
    hits = pd.Series(0, index=frame.index)
    for col in mapped:
        label = layout.columns[col].strip().lower()
        if label:  # cleaned text has blanks as missing, which no label equals
            text = pc.utf8_lower(pa.array(texts[col], type=pa.string(), from_pandas=True))
        else:
            text = pc.utf8_lower(pc.utf8_trim_whitespace(pa.array(frame[col], pa.string())))
        same = pc.fill_null(pc.equal(text, label), False)
        hits += np.asarray(same, dtype=int)
    return hits >= max(2, (len(mapped) + 1) // 2)


def _total_rows(
    frame: pd.DataFrame,
    table: pa.Table,
    dates: pd.Series,
    has_client: pd.Series,
    amounts: pd.Series,
) -> pd.Series:
    """Totals: a 'Total' label; 'Total for X' or 'X Total' without a date; an amount alone."""
    exact = pd.Series(False, index=frame.index)
    prefix = pd.Series(False, index=frame.index)
    # Only rows without a date can be totals: look for the words in those rows alone.
    undated = np.flatnonzero(dates.isna().to_numpy())
    for col, column in enumerate(table.columns if len(undated) else []):
        if column.null_count == len(column):
            continue
        found = pc.match_substring_regex(column.take(undated), _TOTAL_HINT, ignore_case=True)
        rows = undated[np.asarray(pc.fill_null(found, False), dtype=bool)]
        if not len(rows):
            continue
        norm = frame[col].iloc[rows].map(normalise_label)
        exact.loc[norm.index] |= norm.isin(TOTAL_LABELS)
        prefix.loc[norm.index] |= norm.map(
            lambda v: v.startswith(TOTAL_PREFIXES) or v.endswith(TOTAL_SUFFIXES)
        )
    no_date = dates.isna()
    amount_alone = amounts.notna() & no_date & ~has_client
    # A dated row is data even when some cell reads "Total" (a product can be called that).
    return ((exact | prefix) & no_date) | amount_alone


def parse_sheet(grid: SheetGrid, layout: Layout, monthfirst: bool | None = None) -> ParsedSheet:
    """Parse the rows below the header into canonical fields, with reasons for refused rows."""
    frame = _frame(grid, layout)
    rows_read = len(frame)
    col_of = layout.mapping
    out = pd.DataFrame(index=frame.index)
    orders: dict[str, str] = {}
    empty = pd.Series(np.nan, index=frame.index, dtype="str")
    # The parsers strip cells themselves; stripped text gives them the same values.
    texts = _Texts(frame)
    for fld in FIELDS:
        if fld not in col_of:
            continue
        raw = texts[col_of[fld]]
        if fld in DATE_FIELDS:
            out[fld], orders[fld] = parse_dates(raw, monthfirst)
        elif fld in NUMBER_FIELDS:
            out[fld] = parse_numbers(raw)
        elif fld in BOOL_FIELDS:
            out[fld] = parse_flags(raw)
        elif fld in ("client_id", "order_id"):
            out[fld] = parse_ids(raw)
        else:
            out[fld] = clean_name(raw)
    names = out.get("client_name", empty)
    ids = out.get("client_id", empty)
    has_client = ids.notna() | names.notna()
    dates = out["order_date"] if "order_date" in out else pd.Series(pd.NaT, index=frame.index)
    amounts = out["revenue"] if "revenue" in out else pd.Series(np.nan, index=frame.index)

    table = grid.table.slice(layout.header_index + 1)
    blank = _blank_rows(table, texts)
    header_again = ~blank & _repeated_headers(frame, layout, texts)
    totals = ~blank & ~header_again & _total_rows(frame, table, dates, has_client, amounts)
    skip = blank | header_again | totals
    skipped = {
        "blank": int(blank.sum()),
        "repeated_header": int(header_again.sum()),
        "total": int(totals.sum()),
    }

    reasons = _reasons(texts, out, layout, has_client)
    broken = _reader_problems(grid, reasons, layout)
    bad = (reasons["reason"].notna() & ~skip) | broken
    skip &= ~broken
    rejected = _rejected_frame(frame[bad], reasons[bad], layout)
    good = ~skip & ~bad
    del reasons, frame
    texts.clear()  # the stripped copies go before the rows are taken
    rows = out if good.all() else out[good]  # no copy of a million rows when every row is good
    del out
    if "client_id" not in rows:
        rows["client_id"] = pd.Series(np.nan, index=rows.index, dtype="str")
    missing = rows["client_id"].isna()
    if "client_name" in rows and missing.any():  # ids derived only where the file has none
        rows.loc[missing, "client_id"] = client_key(rows.loc[missing, "client_name"])
    rows["source_row"] = rows.index.astype("int64")
    return ParsedSheet(rows.reset_index(drop=True), rejected, rows_read, skipped, orders)


def _reader_problems(grid: SheetGrid, reasons: pd.DataFrame, layout: Layout) -> pd.Series:
    """Rows the reader could not split or decode: their reason replaces any other."""
    broken = pd.Series(False, index=reasons.index)
    for index, why in grid.problems.items():
        row = index + grid.first_row
        if row in broken.index:
            broken[row] = True
            # The reader's reasons come from the worker in English: shown in the user's language.
            reasons.loc[row, ["column", "value", "reason"]] = [_("row"), "", _(why)]
    return broken


def _reasons(
    texts: _Texts, out: pd.DataFrame, layout: Layout, has_client: pd.Series
) -> pd.DataFrame:
    """First problem of each row: column, value and reason (all NaN for a good row)."""
    found = pd.DataFrame(
        {"column": np.nan, "value": np.nan, "reason": np.nan}, index=texts.index, dtype="object"
    )

    def text_of(col: int) -> pd.Series:
        return texts[col]

    def note(mask: pd.Series, column: str, value: pd.Series | str, reason: str) -> None:
        fill = mask & found["reason"].isna()
        if fill.any():
            found.loc[fill, "column"] = column
            shown = value[fill].str.slice(0, 200) if isinstance(value, pd.Series) else value
            found.loc[fill, "value"] = shown
            found.loc[fill, "reason"] = reason

    checked = [f for f in (*DATE_FIELDS, *NUMBER_FIELDS, *BOOL_FIELDS) if f in layout.mapping]
    limit = SETTINGS.limits.max_cell_chars
    for fld, col in layout.mapping.items():
        raw = text_of(col)
        where = f"{layout.letters[col]} ({layout.columns[col]})"
        label = field_word(fld)
        hashes = raw.str.startswith("#").fillna(False)
        if hashes.any():  # the error pattern only where a cell can hold one
            errors = hashes & raw.where(hashes).str.fullmatch(EXCEL_ERROR).fillna(False)
            why = _("{field} is an Excel error value; fix the formula").format(field=label)
            note(errors, where, raw, why)
        lengths = raw.str.len().fillna(0)
        note(
            lengths > limit,
            where,
            raw,
            _("{field} is longer than {limit} characters (Excel's cell limit)").format(
                field=label, limit=fmt_number(limit)
            ),
        )
    for fld in ("order_date", "revenue"):
        col = layout.mapping[fld]
        where = f"{layout.letters[col]} ({layout.columns[col]})"
        note(text_of(col).isna(), where, "", _("{field} is missing").format(field=field_word(fld)))
    missing_client = _("client is missing (no client id and no client name)")
    note(~has_client, _("client"), "", missing_client)
    for fld in checked:
        col = layout.mapping[fld]
        raw = text_of(col)
        where = f"{layout.letters[col]} ({layout.columns[col]})"
        note(
            raw.notna() & out[fld].isna(),
            where,
            raw,
            _(_NOT_READABLE[fld]).format(field=field_word(fld)),
        )
    _poison(texts, out, layout, note)
    return found


def _poison(texts: dict[int, pd.Series], out: pd.DataFrame, layout: Layout, note) -> None:
    """Values that read fine but would poison every report: huge amounts, future orders."""
    limits = SETTINGS.limits
    for fld in NUMBER_FIELDS:
        if fld not in layout.mapping:
            continue
        col = layout.mapping[fld]
        value = out[fld]
        wrong = value.notna() & ~(value.abs() <= limits.max_amount)  # inf fails the comparison
        note(
            wrong,
            f"{layout.letters[col]} ({layout.columns[col]})",
            texts[col],
            _("{field} is out of range (beyond {limit} per line)").format(
                field=field_word(fld), limit=fmt_number(limits.max_amount)
            ),
        )
    if "order_date" in layout.mapping:
        col = layout.mapping["order_date"]
        latest = pd.Timestamp(date.today() + timedelta(days=limits.future_grace_days))
        note(
            out["order_date"] > latest,
            f"{layout.letters[col]} ({layout.columns[col]})",
            texts[col],
            _("order date is in the future"),
        )


def _rejected_frame(frame: pd.DataFrame, reasons: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    head = reasons.copy()
    head.insert(0, "row", frame.index.astype("int64"))
    head.insert(0, "sheet", layout.sheet)
    cells = frame.copy()
    # A sheet's own "value" or "row" column must not shadow the report's columns of that name.
    labels = [
        f"{label} ({letter})" if label in head.columns else label
        for label, letter in zip(layout.columns, layout.letters, strict=False)
    ]
    cells.columns = labels[: cells.shape[1]]
    return pd.concat([head, cells], axis=1).reset_index(drop=True)
