"""A cross table: a row per client and a column per month or quarter ('Sales by customer by
month'), read as one sale per filled cell, dated the first day of its column's period.

The sheet's grid is replaced by a long one (the client's columns, the period, the amount) whose
rows keep the sheet's row numbers, so every later check and message works as on any sheet.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.config import SETTINGS
from kam_core.i18n import _, fmt_number, ngettext
from kam_core.i18n.formats import fmt_date, fmt_month
from kam_core.ingest.errors import ImportRefused, few_numbers, named
from kam_core.ingest.fields import CLIENT_FIELDS
from kam_core.ingest.grid import LongForm, SheetGrid, Workbook
from kam_core.ingest.header import HEADER_SCAN_ROWS, Layout, auto_map, unique_labels
from kam_core.ingest.months import NUMERIC_MY, NUMERIC_YM, month_words, read_named
from kam_core.ingest.parse import numbers
from kam_core.ingest.skipped import reading_total, rounding_slack
from kam_core.ingest.text import clean_arrow
from kam_core.ingest.validate import merged_filled, titles_above

# Fields a cross table's row may carry beside its client: its descriptive columns. An amount or
# a date column beside the periods (a Total, a budget) is no part of a sale of one period.
_ROW_FIELDS = ("client_id", "client_name", "manager", "region", "segment", "category", "product")
_QUARTER_WORD = r"(?:q|qtr|quarter|רבעון|кв|квартал)\.?"
_QUARTER = re.compile(rf"^{_QUARTER_WORD}\s*([1-4])[\s\-/.,']*(\d{{4}}|\d{{2}})$")
_YEAR_QUARTER = re.compile(rf"^(\d{{4}})[\s\-/.,]*{_QUARTER_WORD}\s*([1-4])$")
_QUARTER_RU = re.compile(r"^([1-4])\s*(?:-?й\s*)?кв(?:артал)?\.?\s*(\d{4})(?:\s*г\.?)?$")
_WEEK_WORD = r"(?:w|wk|week|שבוע|неделя|нед)\.?"
_WEEK = re.compile(rf"^{_WEEK_WORD}\s*(\d{{1,2}})[\s\-/.,']*(\d{{4}})$")
_YEAR_WEEK = re.compile(rf"^(\d{{4}})[\s\-/.,]*{_WEEK_WORD}\s*(\d{{1,2}})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_BARE_QUARTER = re.compile(rf"^{_QUARTER_WORD}\s*([1-4])$")
_YEAR_CELL = re.compile(r"^(19[5-9]\d|20\d\d)$")
_YEAR_IN_TITLE = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
# A cell holding no sale: blank, a dash, or a zero however written ('0.00', '$0', '(0)').
_NO_SALE = r"^[\s\-–—]*$|^[^\w]*0*(?:[.,]0*)?[^\w]*$"
MIN_PERIODS = 2
_GROUPS_LOOKED_AT = 20_000  # rows of a table whose group rows are looked for (a pivot is small)
_GROUP_ROWS = 500  # rows below a row looked at for the members it sums
_LOOK_BELOW = 20  # rows under a row of period labels looked at for amounts
_FIGURE = re.compile(r"^[\d\s.,()+\-]*$")
_NUMERIC_MONTHS = (re.compile(NUMERIC_YM), re.compile(NUMERIC_MY))
# Fiscal periods ('P01 2026', 'FY26 P3', '2026 Per 12') and fiscal years ('FY25', 'FY2025/26'):
# the calendar month each starts in depends on the month the fiscal year starts.
_FISCAL_YEAR = r"fy\s*'?(?:\d{4}|\d{2})(?:\s*[/\-–]\s*(?:\d{4}|\d{2}))?"
_FISCAL_PERIOD = r"(?:p|pd|per|period)\.?\s*(?:0?[1-9]|1[0-6])"
_FISCAL_LABEL = re.compile(
    rf"^(?:{_FISCAL_PERIOD}[\s\-/.,]*(?:(?:19|20)\d\d|{_FISCAL_YEAR})"
    rf"|(?:(?:19|20)\d\d|{_FISCAL_YEAR})[\s\-/.,]*{_FISCAL_PERIOD}|{_FISCAL_YEAR})$"
)


@dataclass(frozen=True)
class Cross:
    """Where a sheet's period columns are: the header row, and each column's period start."""

    header_index: int
    periods: dict[int, date]  # column -> the first day of its period
    kind: str  # 'month', 'quarter', 'week', 'day' or 'year'
    year_from_title: int | None  # the year the titles gave bare month names


def _week(text: str) -> date | None:
    """The Monday of an ISO week named 'W1 2026', 'Week 12-2026', '2026-W05', 'שבוע 3 2026'."""
    if match := _WEEK.match(text):
        week, year = int(match.group(1)), int(match.group(2))
    elif match := _YEAR_WEEK.match(text):
        year, week = int(match.group(1)), int(match.group(2))
    else:
        return None
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:  # week 53 of a year of 52
        return None


def _quarter(text: str) -> date | None:
    if match := _QUARTER.match(text):
        quarter, year = int(match.group(1)), match.group(2)
    elif match := _YEAR_QUARTER.match(text):
        year, quarter = match.group(1), int(match.group(2))
    elif match := _QUARTER_RU.match(text):
        quarter, year = int(match.group(1)), match.group(2)
    else:
        return None
    full = int(year) + (2000 if len(year) == 2 else 0)
    return date(full, 3 * quarter - 2, 1)


@lru_cache(maxsize=4096)
def period_start(label: str) -> tuple[date | None, str]:
    """A header label as a period: (its first day, 'month' | 'quarter' | 'week' | 'day'), or
    (None, '')."""
    text = label.strip()
    if not text or len(text) > 40:
        return None, ""
    if match := _ISO_DAY.match(text):  # a date cell as the header ('Jan-26' shown, 2026-01-01)
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3))), "day"
        except ValueError:
            return None, ""
    for pattern in _NUMERIC_MONTHS:
        if (match := pattern.match(text)) and 1 <= int(match.group("month")) <= 12:
            return date(int(match.group("year")), int(match.group("month")), 1), "month"
    if _FIGURE.match(text):  # a value ('1', '1,250.00'), never a period: most cells end here
        return None, ""
    folded = re.sub(r"\s+", " ", text.casefold())
    quarter = _quarter(folded)
    if quarter is not None:
        return quarter, "quarter"
    week = _week(folded)
    if week is not None:
        return week, "week"
    found, month_only = read_named(text)
    if found is not None:
        return found, "month" if month_only else "day"
    return None, ""


def _bare_month(label: str) -> int | None:
    """The month a label names alone ('Jan', 'ינואר', 'март'), without a year."""
    word = re.sub(r"[.׳'’`]", "", label.strip().casefold())
    return month_words().get(word)


def _month_end(day: date) -> bool:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - day).days == 1


def _bare_periods(
    labels: list[str], above: list[list[str]]
) -> tuple[dict[int, date], str, int | None]:
    """Months or quarters named without their year ('Jan', 'Qtr1'): the year from the row
    above (an Excel pivot's Years over its Months, each year once over its first column), else
    from the one year the titles name; a year of 1 where none is known."""
    bare, kind = {c: (m, 1) for c, label in enumerate(labels) if (m := _bare_month(label))}, "month"
    quarters = {c: (3 * q - 2, 1) for c, label in enumerate(labels) if (q := _bare_quarter(label))}
    if len(quarters) > len(bare):
        bare, kind = quarters, "quarter"
    if len(bare) < MIN_PERIODS:
        return {}, "", None
    first = min(bare)
    over = above[-1] if above else []
    years_over = {c: int(cell) for c, cell in enumerate(over) if _YEAR_CELL.match(cell)}
    if years_over and min(years_over) <= first:
        out = {}
        for col, (month, _d) in bare.items():
            left = max((c for c in years_over if c <= col), default=None)
            out[col] = date(years_over[left] if left is not None else 1, month, 1)
        return out, kind, None
    years = {int(y) for row in above for cell in row for y in _YEAR_IN_TITLE.findall(cell)}
    months = [month for month, _d in bare.values()]
    if len(years) != 1 or months != sorted(months):
        # Months without their year, or a year that wraps: no date can be given.
        return {col: date(1, month, 1) for col, (month, _d) in bare.items()}, kind, None
    year = years.pop()
    return {col: date(year, month, 1) for col, (month, _d) in bare.items()}, kind, year


def _year_periods(labels: list[str]) -> tuple[dict[int, date], str, int | None]:
    """Columns of years ('Customer | 2023 | 2024 | 2025 | Total'): side by side, one year apart,
    in a row whose other labels are words (a row of data holds figures beside its years)."""
    years = {c: int(label) for c, label in enumerate(labels) if _YEAR_CELL.match(label)}
    if len(years) < MIN_PERIODS:
        return {}, "", None
    columns = list(years)
    steps = {years[b] - years[a] for a, b in itertools.pairwise(columns)}
    if columns[-1] - columns[0] != len(columns) - 1 or steps not in ({1}, {-1}):
        return {}, "", None
    others = [label for c, label in enumerate(labels) if label and c not in years]
    if not others or any(_FIGURE.match(label) for label in others):
        return {}, "", None
    return {c: date(year, 1, 1) for c, year in years.items()}, "year", None


def _bare_quarter(label: str) -> int | None:
    """The quarter a label names alone ('Qtr1', 'Q2', 'רבעון 3')."""
    match = _BARE_QUARTER.match(label.strip().casefold())
    return int(match.group(1)) if match else None


def _row_periods(
    labels: list[str], above: list[list[str]]
) -> tuple[dict[int, date], str, int | None]:
    """The period columns of one row of labels: column -> first day; their kind; title year."""
    found: dict[int, tuple[date, str]] = {}
    for col, label in enumerate(labels):
        start, kind = period_start(label)
        if start is not None:
            found[col] = (start, kind)
    year = None
    if len(found) < MIN_PERIODS:
        bare = _bare_periods(labels, above)
        return bare if bare[0] else _year_periods(labels)
    kinds = {kind for _start, kind in found.values()}
    days = [start for start, kind in found.values() if kind == "day"]
    if days and (all(d.day == 1 for d in days) or all(_month_end(d) for d in days)):
        # Date cells heading months (shown 'Jan-26'), written as first or last days.
        found = {col: (start.replace(day=1), "month") for col, (start, _k) in found.items()}
        kinds = {"month"} | (kinds - {"day"})
    if len(kinds) > 1:
        # Months beside quarters or days (a quarter's total after its months): the most
        # frequent kind are the periods.
        counts = {k: sum(1 for _s, kind in found.values() if kind == k) for k in kinds}
        main = max(counts, key=lambda k: counts[k])
        found = {col: item for col, item in found.items() if item[1] == main}
        kinds = {main}
    starts = [start for start, _k in found.values()]
    if len(found) < MIN_PERIODS or len(set(starts)) < len(starts):
        # A period named twice (Budget and Actual under each month): which is the sale is
        # not known, and the sheet is refused as it was.
        return {}, "", None
    return {col: start for col, (start, _k) in found.items()}, kinds.pop(), year


def _amounts_below(rows: list[list[str]], periods: dict[int, date], kind: str = "") -> bool:
    """True when the cells under the period labels (the next rows) hold figures, not dates (nor
    years, under years: a row of data holding a start and an end year)."""
    cells = [row[col] for row in rows[:_LOOK_BELOW] for col in periods if col < len(row)]
    figures = [cell for cell in cells if re.search(r"\d", cell)]
    dated = sum(
        1
        for cell in figures
        if period_start(cell)[0] is not None or (kind == "year" and _YEAR_CELL.match(cell))
    )
    return bool(figures) and dated <= 0.2 * len(figures)


def _labels_below(rows: list[list[str]], periods: dict[int, date]) -> bool:
    """True when the row under the period labels holds words, no figure, under them."""
    cells = [row[col] for row in rows for col in periods if col < len(row) and row[col]]
    return bool(cells) and not any(re.search(r"\d", cell) for cell in cells)


def _top_rows(grid: SheetGrid) -> list[list[str]]:
    """The sheet's first rows (where a header is looked for) as trimmed text, blanks ''."""
    top = grid.table.slice(0, min(HEADER_SCAN_ROWS, grid.n_rows))
    cells = [column.to_pylist() for column in top.columns]
    return [["" if v is None else str(v).strip() for v in row] for row in zip(*cells, strict=True)]


def find_cross(grid: SheetGrid, layout: Layout) -> Cross | None:
    """The period columns of a sheet that maps no order date, or None when it has none."""
    if grid.n_rows < 2:
        return None
    rows = _top_rows(grid)
    after = -1
    if "order_date" in layout.mapping:
        # A report's caption above the table ('Sum of Amount, Close Date', Salesforce's
        # matrix) may be read as the header: a row mostly blank, the periods in a row below.
        head = rows[layout.header_index] if 0 <= layout.header_index < len(rows) else []
        if not head or 2 * sum(bool(label) for label in head) > len(head):
            return None
        after = layout.header_index
    best: Cross | None = None
    for index, labels in enumerate(rows):
        if index <= after:
            continue
        periods, kind, year = _row_periods(labels, rows[:index])
        if periods and not _amounts_below(rows[index + 1 :], periods, kind):
            continue  # a row of dates over more dates is a row of data, not a header
        if periods and _labels_below(rows[index + 1 : index + 2], periods):
            return None  # a header of two rows (Budget, Actual under each month): not read
        if periods and (best is None or len(periods) > len(best.periods)):
            best = Cross(index, periods, kind, year)
    return best


def _fiscal_columns(grid: SheetGrid) -> list[str] | None:
    """The labels of a row of fiscal periods in the sheet's first rows, when there is one."""
    for row in _top_rows(grid):
        labels = [label for label in row if 0 < len(label) <= 40]
        fiscal = [lab for lab in labels if _FISCAL_LABEL.match(re.sub(r"\s+", " ", lab.casefold()))]
        if len(fiscal) >= MIN_PERIODS:
            return fiscal
    return None


def _no_fiscal_start(file_name: str, grid: SheetGrid, labels: list[str]) -> str:
    shown = ", ".join(f"'{named(label)}'" for label in labels[:3]) + (
        " …" if len(labels) > 3 else ""
    )
    return _(
        "{file}, sheet '{sheet}': the columns {labels} name fiscal periods, whose calendar months "
        "depend on the month the fiscal year starts, which the file does not say. Write each "
        "column's calendar month in its header (such as 'Jan 2026') and import the file again."
    ).format(file=named(file_name), sheet=named(grid.name), labels=shown)


def _no_year(file_name: str, grid: SheetGrid, cross: Cross, layout: Layout) -> str:
    labels = ", ".join(
        f"'{named(layout.columns[col])}'" for col in list(cross.periods)[:3]
    )  # fmt: skip
    return _(
        "{file}, sheet '{sheet}': the columns {labels} name months without their year, and the "
        "titles above them name no single year. Write the year in each month's header (such as "
        "'Jan 2026') and import the file again."
    ).format(file=named(file_name), sheet=named(grid.name), labels=labels)


def _client_column(
    grid: SheetGrid, cross: Cross, labels: list[str], mapping: dict[str, int]
) -> int | None:
    """The column naming each row's client: the one its header maps, else the text column
    left of the first period (an Excel pivot's 'Row Labels')."""
    for fld in CLIENT_FIELDS:
        if fld in mapping:
            return None  # mapped already
    first = min(cross.periods)
    for col in range(first - 1, -1, -1):
        if col in cross.periods:
            continue
        if col in mapping.values():
            break  # a product's or a region's column is no client's
        values = grid.table.column(col).slice(cross.header_index + 1).drop_null()
        texts = [str(v).strip() for v in values.slice(0, 200).to_pylist() if str(v).strip()]
        if texts and sum(1 for t in texts if not re.search(r"\d", t)) >= 0.8 * len(texts):
            return col
        break
    return None


def unpivot(book: Workbook, layout: Layout) -> tuple[Layout, list[str]] | None:
    """Replace a cross table's grid in book by its long form; the layout over it and the notes.

    None when the sheet is no cross table (or is one already); ImportRefused when its months
    have no year or it would make more rows than an import takes.
    """
    grid = book.sheet(layout.sheet)
    if grid.long_of is not None:  # read so by an earlier detection of the same upload
        return _long_layout(grid), list(grid.long_of.notes)
    cross = find_cross(grid, layout)
    if cross is None:
        fiscal = None if "order_date" in layout.mapping else _fiscal_columns(grid)
        if fiscal:
            raise ImportRefused(_no_fiscal_start(book.file_name, grid, fiscal))
        return None
    head = grid.table.slice(cross.header_index, 1).to_pylist()[0]
    labels = ["" if head[f"c{i}"] is None else str(head[f"c{i}"]).strip() for i in range(len(head))]
    titles = Layout(
        grid.name,
        0,
        0,
        [lab or f"Column {grid.letters[i]}" for i, lab in enumerate(labels)],
        grid.letters,
    )
    if any(start.year == 1 for start in cross.periods.values()):
        raise ImportRefused(_no_year(book.file_name, grid, cross, titles))
    mapping = auto_map(titles.columns)
    client = _client_column(grid, cross, labels, mapping)
    if client is not None:
        mapping = {f: c for f, c in mapping.items() if c != client}
        mapping["client_name"] = client
    kept = sorted({c for f, c in mapping.items() if f in _ROW_FIELDS and c not in cross.periods})
    if not any(f in mapping and mapping[f] in kept for f in CLIENT_FIELDS):
        return None  # no client to give the amounts to: the usual refusal says what is missing
    long, (summed, heads) = _long_grid(book.file_name, grid, cross, kept, mapping)
    book.sheets[book.sheets.index(grid)] = long
    left = [
        titles.title(c)
        for c in range(len(labels))
        if labels[c] and c not in kept and c not in cross.periods
    ]
    notes = [_read_note(grid, cross, titles, left)]
    if len(summed):
        notes.append(
            _(
                "Row(s) {rows} were not read: the client reads like a total and the amounts "
                "are the sums of the rows above."
            ).format(rows=few_numbers(summed.tolist()))
        )
    if len(heads):
        notes.append(
            _(
                "Row(s) {rows} were not read: in every period their amounts are the sums of the "
                "rows below them (a group above its members, such as a region above its "
                "clients)."
            ).format(rows=few_numbers(heads.tolist()))
        )
    long_mapping = {f: kept.index(c) for f, c in mapping.items() if c in kept}
    long_mapping["order_date"], long_mapping["revenue"] = len(kept), len(kept) + 1
    long.long_of = LongForm(
        long_mapping, tuple(notes), frozenset(titles_above(grid, cross.header_index))
    )
    return _long_layout(long), notes


def _read_note(grid: SheetGrid, cross: Cross, titles: Layout, left: list[str]) -> str:
    cols, starts = list(cross.periods), list(cross.periods.values())
    first, last = grid.letters[cols[0]], grid.letters[cols[-1]]
    span = f"{first}:{last}, {fmt_month(starts[0])} … {fmt_month(starts[-1])}"
    if cross.kind == "quarter":  # named as the header names them: 'Q1 2025', not 'Jan 2025'
        span = f"{first}:{last}, {titles.columns[cols[0]]} … {titles.columns[cols[-1]]}"
        note = _(
            "Sheet '{sheet}': a column per quarter ({columns}); each filled cell was read as a "
            "sale of its row's client, dated the first day of its quarter."
        )
    elif cross.kind == "week":
        span = f"{first}:{last}, {titles.columns[cols[0]]} … {titles.columns[cols[-1]]}"
        note = _(
            "Sheet '{sheet}': a column per week ({columns}); each filled cell was read as a "
            "sale of its row's client, dated the Monday of its week."
        )
    elif cross.kind == "year":
        span = f"{first}:{last}, {starts[0].year} … {starts[-1].year}"
        note = _(
            "Sheet '{sheet}': a column per year ({columns}); each filled cell was read as a "
            "sale of its row's client, dated the first day of its year."
        )
    elif cross.kind == "day":
        span = f"{first}:{last}, {fmt_date(starts[0])} … {fmt_date(starts[-1])}"
        note = _(
            "Sheet '{sheet}': a column per day ({columns}); each filled cell was read as a "
            "sale of its row's client on its column's day."
        )
    else:
        note = _(
            "Sheet '{sheet}': a column per month ({columns}); each filled cell was read as a "
            "sale of its row's client, dated the first day of its month."
        )
    text = note.format(sheet=named(grid.name), columns=span)
    if cross.year_from_title is not None:
        text += " " + _("The months' year, {year}, was taken from the titles above them.").format(
            year=cross.year_from_title
        )
    if left:
        text += " " + ngettext(
            "The column {columns} was not read (a total or a figure of no one period).",
            "The columns {columns} were not read (totals or figures of no one period).",
            len(left),
        ).format(columns=", ".join(left[:5]) + (" …" if len(left) > 5 else ""))
    return text


def _long_layout(long: SheetGrid) -> Layout:
    """The layout of a cross table's long form: its one header row, its fields as unpivoted."""
    labels = [str(v) for v in long.table.slice(0, 1).to_pylist()[0].values()]
    columns = unique_labels(labels, [], long.letters)
    mapping = dict(long.long_of.mapping) if long.long_of is not None else {}
    first = int(long.row_numbers[0]) if long.row_numbers is not None else long.first_row
    return Layout(long.name, first, 0, columns, long.letters, mapping, 10 * 3 + len(mapping))


def _no_sale(cells: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Which cells hold no sale: missing, blank, a dash or a zero."""
    text = pc.utf8_trim_whitespace(cells)
    empty = pc.fill_null(pc.match_substring_regex(text, _NO_SALE), True)
    return np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)


def _summing_rows(
    data: pa.Table, cross: Cross, kept: list[int], mapping: dict[str, int], comma: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Rows that restate other rows: totals, and the head rows of groups (see _totals and
    _group_heads)."""
    n = data.num_rows
    labelled = np.zeros(n, dtype=bool)
    for fld in CLIENT_FIELDS:
        if fld in mapping and mapping[fld] in kept:
            labelled[reading_total(clean_arrow(data.column(mapping[fld])), np.arange(n))] = True
    if not labelled.any() and n > _GROUPS_LOOKED_AT:
        return labelled, labelled.copy()
    amounts = np.column_stack(
        [np.nan_to_num(numbers(clean_arrow(data.column(col)), comma)) for col in cross.periods]
    )
    # A row without the id its neighbours carry names no client (a region's row in a column
    # of codes).
    no_id = None
    if "client_id" in mapping and mapping["client_id"] in kept:
        ids = pc.utf8_trim_whitespace(data.column(mapping["client_id"]).cast(pa.string()))
        no_id = np.asarray(
            pc.fill_null(pc.equal(pc.utf8_length(ids), 0), True).to_numpy(zero_copy_only=False),
            dtype=bool,
        )
    # Group rows first: a grand total sums the clients, not the clients and their groups.
    heads = (
        _group_heads(amounts, labelled, no_id)
        if n <= _GROUPS_LOOKED_AT
        else np.zeros(n, dtype=bool)
    )
    return _totals(amounts, labelled, heads), heads


def _totals(amounts: np.ndarray, labelled: np.ndarray, heads: np.ndarray) -> np.ndarray:
    """Rows labelled as totals whose amounts, in every period column, sum the rows they close:
    those since the total before (a subtotal), or every row that is no total (a grand total).

    Across the period columns one row's equal amounts are proof enough: a manager's subtotal
    over a single client is a total too (a row of a long table needs two rows summed).
    """
    n, width = amounts.shape
    totals = np.zeros(n, dtype=bool)
    if not labelled.any():
        return totals
    filled = (amounts != 0).sum(axis=1)
    since, everything = np.zeros(width), np.zeros(width)
    count, count_all = 0, 0
    for row in range(n):
        if heads[row]:
            continue
        if not labelled[row]:
            since += amounts[row]
            everything += amounts[row]
            count += 1
            count_all += 1
            continue
        slack = rounding_slack(count_all, amounts[row])
        for closed, rows in ((since, count), (everything, count_all)):
            if (
                rows
                and (rows >= 2 or filled[row] >= 2)
                and (np.abs(closed - amounts[row]) <= slack).all()
            ):
                totals[row] = True
                break
        if totals[row]:
            since, count = np.zeros(width), 0
    return totals


def _group_heads(
    amounts: np.ndarray, labelled: np.ndarray, no_id: np.ndarray | None = None
) -> np.ndarray:
    """Rows whose amounts, in every period column, sum two or more of the rows right below
    them: a group's row above its members (an Excel pivot's region above its clients). Rows
    labelled as totals are neither.

    Found from the bottom up, so a region above its managers' rows sums their clients, the
    managers' rows being heads already. Two members at least: one client paying what the next
    pays each month is a client. A group of one member (its row equal to the next in every
    period, the group closed right below by another group, a total or the table's end) is a
    head only beside proof that the rows are grouped: another group of two or more members, or
    the head's id cell blank over the member's filled one.
    """
    heads = _heads(amounts, labelled, None)
    n = len(amounts)
    if n < 2:
        return heads
    # Rows equal to the next in every period: the only ones a group of one can be.
    same = np.zeros(n, dtype=bool)
    same[:-1] = (np.abs(amounts[:-1] - amounts[1:]) <= rounding_slack(1, amounts[:-1])).all(axis=1)
    if not same.any():
        return heads
    proof = (
        np.full(n, heads.any()) if no_id is None else heads.any() | (no_id & ~np.roll(no_id, -1))
    )
    if not (same & proof).any():
        return heads
    return _heads(amounts, labelled, same & proof)


def _heads(amounts: np.ndarray, labelled: np.ndarray, single: np.ndarray | None) -> np.ndarray:
    """The group heads, bottom up (_group_heads); single: rows that may head one member."""
    n, _width = amounts.shape
    heads = np.zeros(n, dtype=bool)
    filled = (amounts != 0).sum(axis=1)
    for row in range(n - 2 if single is not None else n - 3, -1, -1):
        # A head's amounts vary across the periods: flat fees (3,000 = 1,000 + 2,000 each
        # month) sum by chance.
        if labelled[row] or filled[row] < 2 or len(np.unique(amounts[row][amounts[row] != 0])) < 2:
            continue
        below = np.flatnonzero(
            ~labelled[row + 1 : row + 1 + _GROUP_ROWS] & ~heads[row + 1 : row + 1 + _GROUP_ROWS]
        )
        if len(below) < 1 or (len(below) < 2 and single is None):
            continue
        sums = np.cumsum(amounts[row + 1 + below], axis=0)
        close = (np.abs(sums - amounts[row]) <= rounding_slack(len(below), amounts[row])).all(
            axis=1
        )
        # One row alone is no group, unless the row may head one and the group ends below it.
        after = row + 2
        close[0] = bool(
            single is not None
            and single[row]
            and below[0] == 0
            and (after >= n or heads[after] or labelled[after])
        )
        heads[row] = bool(close.any())
    return heads


def _long_grid(
    file_name: str, grid: SheetGrid, cross: Cross, kept: list[int], mapping: dict[str, int]
) -> tuple[SheetGrid, tuple[np.ndarray, np.ndarray]]:
    """The cross table as rows of (the kept columns, the period, the amount), one a filled cell."""
    start = cross.header_index + 1
    data = grid.table.slice(start)
    n = data.num_rows
    if grid.merges:
        data, _filled = merged_filled(data, grid.merges, start + grid.first_row - 1)
    problems = np.zeros(n, dtype=bool)
    problem_at = [i - start for i in grid.problems if 0 <= i - start < n]
    problems[problem_at] = True
    formula_rows: dict[int, np.ndarray] = {}
    for col in cross.periods:
        if col in grid.formulas:
            rows = np.asarray(grid.formulas[col][2], dtype=np.int64) - (start + grid.first_row)
            formula_rows[col] = rows[(rows >= 0) & (rows < n)]
    totals, heads = _summing_rows(data, cross, kept, mapping, grid.delimiter == ";")
    limit = SETTINGS.limits.max_rows
    picks: list[np.ndarray] = []
    total = int(problems.sum())
    for col in cross.periods:
        sale = ~_no_sale(data.column(col)) & ~problems & ~totals & ~heads
        if col in formula_rows:
            sale[formula_rows[col]] = True
        picks.append(np.flatnonzero(sale))
        total += len(picks[-1])
        if total > limit:
            raise ImportRefused(
                _(
                    "{file}, sheet '{sheet}': read as a table with a column per period, it "
                    "holds more than {limit} sales (one a filled cell); the limit is {limit} "
                    "rows. Split the file and import the parts one by one."
                ).format(file=named(file_name), sheet=named(grid.name), limit=fmt_number(limit))
            )
    where = np.concatenate([*picks, np.flatnonzero(problems)])
    period = np.concatenate(
        [np.full(len(p), k, dtype=np.int64) for k, p in enumerate(picks)]
        + [np.full(int(problems.sum()), len(picks), dtype=np.int64)]
    )
    order = np.lexsort((period, where))  # a row's periods together, in the sheet's order
    where, period = where[order], period[order]
    dates = [d.isoformat() for d in cross.periods.values()] + [None]
    amounts = pa.chunked_array(
        [data.column(col).take(pa.array(p)) for col, p in zip(cross.periods, picks, strict=True)]
        + [pa.nulls(int(problems.sum()), pa.string())]
    ).combine_chunks()
    header = grid.table.slice(cross.header_index, 1)
    take = pa.array(where)
    columns: list[pa.Array] = []
    labels: list[str | None] = []
    for col in kept:
        labels.append(header.column(col)[0].as_py())
        columns.append(data.column(col).take(take).combine_chunks().cast(pa.string()))
    columns.append(pa.array(dates, pa.string()).take(pa.array(period)))
    columns.append(amounts.take(pa.array(order)))
    word = {"quarter": _("Quarter"), "day": _("Date"), "week": _("Week"), "year": _("Year")}.get(
        cross.kind, _("Month")
    )
    labels += [word, _("Amount")]
    table = pa.Table.from_arrays(
        [
            pa.concat_arrays([pa.array([label], pa.string()), col])
            for label, col in zip(labels, columns, strict=True)
        ],
        names=[f"c{i}" for i in range(len(columns))],
    )
    cols = list(cross.periods)
    head_row = cross.header_index + grid.first_row
    first_letter, last_letter = grid.letters[cols[0]], grid.letters[cols[-1]]
    letters = (
        *(grid.letters[c] for c in kept),
        f"{first_letter}{head_row}:{last_letter}{head_row}",
        f"{first_letter}:{last_letter}",
    )
    numbers = np.concatenate([[head_row], where + start + grid.first_row]).astype(np.int64)
    long = SheetGrid(
        grid.name,
        table,
        first_row=head_row,
        letters=letters,
        hidden=grid.hidden,
        date1904=grid.date1904,
        delimiter=grid.delimiter,
        row_numbers=numbers,
    )
    long.problems = {
        int(i) + 1: grid.problems[int(where[i]) + start]
        for i in np.flatnonzero(period == len(picks))
    }
    if formula_rows:
        # Kept as table positions past first_row, as the parse reads a sheet's formula rows.
        cells = sum(grid.formulas[c][0] for c in cols if c in grid.formulas)
        first_cell = next(grid.formulas[c][1] for c in cols if c in grid.formulas)
        marked = np.zeros(len(where), dtype=bool)
        for k, col in enumerate(cols):
            if col in formula_rows:
                marked |= (period == k) & np.isin(where, formula_rows[col])
        long.formulas = {
            len(kept) + 1: [cells, first_cell, (np.flatnonzero(marked) + 1 + head_row).tolist()]
        }
    return long, (
        np.flatnonzero(totals) + start + grid.first_row,
        np.flatnonzero(heads) + start + grid.first_row,
    )
