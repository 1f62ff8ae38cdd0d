"""Rows that are not data: blank rows, the header repeated (a report's page breaks), totals."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kam_core.ingest.fields import TOTAL_LABELS, TOTAL_PREFIXES, TOTAL_SUFFIXES, normalise_label
from kam_core.ingest.header import Layout
from kam_core.ingest.reasons import mask, missing
from kam_core.ingest.text import Text, as_arrow

_TOTAL_HINT = (
    r"total|\bsum\b|overall|summe|gesamt|somme|totaal|\bsuma\b|razem|סה|סך|סיכום|итог|всего"
)


def blank_rows(table: pa.Table, texts: Mapping[int, Text]) -> np.ndarray:
    """Rows with no text in any cell (columns without any text are skipped at once)."""
    blank = np.ones(table.num_rows, dtype=bool)
    for col, column in enumerate(table.columns):
        if column.null_count == len(column):
            continue
        blank &= missing(texts[col])
    return blank


def repeated_headers(table: pa.Table, layout: Layout, texts: Mapping[int, Text]) -> np.ndarray:
    """Rows that repeat the header: at least half the mapped columns (two or more) equal it."""
    mapped = sorted(set(layout.mapping.values()))
    need = max(2, (len(mapped) + 1) // 2)
    hits = np.zeros(table.num_rows, dtype=int)
    for done, col in enumerate(mapped):
        if hits.max(initial=0) + len(mapped) - done < need:
            break  # no row can reach the count any more: the other columns cannot change it
        label = layout.columns[col].strip().lower()
        if label:  # cleaned text has blanks as missing, which no label equals
            hits += equal_lowered(texts[col], label)
        else:
            text = pc.utf8_lower(pc.utf8_trim_whitespace(as_arrow(table.column(col))))
            hits += mask(pc.equal(text, label))
    return hits >= need


def equal_lowered(text: Text, label: str) -> np.ndarray:
    """Cells that equal label once lower-cased; only cells that could are lower-cased."""
    # Lower-casing keeps an ASCII cell ASCII and its length: only cells of the label's length in
    # bytes, or not ASCII, can match (a handful of a million, where every cell was lower-cased).
    could = pc.or_(
        pc.equal(pc.binary_length(text), len(label.encode())), pc.invert(pc.string_is_ascii(text))
    )
    rows = np.flatnonzero(mask(could))
    found = np.zeros(len(text), dtype=bool)
    if len(rows) > len(text) // 2:
        return mask(pc.equal(pc.utf8_lower(text), label))
    if len(rows):
        found[rows] = mask(pc.equal(pc.utf8_lower(text.take(pa.array(rows))), label))
    return found


def _reading_total(cells: Text, rows: np.ndarray) -> np.ndarray:
    """Of rows (the positions of cells), those whose cell reads as a total label."""
    # The pattern finds the few cells that could (a regular expression over the column); the
    # labels are then compared word for word: 'Total', 'Total for X', 'X Total', 'סה"כ'.
    hits = np.flatnonzero(mask(pc.match_substring_regex(cells, _TOTAL_HINT, ignore_case=True)))
    if not len(hits):
        return rows[:0]
    norm = [normalise_label(v) for v in cells.take(pa.array(hits)).to_pylist()]
    total = [v in TOTAL_LABELS or v.startswith(TOTAL_PREFIXES) or v.endswith(TOTAL_SUFFIXES)
             for v in norm]  # fmt: skip
    return rows[hits[np.array(total, dtype=bool)]]


def total_rows(
    table: pa.Table, no_date: np.ndarray, has_client: np.ndarray, amounts: np.ndarray
) -> np.ndarray:
    """Totals: a 'Total' label; 'Total for X' or 'X Total' without a date; an amount alone."""
    labelled = np.zeros(table.num_rows, dtype=bool)
    # Only rows without a date can be totals: look for the words in those rows alone.
    undated = np.flatnonzero(no_date)
    for column in table.columns if len(undated) else []:
        if column.null_count != len(column):
            labelled[_reading_total(column.take(undated), undated)] = True
    amount_alone = ~np.isnan(amounts) & no_date & ~has_client
    # A dated row is data even when some cell reads "Total" (a product can be called that).
    return (labelled & no_date) | amount_alone


def dated_totals(clients: list[Text], amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dated rows whose client reads 'Total' and whose amount sums the rows it closes.

    Exports date a month's subtotal with the month's last day; stored, "Total" became a client
    holding the month twice over. The sum is the proof: of the rows since the total before it
    (a subtotal), or of every row so far that is not a total (a grand total). Returns the totals
    and the doubtful rows: named like a total, but summing no rows before them (kept as sales).
    """
    named = np.zeros(len(amounts), dtype=bool)
    for column in clients:
        named[_reading_total(column, np.arange(len(column)))] = True
    totals = np.zeros(len(amounts), dtype=bool)
    if not named.any():
        return totals, totals.copy()
    data = ~named & ~np.isnan(amounts)
    values = np.where(data, amounts, 0.0)
    sums = np.concatenate(([0.0], np.cumsum(values)))
    rows = np.concatenate(([0], np.cumsum(data)))
    since_named = since_total = 0
    for row in np.flatnonzero(named & ~np.isnan(amounts)):
        # Each total closes the rows since the row named like a total before it, whether or not
        # that one summed its rows (one rounded subtotal must not make every later one data);
        # a row holding the sum of the rows before it (a total in words not known here) closes
        # them as well.
        starts = [
            since_named,
            since_total,
            _unnamed_total(values, data, sums, rows, since_named, row),
            0,
        ]
        for first in starts:
            count, closed = int(rows[row] - rows[first]), sums[row] - sums[first]
            # Two rows or more: a client called Total after one sale of the same amount stays.
            if count >= 2 and abs(closed - amounts[row]) <= _slack(count, amounts[row]):
                totals[row] = True
                since_total = row + 1
                break
        since_named = row + 1
    return totals, named & ~np.isnan(amounts) & ~totals


def _slack(count: int | np.ndarray, amount: float | np.ndarray) -> float | np.ndarray:
    """How far a total may be from the sum of count amounts: each was rounded to the cent."""
    # Rounding errors of the rows mostly cancel: about five standard deviations of their sum,
    # and the sum's own floating-point error.
    return 0.005 * (1 + 3 * np.sqrt(count)) + 1e-9 * np.abs(amount)


def _unnamed_total(
    values: np.ndarray, data: np.ndarray, sums: np.ndarray, rows: np.ndarray, start: int, end: int
) -> int:
    """After the last row of start:end holding the sum of two or more rows before it, or start."""
    at = np.arange(start, end)
    count = rows[at] - rows[start]
    ok = data[at] & (count >= 2)
    ok &= np.abs(sums[at] - sums[start] - values[at]) <= _slack(count, values[at])
    hits = np.flatnonzero(ok)
    return int(at[hits[-1]] + 1) if len(hits) else start
