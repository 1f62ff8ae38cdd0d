"""Amounts far out of line with the rest of a file: stored, and named in a note to check."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from kam_core.i18n import _, fmt_date, fmt_number, fmt_percent

# A line needs company before its size says anything: below this many amounts none is singled
# out (a file of three invoices may hold one large one).
MIN_LINES = 20
# Times the file's median line: a slip of three zeros (1,000 typed for 1.00) or a
# number pasted into the amount's place lands here, a large order rarely does.
TIMES_MEDIAN = 1_000
# ...and this share of the file's revenue: a figure that does not move the reports is left be.
SHARE = 0.1
SHOWN = 3


def out_of_line(rows: pd.DataFrame) -> str | None:
    """A note naming the rows whose revenue is far out of line with the file's, or None."""
    if "revenue" not in rows or len(rows) < MIN_LINES:
        return None
    values = rows["revenue"].to_numpy()
    if values.dtype != np.float64:
        values = values.astype("float64")
    # A slice at a time: a million rows' absolute values at once held 8 MB more at the
    # parse's peak, for a check that nearly always ends here.
    total, largest = 0.0, 0.0
    for at in range(0, len(values), _SLICE):
        part = np.abs(values[at : at + _SLICE])
        part = part[np.isfinite(part)]
        if len(part):
            total += float(part.sum())
            largest = max(largest, float(part.max()))
    # Most files have no line of a tenth of their revenue: settled without the median.
    if not total or largest < SHARE * total:
        return None
    amounts = np.abs(values)
    finite = np.isfinite(amounts)
    filled = amounts[finite & (amounts > 0)]
    if len(filled) < MIN_LINES:
        return None
    median = float(np.median(filled))
    far = np.flatnonzero(
        (amounts >= TIMES_MEDIAN * median) & (amounts >= SHARE * total) & np.isfinite(amounts)
    )
    if not len(far):
        return None
    largest = far[np.argsort(-amounts[far], kind="stable")][:SHOWN]
    source = rows["source_row"].to_numpy() if "source_row" in rows else np.arange(len(rows)) + 2
    lines = "; ".join(
        _("row {row}: {amount}").format(
            row=fmt_number(int(source[at])), amount=fmt_number(rows["revenue"].iat[at], 2)
        )
        for at in sorted(largest, key=lambda at: int(source[at]))
    )
    return _(
        "Revenue far out of line with the rest of the file ({lines}): {times} times the median "
        "line ({median}), {share} of the file's revenue. It is imported as written; if it is "
        "a typo, correct the row in the file and upload it again (after an import, undo it "
        "first)."
    ).format(
        lines=lines,
        times=fmt_number(float(amounts[largest[0]]) / median),
        median=fmt_number(median, 2),
        share=fmt_percent(float(amounts[far].sum()) / total),
    )


_SLICE = 65_536


def _days(stamps: np.ndarray) -> Iterator[np.ndarray]:
    """The known dates' day numbers, a slice of rows at a time."""
    for at in range(0, len(stamps), _SLICE):
        part = stamps[at : at + _SLICE].astype("datetime64[D]")
        yield part[~np.isnat(part)].astype("int64")


# A date this many days from every other date of the file stands apart from it.
APART_DAYS = 366
# ...when the rows on its side of the gap are this few: a file of two years' history with a
# quiet year between is two periods, not a typo.
APART_SHARE = 0.005
APART_MOST = 10


def out_of_time(rows: pd.DataFrame) -> str | None:
    """A note naming the rows dated more than a year apart from the rest of the file, or None."""
    if "order_date" not in rows or len(rows) < MIN_LINES:
        return None
    stamps = rows["order_date"].to_numpy()
    # Days a slice at a time (two copies of a million dates were 16 MB more at the parse's
    # peak): the span first, which settles most files, then a count a day.
    low, high, known = None, None, 0
    for part in _days(stamps):
        if len(part):
            known += len(part)
            low = int(part.min()) if low is None else min(low, int(part.min()))
            high = int(part.max()) if high is None else max(high, int(part.max()))
    if known < MIN_LINES or low is None or high is None or high - low <= APART_DAYS:
        return None  # a quarter or a year: nothing can stand apart
    # Counted by day (a bin a day, dates being within 1950-2100): linear, where a sort of a
    # million dates is not.
    by_day = np.zeros(high - low + 1, dtype=np.int64)
    for part in _days(stamps):
        by_day += np.bincount(part - low, minlength=len(by_day))
    offsets = np.flatnonzero(by_day)
    counts = by_day[offsets]
    distinct = (offsets + low).astype("datetime64[D]")
    gaps = np.flatnonzero(np.diff(distinct).astype("int64") > APART_DAYS)
    if not len(gaps):
        return None
    few = max(1, min(APART_MOST, int(APART_SHARE * known)))
    before = np.cumsum(counts)
    apart = np.zeros(len(distinct), dtype=bool)
    for gap in gaps:  # the dates on the small side of each wide gap
        if before[gap] <= few:
            apart[: gap + 1] = True
        elif before[-1] - before[gap] <= few:
            apart[gap + 1 :] = True
    if not apart.any() or apart.all():
        return None
    days = stamps.astype("datetime64[D]")
    odd = np.isin(days, distinct[apart]) & ~np.isnat(days)
    source = rows["source_row"].to_numpy() if "source_row" in rows else np.arange(len(rows)) + 2
    at = np.flatnonzero(odd)[:SHOWN]
    lines = "; ".join(
        _("row {row}: {date}").format(
            row=fmt_number(int(source[i])), date=fmt_date(pd.Timestamp(days[i]))
        )
        for i in at
    )
    if odd.sum() > SHOWN:
        lines = _("{lines} and {count} more").format(
            lines=lines, count=fmt_number(int(odd.sum()) - SHOWN)
        )
    rest = distinct[~apart]
    return _(
        "Dated more than a year apart from every other row of the file ({lines}; the others "
        "from {first} to {last}). They are imported as written; if a date is a typo, correct "
        "the row in the file and upload it again (after an import, undo it first)."
    ).format(
        lines=lines, first=fmt_date(pd.Timestamp(rest[0])), last=fmt_date(pd.Timestamp(rest[-1]))
    )
