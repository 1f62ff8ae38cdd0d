"""The ABC-XYZ migration Sankey: clients flowing between cells from one window to the next."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.abc_xyz import ABC_ORDER, NO_SALES, NO_SALES_COLOUR, XYZ_ORDER
from kam_core.charts.theme import ABC_COLOURS, style
from kam_core.i18n import _


def _sankey_nodes(table: pd.DataFrame, column: str) -> list[str]:
    present = set(table[column])
    cells = [a + x for a in ABC_ORDER for x in XYZ_ORDER]
    return [c for c in [*cells, NO_SALES] if c in present]


def _node_colour(cell: str) -> str:
    return NO_SALES_COLOUR if cell == NO_SALES else ABC_COLOURS[cell[0]]


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _positions(counts: list[float], pad: float = 0.02) -> list[float]:
    """Centres of stacked nodes from top to bottom, as plotly's fixed arrangement wants."""
    total = sum(counts) or 1.0
    room = max(0.05, 1.0 - pad * (len(counts) - 1))
    centres, top = [], 0.0
    for c in counts:
        height = room * c / total
        centres.append(min(0.999, max(0.001, top + height / 2)))
        top += height + pad
    return centres


def migration_sankey(
    table: pd.DataFrame, before_label: str = "before", now_label: str = "now"
) -> go.Figure:
    """Flows of clients between cells (transition_table: cell_before, cell_now, clients)."""
    left = _sankey_nodes(table, "cell_before")
    right = _sankey_nodes(table, "cell_now")
    index_left = {c: i for i, c in enumerate(left)}
    index_right = {c: len(left) + i for i, c in enumerate(right)}
    left_counts = [float(table.loc[table["cell_before"] == c, "clients"].sum()) for c in left]
    right_counts = [float(table.loc[table["cell_now"] == c, "clients"].sum()) for c in right]

    labels = [_("no sales") if c == NO_SALES else c for c in [*left, *right]]
    colours = [_node_colour(c) for c in [*left, *right]]
    links = table[table["clients"] > 0]
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            node={
                "label": labels,
                "color": colours,
                "pad": 8,
                "thickness": 18,
                "x": [0.001] * len(left) + [0.999] * len(right),
                "y": _positions(left_counts) + _positions(right_counts),
                "customdata": [before_label] * len(left) + [now_label] * len(right),
                "hovertemplate": "%{label} (%{customdata}): "
                + _("{n} clients").format(n="%{value:,}")
                + "<extra></extra>",
            },
            link={
                "source": [index_left[c] for c in links["cell_before"]],
                "target": [index_right[c] for c in links["cell_now"]],
                "value": links["clients"].astype(float).tolist(),
                "color": [
                    _rgba(_node_colour(b), 0.15 if b == a else 0.5)
                    for b, a in zip(links["cell_before"], links["cell_now"], strict=True)
                ],
                "customdata": [
                    [b, a] for b, a in zip(links["cell_before"], links["cell_now"], strict=True)
                ],
                "hovertemplate": (
                    _("{before} to {now}: {n} clients").format(
                        before="%{customdata[0]}", now="%{customdata[1]}", n="%{value:,}"
                    )
                    + "<extra></extra>"
                ),
            },
        )
    )
    # The two windows' dates are in the caption above and on every node's hover: a title
    # holding them was cut in a half column.
    style(fig, _("Clients moving between cells"), money_axis=None)
    fig.update_layout(height=max(420, 28 * max(len(left), len(right)) + 120))
    return fig
