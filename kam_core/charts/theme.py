"""The shared visual language: colours for classes and statuses, axis and hover styling."""

from __future__ import annotations

import html
from numbers import Real

import plotly.graph_objects as go

from kam_core.i18n import get_language, has_hebrew, is_rtl, strip_isolates

# One colour per class and status on every chart, so a reader learns them once.
ABC_COLOURS = {"A": "#1f4e79", "B": "#5b9bd5", "C": "#bdd7ee"}
XYZ_COLOURS = {"X": "#2e7d32", "Y": "#f9a825", "Z": "#c62828"}
# Keyed by the churn status codes of kam_core.vocabulary.
STATUS_COLOURS = {"active": "#2e7d32", "new": "#1f77b4", "at_risk": "#f9a825", "lost": "#c62828"}
TYPE_COLOURS = {
    "breadwinner": "#1f4e79",
    "prospect": "#2e7d32",
    "image-maker": "#8e44ad",
    "expert": "#d35400",
    "ordinary": "#9e9e9e",
}


def safe(text: object) -> str:
    """Escape names from workbooks: plotly text, ticks and hover labels read a subset of HTML."""
    return html.escape(str(text), quote=False)


# Right-to-left isolate: a Hebrew label that starts with a Latin class letter or a number
# ("X מ־75%", "12 לקוחות") is laid out from the right; a first-strong isolate took its direction
# from that letter and read it left to right. Never an override: the letters keep their order.
RLI, PDI = "\u2067", "\u2069"


def right_to_left(rtl: bool | None = None) -> bool:
    """rtl as given, or whether the current language reads right to left."""
    return is_rtl(get_language()) if rtl is None else rtl


def rtl_text(text: object, rtl: bool | None = None) -> str:
    """In a right-to-left language, a label holding Hebrew in a right-to-left isolate."""
    value = str(text)
    if not right_to_left(rtl) or not has_hebrew(value) or value.startswith(RLI):
        return value
    return f"{RLI}{strip_isolates(value)}{PDI}"


def rtl_lines(text: object, rtl: bool | None = None) -> str:
    """rtl_text() of each line of a plotly text ('<br>' between lines), each its own paragraph."""
    return "<br>".join(rtl_text(line, rtl) for line in str(text).split("<br>"))


def mirror_horizontal(fig: go.Figure, rtl: bool | None = None) -> go.Figure:
    """Horizontal bars in a right-to-left language: growing from the right, names on the right.

    mirror_figure() reverses only category x axes; a bar chart with orientation 'h' has its
    categories on y, so its value axis is reversed here and the names move to the right side.
    """
    if right_to_left(rtl):
        fig.update_xaxes(autorange="reversed")
        fig.update_yaxes(side="right")
    return fig


def style(
    fig: go.Figure,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    money_axis: str | None = "y",
) -> go.Figure:
    """Give a figure its title, axis labels, thousands separators and a quiet layout."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=".,",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hoverlabel={"namelength": -1},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    if money_axis == "y":
        fig.update_yaxes(tickformat=",.0f")
    elif money_axis == "x":
        fig.update_xaxes(tickformat=",.0f")
    return fig


# Pixel widths of tick label characters at the axes' font (12 px), measured in Chromium: with a
# title, a value axis needs its longest tick label plus TITLE_ROOM.
_DIGIT, _SEPARATOR, _PERCENT, TITLE_ROOM = 6.1, 3.0, 10.3, 52.5
BOTTOM_WITH_TITLE = 65  # an x axis of unrotated tick labels and a title, as plotly lays it out


def _label_width(label: str) -> float:
    """The width in pixels of a tick label of digits, separators, a sign and a percent sign."""
    widths = {",": _SEPARATOR, ".": _SEPARATOR, "%": _PERCENT}
    return sum(widths.get(c, _DIGIT) for c in label)


def _axis_values(fig: go.Figure, ref: str) -> list[float]:
    """The numbers drawn against a y axis ('y', 'y2'): bar tops stacked when the bars are."""
    columns: list[list[float]] = []
    for trace in fig.data:
        if (getattr(trace, "yaxis", None) or "y") != ref or getattr(trace, "orientation", None):
            continue
        values = []
        for name in ("y", "upperfence", "q3"):
            part = getattr(trace, name, None)
            if part is not None:
                values += [float(v) for v in part if isinstance(v, Real) and v == v]
        columns.append(values)
    if (
        fig.layout.barmode == "stack"
        and columns
        and all(len(c) == len(columns[0]) for c in columns)
    ):
        return [sum(max(v, 0.0) for v in row) for row in zip(*columns, strict=True)]
    return [v for c in columns for v in c]


def _longest_tick(axis: go.layout.YAxis, values: list[float]) -> str | None:
    """The widest tick label plotly will likely draw on a value axis; None when unknown."""
    shown = [abs(float(v)) for v in axis.range] if axis.range else values
    if not shown or axis.type in ("category", "date", "log"):
        return None
    top = max(abs(v) for v in shown)
    top *= 1.0 if axis.range else 1.06  # plotly's autorange pads the largest value
    fmt = axis.tickformat or ""
    if fmt.endswith("%"):
        text = f"{round(top * 100):d}%"
    elif fmt in (",.0f", ",d", ""):
        text = f"{top:,.0f}"
    else:
        return None
    return text + (axis.ticksuffix or "")


def settle_margins(fig: go.Figure) -> go.Figure:
    """Margins that hold a figure's titled numeric y axes and its x title: laid out once."""
    # Other figures, and labels wider than estimated, are still fitted by plotly's automatic
    # margins.
    # Where plotly's automatic margins must grow, it draws the whole figure a second time: about
    # half of a chart's drawing in the browser.
    keys = sorted(k for k in fig.layout.to_plotly_json() if k.startswith("yaxis"))
    need = {"l": 0.0, "r": 0.0}
    for key in keys or ["yaxis"]:
        axis = fig.layout[key]
        if axis.title.text is None or axis.overlaying or axis.type == "category":
            return fig
        label = _longest_tick(axis, _axis_values(fig, "y" + key[5:]))
        if label is None or not label.strip("%"):
            return fig
        side = "r" if axis.side == "right" else "l"
        need[side] = max(need[side], TITLE_ROOM + _label_width(label))
    margin = fig.layout.margin
    update = {s: max(int(-(-need[s] // 1)), getattr(margin, s) or 0) for s in need if need[s]}
    if fig.layout.xaxis.title.text is not None:
        update["b"] = max(BOTTOM_WITH_TITLE, margin.b or 0)
    fig.update_layout(margin=update)
    return fig
