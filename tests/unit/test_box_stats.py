"""Box statistics as plotly.js computes them: hand-checked quartiles and fences, numpy's "hazen"
quantiles, the same numbers plotly.js's own rule gives on the raw values, and the figure of
probability alive built from them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kam_core.charts.box_stats import BoxStats, box_stats, distinct_outliers, plotly_quantile
from kam_core.charts.model import OUTLIER_STEP, p_alive_by_status_figure


def _plotly_interp(values: list[float], p: float) -> float:
    """plotly.js src/lib/stats.js interp, line by line."""
    n = p * len(values) - 0.5
    if n < 0:
        return values[0]
    if n > len(values) - 1:
        return values[-1]
    r = n % 1
    return r * values[math.ceil(n)] + (1 - r) * values[math.floor(n)]


def _plotly_find_bin(val: float, bins: list[float], linelow: bool) -> int:
    """plotly.js src/lib/search.js findBin on a sorted array, line by line."""
    low, high, count = 0, len(bins), 0
    step = (bins[-1] - bins[0]) / (len(bins) - 1) if len(bins) > 1 else 1
    test = (lambda a, b: a < b) if linelow else (lambda a, b: a <= b)
    val += step * 1e-9 * (-1 if linelow else 1) * (1 if step >= 0 else -1)
    while low < high and count < 100:
        count += 1
        middle = (low + high) // 2
        if test(bins[middle], val):
            low = middle + 1
        else:
            high = middle
    return low - 1


def old_rule(values: list[float]) -> tuple[float, float, float, float, float, list[float]]:
    """What plotly.js drew from the raw values (src/traces/box/calc.js, quartilemethod linear):
    q1, median, q3, lower fence, upper fence and the points shown as outliers."""
    z = sorted(values)
    n = len(z)
    q1, med, q3 = _plotly_interp(z, 0.25), _plotly_interp(z, 0.5), _plotly_interp(z, 0.75)
    lf = min(q1, z[min(_plotly_find_bin(2.5 * q1 - 1.5 * q3, z, True) + 1, n - 1)])
    uf = max(q3, z[max(_plotly_find_bin(2.5 * q3 - 1.5 * q1, z, False), 0)])
    return q1, med, q3, lf, uf, [v for v in z if v < lf or v > uf]


def as_tuple(stats: BoxStats) -> tuple:
    return (
        stats.q1,
        stats.median,
        stats.q3,
        stats.lowerfence,
        stats.upperfence,
        stats.outliers.tolist(),
    )


def test_four_values_have_quartiles_halfway_between_them():
    stats = box_stats([4, 1, 3, 2])
    # Positions n * p - 0.5 = 0.5, 1.5, 2.5: halfway between neighbours.
    assert (stats.q1, stats.median, stats.q3) == (1.5, 2.5, 3.5)
    assert (stats.lowerfence, stats.upperfence) == (1, 4)  # the extreme values, inside 1.5 IQR
    assert stats.outliers.tolist() == []
    assert stats.count == 4 and stats.mean == 2.5


def test_a_value_far_above_the_rest_is_an_outlier_and_the_whisker_stops_at_the_last_inside():
    stats = box_stats([*range(1, 11), 50])
    # n = 11: q1 at 2.25 (3.25), the median at 5 (6), q3 at 7.75 (8.75); IQR 5.5, so the upper
    # limit is 8.75 + 8.25 = 17 and the largest value under it is 10.
    assert (stats.q1, stats.median, stats.q3) == (3.25, 6, 8.75)
    assert (stats.lowerfence, stats.upperfence) == (1, 10)
    assert stats.outliers.tolist() == [50]


def test_a_fence_never_lies_inside_the_box():
    stats = box_stats([1, 2, 3, 4, 100])
    # q3 at position 3.25 is 0.75 * 4 + 0.25 * 100 = 28: no value between 28 and its limit
    # 67.375, so the upper fence is q3 itself and 100 lies beyond it.
    assert (stats.q1, stats.median, stats.q3) == (1.75, 3, 28)
    assert (stats.lowerfence, stats.upperfence) == (1, 28)
    assert stats.outliers.tolist() == [100]


def test_a_value_on_the_limit_is_inside():
    # n = 8: q1 at position 1.5 (2), q3 at 5.5 (4), IQR 2: the upper limit is 4 + 3 = 7.
    values = [1, 2, 2, 3, 3, 4, 4, 7]
    stats = box_stats(values)
    assert (stats.q1, stats.q3) == (2, 4)
    assert stats.upperfence == 7 and stats.outliers.tolist() == []


@pytest.mark.parametrize(
    "values",
    [[1, 2, 3, 4], [5, 1, 9, 2, 8], [*range(1, 11), 50], [0.5, 0.25, 0.125], [3, 3, 1, 7, 7, 7]],
)
def test_quartiles_equal_numpys_hazen_quantiles(values):
    stats = box_stats(values)
    expected = np.quantile(values, [0.25, 0.5, 0.75], method="hazen")
    assert [stats.q1, stats.median, stats.q3] == pytest.approx(expected.tolist(), abs=1e-12)
    assert plotly_quantile(np.sort(values), 0.5) == pytest.approx(np.median(values))


@pytest.mark.parametrize("seed", range(12))
def test_statistics_equal_what_plotly_drew_from_the_raw_values(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 400))
    kind = seed % 4
    if kind == 0:  # probability alive of lost clients: most near 0, a tail up to 100
        values = 100 * rng.beta(0.2, 6, size)
    elif kind == 1:  # of active clients: most near 100
        values = 100 * rng.beta(8, 0.3, size)
    elif kind == 2:  # heavy tails both ways
        values = rng.standard_cauchy(size)
    else:  # many ties
        values = rng.integers(0, 6, size).astype(float)
    values = values.tolist()
    assert as_tuple(box_stats(values)) == old_rule(values)


def test_no_values_no_box():
    assert box_stats([]) is None
    assert box_stats([float("nan"), float("nan")]) is None


def test_one_value_is_every_statistic():
    stats = box_stats([42.5])
    assert as_tuple(stats) == (42.5, 42.5, 42.5, 42.5, 42.5, [])
    assert as_tuple(stats) == old_rule([42.5])


def test_equal_values_make_a_flat_box_without_outliers():
    stats = box_stats([7.0] * 9)
    assert as_tuple(stats) == (7.0, 7.0, 7.0, 7.0, 7.0, [])
    assert distinct_outliers(stats, 0.25) == []


def test_nan_is_left_out():
    assert as_tuple(box_stats([1, float("nan"), 2, 3, 4])) == as_tuple(box_stats([1, 2, 3, 4]))


def stats_with(outliers: list[float], low: float, high: float) -> BoxStats:
    return BoxStats(
        count=len(outliers) + 3,
        q1=low + 1,
        median=(low + high) / 2,
        q3=high - 1,
        lowerfence=low,
        upperfence=high,
        mean=0.0,
        outliers=np.array(outliers),
    )


def test_outliers_are_drawn_once_per_grid_step_and_never_cross_a_fence():
    stats = stats_with([0.03, 0.07, 0.12, 60.01, 99.91, 99.96], low=40, high=60)
    # Below the box down to the grid, above it up: 0.03 and 0.07 both at 0.0, 99.91 and 99.96
    # both at 100.0.
    assert distinct_outliers(stats, 0.1) == [0.0, 0.1, 60.1, 100.0]
    # 49.98 rounded to the nearest tenth would be 50.0, the fence itself, and plotly.js would
    # drop it; 60.04 likewise.
    edge = stats_with([49.98, 60.04], low=50.0, high=60.0)
    assert distinct_outliers(edge, 0.1) == [49.9, 60.1]


def test_the_figure_draws_the_statistics_and_the_distinct_outliers():
    rng = np.random.default_rng(7)
    lost = rng.beta(0.2, 6, 500)
    table = pd.DataFrame(
        {
            "status": ["active"] * 4 + ["lost"] * 500 + ["at_risk"],
            "p_alive": [0.9, 0.95, 0.97, float("nan"), *lost, 0.4],
        }
    )
    fig = p_alive_by_status_figure(table)
    # Statuses in reading order, a status without clients left out.
    assert [trace.name for trace in fig.data] == ["Active", "At risk", "Lost"]
    active, at_risk, boxed_lost = fig.data
    expected = box_stats([90.0, 95.0, 97.0])
    assert (active.q1, active.median, active.q3) == ((expected.q1,), (95.0,), (expected.q3,))
    assert active.y is None and at_risk.y is None  # no outliers: no (empty) sample list
    assert at_risk.lowerfence == at_risk.upperfence == (40.0,)
    q1, med, q3, lf, uf, points = old_rule((lost * 100).tolist())
    assert boxed_lost.q1 == (q1,) and boxed_lost.median == (med,) and boxed_lost.q3 == (q3,)
    assert boxed_lost.lowerfence == (lf,) and boxed_lost.upperfence == (uf,)
    shown = list(boxed_lost.y[0])
    assert points and len(shown) < len(points)
    assert shown == sorted(set(shown))
    assert all(v > uf for v in shown)  # this group's outliers all lie above the box
    # Each old outlier has its drawn point within one grid step above it.
    assert all(any(0 <= s - p <= OUTLIER_STEP for s in shown) for p in points)
    assert boxed_lost.boxpoints == "outliers"
