"""Amounts far out of line with the rest of a file: stored, and named in a note to check."""

from __future__ import annotations

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
    amounts = np.abs(rows["revenue"].to_numpy(dtype="float64", na_value=np.nan))
    finite = np.isfinite(amounts)
    total = float(amounts.sum(where=finite))
    # Most files have no line of a tenth of their revenue: settled without the median.
    if not total or float(amounts.max(where=finite, initial=0.0)) < SHARE * total:
        return None
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
    days = rows["order_date"].to_numpy(dtype="datetime64[D]")
    known = ~np.isnat(days)
    if known.sum() < MIN_LINES:
        return None
    dated = days[known].astype("int64")
    low = int(dated.min())
    if int(dated.max()) - low <= APART_DAYS:
        return None  # a quarter or a year: nothing can stand apart
    # Counted by day (a bin a day, dates being within 1950-2100): linear, where a sort of a
    # million dates is not.
    by_day = np.bincount(dated - low)
    offsets = np.flatnonzero(by_day)
    counts = by_day[offsets]
    distinct = (offsets + low).astype("datetime64[D]")
    gaps = np.flatnonzero(np.diff(distinct).astype("int64") > APART_DAYS)
    if not len(gaps):
        return None
    few = max(1, min(APART_MOST, int(APART_SHARE * known.sum())))
    before = np.cumsum(counts)
    apart = np.zeros(len(distinct), dtype=bool)
    for gap in gaps:  # the dates on the small side of each wide gap
        if before[gap] <= few:
            apart[: gap + 1] = True
        elif before[-1] - before[gap] <= few:
            apart[gap + 1 :] = True
    if not apart.any() or apart.all():
        return None
    odd = np.isin(days, distinct[apart]) & known
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
