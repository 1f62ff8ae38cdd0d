"""The dossier's purchases chart: Hebrew month names, time read from the right in Hebrew."""

from datetime import date
from itertools import pairwise

import pandas as pd

from kam_core.charts.dossier import MAX_TICKS, month_ticks, purchases_figure
from kam_core.i18n import strip_isolates, use_language


def months(n: int) -> pd.DataFrame:
    stamps = pd.date_range("2024-01-01", periods=n, freq="MS")
    return pd.DataFrame(
        {
            "month": stamps,
            "revenue": [100.0 * (i + 1) for i in range(n)],
            "orders": 1,
            "lines": 1,
            "returns": [-10.0 if i == 2 else 0.0 for i in range(n)],
        }
    )


def test_hebrew_months_are_named_in_hebrew_and_time_runs_from_the_right():
    with use_language("he"):
        fig = purchases_figure(months(3), date(2024, 1, 1), date(2024, 3, 31))
    axis = fig.layout.xaxis
    assert [strip_isolates(t) for t in axis.ticktext] == ["ינו׳ 2024", "פבר׳ 2024", "מרץ 2024"]
    assert [pd.Timestamp(v) for v in axis.tickvals] == list(months(3)["month"])
    assert axis.autorange == "reversed"
    assert fig.layout.yaxis.side == "right"
    # The window's label sits inside it, at its first month, which is on its right edge.
    note = fig.layout.annotations[0]
    assert (pd.Timestamp(note.x), note.xanchor) == (pd.Timestamp("2024-01-01"), "right")


def test_english_months_read_left_to_right_with_the_amounts_on_the_left():
    with use_language("en"):
        fig = purchases_figure(months(3))
    axis = fig.layout.xaxis
    assert list(axis.ticktext) == ["Jan 2024", "Feb 2024", "Mar 2024"]
    assert axis.autorange != "reversed"
    assert fig.layout.yaxis.side != "right"
    assert fig.layout.annotations == ()


def test_a_long_history_labels_at_most_twelve_months_and_always_the_latest():
    frame = months(40)
    values, text = month_ticks(frame["month"], "en")
    assert len(values) <= MAX_TICKS
    assert values[-1] == pd.Timestamp("2027-04-01") and text[-1] == "Apr 2027"
    # Every 4th month counted back from the latest: Apr 2027, Dec 2026, ...
    assert values[-2] == pd.Timestamp("2026-12-01")


def test_months_without_purchases_still_get_evenly_spaced_labels():
    frame = months(24).drop(index=[14, 15])  # nothing bought in March and April 2025
    values, _text = month_ticks(frame["month"], "en")
    gaps = {(b - a).days // 28 for a, b in pairwise(values)}
    assert gaps == {2} and values[-1] == pd.Timestamp("2025-12-01")
