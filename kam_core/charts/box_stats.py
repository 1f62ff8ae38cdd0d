"""Box plot statistics computed as plotly.js computes them, so a precomputed box draws the same
box as the raw values would, without sending every value to the browser.

The rules are plotly.js's (src/traces/box/calc.js and src/lib/stats.js, search.js, as bundled in
Streamlit 1.67): quartiles by its default quartile method "linear", which interpolates at
position n * p - 0.5 (numpy's "hazen"); the lower fence is the smallest value at or above
q1 - 1.5 IQR and the upper fence the largest value at or below q3 + 1.5 IQR, never inside the box;
the outliers are the values beyond the fences.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

# plotly.js nudges the fence limits by this share of the mean spacing (search.js findBin), so a
# value equal to the limit counts as inside whatever the rounding of 1.5 IQR.
_NUDGE = 1e-9


@dataclass(frozen=True)
class BoxStats:
    """What a box draws: quartiles, whisker ends (fences), mean, and the values beyond them."""

    count: int
    q1: float
    median: float
    q3: float
    lowerfence: float
    upperfence: float
    mean: float
    outliers: np.ndarray  # sorted, every value beyond a fence (repeats kept)


def plotly_quantile(ordered: np.ndarray, p: float) -> float:
    """plotly.js's interp: the p-quantile of sorted values, interpolated at n * p - 0.5."""
    n = len(ordered)
    position = p * n - 0.5
    if position < 0:
        return float(ordered[0])
    if position > n - 1:
        return float(ordered[-1])
    fraction = position % 1
    upper, lower = ordered[math.ceil(position)], ordered[math.floor(position)]
    return float(fraction * upper + (1 - fraction) * lower)


def _spacing(ordered: np.ndarray) -> float:
    n = len(ordered)
    return float(ordered[-1] - ordered[0]) / (n - 1) if n > 1 else 1.0


def box_stats(values: Iterable[float] | np.ndarray) -> BoxStats | None:
    """The statistics plotly.js draws for these values (NaN left out); None when there are none."""
    data = np.asarray(values, dtype="float64").ravel()
    ordered = np.sort(data[~np.isnan(data)])
    n = len(ordered)
    if n == 0:
        return None
    q1, median, q3 = (plotly_quantile(ordered, p) for p in (0.25, 0.5, 0.75))
    nudge = _spacing(ordered) * _NUDGE
    # Written as plotly.js writes them (2.5 q1 - 1.5 q3), so the limits round the same way.
    low_limit = 2.5 * q1 - 1.5 * q3 - nudge
    high_limit = 2.5 * q3 - 1.5 * q1 + nudge
    first_inside = min(int(np.searchsorted(ordered, low_limit, side="left")), n - 1)
    last_inside = max(int(np.searchsorted(ordered, high_limit, side="right")) - 1, 0)
    lowerfence = min(q1, float(ordered[first_inside]))
    upperfence = max(q3, float(ordered[last_inside]))
    outliers = ordered[(ordered < lowerfence) | (ordered > upperfence)]
    return BoxStats(
        count=n,
        q1=q1,
        median=median,
        q3=q3,
        lowerfence=lowerfence,
        upperfence=upperfence,
        mean=float(ordered.mean()),
        outliers=outliers,
    )


def distinct_outliers(stats: BoxStats, step: float) -> list[float]:
    """The outliers on a grid of `step` (what the axis can tell apart), each value once."""
    # Values below the box go down to the grid and values above it up, so none crosses a fence:
    # plotly.js drops a point given with a box that does not lie beyond its fences.
    values = stats.outliers
    if not len(values):
        return []
    low, high = values[values < stats.lowerfence], values[values > stats.upperfence]
    # Rounded to ten places to shed float noise (0.30000000000000004), and never past the value
    # itself, where that noise would carry a grid value across.
    down = np.round(np.floor(low / step) * step, 10)
    down = np.where(down <= low, down, low)
    up = np.round(np.ceil(high / step) * step, 10)
    up = np.where(up >= high, up, high)
    return [float(v) for v in np.unique(np.concatenate([down, up]))]
