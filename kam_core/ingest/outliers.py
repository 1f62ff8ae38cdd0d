"""Amounts far out of line with the rest of a file: stored, and named in a note to check."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kam_core.i18n import _, fmt_number, fmt_percent

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
    filled = amounts[np.isfinite(amounts) & (amounts > 0)]
    if len(filled) < MIN_LINES:
        return None
    median = float(np.median(filled))
    total = float(filled.sum())
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
        "line ({median}), {share} of the file's revenue. It was imported; if it is a typo, "
        "undo this import, correct the row and import the file again."
    ).format(
        lines=lines,
        times=fmt_number(float(amounts[largest[0]]) / median),
        median=fmt_number(median, 2),
        share=fmt_percent(float(amounts[far].sum()) / total),
    )
