"""ABC-XYZ figures: the clickable 3x3 matrix and the XYZ metric histogram (the migration
Sankey is in abc_xyz_migration.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.theme import ABC_COLOURS, XYZ_COLOURS, rtl_lines, rtl_text, safe, style
from kam_core.i18n import N_, _, fmt_number, fmt_percent, get_language, is_rtl, ngettext

ABC_ORDER = ["A", "B", "C"]
XYZ_ORDER = ["X", "Y", "Z"]
ABC_LABELS = {"A": N_("A: largest"), "B": N_("B: medium"), "C": N_("C: smallest")}
XYZ_LABELS = {
    "stability": {"X": N_("X: steady"), "Y": N_("Y: variable"), "Z": N_("Z: irregular")},
    "frequency": {"X": N_("X: frequent"), "Y": N_("Y: regular"), "Z": N_("Z: irregular")},
}
MEASURE_NAMES = {"revenue": N_("revenue"), "profit": N_("profit"), "quantity": N_("quantity")}
SELECTED_LINE = "#ff6f00"
NO_SALES = "-"
NO_SALES_COLOUR = "#9e9e9e"
# The matrix is drawn at a fixed size so its square markers tile the plot area.
MATRIX_WIDTH, MATRIX_HEIGHT = 560, 540
_MARGIN = {"l": 100, "r": 10, "t": 110, "b": 20}
_CELL_GAP = 6


def _text_colour(abc: str) -> str:
    return "#1a1a1a" if abc == "C" else "#ffffff"


def matrix_marker_size() -> int:
    """Pixel size of one cell's square marker for the fixed figure size."""
    width = (MATRIX_WIDTH - _MARGIN["l"] - _MARGIN["r"]) / 3
    height = (MATRIX_HEIGHT - _MARGIN["t"] - _MARGIN["b"]) / 3
    return int(min(width, height) - _CELL_GAP)


def matrix_figure(
    matrix: pd.DataFrame,
    selected: str | None = None,
    method: str = "stability",
    measure: str = "revenue",
    before: pd.DataFrame | None = None,
    rtl: bool | None = None,
) -> go.Figure:
    """The 3x3 ABC-XYZ matrix as square markers on category axes; a click returns the cell.

    In a right-to-left language (rtl None: the current one) the X column is on the right and
    the class names stand on the right, as a Hebrew reader scans the matrix; A stays on top.

    matrix has the columns of abc_xyz_matrix (cell, abc, xyz, clients, value, share,
    strategy); before, when given, is the matrix under the thresholds in force, and each
    cell then shows how many clients it gains or loses.
    """
    rtl = is_rtl(get_language()) if rtl is None else rtl
    frame = matrix.set_index("cell").reindex([a + x for a in ABC_ORDER for x in XYZ_ORDER])
    frame["abc"] = [c[0] for c in frame.index]
    frame["xyz"] = [c[1] for c in frame.index]
    frame = frame.fillna({"clients": 0, "value": 0.0, "share": 0.0, "strategy": ""})
    prior = before.set_index("cell")["clients"] if before is not None else None
    texts = []
    for cell, row in frame.iterrows():
        count = fmt_number(int(row.clients))
        line = f"<b>{cell}</b><br>" + ngettext(
            "{n} client", "{n} clients", int(row.clients)
        ).format(n=count)
        line += f"<br>{fmt_percent(row.share)}"
        if prior is not None:
            diff = int(row.clients) - int(prior.get(cell, 0))
            if diff:
                line += f"<br>({'+' if diff > 0 else '-'}{fmt_number(abs(diff))})"
        texts.append(rtl_lines(line, rtl))
    measure_name = _(MEASURE_NAMES[measure]) if measure in MEASURE_NAMES else measure
    widths = [4 if cell == selected else 1 for cell in frame.index]
    lines = [SELECTED_LINE if cell == selected else "#ffffff" for cell in frame.index]
    fig = go.Figure(
        go.Scatter(
            x=frame["xyz"],
            y=frame["abc"],
            mode="markers+text",
            text=texts,
            textfont={"color": [_text_colour(a) for a in frame["abc"]], "size": 14},
            marker={
                "symbol": "square",
                "size": matrix_marker_size(),
                "color": [ABC_COLOURS[a] for a in frame["abc"]],
                "opacity": 1.0,
                "line": {"width": widths, "color": lines},
            },
            customdata=np.column_stack(
                [
                    frame.index.to_numpy(),
                    frame["clients"].astype(int).to_numpy(),
                    frame["value"].to_numpy(dtype=float),
                    frame["share"].to_numpy(dtype=float),
                    [safe(s) for s in frame["strategy"]],
                ]
            ),
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                + _("Clients: {n}").format(n="%{customdata[1]:,}")
                + "<br>"
                + f"{measure_name.capitalize()}: %{{customdata[2]:,.0f}}<br>"
                + _("Share of {measure}: {share}").format(
                    measure=measure_name, share="%{customdata[3]:.1%}"
                )
                + "<br>%{customdata[4]}<extra></extra>"
            ),
            name="cells",
            showlegend=False,
        )
    )
    xyz_names = XYZ_LABELS.get(method, XYZ_LABELS["stability"])
    style(
        fig,
        _("Clients and share of value per cell"),
        x_title=_("XYZ class: purchase frequency")
        if method == "frequency"
        else _("XYZ class: stability"),
        y_title=_("ABC class: {measure}").format(measure=measure_name),
        money_axis=None,
    )
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=XYZ_ORDER,
        tickvals=XYZ_ORDER,
        ticktext=[rtl_text(_(xyz_names[x]), rtl) for x in XYZ_ORDER],
        range=[2.5, -0.5] if rtl else [-0.5, 2.5],
        side="top",
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=ABC_ORDER,
        tickvals=ABC_ORDER,
        ticktext=[rtl_text(_(ABC_LABELS[a]), rtl) for a in ABC_ORDER],
        autorange=False,
        range=[2.5, -0.5],  # A on top
        side="right" if rtl else "left",
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    fig.update_layout(
        width=MATRIX_WIDTH,
        height=MATRIX_HEIGHT,
        margin={**_MARGIN, "l": _MARGIN["r"], "r": _MARGIN["l"]} if rtl else _MARGIN,
        plot_bgcolor="rgba(0,0,0,0)",
        clickmode="event+select",
        dragmode=False,
        hovermode="closest",
    )
    fig.update_layout(title={"y": 0.97, "yanchor": "top"})
    if rtl:
        fig.update_layout(title={"x": 1, "xanchor": "right"}, hoverlabel={"align": "right"})
    return fig


def binned(values: np.ndarray, start: float, size: float) -> tuple[np.ndarray, np.ndarray]:
    """The centre and count of each non-empty bin [start + k*size, start + (k+1)*size)."""
    if not len(values):
        return np.empty(0), np.empty(0, dtype=np.int64)
    # plotly.js's own rule (lib/search.js findBin), rounding error included, so a value on an
    # edge (1/2 with bins of 1/24) lands in the bin the browser would have put it in.
    index = np.floor((values - start) / size + 1e-9).astype(np.int64)
    bins, counts = np.unique(index, return_counts=True)
    return start + (bins + 0.5) * size, counts


def xyz_histogram(
    clients: pd.DataFrame, method: str, cutoffs: tuple[float, float] | None
) -> go.Figure:
    """Histogram of the XYZ metric per client, coloured by class, with the cut-offs drawn."""
    frequency = method == "frequency"
    metric = clients["xyz_metric"].astype(float)
    observed = clients[metric.notna() & np.isfinite(metric)]
    if frequency:
        size, start = 1 / 24, 0.0
    else:
        top = float(observed["xyz_metric"].max()) if len(observed) else 1.0
        size, start = (0.05 if top <= 4 else top / 80), 0.0
    fig = go.Figure()
    for cls in XYZ_ORDER:
        part = observed[observed["xyz"] == cls]
        centres, counts = binned(part["xyz_metric"].to_numpy(dtype=float), start, size)
        fig.add_trace(
            go.Histogram(
                # A bin's centre with its count summed: the bars of the 10k values, not the values
                # (99 KB a view, counted again by every browser).
                x=centres,
                y=counts,
                histfunc="sum",
                name=f"{cls} ({fmt_number(len(part))})",
                marker={"color": XYZ_COLOURS[cls]},
                xbins={"start": start, "size": size},
                hovertemplate=(
                    _("Class {xyz}").format(xyz=cls)
                    + "<br>"
                    + (
                        _("Share of periods: {value}").format(value="%{x:.0%}")
                        if frequency
                        else _("Variation: {value}").format(value="%{x:.2f}")
                    )
                    + "<br>"
                    + _("Clients: {n}").format(n="%{y:,}")
                    + "<extra></extra>"
                ),
            )
        )
    missing = int(len(clients) - len(observed))
    title = _("Purchase frequency per client") if frequency else _("Stability per client")
    if missing:
        title += " " + _("({n} without a positive mean: Z)").format(n=fmt_number(missing))
    style(
        fig,
        title,
        x_title=(
            _("Share of periods with a purchase")
            if frequency
            else _("Coefficient of variation of revenue per period")
        ),
        y_title=_("Clients"),
        money_axis=None,
    )
    # The legend in a row of its own between the title and the cut-off labels drawn over the
    # plot: in the row of those labels it covered them.
    fig.update_layout(
        barmode="stack",
        bargap=0.05,
        margin={"t": 100},
        legend={"traceorder": "normal", "y": 1.1},
    )
    fig.update_yaxes(tickformat=",d")
    if frequency:
        fig.update_xaxes(tickformat=".0%", range=[-0.03, 1.03])
    if cutoffs is not None:
        x, y = cutoffs
        if frequency:
            labels = (
                _("X from {value}").format(value=fmt_percent(x, 0)),
                _("Y from {value}").format(value=fmt_percent(y, 0)),
            )
        else:
            labels = (
                _("X up to {value}").format(value=fmt_number(x, 2)),
                _("Y up to {value}").format(value=fmt_number(y, 2)),
            )
        for value, label in zip((x, y), labels, strict=True):
            fig.add_vline(
                x=value,
                line={"color": "#333333", "dash": "dash", "width": 2},
                annotation={"text": rtl_text(label), "textangle": 0, "font": {"size": 12}},
                annotation_position="top right",
            )
    return fig
