"""ui.cache: results and figures reused while their inputs are the same, recomputed otherwise."""

from __future__ import annotations

import pandas as pd
import pytest

from kam_core.i18n import use_language
from kam_core.services.settings import save_display
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


def counting(result):
    """A function returning result and counting its calls in .calls."""

    def build(*args, **kwargs):
        build.calls += 1
        return result

    build.calls = 0
    return build


def test_equal_frames_have_equal_tokens_and_a_changed_cell_or_order_does_not():
    frame = pd.DataFrame({"client_id": ["C1", "C2"], "value": [10.0, 20.0]})
    same = pd.DataFrame({"client_id": ["C1", "C2"], "value": [10.0, 20.0]})
    changed = pd.DataFrame({"client_id": ["C1", "C2"], "value": [10.0, 20.5]})
    reordered = frame.iloc[::-1].reset_index(drop=True)
    assert cache.token(frame) == cache.token(same)
    assert cache.token(frame) != cache.token(changed)
    assert cache.token(frame) != cache.token(reordered)
    assert cache.token(frame) != cache.token(frame.rename(columns={"value": "revenue"}))


def test_frames_holding_lists_still_get_a_token():
    frame = pd.DataFrame({"types": [["breadwinner"], ["prospect", "expert"]]})
    other = pd.DataFrame({"types": [["breadwinner"], ["prospect"]]})
    assert cache.token(frame) != cache.token(other)


def test_memo_builds_once_for_equal_inputs_and_again_for_new_ones():
    build = counting("figure")
    frame = pd.DataFrame({"x": [1, 2, 3]})
    assert cache.memo(build, frame, "revenue") == "figure"
    assert cache.memo(build, frame.copy(), "revenue") == "figure"
    assert build.calls == 1
    cache.memo(build, frame, "profit")
    cache.memo(build, pd.DataFrame({"x": [1, 2, 4]}), "revenue")
    cache.memo(build, frame, measure="revenue")
    assert build.calls == 4


def test_memo_builds_again_in_another_language():
    build = counting("figure")
    with use_language("en"):
        cache.memo(build, 1)
    with use_language("he"):
        cache.memo(build, 1)
        cache.memo(build, 1)
    assert build.calls == 2


def test_a_frame_changed_by_the_page_leaves_the_cached_one_intact():
    build = counting(pd.DataFrame({"x": [1, 2]}))
    first = cache.memo(build, "k")
    first["x"] = [9, 9]
    first["y"] = [0, 0]
    again = cache.memo(build, "k")
    assert list(again.columns) == ["x"]
    assert list(again["x"]) == [1, 2]


def test_remember_reuses_a_report_until_something_stored_changes(conn):
    report = counting(pd.DataFrame({"v": [1]}))
    run = conn.cursor()  # one script run
    cache.remember(report, run, "params")
    cache.remember(report, run, "params")
    assert report.calls == 1
    cache.remember(report, conn.cursor(), "params")  # next run, nothing changed
    assert report.calls == 1
    cache.remember(report, run, "other params")
    assert report.calls == 2
    save_display(conn, currency="₪")
    cache.remember(report, conn.cursor(), "params")  # next run sees the change
    assert report.calls == 3


def test_copies_of_one_database_share_results_until_they_take_different_changes(conn, tmp_path):
    """A copy (a restore, a test's copy) reuses results; copies that changed apart do not."""
    import shutil

    from kam_core.services import audit

    report = counting("result")
    conn.execute("CHECKPOINT")
    copies = []
    for name in ("a.duckdb", "b.duckdb"):
        shutil.copy(tmp_path / "kam.duckdb", tmp_path / name)
        copies.append(connect(tmp_path / name))
    try:
        for copy in copies:
            cache.remember(report, copy.cursor())
        assert report.calls == 1
        # The same change number, different content: the states must differ.
        audit.record(copies[0], "ann@example.com", "export", "clients")
        audit.record(copies[1], "ben@example.com", "export", "clients")
        cache.remember(report, copies[0].cursor())
        cache.remember(report, copies[1].cursor())
        assert report.calls == 3
    finally:
        for copy in copies:
            copy.close()


def test_within_one_run_the_stored_state_is_read_once_unless_forgotten(conn):
    report = counting("result")
    run = conn.cursor()
    cache.remember(report, run)
    save_display(conn, currency="$")
    cache.remember(report, run)
    assert report.calls == 1
    cache.forget_state(run)
    cache.remember(report, run)
    assert report.calls == 2


def test_sidebar_inputs_are_read_once_per_stored_state(conn, monkeypatch):
    dates, choices = counting(("first", "last")), counting({"manager": ["Dana"]})
    monkeypatch.setattr(cache, "date_range", dates)
    monkeypatch.setattr(cache, "filter_choices", choices)
    assert cache.sidebar_inputs(conn.cursor()) == (("first", "last"), {"manager": ["Dana"]})
    cache.sidebar_inputs(conn.cursor())
    assert (dates.calls, choices.calls) == (1, 1)
    save_display(conn, decimals=0)
    cache.sidebar_inputs(conn.cursor())
    assert (dates.calls, choices.calls) == (2, 2)


def test_a_remembered_figure_gives_the_same_dict_as_plotly_made_once():
    import plotly.graph_objects as go

    def build(values):
        return go.Figure(go.Scatter(x=list(range(len(values))), y=values, customdata=values))

    fig = cache.memo(build, [3, 1, 2])
    assert isinstance(fig, cache.KeptFigure)
    first = fig.to_dict()
    assert fig.to_dict() is first
    assert first == build([3, 1, 2]).to_dict()
    assert cache.memo(build, [3, 1, 2]) is fig


def test_switched_off_everything_is_computed_on_every_call(conn, monkeypatch):
    monkeypatch.setattr(cache, "ENABLED", False)
    report, build = counting("result"), counting("figure")
    run = conn.cursor()
    for _ in range(2):
        cache.remember(report, run, "params")
        cache.memo(build, 1)
    assert (report.calls, build.calls) == (2, 2)
