"""The XYZ histogram ships its bars, not every client's value: the bins plotly would draw from
the values, counted on the server, with the same counts, bins and hover."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from kam_core.charts.abc_xyz import binned, xyz_histogram


def test_values_fall_in_the_bin_whose_left_edge_they_reach():
    # Bins of 0.05 from 0: [0, 0.05) [0.05, 0.1) ... ; 0.05 itself opens the second bin.
    centres, counts = binned(np.array([0.0, 0.01, 0.049, 0.05, 0.26, 0.26]), 0.0, 0.05)
    assert list(centres) == pytest.approx([0.025, 0.075, 0.275])
    assert list(counts) == [3, 1, 2]


def test_a_share_of_periods_on_a_bin_edge_is_not_lost_to_rounding():
    # 12 of 24 months = 0.5 exactly on the edge of bin 12 of 1/24; 1/3 computed as 8/24.
    centres, counts = binned(np.array([12 / 24, 8 / 24, 1.0]), 0.0, 1 / 24)
    assert list(np.round((centres - 1 / 48) * 24).astype(int)) == [8, 12, 24]
    assert list(counts) == [1, 1, 1]


def test_no_values_no_bars():
    centres, counts = binned(np.array([]), 0.0, 0.05)
    assert len(centres) == 0 and len(counts) == 0


def test_the_histogram_sends_a_bar_per_bin_with_the_clients_counted():
    rng = np.random.default_rng(7)
    values = rng.uniform(0, 3, 10_000)
    classes = np.where(values <= 0.5, "X", np.where(values <= 1.0, "Y", "Z"))
    clients = pd.DataFrame({"xyz_metric": values, "xyz": classes})
    fig = xyz_histogram(clients, "stability", (0.5, 1.0))
    assert [type(t) for t in fig.data] == [go.Histogram] * 3
    for trace, cls in zip(fig.data, "XYZ", strict=True):
        mine = values[classes == cls]
        assert trace.histfunc == "sum"
        assert sum(trace.y) == len(mine)  # every client counted once
        assert len(trace.x) <= 60  # 3.0 / 0.05 bins at most, not 10k values
        # Each bar is the count numpy finds in the same bin [k*0.05, (k+1)*0.05).
        expected = np.bincount(np.floor(mine / 0.05 + 1e-9).astype(int))
        for centre, count in zip(trace.x, trace.y, strict=True):
            assert expected[round(centre / 0.05 - 0.5)] == count
        assert trace.xbins.start == 0.0 and trace.xbins.size == 0.05
        assert trace.name == f"{cls} ({len(mine):,})"


def test_a_bar_centre_stays_in_its_own_bin_for_the_browser():
    # plotly.js puts x in bin floor((x - start) / size + 1e-9): a centre must land in its bin.
    centres, _ = binned(np.linspace(0, 1, 1001), 0.0, 1 / 24)
    bins = np.floor((centres - 0.0) / (1 / 24) + 1e-9)
    assert list(bins) == list(range(25))
