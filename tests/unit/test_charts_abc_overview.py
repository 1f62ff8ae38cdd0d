"""The ABC-XYZ and Overview figure builders: trace types, category order, colours, customdata."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kam_core.analytics.abc_xyz import CELLS, STRATEGIES
from kam_core.analytics.what_if import cell_moves, move_counts, step
from kam_core.charts.abc_xyz import (
    SELECTED_LINE,
    matrix_figure,
    matrix_marker_size,
    safe,
    xyz_histogram,
)
from kam_core.charts.abc_xyz_migration import migration_sankey
from kam_core.charts.overview import (
    DOWN_COLOUR,
    UP_COLOUR,
    movers_figure,
    pareto_figure,
    revenue_period_figure,
)
from kam_core.charts.theme import ABC_COLOURS, XYZ_COLOURS
from kam_core.i18n import use_language


def a_matrix(counts: dict[str, int] | None = None) -> pd.DataFrame:
    """A 3x3 summary shaped like abc_xyz_matrix, the cells in matrix order."""
    counts = counts or {cell: i + 1 for i, cell in enumerate(CELLS)}
    total = sum(counts.values())
    return pd.DataFrame(
        [
            {
                "cell": cell,
                "abc": cell[0],
                "xyz": cell[1],
                "clients": counts.get(cell, 0),
                "value": 1000.0 * counts.get(cell, 0),
                "share": counts.get(cell, 0) / total,
                "strategy": STRATEGIES[cell],
            }
            for cell in CELLS
        ]
    )


def test_matrix_is_one_scatter_of_nine_square_markers_on_category_axes():
    fig = matrix_figure(a_matrix())
    assert len(fig.data) == 1
    trace = fig.data[0]
    assert isinstance(trace, go.Scatter)
    assert trace.marker.symbol == "square"
    assert trace.marker.size == matrix_marker_size() > 80
    assert list(trace.x) == [c[1] for c in CELLS]
    assert list(trace.y) == [c[0] for c in CELLS]
    assert fig.layout.xaxis.type == "category" and fig.layout.yaxis.type == "category"


def test_matrix_axes_read_a_b_c_top_down_and_x_y_z_left_to_right():
    fig = matrix_figure(a_matrix())
    assert list(fig.layout.xaxis.categoryarray) == ["X", "Y", "Z"]
    assert list(fig.layout.yaxis.categoryarray) == ["A", "B", "C"]
    assert list(fig.layout.yaxis.range) == [2.5, -0.5]  # reversed: A on top
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert fig.layout.title.text


def test_matrix_cells_take_the_abc_colours_and_carry_the_cell_in_customdata():
    fig = matrix_figure(a_matrix())
    trace = fig.data[0]
    assert list(trace.marker.color) == [ABC_COLOURS[c[0]] for c in CELLS]
    assert [row[0] for row in trace.customdata] == list(CELLS)
    assert [int(row[1]) for row in trace.customdata] == list(range(1, 10))
    assert trace.text[0].startswith("<b>AX</b><br>1 client<br>")
    assert "%{customdata[1]:,}" in trace.hovertemplate


def test_matrix_shows_thousands_separators_and_shares():
    counts = dict.fromkeys(CELLS, 0) | {"AX": 12_345, "CZ": 12_345}
    text = matrix_figure(a_matrix(counts)).data[0].text
    assert "12,345 clients" in text[0]
    assert "50.0%" in text[0]


def test_matrix_outlines_the_chosen_cell():
    trace = matrix_figure(a_matrix(), selected="BY").data[0]
    widths = list(trace.marker.line.width)
    colours = list(trace.marker.line.color)
    chosen = CELLS.index("BY")
    assert widths[chosen] > max(w for i, w in enumerate(widths) if i != chosen)
    assert colours[chosen] == SELECTED_LINE


def test_matrix_against_a_baseline_shows_each_cells_gain_or_loss():
    before = a_matrix()
    after = a_matrix({**{c: i + 1 for i, c in enumerate(CELLS)}, "AX": 4, "AY": 0})
    text = matrix_figure(after, before=before).data[0].text
    assert text[0].endswith("(+3)")
    assert text[1].endswith("(-2)")
    assert "(" not in text[2]  # unchanged cells show no bracket


def test_matrix_hover_escapes_markup_from_the_data():
    matrix = a_matrix()
    matrix.loc[0, "strategy"] = "<a href='x'>evil</a>"
    trace = matrix_figure(matrix).data[0]
    assert "<a" not in trace.customdata[0][4]
    assert safe("<b>") == "&lt;b&gt;"


def clients_with_metric(metric: list[float], classes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"xyz_metric": metric, "xyz": classes})


def test_histogram_has_one_trace_per_xyz_class_in_its_colour():
    clients = clients_with_metric([0.1, 0.2, 0.7, 1.5, 2.0, np.nan], ["X", "X", "Y", "Z", "Z", "Z"])
    fig = xyz_histogram(clients, "stability", (0.5, 1.0))
    assert [type(t) for t in fig.data] == [go.Histogram] * 3
    assert [t.marker.color for t in fig.data] == [XYZ_COLOURS[c] for c in "XYZ"]
    assert [len(t.x) for t in fig.data] == [2, 1, 2]  # NaN (mean <= 0) is counted apart
    assert "1 without a positive mean" in fig.layout.title.text
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_histogram_draws_the_cut_offs_as_vertical_lines():
    clients = clients_with_metric([0.1, 0.7, 1.5], ["X", "Y", "Z"])
    fig = xyz_histogram(clients, "stability", (0.5, 1.0))
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert sorted(s.x0 for s in lines) == [0.5, 1.0]
    assert all(s.x0 == s.x1 for s in lines)
    labels = [a.text for a in fig.layout.annotations]
    assert "X up to 0.50" in labels and "Y up to 1.00" in labels


def test_histogram_of_frequency_reads_in_percent():
    clients = clients_with_metric([1.0, 0.5, 0.25], ["X", "Y", "Z"])
    fig = xyz_histogram(clients, "frequency", (0.75, 0.33))
    assert fig.layout.xaxis.tickformat == ".0%"
    assert sorted(s.x0 for s in fig.layout.shapes) == [0.33, 0.75]


def test_histogram_with_relative_cut_offs_unknown_draws_no_line():
    clients = clients_with_metric([0.1, 0.7], ["Z", "Z"])
    assert not xyz_histogram(clients, "stability", None).layout.shapes


def test_sankey_links_cells_before_to_cells_now_in_matrix_order():
    table = pd.DataFrame(
        {
            "cell_before": ["-", "AX", "AX", "CZ"],
            "cell_now": ["CZ", "AX", "AY", "-"],
            "clients": [3, 10, 2, 1],
        }
    )
    fig = migration_sankey(table, "30.09.2025", "31.12.2025")
    trace = fig.data[0]
    assert isinstance(trace, go.Sankey)
    assert list(trace.node.label) == ["AX", "CZ", "no sales", "AX", "AY", "CZ", "no sales"]
    assert trace.node.color[0] == ABC_COLOURS["A"] and trace.node.color[1] == ABC_COLOURS["C"]
    assert sum(trace.link.value) == 16
    assert [list(c) for c in trace.link.customdata] == [
        ["-", "CZ"],
        ["AX", "AX"],
        ["AX", "AY"],
        ["CZ", "-"],
    ]
    # The windows' dates travel on the nodes' hover (the page's caption names them too).
    assert list(trace.node.customdata[:3]) == ["30.09.2025"] * 3
    assert list(trace.node.customdata[3:]) == ["31.12.2025"] * 4


def test_pareto_curve_starts_at_zero_and_ends_at_the_whole():
    pareto = pd.DataFrame(
        {
            "rank": [1, 2, 3, 4],
            "client_id": ["C1", "C2", "C3", "C4"],
            "client_name": ["Big <Co>", "B", "C", "D"],
            "client_share": [0.25, 0.5, 0.75, 1.0],
            "cumulative_share": [0.6, 0.85, 0.95, 1.0],
        }
    )
    fig = pareto_figure(pareto)
    curve = fig.data[1]
    assert list(curve.x) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert list(curve.y) == [0.0, 0.6, 0.85, 0.95, 1.0]
    assert curve.customdata[1][1] == "Big &lt;Co&gt;"
    assert fig.layout.yaxis.tickformat == ".0%"
    assert any("bring 80%" in a.text for a in fig.layout.annotations)
    assert any("50% of clients" in a.text for a in fig.layout.annotations)


def test_revenue_per_period_keeps_the_periods_in_order():
    periods = pd.DataFrame(
        {
            "period": [0, 1, 2],
            "label": ["2025-10", "2025-11", "2025-12"],
            "revenue": [1500.0, 0.0, 2500.0],
            "label_prev": ["2024-10", "2024-11", "2024-12"],
            "revenue_prev": [1000.0, 500.0, 0.0],
        }
    )
    fig = revenue_period_figure(periods)
    bars, line = fig.data
    assert isinstance(bars, go.Bar) and isinstance(line, go.Scatter)
    assert list(fig.layout.xaxis.categoryarray) == ["2025-10", "2025-11", "2025-12"]
    assert fig.layout.xaxis.type == "category"
    assert list(line.y) == [1000.0, 500.0, 0.0]
    assert float(bars.customdata[0][2]) == 0.5  # +50% against the previous window
    assert fig.layout.yaxis.tickformat == ",.0f"


def test_movers_are_green_up_and_red_down_with_the_client_in_customdata():
    movers = pd.DataFrame(
        {
            "direction": ["up", "down"],
            "client_id": ["C1", "C2"],
            "client_name": ["Grows", "Falls"],
            "manager": ["A", "B"],
            "revenue": [300.0, 50.0],
            "revenue_prev": [0.0, 250.0],
            "change": [300.0, -200.0],
            "change_pct": [float("nan"), -0.8],
        }
    )
    fig = movers_figure(movers)
    bars = fig.data[0]
    assert isinstance(bars, go.Bar) and bars.orientation == "h"
    assert list(bars.y) == ["Falls (C2)", "Grows (C1)"]  # largest fall at the bottom
    assert list(bars.marker.color) == [DOWN_COLOUR, UP_COLOUR]
    assert [row[0] for row in bars.customdata] == ["C2", "C1"]
    # Growth from nothing reads "new", not a percentage of zero.
    assert [row[3] for row in bars.customdata] == ["-80.0%", "new"]
    assert fig.layout.xaxis.tickformat == ",.0f"


def test_matrix_in_hebrew_keeps_a_on_top_and_puts_x_on_the_right():
    with use_language("he"):
        fig = matrix_figure(a_matrix())
    assert list(fig.layout.yaxis.range) == [2.5, -0.5]  # A on top
    assert list(fig.layout.xaxis.range) == [2.5, -0.5]  # X (index 0) at the right end
    assert fig.layout.yaxis.side == "right"  # the class names stand on the right
    assert fig.layout.title.xanchor == "right"
    english = matrix_figure(a_matrix(), rtl=False)
    assert list(english.layout.xaxis.range) == [-0.5, 2.5]


def test_matrix_texts_are_translated_in_hebrew():
    with use_language("he"):
        fig = matrix_figure(a_matrix(), method="frequency")
    ticks = " ".join([*fig.layout.xaxis.ticktext, *fig.layout.yaxis.ticktext])
    assert not re.search(r"[a-z]{3,}", ticks), ticks  # class names in Hebrew, letters kept
    assert not re.search(r"clients", " ".join(fig.data[0].text))


def test_a_move_down_the_matrix_reads_as_a_step_down():
    assert step("AZ", "CZ") == "down"
    assert step("CZ", "AZ") == "up"
    assert step("AX", "AY") == "down"  # same class, less regular
    assert step("-", "BX") == "in" and step("BX", "-") == "out"
    moves = cell_moves(
        pd.DataFrame({"client_id": ["c1"], "client_name": ["n"], "cell": ["AZ"], "value": [10.0]}),
        pd.DataFrame({"client_id": ["c1"], "client_name": ["n"], "cell": ["CZ"], "value": [10.0]}),
    )
    assert list(moves["step"]) == ["down"]
    assert list(move_counts(moves)["step"]) == ["down"]


# About 32 characters of a bold 17 px title fit the half column a chart gets at 1024 px.
HALF_COLUMN_TITLE = 32


def test_overview_charts_have_titles_that_fit_a_half_column_in_both_languages():
    pareto = pd.DataFrame(
        {
            "rank": [1, 2],
            "client_id": ["C1", "C2"],
            "client_share": [0.5, 1.0],
            "cumulative_share": [0.9, 1.0],
        }
    )
    periods = pd.DataFrame(
        {
            "period": [0],
            "label": ["2025-12"],
            "revenue": [1.0],
            "label_prev": ["2024-12"],
            "revenue_prev": [1.0],
        }
    )
    for lang in ("en", "he"):
        with use_language(lang):
            for fig in (pareto_figure(pareto, "revenue"), revenue_period_figure(periods)):
                assert len(fig.layout.title.text) <= HALF_COLUMN_TITLE, fig.layout.title.text


def test_overview_legends_stay_clear_of_the_titles():
    pareto = pd.DataFrame(
        {"rank": [1], "client_id": ["C1"], "client_share": [1.0], "cumulative_share": [1.0]}
    )
    # The Pareto legend sits inside the plot, in the empty corner under the diagonal.
    legend = pareto_figure(pareto).layout.legend
    assert legend.y < 0.5 and legend.x > 0.5 and legend.orientation == "v"
    periods = pd.DataFrame(
        {"period": [0], "label": ["2025-12"], "revenue": [1.0], "label_prev": ["x"]}
    ).assign(revenue_prev=1.0)
    fig = revenue_period_figure(periods)
    # A row of its own under the title: the top margin holds both.
    assert fig.layout.legend.y > 1 and fig.layout.margin.t >= 80


def test_histogram_legend_sits_above_the_cut_off_labels():
    clients = pd.DataFrame({"xyz_metric": [0.1, 0.5, 0.9], "xyz": ["Z", "Y", "X"]})
    fig = xyz_histogram(clients, "frequency", (0.75, 0.33))
    assert fig.layout.legend.y >= 1.1 and fig.layout.margin.t >= 100
    labels = [a for a in fig.layout.annotations if "from" in a.text]
    assert len(labels) == 2


def test_the_concentration_label_stays_inside_the_chart_when_the_crossing_is_far_right():
    # Two clients of 70% and 30%: 80% is crossed at the last client, at the chart's right edge.
    pareto = pd.DataFrame(
        {
            "rank": [1, 2],
            "client_id": ["C1", "C2"],
            "client_share": [0.5, 1.0],
            "cumulative_share": [0.7, 1.0],
        }
    )
    label = pareto_figure(pareto).layout.annotations[0]
    assert (label.x, label.ax < 0, label.xanchor) == (1.0, True, "right")


def test_the_concentration_label_is_centred_under_a_crossing_in_the_middle():
    # Four clients: 80% is crossed at half of them, where a label to either side ran off the
    # chart in Hebrew.
    pareto = pd.DataFrame(
        {
            "rank": [1, 2, 3, 4],
            "client_id": ["C1", "C2", "C3", "C4"],
            "client_share": [0.25, 0.5, 0.75, 1.0],
            "cumulative_share": [0.65, 0.9, 0.97, 1.0],
        }
    )
    label = pareto_figure(pareto).layout.annotations[0]
    assert (label.x, label.ax, label.xanchor) == (0.5, 0, "center")
