"""bench/concurrency.py's p95: the nearest-rank 95th percentile, ceil(0.95 n)-th smallest value,
on lists whose answer was worked out by hand; bench/sessions.py uses the same function."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import concurrency  # bench/ is not a package: imported by its folder
import sessions


@pytest.mark.parametrize(
    ("n", "rank"),
    [
        (1, 1),  # ceil(0.95) = 1
        (2, 2),  # ceil(1.9) = 2
        (10, 10),  # ceil(9.5) = 10
        (18, 18),  # ceil(17.1) = 18: three rounds of six pages, the p95 is the slowest visit
        (19, 19),  # ceil(18.05) = 19
        (20, 19),  # ceil(19.0) = 19, not the 20th (round(19.5) = 20 picked the largest)
        (21, 20),  # ceil(19.95) = 20
        (40, 38),  # ceil(38.0) = 38
        (60, 57),  # ceil(57.0) = 57
        (100, 95),  # ceil(95.0) = 95
        (101, 96),  # ceil(95.95) = 96
    ],
)
def test_p95_is_the_value_at_the_nearest_rank(n, rank):
    values = [float(i) for i in range(1, n + 1)]  # the k-th smallest is k
    assert concurrency.p95(values) == rank


def test_p95_sorts_its_input_first():
    # 20 visit times out of order: sorted, the 19th is 9.0 and the 20th (largest) is 30.0.
    times = [0.5, 30.0, 1.0, 2.0, 9.0, 1.5, 1.1, 1.2, 1.3, 1.4, 0.9, 0.8, 0.7, 0.6, 2.5, 3.0, 4.0]
    times += [5.0, 6.0, 0.4]
    assert len(times) == 20
    assert concurrency.p95(times) == 9.0


def test_sessions_bench_takes_the_same_percentile():
    assert sessions.p95 is concurrency.p95
    visits = [sessions.Visit("types", "link", seconds=float(s)) for s in range(1, 21)]
    median, high, timed = sessions.summary(visits)["all"]
    assert (median, high, timed) == (10.5, 19.0, 20)
