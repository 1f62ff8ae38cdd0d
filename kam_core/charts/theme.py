"""The shared visual language: colours for classes and statuses, axis and hover styling."""

from __future__ import annotations

import html

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
