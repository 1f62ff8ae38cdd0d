"""Turn a sheet's data rows into clean canonical rows, skipped rows and rejected rows.

The work runs on the grid's Arrow columns: each column is trimmed once (no copy when nothing
changes), parsed into NumPy or Arrow arrays, and only refused rows become pandas cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.i18n import N_, _, fmt_date, fmt_number, ngettext
from kam_core.ingest import extent
from kam_core.ingest.continued import fill_continued
from kam_core.ingest.credits import document_kinds, document_states
from kam_core.ingest.csvread import WIDE_ROW
from kam_core.ingest.errors import ImportRefused, few_numbers, named
from kam_core.ingest.fields import (
    BOOL_FIELDS,
    CLIENT_FIELDS,
    DATE_FIELDS,
    FIELDS,
    NAME_KEYS,
    NUMBER_FIELDS,
    PLAIN_IDS,
    TEXT_FIELDS,
    field_word,
    normalise_label,
)
from kam_core.ingest.grid import SheetGrid, column_letter
from kam_core.ingest.grouped import (
    fill_groups,
    fill_over_lines,
    fill_pivot_labels,
    one_line_counts,
    without_count,
)
from kam_core.ingest.header import (
    CUSTOMER_JOB,
    Layout,
    currency_column,
    header_cells,
    in_local_currency,
)
from kam_core.ingest.ledger import sides_joined
from kam_core.ingest.lineitems import order_lines
from kam_core.ingest.memory import give_back
from kam_core.ingest.months import monthly_note, with_year
from kam_core.ingest.outliers import out_of_line, out_of_time
from kam_core.ingest.parse import (
    FROM_NAME,
    DateColumn,
    client_key,
    codes_mixed,
    comma_decimals_in_doubt,
    comma_decimals_note,
    currencies_mixed,
    date_column,
    decimal_marks_mixed,
    numbers,
    parse_flags,
    sides_marked,
    thousands_in_doubt,
    with_unix_cells,
)
from kam_core.ingest.reasons import Reasons, find_reasons, mask, missing
from kam_core.ingest.skipped import (
    blank_rows,
    dated_totals,
    page_lines,
    repeated_headers,
    starred_totals,
    total_rows,
)
from kam_core.ingest.text import (
    SLICE_ROWS,
    Text,
    as_arrow,
    as_series,
    byte_range,
    clean_arrow,
    clean_name_arrow,
    figures_only,
    id_arrow,
    may_hold,
)
from kam_core.ingest.written import EPOCH_1904, EXCEL_EPOCH, day_first_proof

_THREADS = 2
CELL_SHOWN = 1_000  # characters of a rejected row's cell kept for the report


@dataclass
class ParsedSheet:
    """The outcome of reading one sheet: rows to load, rows refused, rows that were not data."""

    rows: pd.DataFrame  # canonical fields + source_row
    rejected: pd.DataFrame  # sheet, row, column, value, reason + the row's cells
    rows_read: int
    skipped: dict[str, int] = field(default_factory=dict)
    date_orders: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the user should know about the rows
    # Date fields whose d/m order nothing in the column decided (read day first): an example.
    guessed: dict[str, str] = field(default_factory=dict)

    @property
    def rows_skipped(self) -> int:
        """Rows that were not data: blanks, totals, repeated headers."""
        return sum(self.skipped.values())


class _Texts(dict):
    """Each column's cells trimmed, blanks as nulls: cleaned once, used by every check."""

    def __init__(self, table: pa.Table) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, col: int) -> Text:
        self[col] = clean_arrow(self.table.column(col))
        return self[col]


def _parse_field(
    fld: str,
    raw: Text,
    monthfirst: bool | None,
    epoch: pd.Timestamp,
    plain_ids: bool = True,
    comma_default: bool = False,
) -> object:
    """One mapped field's cells parsed (dates as a DateColumn, with their order and months)."""
    if fld in DATE_FIELDS:
        return with_unix_cells(raw, date_column(raw, monthfirst, epoch))
    if fld in NUMBER_FIELDS:
        return numbers(raw, comma_default)
    if fld in BOOL_FIELDS:
        return parse_flags(as_series(raw))
    ids = fld in ("client_id", "order_id")
    parsed = id_arrow(raw, plain_ids) if ids else clean_name_arrow(raw)
    return _without_placeholders(parsed) if fld in CLIENT_FIELDS else parsed


# What databases and spreadsheets write for "no value": as a client, each became one client
# holding every such row ("NULL", "None", "-").
_PLACEHOLDERS = pa.array(
    [
        *("null", "(null)", "<null>", "none", "nan", "n/a", "#n/a", "-", "--", "---", "?"),
        *("??", "—", "–", "(blank)", "(empty)", "undefined", "nil", "ללא", "אין", "нет"),
    ]
)


def _without_placeholders(arr: Text) -> Text:
    """The client cells with a placeholder for no value left empty (in any case)."""
    short = pc.less_equal(pc.binary_length(arr), 9)
    if not pc.any(short).as_py():
        return arr
    hit = pc.and_(short, pc.is_in(pc.utf8_lower(arr), value_set=_PLACEHOLDERS))
    if not pc.any(hit).as_py():
        return arr
    return pc.if_else(hit, pa.scalar(None, arr.type), arr)


def _parse_columns(
    texts: _Texts,
    layout: Layout,
    monthfirst: bool | None,
    epoch: pd.Timestamp,
    plain_ids: bool = True,
    comma_default: bool = False,
) -> tuple[dict[str, object], dict[str, DateColumn]]:
    """Each mapped field parsed: dates and numbers as NumPy, text as Arrow, flags as a Series."""
    fields = [fld for fld in FIELDS if fld in layout.mapping]
    columns = sorted({layout.mapping[fld] for fld in fields})
    # Two columns at a time: Arrow's and NumPy's kernels release the GIL, so the trimming and
    # parsing of a million rows take about half the time on the clock with two cores.
    with ThreadPoolExecutor(_THREADS) as pool:
        trimmed = pool.map(lambda col: clean_arrow(texts.table.column(col)), columns)
        for col, text in zip(columns, trimmed, strict=True):
            texts[col] = text
        done = pool.map(
            lambda fld: _parse_field(
                fld, texts[layout.mapping[fld]], monthfirst, epoch, plain_ids, comma_default
            ),
            fields,
        )
        parsed = dict(zip(fields, done, strict=True))
    dated = {fld: col for fld, col in parsed.items() if isinstance(col, DateColumn)}
    out = {fld: dated[fld].values if fld in dated else values for fld, values in parsed.items()}
    return out, dated


def _month_first_allowed(arr: Text, column: str) -> None:
    """Refuse month first, asked for, of a column whose dates say the day comes first.

    25/03/2024 reads day first only: read month first it was rejected, and every date that
    reads both ways (05/03/2024) was stored on another day without a word.
    """
    distinct = pc.unique(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)
    proof = day_first_proof(as_series(distinct.drop_null()))
    if proof is None:
        return
    message = ngettext(
        "{column}: month first was asked, but {count} of its dates can only be read day "
        "first (such as '{value}'), more than can only be read month first",
        "{column}: month first was asked, but {count} of its dates can only be read day "
        "first (such as '{value}'), more than can only be read month first",
        proof.count,
    ).format(column=column, count=fmt_number(proof.count), value=proof.example)
    if proof.swapped is not None:
        message += _(
            "; read month first, the others would be stored on other days ({value} as {date})"
        ).format(value=proof.swapped, date=fmt_date(proof.swapped_as, "medium"))
    raise ImportRefused(message + ". " + _("Import the file reading the day first."))


def parse_sheet(
    grid: SheetGrid,
    layout: Layout,
    monthfirst: bool | None = None,
    delimited: bool = False,
    name_keys: int = NAME_KEYS,
    currency: str | None = None,
) -> ParsedSheet:
    """Parse the rows below the header into canonical fields, with reasons for refused rows.

    name_keys: how client ids are derived from names (fields.normalise_label).
    currency: the company's own currency (its sign), which a currency column's empty cells
    stand for.
    """
    start = layout.header_index + 1
    table = grid.table.slice(start)
    filled = []
    if grid.merges:
        clients = frozenset(layout.mapping[f] for f in CLIENT_FIELDS if f in layout.mapping)
        table, filled = merged_filled(table, grid.merges, start + grid.first_row - 1, clients)
    table = sides_joined(table, layout)
    n = table.num_rows
    texts = _Texts(table)
    table, continued = fill_continued(table, texts.__getitem__, layout)
    if continued.any():
        texts = _Texts(table)
    written = _header_written(grid, layout)  # for group rows over lines and repeated headers
    table, grouped, group_rows, group_example = fill_over_lines(
        table, texts.__getitem__, layout, written, _above_header(grid, start)
    )
    if grouped.any():
        texts = _Texts(table)
    else:
        table, grouped, group_rows, group_example = fill_groups(table, texts.__getitem__, layout)
    table, counted_one = one_line_counts(table, texts.__getitem__, layout)
    if counted_one:
        texts = _Texts(table)
    table, pivot_labels = fill_pivot_labels(table, texts.__getitem__, layout)
    table, dated_by_year = with_year(table, layout)
    table, jobs = customer_of_jobs(table, layout)
    if jobs:
        # The customers' and jobs' own rows: a label, nothing in any column read.
        group_rows = group_rows | _label_rows(texts, layout, table.num_rows)
    if grouped.any() or dated_by_year or jobs or pivot_labels:
        texts = _Texts(table)
    epoch = EPOCH_1904 if grid.date1904 else EXCEL_EPOCH
    # Excel separates a CSV's columns with ';' where the comma is the decimal mark: there an
    # amount that does not show its mark ('2.500', '1,750') is read with a decimal comma.
    comma_default = grid.delimiter == ";"
    plain_ids = name_keys >= PLAIN_IDS
    out, dated = _parse_columns(texts, layout, monthfirst, epoch, plain_ids, comma_default)
    if monthfirst:
        for fld in dated:
            _month_first_allowed(texts[layout.mapping[fld]], layout.title(layout.mapping[fld]))
    orders = {fld: col.order for fld, col in dated.items()}
    # Months among full dates are refused with their own reason; a monthly column is noted.
    months = {fld: col.months for fld, col in dated.items() if not col.monthly}
    outside = {fld: col.outside for fld, col in dated.items()}
    monthly = [layout.mapping[fld] for fld, col in dated.items() if col.monthly]
    notes = [monthly_note(layout.title(at)) for at in monthly]
    for fld, col in dated.items():
        if col.year_first:
            notes.append(
                _(
                    "{column}: the dates write a two-digit year first (such as '{value}') and "
                    "were read as year, month, day. If the year comes last in this file, write "
                    "the years with four digits and import it again."
                ).format(column=layout.title(layout.mapping[fld]), value=col.year_first)
            )
        if col.unix and col.unix_cells:
            notes.append(
                ngettext(
                    "{column}: {count} date among the written ones is a Unix time (seconds or "
                    "milliseconds since 1970: '{value}'); it was read as its day in UTC.",
                    "{column}: {count} dates among the written ones are Unix times (seconds or "
                    "milliseconds since 1970, such as '{value}'); each was read as its day in UTC.",
                    col.unix_cells,
                ).format(
                    column=layout.title(layout.mapping[fld]),
                    count=fmt_number(col.unix_cells),
                    value=col.unix,
                )
            )
        elif col.unix:
            notes.append(
                _(
                    "{column}: the dates are Unix times (seconds or milliseconds since 1970, "
                    "such as '{value}') and were read as their days in UTC."
                ).format(column=layout.title(layout.mapping[fld]), value=col.unix)
            )
        if col.serial:
            # Figures alone in a date column: read as Excel counts days (45123 is 16 July
            # 2023), which an export of unformatted dates writes; said, since a column of
            # other numbers would be read so too.
            day = fmt_date(epoch + pd.Timedelta(days=int(float(col.serial))), "medium")
            notes.append(
                _(
                    "{column}: numbers such as '{value}' were read as Excel day numbers "
                    "('{value}' is {date})."
                ).format(column=layout.title(layout.mapping[fld]), value=col.serial, date=day)
            )
        if col.guessed and not col.monthly:
            at = layout.mapping[fld]
            notes.append(
                _(
                    "{column}: no date in the column tells whether the day or the month comes "
                    "first (such as '{value}'); they were read day first. If the month comes "
                    "first, choose month first for this file (on the command line: "
                    "--monthfirst)."
                ).format(column=layout.title(at), value=col.guessed)
            )
    if filled:
        notes.append(merges_note(layout.sheet, filled))
    if pivot_labels:
        notes.append(
            _(
                "{columns}: each label is written once, over its rows, and closed by its total "
                "row (a pivot table); every row between took it."
            ).format(columns=", ".join(pivot_labels))
        )
    if dated_by_year:
        notes.append(dated_by_year)
    if jobs:
        notes.append(jobs)
    if continued.any():
        notes.append(
            _(
                "Row(s) {rows}: a document's number, date and client are written on its first "
                "line only; each line below took them from its first line."
            ).format(rows=_sheet_rows(grid, np.flatnonzero(continued) + start))
        )
    if grouped.any():
        notes.append(
            _(
                "Row(s) {rows}: the client is written once, on a group row above its lines "
                "(such as '{client}'); each line took the client of its group."
            ).format(
                rows=_sheet_rows(grid, np.flatnonzero(grouped) + start),
                client=named(group_example),
            )
        )
    if grid.hidden_columns:
        notes.extend(_hidden_mapped(grid, layout))
    if len(grid.merges) >= extent.MAX_MERGES:
        notes.append(
            _(
                "Sheet '{sheet}': it has more than {count} cells merged over several rows; only "
                "the first {count} were read as holding their text in each row. Unmerge the "
                "cells in Excel (Fill Down) and import the file again."
            ).format(sheet=named(layout.sheet), count=fmt_number(extent.MAX_MERGES))
        )
    guessed = {f: col.guessed for f, col in dated.items() if col.guessed and not col.monthly}
    del dated  # the dates live on in out alone, freed with it
    share = _shares(out, texts, layout)
    if share is not None:
        # A margin in percent ('25%', or 0.25 formatted so) is no profit: stored, it made each
        # sale's profit a few cents; read as amounts, '25%' rejected every sale.
        notes.append(
            _(
                "{column}: its values are shares of the sale (such as '{value}'), not amounts; "
                "it was not read as the profit. If it holds amounts, choose it again in the "
                "column choices (on the command line: --map profit=COLUMN)."
            ).format(column=layout.title(layout.mapping["profit"]), value=share)
        )
        del out["profit"]
        layout = replace(layout, mapping={f: c for f, c in layout.mapping.items() if f != "profit"})
    for fld in ("revenue", "profit"):
        sides = sides_marked(texts[layout.mapping[fld]]) if fld in out else None
        if sides is not None:
            # The sign comes from the mark alone: say so, since a credit turns a sale negative.
            shown = np.flatnonzero(sides[1] if sides[1].any() else sides[0])[0]
            notes.append(
                _(
                    "{column}: its amounts write CR or DR after the figure (such as '{value}'); "
                    "those marked CR were read as credits (below zero), those marked DR as "
                    "debits."
                ).format(
                    column=layout.title(layout.mapping[fld]),
                    value=texts[layout.mapping[fld]][int(shown)].as_py(),
                )
            )
    titles = _titles_above(grid, layout)
    for fld in ("revenue", "profit"):
        scale = _header_scale(layout, fld) if fld in out else None
        said = _(
            "{column}: the header says the amounts are in {unit}; they were stored "
            "multiplied by {factor}."
        )
        if fld in out and scale is None:
            # A report titled 'Sales by client (USD thousands)' over a plain 'Amount': the
            # amounts were stored a thousand times too small.
            scale = _title_scale(titles)
            said = _(
                "{column}: the title above the header says the amounts are in {unit}; they "
                "were stored multiplied by {factor}."
            )
        if scale is not None and layout.mapping[fld] in grid.shown_scaled:
            # The cells hold the full amounts; the workbook's format shows them in thousands,
            # which is what the header or title describes.
            notes.append(
                _(
                    "{column}: the amounts are said to be in {unit}, but the cells hold the "
                    "full amounts (the workbook's format shows them divided); they were stored "
                    "as the cells hold them."
                ).format(column=layout.title(layout.mapping[fld]), unit=_(scale[1]))
            )
        elif scale is not None:
            out[fld] = out[fld] * scale[0]
            notes.append(
                said.format(
                    column=layout.title(layout.mapping[fld]),
                    unit=_(scale[1]),
                    factor=fmt_number(scale[0]),
                )
            )
    # A web shop's further line items of an order whose amounts sit on its first row: the
    # order's amount counts once, its lines' quantities with it.
    of_order = order_lines(texts.__getitem__, n, layout)
    lines = of_order >= 0
    if lines.any():
        if "quantity" in out:
            quantity = np.asarray(out["quantity"], dtype=float)
            np.add.at(quantity, of_order[lines], np.nan_to_num(quantity[lines]))
            out["quantity"] = quantity
        notes.append(
            _(
                "Row(s) {rows}: further line items of an order whose amount is written on its "
                "first row only (the order's name repeated); the order counts once, with the "
                "quantities of all its lines."
            ).format(rows=_sheet_rows(grid, np.flatnonzero(lines) + start))
        )
    give_back(n)  # the parsers' temporaries, before the checks add theirs
    has_client = np.zeros(n, dtype=bool)
    for fld in ("client_id", "client_name"):
        if fld in out:
            has_client |= ~missing(out[fld])
    no_date = missing(out["order_date"]) if "order_date" in out else np.ones(n, dtype=bool)
    amounts = out["revenue"] if "revenue" in out else np.full(n, np.nan)
    # A subtotal's label sits where the client's name is, or beside it (a product 'Total').
    labels = [*CLIENT_FIELDS, "product", "order_id"]
    clients = [texts[layout.mapping[f]] for f in labels if f in layout.mapping]
    money = {
        fld: figures_only(texts[layout.mapping[fld]]) for fld in ("revenue", "profit") if fld in out
    }
    # Totals and the amounts' decimal marks are looked at beside the other checks (Arrow's
    # kernels release the GIL); nothing there is worded, so the user's language is not needed.
    with ThreadPoolExecutor(1) as pool:
        tab = grid.delimiter == "\t"
        beside = pool.submit(_beside_checks, clients, amounts, money, comma_default, tab)
        blank = blank_rows(table, texts)
        # A header's date cell or amount cell does not read as one (its labels are words).
        header_like = (no_date | np.isnan(amounts)) & ~blank
        if not written:  # no header: none can repeat
            header_like = np.zeros(n, dtype=bool)
        header_again, moved = repeated_headers(table, layout, header_like, written)
        totals = ~blank & ~header_again
        labelled = total_rows(table, no_date, has_client, amounts)
        # The rows' problems are worded, so they are found here, in the user's thread.
        reasons = find_reasons(
            texts.__getitem__, out, layout, has_client, months, _formula_rows(grid, start, n),
            outside,
        )  # fmt: skip
        (dated, doubtful), examples, mixed, currencies = beside.result()
    totals &= labelled | dated
    # SAP's lists mark totals with asterisks in a column of their own; some repeat the client
    # and the date, and stored, a subtotal doubled its client's revenue.
    starred = starred_totals(table, set(layout.mapping.values()), written, no_date, amounts)
    starred &= ~blank & ~header_again
    totals |= starred
    for fld, (comma, point) in mixed.items():
        at = layout.mapping[fld]
        notes.append(
            _(
                "{column}: some amounts write decimals with a comma (such as '{comma}'), others "
                "with a point (such as '{point}'); those that read either way (one mark before "
                "three digits, such as 2,000) were rejected rather than guessed."
            ).format(column=layout.title(at), comma=comma, point=point)
        )
    for fld, text in money.items():  # '5,000' read as 5 beside '3,5'
        if doubt := comma_decimals_in_doubt(text):
            notes.append(comma_decimals_note(layout.title(layout.mapping[fld]), doubt))
    for fld, example in examples.items():
        at = layout.mapping[fld]
        if comma_default and "," in example:
            notes.append(
                _(
                    "{column}: every amount with a comma has three digits after it (such as "
                    "'{value}'); as the file separates its columns with ';', as Excel does "
                    "where the comma is the decimal mark, the comma was read as a decimal mark. "
                    "If it groups thousands, the amounts are a thousand times too small: undo "
                    "the import."
                ).format(column=layout.title(at), value=example)
            )
            continue
        if comma_default:
            notes.append(
                _(
                    "{column}: every amount with a point has three digits after it (such as "
                    "'{value}'); as the file separates its columns with ';', as Excel does "
                    "where the comma is the decimal mark, the point was read as grouping "
                    "thousands. If it is a decimal mark, the amounts are a thousand times too "
                    "large: undo the import."
                ).format(column=layout.title(at), value=example)
            )
            continue
        if "," in example:
            notes.append(
                _(
                    "{column}: every amount with a comma has three digits after it (such as "
                    "'{value}'); the comma was read as grouping thousands. If it is a decimal "
                    "mark in this file, the amounts are a thousand times too large: undo the "
                    "import."
                ).format(column=layout.title(at), value=example)
            )
            continue
        notes.append(
            _(
                "{column}: every amount with a point has three digits after it (such as "
                "'{value}'); the point was read as a decimal mark. If it groups thousands "
                "in this file, the amounts are a thousand times too small: undo the import."
            ).format(column=layout.title(at), value=example)
        )
    pages = page_lines(table, texts, header_like & ~header_again & ~totals, titles, header_again)
    # A client's group row names the client of the lines below it, or sums them.
    header_again &= ~group_rows
    totals &= ~group_rows
    pages &= ~group_rows
    lines &= ~blank & ~header_again & ~totals & ~pages & ~group_rows
    skip = blank | header_again | totals | pages | group_rows | lines
    skipped = {
        "blank": int(blank.sum()),
        "repeated_header": int(header_again.sum()),
        "total": int(totals.sum()),
        "page_line": int(pages.sum()),
    }
    if group_rows.any():
        skipped["group"] = int(group_rows.sum())
    if lines.any():
        skipped["order_line"] = int(lines.sum())

    for fld, signs in currencies.items():
        at = layout.mapping[fld]
        notes.append(_other_currencies(reasons, layout, at, signs, texts[at], currency))
    # Amounts in the company's own currency ('Sales (LCY)') are one currency, whatever the
    # document's currency column says.
    local = "revenue" in out and in_local_currency(layout.title(layout.mapping["revenue"]))
    tagged = currency_column(layout) if "revenue" in out and not (currencies or local) else None
    if tagged is not None:
        # A currency named in a column of its own (USD, EUR, ש"ח beside plain amounts): the
        # amounts of three currencies were added up as one. An empty cell there is the
        # company's own currency (Business Central writes no code for it).
        signs = codes_mixed(
            texts[tagged],
            _("the company's own currency"),
            ~np.isnan(np.asarray(out["revenue"], float)),
            currency,
        )
        if signs:
            notes.append(_other_currencies(reasons, layout, tagged, signs, texts[tagged], currency))
    notes += document_kinds(layout, texts.__getitem__, out, reasons)
    notes += document_states(layout, texts.__getitem__, reasons)
    if doubtful.any() and "revenue" in out:
        # A total of the rows as stored: credit notes taken off, cancelled rows and quotes
        # left out. Checked on the amounts as written only, it was stored as a client 'Total'.
        stored = np.array(out["revenue"], dtype=float)
        stored[reasons.found & ~doubtful] = np.nan
        late = doubtful & dated_totals(clients, stored)[0] & ~skip
        if late.any():
            dated, totals, skip = dated | late, totals | late, skip | late
            doubtful = doubtful & ~late
            skipped["total"] += int(late.sum())
    broken = _reader_problems(grid, reasons, start, n)
    if moved.any():
        broken |= _under_moved_header(
            header_again, moved, blank, reasons, layout, lambda i: int(grid.sheet_rows(i + start))
        )
    if delimited:
        broken |= _past_header(grid, layout, table, reasons, broken)
        broken |= _swallowed_rows(grid, layout, texts, reasons, broken)
        broken |= _cut_rows(grid, layout, table, reasons, (reasons.found & ~skip) & ~broken)
    bad = (reasons.found & ~skip) | broken
    skip &= ~broken
    rejected = _rejected_frame(
        table, np.flatnonzero(bad), reasons, layout, lambda i: grid.sheet_rows(i + start)
    )
    good = ~skip & ~bad
    del reasons
    texts.clear()  # the trimmed copies go before the rows are taken
    give_back(n)
    # The grid's pages the checks read go before the rows are copied out of it (only the
    # mapped columns are read again): held with the copies, they made a 1M-row upload's peak.
    grid.drop_pages()
    rows = _rows_frame(out, None if good.all() else np.flatnonzero(good), n)
    del out
    if "client_id" not in rows:
        rows["client_id"] = pd.Series(np.nan, index=rows.index, dtype="str")
    lacking = rows["client_id"].isna()
    if "client_name" in rows and lacking.any():  # ids derived only where the file has none
        # In Arrow: pandas' .loc assignment of 500,000 names' keys took 340 MB more.
        keys = client_key(rows.loc[lacking, "client_name"], name_keys)
        ids = pa.array(rows["client_id"], pa.string(), from_pandas=True)
        where = pa.array(lacking.to_numpy(bool))
        keyed = pc.replace_with_mask(ids, where, pa.array(keys, pa.string(), from_pandas=True))
        rows["client_id"] = pd.Series(keyed, index=rows.index, dtype="str")
        rows[FROM_NAME] = lacking.to_numpy()  # matched to stored clients by name on storing
    positions = np.flatnonzero(good)
    rows["source_row"] = grid.sheet_rows(positions + start)
    summed = np.flatnonzero(dated & totals & ~no_date)  # an undated total tells itself
    if len(summed):  # a client may be called "Total ...": the user sees which rows went
        notes.append(
            _(
                "Row(s) {rows} were skipped as totals: dated, the client or product reads like a "
                "total and the amount is the sum of the rows before it."
            ).format(rows=_sheet_rows(grid, summed + start))
        )
    marked = np.flatnonzero(starred & (~no_date | has_client))  # an amount alone tells itself
    if len(marked):
        notes.append(
            _(
                "Row(s) {rows} were skipped as totals: they are marked with asterisks (*, **) in "
                "a column of their own, as SAP marks its totals and subtotals."
            ).format(rows=_sheet_rows(grid, marked + start))
        )
    doubted = np.flatnonzero(doubtful & good)
    if len(doubted):
        notes.append(
            _(
                "Row(s) {rows}: the client reads like a total, but the amount is not the sum of "
                "the rows before it, so each was imported as a sale. If one is a total, undo "
                "this import, delete the row from the file and import it again."
            ).format(rows=_sheet_rows(grid, doubted + start))
        )
    notes += [note for note in (out_of_line(rows), out_of_time(rows)) if note]
    return ParsedSheet(rows, rejected, n, skipped, orders, notes, guessed)


def _header_written(grid: SheetGrid, layout: Layout) -> list[str]:
    """The header's cells as written, trimmed and in lower case."""
    return ["" if v is None else str(v).strip().lower() for v in header_cells(grid, layout)]


def _above_header(grid: SheetGrid, start: int) -> list[str]:
    """The cells of the row over the header, trimmed ('' for blanks); none at the top."""
    if start < 2 or start - 2 >= grid.table.num_rows:
        return []
    values = grid.table.slice(start - 2, 1).to_pylist()[0].values()
    return ["" if v is None else str(v).strip() for v in values]


def _sheet_rows(grid: SheetGrid, positions: np.ndarray) -> str:
    """The sheet's row numbers of table positions for a note, each once (a cross table's long
    form holds a row of the sheet several times)."""
    return few_numbers(np.unique(grid.sheet_rows(positions)).tolist())


def _hidden_mapped(grid: SheetGrid, layout: Layout) -> list[str]:
    """A note for each field read from a column the workbook hides (the user does not see it:
    stale amounts beside corrected ones)."""
    hidden = set(grid.hidden_columns)
    out = []
    for fld, col in layout.mapping.items():
        if (
            col < len(grid.letters)
            and extent.column_number(grid.letters[col].encode()) - 1 in hidden
        ):
            out.append(
                _(
                    "{column} is hidden in the workbook; it was read as the {field} all the "
                    "same. If another column is the right one, choose it in the column choices "
                    "(on the command line: --map {key}=COLUMN)."
                ).format(column=layout.title(col), field=field_word(fld), key=fld)
            )
    return out


def _read_as_amounts(texts: list[str]) -> np.ndarray:
    """Per text, True when it reads as an amount ('1500', '₪1,500', '(300)')."""
    # One pass of the amounts' parser over them all: a call a text took 10 ms.
    return ~np.isnan(numbers(pa.array([text.strip() for text in texts], pa.string())))


def merges_note(sheet: str, filled: list[str]) -> str:
    """The note naming the merges whose text was read in each row they cover."""
    return ngettext(
        "Sheet '{sheet}': {count} merged cell over several rows ({cells}) was read as "
        "holding its text in each of those rows.",
        "Sheet '{sheet}': {count} merged cells over several rows (such as {cells}) "
        "were read as holding their text in each of those rows.",
        len(filled),
    ).format(sheet=named(sheet), count=fmt_number(len(filled)), cells=filled[0])


def merged_filled(
    table: pa.Table,
    merges: list[tuple[int, int, int]],
    first: int,
    counted: frozenset[int] = frozenset(),
) -> tuple[pa.Table, list[str]]:
    """The data rows with each merge one column wide filled down with its text; the merges.

    first: the sheet row (from 0) of the table's first row. A number is not filled down: an
    amount merged over an order's lines is the order's, and would count once per line. A
    value a cell under a merge still holds is not shown by Excel, and is not read ('Evil' under
    a merge showing 'Acme' was stored as a client). counted: the columns (the client's) whose
    merged text loses a count of the rows it covers ('Acme Ltd (3)' over three, Salesforce's).
    """
    tops = []
    for col, top, bottom in merges:
        if col >= table.num_columns or top < first or top - first >= table.num_rows:
            continue
        value = table.column(col)[top - first].as_py()
        if value is not None and str(value).strip():
            tops.append((col, top, bottom, str(value)))
    amounts = _read_as_amounts([value for *_, value in tops])
    cells: dict[int, dict[int, str]] = {}
    spent: dict[int, int] = {}
    shown = []
    for (col, top, bottom, value), amount in zip(tops, amounts, strict=True):
        below = range(top - first + 1, min(bottom - first, table.num_rows - 1) + 1)
        # Merges of a column cover its rows once; ranges laid over each other (which Excel
        # does not write) stop being filled there, so they cannot cost rows times merges.
        if spent.get(col, 0) + len(below) > table.num_rows:
            continue
        spent[col] = spent.get(col, 0) + len(below)
        rows = cells.setdefault(col, {})
        if col in counted and not amount:
            kept = without_count(value.strip(), bottom - top + 1)
            if kept != value.strip():
                value = rows[top - first] = kept
        for row in below:
            rows[row] = None if amount else value
        if not amount:
            shown.append(f"{column_letter(col)}{top + 1}:{column_letter(col)}{bottom + 1}")
    for col, rows in cells.items():
        at = np.array(sorted(rows), dtype=np.int64)
        column = table.column(col).combine_chunks()
        mask = np.zeros(table.num_rows, dtype=bool)
        mask[at] = True
        values = pa.array([rows[r] for r in at.tolist()], pa.string())
        table = table.set_column(
            col, table.field(col), pc.replace_with_mask(column, pa.array(mask), values)
        )
    return table, shown


def _titles_above(grid: SheetGrid, layout: Layout) -> set[str]:
    """The text of the cells above the header (a report's title), trimmed, in lower case."""
    if grid.long_of is not None:
        return set(grid.long_of.titles)  # a cross table's: its long form has none above it
    return titles_above(grid, layout.header_index)


def titles_above(grid: SheetGrid, header_index: int) -> set[str]:
    """The text of the cells above table row header_index, trimmed, in lower case."""
    if header_index <= 0:
        return set()
    above = grid.table.slice(0, min(header_index, 50))
    return {
        str(value).strip().lower()
        for row in above.to_pylist()
        for value in row.values()
        if value is not None and str(value).strip()
    }


def _other_currencies(
    reasons: Reasons,
    layout: Layout,
    col: int,
    signs: dict[str, np.ndarray],
    text: Text,
    own: str | None = None,
) -> str:
    """Reject the amounts not in the column's main currency (the one most cells show); the
    note saying so. own: the company's currency, main of as frequent ones."""
    counts = {sign: int(at.sum()) for sign, at in signs.items()}
    # The most frequent; of as frequent ones, the company's own, else the one shown first.
    first = {sign: int(np.argmax(at)) for sign, at in signs.items()}
    main = max(counts, key=lambda sign: (counts[sign], sign == own, -first[sign]))
    where = layout.title(col)
    for sign, at in signs.items():
        if sign != main:
            reason = _(
                "the amount is in {currency}, the column's other amounts in {main}: amounts "
                "of two currencies are not added up"
            ).format(currency=sign, main=main)
            reasons.note(at & ~signs[main], where, text, reason)
    others = ", ".join(
        _("{currency} in {count}").format(currency=sign, count=fmt_number(counts[sign]))
        for sign in counts
        if sign != main
    )
    return _(
        "{column}: amounts are written in more than one currency ({main} in {count} rows; "
        "{others}); the rows not in {main} were rejected. Convert them to {main}, or import "
        "each currency's rows on their own."
    ).format(column=where, main=main, count=fmt_number(counts[main]), others=others)


def _beside_checks(
    clients: list[Text],
    amounts: np.ndarray,
    money: dict[str, Text],
    comma_default: bool,
    tab: bool = False,
) -> tuple[
    tuple[np.ndarray, np.ndarray],
    dict[str, str],
    dict[str, tuple[str, str]],
    dict[str, dict[str, np.ndarray]],
]:
    """Dated totals (dated_totals), and per money column an amount whose point may group
    thousands (thousands_in_doubt), two amounts writing decimals with either mark
    (decimal_marks_mixed) and the cells of each currency (currencies_mixed), where there are
    such."""
    mark = "," if comma_default else "."
    examples = {fld: thousands_in_doubt(text, mark) for fld, text in money.items()}
    if comma_default:  # a point grouping thousands there is noted too
        points = {fld: thousands_in_doubt(text) for fld, text in money.items()}
        examples = {fld: examples[fld] or points[fld] for fld in money}
    if tab:  # German Excel's tab-separated text writes '1,500' for 1.5 too
        commas = {fld: thousands_in_doubt(text, ",") for fld, text in money.items()}
        examples = {fld: examples[fld] or commas[fld] for fld in money}
    mixed = {fld: decimal_marks_mixed(text, comma_default) for fld, text in money.items()}
    examples = {fld: v for fld, v in examples.items() if v}
    signs = {fld: currencies_mixed(text) for fld, text in money.items()}
    return (
        dated_totals(clients, amounts),
        examples,
        {f: v for f, v in mixed.items() if v},
        {f: v for f, v in signs.items() if v},
    )


def _under_moved_header(
    again: np.ndarray,
    moved: np.ndarray,
    blank: np.ndarray,
    reasons: Reasons,
    layout: Layout,
    number: Callable[[int], int],
) -> np.ndarray:
    """Rejected: a header whose columns are in another order, and the rows under it."""
    # A report of blocks ('North', then 'South' with Profit before Revenue): read with the
    # first header's columns, the second block's amounts were stored swapped.
    n = len(moved)
    marks = again | moved
    last = np.maximum.accumulate(np.where(marks, np.arange(n), -1))
    under = (last >= 0) & moved[np.maximum(last, 0)] & ~blank
    for row in np.flatnonzero(under).tolist():
        header = int(last[row])
        why = (
            _(
                "the header again, with its columns in another order than on row {header}: "
                "the rows under it are not read. Import that block as a file of its own"
            ).format(header=layout.header_row)
            if row == header
            else _(
                "under the header of row {row}, whose columns are in another order than on "
                "row {header}"
            ).format(row=number(header), header=layout.header_row)
        )
        reasons.replace(row, _("row"), "", why)
    return under


def _formula_rows(grid: SheetGrid, start: int, n: int) -> dict[int, np.ndarray]:
    """Per column, the n data rows whose cell holds a formula without a saved result."""
    first = start + grid.first_row  # data row 0 as formula rows count it (periods.py too)
    out = {}
    for col, (_cells, _first_cell, rows) in grid.formulas.items():
        at = np.asarray(rows, dtype=np.int64) - first
        at = at[(at >= 0) & (at < n)]
        if len(at):
            out[col] = np.zeros(n, dtype=bool)
            out[col][at] = True
    return out


def _mask(keep: np.ndarray, n: int) -> pa.BooleanArray:
    """The kept positions as a mask over the n rows."""
    mask = np.zeros(n, dtype=bool)
    mask[keep] = True
    return pa.array(mask)


# A header giving its amounts' unit: 'Sales ($000)', 'Revenue (USD thousands)', 'סכום (אלפי
# ש"ח)', 'Amount in K', 'Sales ($M)', 'Revenue (millions)', 'הכנסות (מיליוני ש"ח)'.
_THOUSANDS = re.compile(
    r"\(\s*(?:[$€£₪]|usd|eur|gbp|ils|nis)?\s*'?000s?\s*\)|'000|\bthousands?\b|\bin k\b|\(\s*k\s*\)"
    r"|\bk\s*[$€£₪]|[$€£₪]\s*k\b|\bk(?:usd|eur|ils)\b|אלפי|באלפים|тыс",
    re.IGNORECASE,
)
_MILLIONS = re.compile(
    r"\bmillions?\b|\bmln\b|\bmm\b|\(\s*(?:[$€£₪]|usd|eur|ils)?\s*m\s*\)|[$€£₪]\s*m\b"
    r"|מיליוני|במיליונים|млн",
    re.IGNORECASE,
)


# Indian reports count in lakhs (100,000) and crores (10,000,000): '(₹ in lakhs)', 'Rs. Crores'.
_LAKHS = re.compile(r"\blakhs?\b|\blacs?\b", re.IGNORECASE)
_CRORES = re.compile(r"\bcrores?\b|\bcr\.?\s*\)", re.IGNORECASE)
_INDIAN_MONEY = re.compile(r"₹|\brs\b|\binr\b|\brupees?\b", re.IGNORECASE)


def _indian_scale(text: str) -> tuple[int, str] | None:
    """(factor, unit) for a label or title counting in lakhs or crores."""
    if _CRORES.search(text) and (_INDIAN_MONEY.search(text) or "crore" in text.lower()):
        return 10_000_000, N_("crores")
    if _LAKHS.search(text):
        return 100_000, N_("lakhs")
    return None


def _header_scale(layout: Layout, fld: str) -> tuple[int, str] | None:
    """(factor, unit) when the column's header says its amounts are in thousands or millions
    (or lakhs, crores)."""
    label = str(layout.columns[layout.mapping[fld]])
    indian = _indian_scale(label)
    if indian is not None:
        return indian
    if _MILLIONS.search(label):
        return 1_000_000, N_("millions")
    if _THOUSANDS.search(label):
        return 1_000, N_("thousands")
    return None


# A title states the amounts' unit in a phrase of its own: '(USD thousands)', '(in $000)',
# 'in millions', 'באלפי ש"ח', 'в тыс. руб.'. A word alone says nothing of the amounts there:
# 'dd/mm/yyyy', 'lengths in mm', 'over 1 million', 'Thousand Oaks', 'אלפי מנשה' (a town).
_MONEY = r"(?:[$€£₪]|usd|eur|gbp|ils|nis|rub)"
_TITLE_THOUSANDS = re.compile(
    rf"\(\s*(?:in\s+)?{_MONEY}?\s*(?:'?000s?|thousands|k)\s*{_MONEY}?\s*\)"
    rf"|\bin\s+{_MONEY}?\s*(?:thousands|'?000s?)\b|{_MONEY}\s*'000"
    r"|באלפי\s*(?:ש\"ח|ש״ח|שקלים|דולר|אירו|₪|\$)|באלפים|в\s+тыс|тыс\.?\s*(?:руб|₽)",
    re.IGNORECASE,
)
_TITLE_MILLIONS = re.compile(
    rf"\(\s*(?:in\s+)?{_MONEY}?\s*(?:millions|mln|m)\s*{_MONEY}?\s*\)"
    rf"|\bin\s+{_MONEY}?\s*millions\b"
    r"|במיליוני\s*(?:ש\"ח|ש״ח|שקלים|דולר|אירו|₪|\$)|במיליונים|в\s+млн|млн\.?\s*(?:руб|₽)",
    re.IGNORECASE,
)


def _title_scale(titles: set[str]) -> tuple[int, str] | None:
    """(factor, unit) when a title above the header says the amounts are in thousands or
    millions (one unit only: two titles that disagree say nothing)."""
    found = set()
    for title in titles:
        if len(title) > 200:
            continue
        indian = _indian_scale(title) if _INDIAN_MONEY.search(title) else None
        if indian is not None:
            found.add(indian)
        elif (match := _TITLE_MILLIONS.search(title)) and _of_money(title, match):
            found.add((1_000_000, N_("millions")))
        elif (match := _TITLE_THOUSANDS.search(title)) and _of_money(title, match):
            found.add((1_000, N_("thousands")))
    return next(iter(found)) if len(found) == 1 else None


# What else a report counts in thousands: 'quantities in thousands', 'weights in thousands of
# kg' say nothing of the amounts.
_NOT_MONEY = re.compile(
    r"\b(?:quantit(?:y|ies)|qty|units?|pieces?|pcs|weights?|volumes?|tons?|tonnes?|kg|"
    r"kilograms?|litres?|liters?|items?|cases?|boxes)\b|כמו(?:ת|יות)|משקל|количеств|вес",
    re.IGNORECASE,
)


def _of_money(title: str, match: re.Match[str]) -> bool:
    """False when the words around a scale phrase say it counts something else than money."""
    around = title[max(0, match.start() - 30) : match.end() + 20]
    return not _NOT_MONEY.search(around)


def _label_rows(texts: _Texts, layout: Layout, n: int) -> np.ndarray:
    """Rows holding text only in columns no field is read from (a group's own row)."""
    mapped = set(layout.mapping.values())
    empty = np.ones(n, dtype=bool)
    for col in mapped:
        empty &= missing(texts[col])
    labelled = np.zeros(n, dtype=bool)
    for col in range(len(layout.columns)):
        if col not in mapped:
            labelled |= ~missing(texts[col])
    return empty & labelled


# The client columns QuickBooks writes 'Customer:Job' in: a report's Name, an invoice list's
# Customer.
_JOB_LABELS = frozenset(
    {"name", "customer", "customer name", "customer full name", "client", "client name"}
)


def customer_of_jobs(table: pa.Table, layout: Layout) -> tuple[pa.Table, str | None]:
    """The client column of QuickBooks' 'Customer:Job' names read as their customers (before
    the colon: a job is no client of its own); the note saying so, or None."""
    at = layout.mapping.get("client_name")
    if at is None or normalise_label(layout.columns[at]) not in _JOB_LABELS:
        return table, None
    if not may_hold(table.column(at), b":"):
        return table, None  # the text buffers settle most columns: no colon, no job
    names = clean_arrow(table.column(at))
    jobs = pc.fill_null(pc.match_substring_regex(names, "^" + CUSTOMER_JOB.pattern + "$"), False)
    filled = int(len(names) - names.null_count)
    if not filled or not pc.any(jobs).as_py():
        return table, None
    customer = pc.utf8_trim_whitespace(pc.replace_substring_regex(names, ":.*$", ""))
    # A report's Name written 'Customer:Job' nearly throughout is QuickBooks'. Elsewhere (an
    # invoice list's Customer, or some customers without jobs) a job is one whose customer has
    # rows of its own, or a second job under a name of four letters or more ('Acme
    # Ltd:Kitchen' beside 'Acme Ltd:Bath'): 'Re:Store Ltd' beside 'Re:Cycle Ltd' are two.
    named_so = normalise_label(layout.columns[at]) == "name"
    if not named_so or pc.sum(jobs).as_py() < 0.9 * filled:
        plain = pc.unique(names.filter(pc.invert(jobs)).drop_null()).to_pylist()
        job_names = pc.unique(names.filter(jobs))
        owner_of = pc.utf8_trim_whitespace(pc.replace_substring_regex(job_names, ":.*$", ""))
        shared = [
            t["values"].as_py()
            for t in pc.value_counts(owner_of)
            if t["counts"].as_py() > 1 and len(t["values"].as_py()) >= 4
        ]
        known = pa.array(sorted({*plain, *shared}), pa.string())
        jobs = pc.and_(jobs, pc.fill_null(pc.is_in(customer, value_set=known), False))
        if not pc.any(jobs).as_py():
            return table, None
    table = table.set_column(at, table.field(at), pc.if_else(jobs, customer, names))
    note = _(
        "{column}: names written 'Customer:Job' were read as their customer (the part before "
        "the colon)."
    ).format(column=layout.title(at))
    return table, note


def _shares(out: dict[str, object], texts: _Texts, layout: Layout) -> str | None:
    """An example value when the profit column holds shares of the sale, not amounts."""
    if "profit" not in out or "revenue" not in out:
        return None
    raw = texts[layout.mapping["profit"]]
    filled = ~missing(raw)
    if filled.sum() < 2:
        return None
    low, high = byte_range(raw)
    if low <= ord("%") <= high:  # else no cell holds a percent sign
        percent = mask(pc.match_substring_regex(raw, r"\d\s*%\s*$"))
    else:
        percent = np.zeros(len(raw), dtype=bool)
    if percent[filled].mean() >= 0.9:
        return str(raw.filter(pa.array(percent))[0])
    profit, revenue = np.asarray(out["profit"], float), np.asarray(out["revenue"], float)
    both = ~np.isnan(profit) & ~np.isnan(revenue) & (revenue != 0)
    # Every profit a fraction of one while the sales run to tens or more: a margin written as
    # a number formatted in percent (0.25 shows as 25%).
    if (
        both.sum() >= 2
        and (np.abs(profit[both]) <= 1).all()
        and (profit[both] != 0).any()
        and np.median(np.abs(revenue[both])) >= 10
        and (np.abs(profit[both]) < np.abs(revenue[both]) / 5).all()
    ):
        return str(raw[int(np.flatnonzero(both & (profit != 0))[0])])
    return None


def _rows_frame(out: dict[str, object], keep: np.ndarray | None, n: int) -> pd.DataFrame:
    """The parsed columns as a frame, only the rows kept (all of them without a copy)."""
    columns: dict[str, object] = {}
    mask = None if keep is None else _mask(keep, n)
    texts = [fld for fld, values in out.items() if isinstance(values, pa.Array | pa.ChunkedArray)]
    if mask is not None:
        # A filter by mask copies runs of kept cells (a quarter of a take's time) and lets
        # the grid's mapped buffers go once the parse is done (slices kept them into the
        # store); two columns at a time, as Arrow's kernels release the GIL.
        with ThreadPoolExecutor(_THREADS) as pool:
            kept = dict(zip(texts, pool.map(lambda f: out[f].filter(mask), texts), strict=True))
    for fld, values in out.items():
        if fld in texts:
            columns[fld] = as_series(values if mask is None else kept[fld])
        elif isinstance(values, pd.Series):
            columns[fld] = (values if keep is None else values.iloc[keep]).reset_index(drop=True)
        else:
            columns[fld] = values if keep is None else values[keep]
    # The columns are this parse's own: the frame takes them as they are (pandas copies on
    # write) rather than copying the numbers into one block.
    index = pd.RangeIndex(n if keep is None else len(keep))
    return pd.DataFrame(columns, index=index, copy=False)


def _past_header(
    grid: SheetGrid, layout: Layout, table: pa.Table, reasons: Reasons, broken: np.ndarray
) -> np.ndarray:
    """Delimited rows holding a value to the right of the header's last label."""
    # Such a row was cut at a separator inside a value: stored as it is, an amount of "1,000"
    # would become 1 and the next column's value 000. (A workbook's cells cannot shift, and a
    # note beside the data there is common.)
    header = header_cells(grid, layout)
    labelled = [i for i, v in enumerate(header) if v is not None and str(v).strip()]
    wide = np.zeros(table.num_rows, dtype=bool)
    for col in range(max(labelled, default=-1) + 1, table.num_columns):
        text = pc.utf8_trim_whitespace(as_arrow(table.column(col)))
        wide |= mask(pc.greater(pc.utf8_length(text), 0))
    wide &= ~broken
    if wide.any():
        reasons.code[wide] = -1  # the shift is the cause of what else the row was refused for
        reasons.note(wide, _("row"), _lines_of(table, wide, grid.delimiter or ","), _(WIDE_ROW))
    return wide


def _quoted(cells: pa.Array, delimiter: str) -> pa.Array:
    """Each cell as a CSV writes it: in quotes (its quotes doubled) where it holds the
    delimiter or a quote, so a quoted "1,000.00" is not shown as if it were split."""
    odd = pc.or_(pc.match_substring(cells, delimiter), pc.match_substring(cells, '"'))
    doubled = pc.replace_substring(cells, '"', '""')
    return pc.if_else(odd, pc.binary_join_element_wise('"', doubled, '"', ""), cells)


def _lines_of(table: pa.Table, rows: np.ndarray, delimiter: str) -> pa.Array:
    """The rows' cells joined by the delimiter as a CSV writes them (null for other rows)."""
    # One Arrow column for all the rows shown: one reason entry however many rows are wide.
    at = pa.array(np.flatnonzero(rows))
    cells = [
        _quoted(
            pc.fill_null(pc.cast(as_arrow(table.column(c)).take(at), pa.string()), ""), delimiter
        )
        for c in range(table.num_columns)
    ]
    lines = pc.utf8_rtrim(pc.binary_join_element_wise(*cells, delimiter), delimiter)
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    return pc.replace_with_mask(pa.nulls(len(rows), pa.string()), pa.array(rows), lines)


# Two rows short of values that make one row, a value cut between them: a line break inside a
# value written without quotes ("Acme<line break>Ltd").
CUT_START = N_(
    "a line break inside a value written without quotes cuts this row in two: it goes on in "
    "the next row"
)
CUT_END = N_(
    "a line break inside a value written without quotes cuts the row before in two: this row "
    "is its end"
)
_CUT_PAIRS = 10_000  # pairs of rejected rows looked at, at most


def _cut_rows(
    grid: SheetGrid, layout: Layout, table: pa.Table, reasons: Reasons, rejected: np.ndarray
) -> np.ndarray:
    """Delimited rows that are the two pieces of one row cut by a line break (CUT_START)."""
    # Short rows are common (exports leave off empty trailing values), so a pair counts only
    # when its values make exactly one row of the header's width, whose date and amount are
    # both there once the pieces are joined.
    cut = np.zeros(table.num_rows, dtype=bool)
    first = np.flatnonzero(rejected[:-1] & rejected[1:])[:_CUT_PAIRS]
    needed = [layout.mapping.get(f) for f in ("order_date", "revenue")]
    if not len(first) or None in needed:
        return cut
    header = header_cells(grid, layout)
    width = max((i for i, v in enumerate(header) if v is not None and str(v).strip()), default=-1)
    width += 1
    looked = np.unique(np.concatenate([first, first + 1]))
    rows = table.take(pa.array(looked)).to_pylist()
    at = {int(k): i for i, k in enumerate(looked)}
    pairs = []
    for k in first.tolist():
        one, two = (list(rows[at[k + d]].values())[:width] for d in (0, 1))
        filled = [
            max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in (one, two)
        ]
        if not all(filled) or filled[0] + filled[1] - 1 != width:
            continue
        joined = one[: filled[0]] + two[1 : filled[1]]
        date, amount = (joined[col] for col in needed)
        if date is not None and amount is not None:
            pairs.append((k, str(amount)))
    amounts = _read_as_amounts([amount for _k, amount in pairs])
    for (k, _amount_text), amount in zip(pairs, amounts, strict=True):
        if amount and not cut[k]:
            cut[k] = cut[k + 1] = True
            reasons.replace(k, _("row"), "", _(CUT_START))
            reasons.replace(k + 1, _("row"), "", _(CUT_END))
    return cut


# A name or code spanning a line break after which the line holds a separator: a quote opened
# in the row was closed only in a later line, and the rows between were read into the value
# (their amounts lost). Names and codes do not hold such lines; notes may, and are not looked at.
_SWALLOWED = r"[\r\n][^\r\n]*[,;\t|]"


def _swallowed_rows(
    grid: SheetGrid, layout: Layout, texts: _Texts, reasons: Reasons, broken: np.ndarray
) -> np.ndarray:
    """Delimited rows whose name or code swallowed the lines after it (see _SWALLOWED)."""
    found = np.zeros(len(broken), dtype=bool)
    for fld in TEXT_FIELDS:
        if fld not in layout.mapping:
            continue
        raw = texts[layout.mapping[fld]]
        if byte_range(raw)[0] > ord("\r"):
            continue  # the usual column: no line break (nor any byte as low) in its text
        found |= mask(pc.match_substring_regex(raw, _SWALLOWED))
    # Any other column (a note may hold lines) swallowed a row when a line inside it holds as
    # many separators as a row of the file: the row after it was lost, and the rows after that
    # numbered one line early.
    width = len(layout.columns)
    if grid.delimiter and width > 2:
        sep = re.escape(grid.delimiter)
        whole_row = rf"[\r\n](?:[^\r\n{sep}]*{sep}){{{width - 1}}}"
        mapped = {layout.mapping[f] for f in TEXT_FIELDS if f in layout.mapping}
        for col in range(min(width, grid.table.num_columns)):
            if col in mapped:
                continue
            raw = texts.table.column(col)  # as read: trimmed, it would be kept for nothing
            if byte_range(raw)[0] > ord("\r"):
                continue
            found |= mask(pc.match_substring_regex(raw, whole_row))
    found &= ~broken
    why = _(
        "a quote opened in this row is closed only in a later line: the rows between were read "
        "into one value"
    )
    for row in np.flatnonzero(found):
        reasons.replace(int(row), _("row"), "", why)
    return found


def _reader_problems(grid: SheetGrid, reasons: Reasons, start: int, n: int) -> np.ndarray:
    """Rows the reader could not split or decode: their reason replaces any other."""
    broken = np.zeros(n, dtype=bool)
    for index, why in grid.problems.items():
        row = index - start
        if 0 <= row < n:
            broken[row] = True
            # The reader's reasons come from the worker in English: shown in the user's language.
            reasons.replace(row, _("row"), "", _(why))
    return broken


def _shortened(table: pa.Table) -> pa.Table:
    """Cells cut to CELL_SHOWN characters (and an ellipsis): a rejected row is shown, not kept."""
    # Thousands of rejected 32,000-character cells would fill the page's table and the
    # downloads with hundreds of megabytes no one reads.
    columns = []
    for column in table.columns:
        if len(column) and (pc.max(pc.binary_length(column)).as_py() or 0) > CELL_SHOWN:
            long = pc.greater(pc.utf8_length(column), CELL_SHOWN)
            cut = pc.binary_join_element_wise(
                pc.utf8_slice_codeunits(column, 0, CELL_SHOWN), "\u2026", ""
            )
            column = pc.if_else(long, cut, column)
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def _rejected_frame(
    table: pa.Table,
    bad: np.ndarray,
    reasons: Reasons,
    layout: Layout,
    number: Callable[[np.ndarray], np.ndarray],
) -> pd.DataFrame:
    head = reasons.frame(bad)
    head.insert(0, "row", number(bad).astype("int64"))
    head.insert(0, "sheet", layout.sheet)
    # Taken and cut a slice of rows at a time: 500,000 rejected rows of 1,000-character names
    # were copied whole (480 MB) before being cut to what is shown.
    taken = [
        _shortened(table.take(pa.array(bad[at : at + SLICE_ROWS], type=pa.int64())))
        for at in range(0, len(bad), SLICE_ROWS)
    ]
    cells = (pa.concat_tables(taken) if taken else table.slice(0, 0)).to_pandas(
        types_mapper=lambda _t: pd.StringDtype("pyarrow", na_value=np.nan)
    )
    # A sheet's own "value" or "row" column must not shadow the report's columns of that name.
    labels = [
        f"{label} ({letter})" if label in head.columns else label
        for label, letter in zip(layout.columns, layout.letters, strict=False)
    ]
    cells.columns = labels[: cells.shape[1]]
    return pd.concat([head, cells], axis=1)
