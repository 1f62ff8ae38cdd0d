"""Charts in Hebrew: mixed labels isolated right to left, horizontal bars grow from the right."""

import pandas as pd

from kam_core.charts.abc_xyz import matrix_figure, xyz_histogram
from kam_core.charts.churn import breakdown_figure
from kam_core.charts.managers import portfolio_mix_figure
from kam_core.charts.overview import movers_figure
from kam_core.charts.rtl import mirror_figure
from kam_core.charts.theme import PDI, RLI, rtl_lines, rtl_text
from kam_core.i18n import use_language

FSI = "\u2068"
CELLS = [a + x for a in "ABC" for x in "XYZ"]
MATRIX = pd.DataFrame(
    {
        "cell": CELLS,
        "abc": [c[0] for c in CELLS],
        "xyz": [c[1] for c in CELLS],
        "clients": [1] * 9,
        "value": [10.0] * 9,
        "share": [1 / 9] * 9,
        "strategy": [""] * 9,
    }
)
LOSSES = pd.DataFrame({"abc": ["A", "C"], "clients_lost": [2, 5], "revenue_lost": [80.0, 9.0]})
PORTFOLIO = pd.DataFrame({"manager": ["Ann", "Bob"], "revenue": [1.0, 2.0], "a": [1, 2]})
PORTFOLIO = PORTFOLIO.assign(b=[0, 1], c=[3, 0])
MOVERS = pd.DataFrame(
    {
        "client_id": ["C1", "C2"],
        "client_name": ["Grows", "Falls"],
        "revenue": [300.0, 50.0],
        "revenue_prev": [100.0, 250.0],
        "change": [200.0, -200.0],
    }
)


def test_rtl_text_isolates_hebrew_right_to_left_and_leaves_the_rest():
    assert rtl_text("X מ־75%", rtl=True) == "\u2067X מ־75%\u2069"
    assert rtl_text("X מ־75%", rtl=False) == "X מ־75%"  # English page: untouched
    assert rtl_text("X (12)", rtl=True) == "X (12)"  # nothing Hebrew to order
    once = rtl_text("A: הגדולים", rtl=True)
    assert rtl_text(once, rtl=True) == once  # no double wrapping
    # A first-strong isolate from an earlier pass gives way to the right-to-left one.
    assert rtl_text(f"{FSI}12 לקוחות\u2069", rtl=True) == "\u206712 לקוחות\u2069"
    assert rtl_lines("<b>AX</b><br>3 לקוחות", rtl=True) == "<b>AX</b><br>\u20673 לקוחות\u2069"


def test_histogram_cut_offs_read_right_to_left_in_hebrew():
    clients = pd.DataFrame({"xyz_metric": [1.0, 0.5, 0.25], "xyz": ["X", "Y", "Z"]})
    with use_language("he"):
        fig = xyz_histogram(clients, "frequency", (0.75, 0.33))
    labels = sorted(a.text for a in fig.layout.annotations)
    assert labels == ["\u2067X מ־75%\u2069", "\u2067Y מ־33%\u2069"]
    english = xyz_histogram(clients, "frequency", (0.75, 0.33))
    assert sorted(a.text for a in english.layout.annotations) == ["X from 75%", "Y from 33%"]


def test_matrix_class_names_and_cell_counts_are_isolated_in_hebrew():
    with use_language("he"):
        fig = matrix_figure(MATRIX)
    ticks = [*fig.layout.xaxis.ticktext, *fig.layout.yaxis.ticktext]
    assert all(t.startswith(RLI) and t.endswith(PDI) for t in ticks)
    assert fig.layout.yaxis.ticktext[0] == "\u2067A: הגדולים\u2069"
    first = fig.data[0].text[0].split("<br>")
    assert first[0] == "<b>AX</b>"  # the cell code alone keeps its own order
    assert first[1] == "\u20671 לקוח\u2069"
    english = matrix_figure(MATRIX, rtl=False)
    assert not any(RLI in t for t in english.layout.yaxis.ticktext)


def test_losses_by_direction_grow_from_the_right_in_hebrew():
    with use_language("he"):
        fig = mirror_figure(breakdown_figure(LOSSES, "abc"), "he")
    assert fig.layout.xaxis.autorange == "reversed"
    assert fig.layout.yaxis.side == "right"
    assert list(fig.data[0].y) == ["A", "C"]  # the categories themselves are unchanged
    english = mirror_figure(breakdown_figure(LOSSES, "abc"), "en")
    assert english.layout.xaxis.autorange is None
    assert english.layout.yaxis.side is None


def test_managers_abc_mix_is_mirrored_with_the_legend_on_the_left_in_hebrew():
    with use_language("he"):
        fig = mirror_figure(portfolio_mix_figure(PORTFOLIO), "he")
    assert fig.layout.xaxis.autorange == "reversed"
    assert fig.layout.yaxis.side == "right"
    assert (fig.layout.legend.x, fig.layout.legend.xanchor) == (0, "left")
    assert [t.name.strip(FSI + PDI) for t in fig.data] == [
        "\u2067סיווג A",
        "\u2067סיווג B",
        "\u2067סיווג C",
    ]
    english = mirror_figure(portfolio_mix_figure(PORTFOLIO), "en")
    assert [t.name for t in english.data] == ["Class A", "Class B", "Class C"]
    assert english.layout.xaxis.autorange is None and english.layout.legend.x == 1


def test_biggest_movers_grow_from_the_right_in_hebrew():
    with use_language("he"):
        fig = movers_figure(MOVERS)
    assert fig.layout.xaxis.autorange == "reversed"
    assert fig.layout.yaxis.side == "right"
    assert movers_figure(MOVERS).layout.xaxis.autorange is None
