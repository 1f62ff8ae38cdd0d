"""Lighter views: the Pareto curve thinned, report figures kept per stored state, the
stored-state fingerprint moving with every table it covers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from kam_core.charts.overview import PARETO_HEAD, PARETO_POINTS, curve_rows, pareto_figure
from kam_core.services.settings import save_display
from kam_core.services.snapshot import fingerprint
from kam_core.store import connect
from ui import cache

pytestmark = pytest.mark.usefixtures("empty_view_cache")


@pytest.fixture
def conn(tmp_path, monkeypatch):
    path = tmp_path / "kam.duckdb"
    monkeypatch.setenv("KAM_DB", str(path))
    connection = connect(path)
    yield connection
    connection.close()


def pareto(n: int) -> pd.DataFrame:
    """n clients with values n, n-1, ..., 1: cumulative shares by hand."""
    values = np.arange(n, 0, -1, dtype=float)
    return pd.DataFrame(
        {
            "rank": np.arange(1, n + 1),
            "client_id": [f"C{i}" for i in range(1, n + 1)],
            "client_name": [f"Client {i}" for i in range(1, n + 1)],
            "client_share": np.arange(1, n + 1) / n,
            "cumulative_share": values.cumsum() / values.sum(),
        }
    )


def test_a_short_curve_keeps_every_client():
    assert list(curve_rows(5)) == [0, 1, 2, 3, 4]
    fig = pareto_figure(pareto(300))
    assert len(fig.data[1].x) == 301  # the origin and every client


def test_a_long_curve_keeps_the_largest_clients_the_last_one_and_a_few_hundred_points():
    frame = pareto(10_000)
    fig = pareto_figure(frame)
    curve = fig.data[1]
    assert len(curve.x) <= PARETO_POINTS + 2  # the origin and the 80% crossing at most
    ranks = [int(r) for r in curve.customdata[1:, 2]]
    # Every one of the largest clients keeps its point and its name on the hover.
    assert ranks[:PARETO_HEAD] == list(range(1, PARETO_HEAD + 1))
    assert list(curve.customdata[1 : PARETO_HEAD + 1, 1]) == [
        f"Client {i}" for i in range(1, PARETO_HEAD + 1)
    ]
    assert ranks[-1] == 10_000 and curve.x[-1] == 1.0 and curve.y[-1] == pytest.approx(1.0)
    assert ranks == sorted(ranks)
    # The points kept lie on the full curve, and the marked crossing is the full curve's.
    full = dict(zip(frame["rank"], frame["cumulative_share"], strict=True))
    assert all(curve.y[i + 1] == pytest.approx(full[r]) for i, r in enumerate(ranks))
    crossing = int(np.searchsorted(frame["cumulative_share"].to_numpy(), 0.8 - 1e-9))
    assert crossing + 1 in ranks
    share = f"{frame['client_share'].iloc[crossing]:.0%}"
    assert any(f"{share} of clients" in a.text for a in fig.layout.annotations)


def test_a_thinned_curve_draws_the_same_line():
    frame = pareto(10_000)
    curve = pareto_figure(frame).data[1]
    # Linear interpolation between the kept points stays within a tenth of a percentage point
    # of every client's cumulative share.
    drawn = np.interp(frame["client_share"], curve.x, curve.y)
    assert np.max(np.abs(drawn - frame["cumulative_share"])) < 0.001


def test_report_chart_builds_once_per_stored_state_and_again_after_a_change(conn):
    calls = {"report": 0, "build": 0}

    def report(_conn, params):
        calls["report"] += 1
        return pd.DataFrame({"x": [1, 2], "y": [params, params]})

    def build(frame, title):
        calls["build"] += 1
        return go.Figure(go.Bar(x=frame["x"], y=frame["y"]), layout={"title": title})

    first = cache.report_chart(build, report, conn.cursor(), 3, extra=("T",))
    again = cache.report_chart(build, report, conn.cursor(), 3, extra=("T",))
    assert again is first and calls == {"report": 1, "build": 1}
    assert list(first.data[0].y) == [3, 3] and first.layout.title.text == "T"
    cache.report_chart(build, report, conn.cursor(), 3, extra=("Other",))
    assert calls == {"report": 1, "build": 2}  # the report's frame is reused
    save_display(conn, currency="$")
    cache.report_chart(build, report, conn.cursor(), 3, extra=("T",))
    assert calls == {"report": 2, "build": 3}


@pytest.mark.parametrize(
    "change",
    [
        "INSERT INTO settings VALUES ('currency', '\"$\"')",
        "INSERT INTO clients (client_id, client_name) VALUES ('C9', 'New client')",
        "INSERT INTO win_back (client_id, status) VALUES ('C9', 'planned')",
    ],
)
def test_the_fingerprint_moves_with_settings_master_data_and_win_back(conn, change):
    before = fingerprint(conn)
    assert fingerprint(conn) == before
    conn.execute(change)
    assert fingerprint(conn) != before
