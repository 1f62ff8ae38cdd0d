"""Rows that are not data: blank rows, the header repeated (a report's page breaks), totals."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.ingest.fields import TOTAL_LABELS, TOTAL_PREFIXES, TOTAL_SUFFIXES, normalise_label
from kam_core.ingest.header import Layout
from kam_core.ingest.reasons import mask, missing
from kam_core.ingest.text import Text, as_arrow

_TOTAL_HINT = (
    r"total|\bsum\b|overall|summe|gesamt|ergebnis|somme|totaal|\bsuma\b|razem|סה|סך|סיכום|סכום"
    r"|итог|всего|forward|\bfwd\b|\b[bc]/f\b|übertrag|מועבר|הועבר|перенос"
    r"|summary|\ball\b|\bcount\b|\brecords?\b|כל הלקוחות"
)
# A closing line that counts or sums in its label: 'Count: 3', 'Sum= 600', '3 records'.
_COUNTED = re.compile(r"^(?:(?:count|sum|total|records?)\s*\d[\d\s.,]*|\d[\d\s.,]*\s*records?)$")


def blank_rows(table: pa.Table, texts: Mapping[int, Text]) -> np.ndarray:
    """Rows with no text in any cell (columns without any text are skipped at once)."""
    blank = np.ones(table.num_rows, dtype=bool)
    for col, column in enumerate(table.columns):
        if column.null_count == len(column):
            continue
        blank &= missing(texts[col])
    return blank


# A printed report's own lines: page numbers, when and by whom it was printed, rules of dashes.
PAGE_LINE = (
    r"^(?:page|p\.|seite|pagina|página|стр\.?|страница|עמוד|עמ'|דף)\s*\d+"
    r"(?:\s*(?:of|/|von|de|di|из|מתוך|מ-)\s*\d+)?$"
    r"|^(?:printed|print date|run date|run time|generated|report date|report run|gedruckt"
    r"|напечатано|הופק|הודפס|תאריך הדפסה)\b"
    r"|^[-=_*~.\s|+]+$"
    # A report's footnote: 'Notes: figures exclude VAT', 'Source: ERP', '* before returns'.
    r"|^(?:notes?|source|remarks?|comments?|הערות?|מקור|примечани[ея]|источник)\s*:"
    r"|^\*+\s*\w"
)


def page_lines(
    table: pa.Table,
    texts: Mapping[int, Text],
    candidates: np.ndarray,
    titles: set[str],
    headers_again: np.ndarray | None = None,
) -> np.ndarray:
    """Rows holding one cell alone that is a printed report's own line: 'Page 1 of 2',
    'Printed on ...', a rule of dashes, the report's title again (one of titles, the cells
    above the header, trimmed and in lower case), or any text alone just above a repeat of
    the header (headers_again: a page's title, 'Sales report - page 2'). Only candidates are
    looked at (rows without a date or an amount)."""
    n = table.num_rows
    found = np.zeros(n, dtype=bool)
    if not candidates.any():
        return found
    filled = np.zeros(n, dtype=np.int32)
    columns = [c for c in range(table.num_columns) if table.column(c).null_count < n]
    for col in columns:
        filled += ~missing(texts[col])
    alone = candidates & (filled == 1)
    if not alone.any():
        return found
    if headers_again is not None:
        for at in np.flatnonzero(headers_again):
            above = at - 1
            while above >= 0 and filled[above] == 0:  # blank lines between
                above -= 1
            if above >= 0 and alone[above]:
                found[above] = True
    # Words alone below the last row with a date or an amount are the report's footer ('Prepared
    # by Dana'); a date or an amount alone there is a sale without the rest, rejected.
    data = np.flatnonzero(~candidates & (filled > 0))  # blank rows do not count
    trailing = alone & (np.arange(n) > (data[-1] if len(data) else n))
    for col in columns if trailing.any() else []:
        rows = np.flatnonzero(trailing & ~missing(texts[col]))
        if len(rows):
            cells = as_arrow(texts[col]).take(pa.array(rows))
            found[rows[mask(pc.match_substring_regex(cells, r"[^\W\d_].*\s.*[^\W\d_]"))]] = True
    known = pa.array(sorted(titles), pa.string())
    for col in columns:
        rows = np.flatnonzero(alone & ~missing(texts[col]))
        if not len(rows):
            continue
        cells = pc.utf8_lower(pc.utf8_trim_whitespace(as_arrow(texts[col]).take(pa.array(rows))))
        hit = mask(pc.match_substring_regex(cells, PAGE_LINE)) | mask(
            pc.is_in(cells, value_set=known)
        )
        found[rows[hit]] = True
    return found


def repeated_headers(
    table: pa.Table, layout: Layout, candidates: np.ndarray, written: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Rows repeating the header, and rows holding its labels in other columns.

    A repeat has at least half the mapped columns (two or more) holding their own label; a
    header of another block holds as many labels, some of them in another mapped column
    ('Profit' where the first header says 'Revenue'): the rows under it are in another order.
    Only candidates are looked at (rows whose date or amount did not read: a header's do not);
    written: the header's labels as the file writes them (trimmed, lower case).
    """
    n = table.num_rows
    again, moved = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    rows = np.flatnonzero(candidates)
    if not len(rows):
        return again, moved
    mapped = sorted(set(layout.mapping.values()))
    need = max(2, (len(mapped) + 1) // 2)
    # The header as written: the layout's labels are made unique ('Amount', 'Amount (2)'), and a
    # repeat of two columns headed alike holds each one's own label.
    labels = {col: written[col] if col < len(written) else "" for col in mapped}
    known = pa.array(sorted({label for label in labels.values() if label}), pa.string())
    home, away = np.zeros(len(rows), dtype=int), np.zeros(len(rows), dtype=int)
    at = pa.array(rows)
    for col in mapped:
        cells = pc.utf8_lower(pc.utf8_trim_whitespace(as_arrow(table.column(col)).take(at)))
        label = labels[col]
        if label:
            here = mask(pc.equal(cells, label))
        else:  # an unlabelled column of the header: an empty cell repeats it
            here = ~mask(pc.greater(pc.binary_length(cells), 0))
        home += here
        away += mask(pc.is_in(cells, value_set=known)) & ~here
    again[rows] = (home >= need) & (away == 0)
    # A header of another order keeps some label in its place (a row of data holding two
    # words that are labels, a client 'Date' with a product 'Amount', is no header).
    moved[rows] = (home + away >= need) & (away > 0) & (home > 0)
    return again, moved


def reading_total(cells: Text, rows: np.ndarray) -> np.ndarray:
    """Of rows (the positions of cells), those whose cell reads as a total label."""
    return _total_labels(cells, rows)[0]


def _total_labels(cells: Text, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of rows (the positions of cells), those reading as a total label, and those of them
    labelled exactly so ('Total', 'סה"כ'; not 'Total for X' or 'X Total', as a client such as
    Total Energies may be called)."""
    # The pattern finds the few cells that could (a regular expression over the column); the
    # labels are then compared word for word: 'Total', 'Total for X', 'X Total', 'סה"כ'.
    hits = _hinted(cells)
    if not len(hits):
        return rows[:0], rows[:0]
    found = cells.take(pa.array(hits))
    distinct = pc.unique(found)
    norm = [normalise_label(v) for v in distinct.to_pylist()]
    exact = np.array([v in TOTAL_LABELS or bool(_COUNTED.match(v)) for v in norm], dtype=bool)
    loose = np.array([v.startswith(TOTAL_PREFIXES) or v.endswith(TOTAL_SUFFIXES) for v in norm],
                     dtype=bool)  # fmt: skip
    at = np.asarray(pc.index_in(found, value_set=distinct))
    return rows[hits[exact[at] | loose[at]]], rows[hits[exact[at]]]


# Below this many cells the pattern runs over the column as it is.
_BY_VALUE_FROM = 65_536
# A column is matched value by value when its first cells repeat this much (fewer distinct
# values than this share): clients, products and managers, not order numbers.
_REPEATING = 0.6
_SAMPLE = 4_096


def _hinted(cells: Text) -> np.ndarray:
    """The positions of the cells the total pattern finds, by distinct value where they repeat.

    The pattern over a million cells took 0.05-0.08 s a column; a column of 50,000 clients
    needs it for each client once (and an encoding of the column, which order numbers, all
    distinct, do not repay).
    """
    if len(cells) >= _BY_VALUE_FROM:
        arr = cells.combine_chunks() if isinstance(cells, pa.ChunkedArray) else cells
        if len(pc.unique(arr.slice(0, _SAMPLE))) < _REPEATING * _SAMPLE:
            coded = pc.dictionary_encode(arr)
            found = mask(pc.match_substring_regex(coded.dictionary, _TOTAL_HINT, ignore_case=True))
            if not found.any():
                return np.flatnonzero(found[:0])
            codes = pa.array(np.flatnonzero(found), coded.indices.type)
            return np.flatnonzero(mask(pc.is_in(coded.indices, value_set=codes)))
    return np.flatnonzero(mask(pc.match_substring_regex(cells, _TOTAL_HINT, ignore_case=True)))


def total_rows(
    table: pa.Table, no_date: np.ndarray, has_client: np.ndarray, amounts: np.ndarray
) -> np.ndarray:
    """Totals: a 'Total' label; 'Total for X' or 'X Total' without a date; an amount alone."""
    labelled = np.zeros(table.num_rows, dtype=bool)
    # Only rows without a date can be totals: look for the words in those rows alone.
    undated = np.flatnonzero(no_date)
    for column in table.columns if len(undated) else []:
        if column.null_count != len(column):
            labelled[reading_total(column.take(undated), undated)] = True
    amount_alone = ~np.isnan(amounts) & no_date & ~has_client
    # A dated row is data even when some cell reads "Total" (a product can be called that).
    return (labelled & no_date) | amount_alone


def dated_totals(clients: list[Text], amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dated rows whose client reads 'Total' and whose amount sums the rows it closes.

    Exports date a month's subtotal with the month's last day; stored, "Total" became a client
    holding the month twice over. The sum is the proof: of the rows since the total before it
    (a subtotal), or of every row so far that is not a total (a grand total). Returns the totals
    and the doubtful rows: labelled exactly like a total, but summing no rows before them (kept
    as sales).
    """
    n = len(amounts)
    named, exact = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for column in clients:
        found, exactly = _total_labels(column, np.arange(len(column)))
        named[found] = True
        exact[exactly] = True
    totals = np.zeros(n, dtype=bool)
    if not named.any():
        return totals, totals.copy()
    data = ~named & ~np.isnan(amounts)
    values = np.where(data, amounts, 0.0)
    sums = np.concatenate(([0.0], np.cumsum(values)))
    rows = np.concatenate(([0], np.cumsum(data)))
    after_label, after_unlabelled = _segments(exact & ~np.isnan(amounts), data, values, sums, rows)
    since_total = 0
    for row in np.flatnonzero(named & ~np.isnan(amounts)).tolist():
        amount = float(amounts[row])
        starts = [since_total, 0]
        if exact[row]:
            # A total labelled exactly closes the rows since the row labelled so before it,
            # whether or not that one summed its rows (one rounded subtotal must not make
            # every later one a sale), or since a row holding the sum of the rows before it (a
            # total in words not known here). 'Total Energies' gets neither: a client may be
            # called so, and its sales are not sums.
            starts[1:1] = [int(after_label[row]), int(after_unlabelled[row])]
        for first in starts:
            count = int(rows[row] - rows[first])
            closed = float(sums[row] - sums[first])
            # Two rows or more: a client called Total after one sale of the same amount stays.
            slack = 0.005 * (1 + 3 * math.sqrt(count)) + 1e-9 * abs(amount)  # as rounding_slack
            if count >= 2 and abs(closed - amount) <= slack:
                totals[row] = True
                since_total = row + 1
                break
    return totals, exact & ~np.isnan(amounts) & ~totals


def rounding_slack(count: int | np.ndarray, amount: float | np.ndarray) -> float | np.ndarray:
    """How far a total may be from the sum of count amounts: each was rounded to the cent."""
    # Rounding errors of the rows mostly cancel: about five standard deviations of their sum,
    # and the sum's own floating-point error.
    return 0.005 * (1 + 3 * np.sqrt(count)) + 1e-9 * np.abs(amount)


def _segments(
    labelled: np.ndarray, data: np.ndarray, values: np.ndarray, sums: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: where its segment starts (after the last labelled row before it), and after the
    last row of that segment holding the sum of two or more rows before it (else the start)."""
    n = len(labelled)
    at = np.arange(n)
    # The segment of row r starts after the last labelled row before r.
    start = np.maximum.accumulate(np.concatenate(([0], np.where(labelled, at + 1, 0))))[:n]
    count = rows[at] - rows[start]
    ok = (
        data
        & (count >= 2)
        & (np.abs(sums[at] - sums[start] - values) <= rounding_slack(count, values))
    )
    # The last such row before r, kept only when it lies in r's segment.
    last = np.maximum.accumulate(np.concatenate(([0], np.where(ok, at + 1, 0))))[:n]
    return start, np.where(last > start, last, start)


# SAP's ALV lists mark their result rows in a narrow column of their own, before the first
# field: '*' the grand total, '**' a subtotal, '***' one level down.
_STARS = r"^\*{1,5}$"
_LONGEST_MARK = 12  # bytes: a cell longer than that is no mark, with any padding around it


def starred_totals(
    table: pa.Table,
    mapped: set[int],
    written: list[str],
    no_date: np.ndarray,
    amounts: np.ndarray,
) -> np.ndarray:
    """Rows marked as totals by asterisks alone in an unlabelled column no field reads, as an
    SAP list marks its totals and subtotals (they repeat the client, some the date).

    A column of such marks is one whose every filled cell is one to five asterisks; it is
    believed when a marked row has no date or sums the unmarked rows since the mark before.
    """
    n = table.num_rows
    found = np.zeros(n, dtype=bool)
    for col in range(table.num_columns):
        if col in mapped or (col < len(written) and written[col]):
            continue
        column = table.column(col)
        if column.null_count == n:
            continue
        # Cheap first: the length of the longest cell (most unlabelled columns hold words).
        longest = pc.max(pc.binary_length(column)).as_py()
        if not longest or longest > _LONGEST_MARK:
            continue
        cells = pc.utf8_trim_whitespace(column)
        filled = mask(pc.greater(pc.binary_length(cells), 0))
        stars = mask(pc.match_substring_regex(cells, _STARS))
        if stars.any() and not (filled & ~stars).any():
            found |= stars
    if not found.any() or _believed(found, no_date, amounts):
        return found
    return np.zeros(n, dtype=bool)


def _believed(marked: np.ndarray, no_date: np.ndarray, amounts: np.ndarray) -> bool:
    """True when a marked row has no date, or its amount sums two or more unmarked rows above
    it since the marked row before, or every marked row sums so (a column of '*' flagging
    some sales marks dated rows that sum nothing)."""
    if (marked & no_date).any():
        return True
    data = ~marked & ~np.isnan(amounts)
    sums = np.concatenate(([0.0], np.cumsum(np.where(data, amounts, 0.0))))
    counts = np.concatenate(([0], np.cumsum(data)))
    since, every = 0, True
    for row in np.flatnonzero(marked).tolist():
        count = int(counts[row] - counts[since])
        amount = float(amounts[row])
        sums_rows = count >= 1 and abs(sums[row] - sums[since] - amount) <= rounding_slack(
            count, amount
        )
        if sums_rows and count >= 2:
            return True
        every &= bool(sums_rows)  # a client of one sale: its subtotal repeats that sale
        since = row + 1
    return every
