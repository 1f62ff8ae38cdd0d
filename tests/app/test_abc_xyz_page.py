"""The ABC-XYZ page on the demo data: the matrix equals kam_core's, cells list their clients,
thresholds change the matrix and list the movers, and the choices live in the URL."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kam_core.analytics.abc_xyz import CELLS, abc_xyz, abc_xyz_matrix
from kam_core.analytics.params import AnalysisParams, load_thresholds
from kam_core.analytics.what_if import cell_moves, move_counts
from kam_core.i18n import has_hebrew
from kam_core.store import connect
from tests.support.apptest import ROOT, english_words, texts
from tests.support.pages import figure


@pytest.fixture
def base(demo_db):
    """The parameters the page starts from: the sidebar's defaults and the stored thresholds."""
    conn = connect(demo_db)
    params = AnalysisParams(thresholds=load_thresholds(conn))
    resolved = replace(params, as_of=abc_xyz(conn, params).as_of)
    conn.close()
    return resolved


def open_abc_xyz(query: dict[str, str] | None = None) -> AppTest:
    """Run the app with /abc-xyz as the first page visited, as a deep link does."""
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    # AppTest.switch_page before the first run finds pages by file name ("abc_xyz"), not by
    # the url_path st.navigation registers ("abc-xyz"); a first run elsewhere would lose the
    # query. Point it at the registered page directly.
    at._page_hash = calc_hash("abc-xyz")
    return at.run()


def kam(db, params: AnalysisParams):
    """kam_core's answers for the same parameters (the same file the app has open)."""
    conn = connect(db)
    try:
        return abc_xyz(conn, params), abc_xyz_matrix(conn, params)
    finally:
        conn.close()


def shown_matrix(at: AppTest) -> dict[str, int]:
    """Clients per cell as the matrix figure on the page carries them."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return {row[0]: int(row[1]) for row in spec["data"][0]["customdata"]}


def table_after(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has the given column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_matrix_cells_equal_abc_xyz_matrix(demo_db, base):
    at = open_abc_xyz()
    assert not at.exception
    assert at.title[0].value == "ABC-XYZ"
    _, matrix = kam(demo_db, base)
    assert shown_matrix(at) == dict(zip(matrix["cell"], matrix["clients"], strict=True))
    strategies = table_after(at, "strategy")
    assert list(strategies["cell"]) == list(CELLS)
    assert list(strategies["strategy"]) == list(matrix["strategy"])


def test_choosing_a_cell_lists_exactly_its_clients(demo_db, base):
    at = open_abc_xyz()
    assert "Click a cell of the matrix" in texts(at)
    at.selectbox(key="abc_cell").select("AY").run()
    assert not at.exception
    result, matrix = kam(demo_db, base)
    expected = result.clients.loc[result.clients["cell"] == "AY", "client_id"]
    listed = table_after(at, "client_id")
    assert sorted(listed["client_id"]) == sorted(expected)
    assert set(listed["cell"]) == {"AY"}
    metrics = {m.label: m.value for m in at.metric}
    ay = matrix.set_index("cell").loc["AY"]
    assert metrics["Clients in AY"] == f"{int(ay['clients']):,}"
    assert metrics["Share of revenue"] == f"{ay['share']:.1%}"
    assert ay["strategy"] in texts(at)
    assert at.query_params["cell"] == "AY"


def test_a_cell_in_the_url_is_chosen_on_arrival(demo_db, base):
    at = open_abc_xyz({"cell": "cz"})
    assert not at.exception
    assert at.selectbox(key="abc_cell").value == "CZ"
    result, _ = kam(demo_db, base)
    listed = table_after(at, "client_id")
    assert len(listed) == int((result.clients["cell"] == "CZ").sum())


def test_the_page_opens_on_the_method_and_thresholds_in_force(demo_db, base):
    at = open_abc_xyz()
    assert at.radio(key="t_method").value == base.xyz_method
    assert "Change a threshold above" in texts(at)
    assert "xyz" not in at.query_params


@pytest.mark.slow
def test_a_preset_changes_the_matrix_and_the_what_if_lists_the_movers(demo_db, base):
    at = open_abc_xyz({"xyz": "stability"})
    at.selectbox(key="t_preset").select("classic").run()
    assert not at.exception
    classic = replace(base, xyz_method="stability",
                      thresholds=replace(base.thresholds, xyz_stability_x=0.10,
                                         xyz_stability_y=0.25))  # fmt: skip
    before, before_matrix = kam(demo_db, base)
    after, after_matrix = kam(demo_db, classic)
    shown = shown_matrix(at)
    assert shown == dict(zip(after_matrix["cell"], after_matrix["clients"], strict=True))
    assert shown != dict(zip(before_matrix["cell"], before_matrix["clients"], strict=True))
    assert at.number_input(key="t_sx").value == 0.10
    moves = cell_moves(before.clients, after.clients)
    assert len(moves) > 0
    pairs = table_after(at, "cell_after")
    expected = move_counts(moves)
    assert list(pairs["clients"]) == list(expected["clients"])
    listed = next(
        d.value for d in at.dataframe if "cell_before" in d.value and "client_id" in d.value
    )
    assert sorted(listed["client_id"]) == sorted(moves["client_id"])
    assert f"{len(moves):,} of {len(after.clients):,} clients change cell" in texts(at)
    assert at.query_params["preset"] == "classic"


@pytest.mark.slow
def test_typing_a_cut_off_makes_the_preset_custom_and_goes_to_the_url(demo_db, base):
    at = open_abc_xyz({"xyz": "stability"})
    at.number_input(key="t_sy").set_value(1.5).run()
    assert not at.exception
    assert at.selectbox(key="t_preset").value == "custom"
    assert at.query_params["preset"] == "custom"
    assert at.query_params["y"] == "1.5"
    custom = replace(
        base, xyz_method="stability", thresholds=replace(base.thresholds, xyz_stability_y=1.5)
    )
    _, matrix = kam(demo_db, custom)
    assert shown_matrix(at) == dict(zip(matrix["cell"], matrix["clients"], strict=True))


def test_thresholds_in_the_url_set_the_controls_and_the_matrix(demo_db, base):
    query = {"xyz": "stability", "preset": "custom", "x": "0.3", "y": "0.9", "a": "70"}
    query["period"] = "quarter"
    at = open_abc_xyz(query)
    assert not at.exception
    assert at.selectbox(key="t_preset").value == "custom"
    assert at.number_input(key="t_sx").value == 0.3
    assert at.number_input(key="t_sy").value == 0.9
    assert at.number_input(key="t_a").value == 70.0
    assert at.radio(key="t_period").value == "quarter"
    wanted = replace(
        base,
        xyz_method="stability",
        period="quarter",
        thresholds=replace(base.thresholds, xyz_stability_x=0.3, xyz_stability_y=0.9, abc_a=0.7),
    )
    _, matrix = kam(demo_db, wanted)
    assert shown_matrix(at) == dict(zip(matrix["cell"], matrix["clients"], strict=True))
    for key, value in query.items():
        assert at.query_params[key] == value


def test_sidebar_parameters_in_the_url_reach_the_matrix(demo_db, base):
    at = open_abc_xyz({"months": "6", "measure": "profit"})
    assert not at.exception
    assert at.selectbox(key="p_months").value == 6
    assert at.selectbox(key="p_measure").value == "profit"
    _, matrix = kam(demo_db, replace(base, months=6, measure="profit"))
    assert shown_matrix(at) == dict(zip(matrix["cell"], matrix["clients"], strict=True))
    assert "by profit" in texts(at)


@pytest.mark.slow
def test_frequency_method_and_relative_preset_render(demo_db, base):
    at = open_abc_xyz({"xyz": "stability"})
    at.selectbox(key="t_preset").select("relative").run()
    assert not at.exception
    result, _ = kam(demo_db, replace(base, xyz_method="stability", xyz_preset="relative"))
    low, high = result.xyz_cutoffs
    assert at.number_input(key="t_sx").value == pytest.approx(low, abs=1e-3)
    assert at.number_input(key="t_sy").value == pytest.approx(high, abs=1e-3)
    at.radio(key="t_method").set_value("frequency").run()
    assert not at.exception
    frequency = replace(base, xyz_method="frequency")
    _, matrix = kam(demo_db, frequency)
    assert shown_matrix(at) == dict(zip(matrix["cell"], matrix["clients"], strict=True))
    # Frequency thresholds are percentages in the boxes, as on the chart.
    assert at.number_input(key="t_fx").value == pytest.approx(base.thresholds.xyz_frequency_x * 100)
    at.button(key="t_reset").click().run()
    assert not at.exception
    assert at.radio(key="t_method").value == base.xyz_method
    assert "Change a threshold above" in texts(at)


def test_the_migration_table_counts_every_client(demo_db, base):
    from kam_core.analytics.migration import migration

    at = open_abc_xyz()
    conn = connect(demo_db)
    moves = migration(conn, base)
    conn.close()
    cross = next(d.value for d in at.dataframe if "AX" in d.value.columns and "-" in d.value)
    assert int(cross.to_numpy().sum()) == len(moves)
    changed = int((moves["cell_before"] != moves["cell_now"]).sum())
    assert {m.label: m.value for m in at.metric}["Clients that changed cell"] == f"{changed:,}"


def test_frequency_thresholds_read_as_percentages_in_boxes_chart_and_caption(demo_db, base):
    at = open_abc_xyz()
    assert not at.exception
    assert at.radio(key="t_method").value == "frequency"  # the article's method by default
    x, y = base.thresholds.xyz_frequency_x, base.thresholds.xyz_frequency_y
    assert at.number_input(key="t_fx").value == pytest.approx(x * 100)
    assert at.number_input(key="t_fy").value == pytest.approx(y * 100)
    histogram = figure(at, "abc_histogram")
    assert sorted(s.x0 for s in histogram.layout.shapes) == pytest.approx(sorted([x, y]))
    notes = " ".join(a.text for a in histogram.layout.annotations)
    assert f"X from {x:.0%}" in notes and f"Y from {y:.0%}" in notes
    assert f"X from {x:.0%} of periods, Y from {y:.0%}" in texts(at)
    # Typing 60 (percent) classifies as a share of 0.6 would.
    at.number_input(key="t_fx").set_value(60.0).run()
    assert not at.exception
    _, matrix = kam(
        demo_db, replace(base, thresholds=replace(base.thresholds, xyz_frequency_x=0.6))
    )
    assert shown_matrix(at) == dict(zip(matrix["cell"], matrix["clients"], strict=True))


def test_what_if_moves_say_whether_a_client_steps_up_or_down(demo_db, base):
    at = open_abc_xyz({"a": "50"})
    assert not at.exception
    moves = table_after(at, "cell_after")
    assert len(moves)
    down, up = "Step down", "Step up"
    rows = zip(moves["cell_before"], moves["cell_after"], moves["step"], strict=True)
    for before, after, shown in rows:
        if before in CELLS and after in CELLS:
            # A smaller A share moves clients from A to B: a step down, never an up-arrow.
            assert shown == (up if CELLS.index(after) < CELLS.index(before) else down)
    assert down in set(moves["step"])


def test_the_page_in_hebrew_reads_right_to_left_without_english(demo_db, base):
    at = open_abc_xyz({"lang": "he", "cell": "AX"})
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["yaxis"]["range"] == [2.5, -0.5]  # A row on top
    assert spec["layout"]["xaxis"]["range"] == [2.5, -0.5]  # X column on the right
    assert spec["layout"]["yaxis"]["side"] == "right"
    listed = table_after(at, "cell")
    names = tuple(str(n) for n in listed["client_name"])
    # The screen's name is the method's: ABC-XYZ (allowed terms joined by a hyphen).
    assert english_words(at, data=(*names, *CELLS, "ABC-XYZ")) == set()
    assert list(listed.columns)[-1] == "client_id"  # the first column on the right
    strategies = next(d.value for d in at.dataframe if "strategy" in d.value.columns)
    assert all(has_hebrew(s) for s in strategies["strategy"])
