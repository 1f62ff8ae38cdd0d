"""The dossier's chart: one client's purchases and returns per month, the window shaded."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.rtl import bidi_label
from kam_core.charts.theme import ABC_COLOURS, STATUS_COLOURS, style
from kam_core.i18n import _, get_language, is_rtl, use_language
from kam_core.i18n.formats import fmt_month

WINDOW_COLOUR = "#f9a825"
MAX_TICKS = 12  # month labels on the axis; more would overlap at 1024 px


def month_ticks(months: pd.Series, lang: str | None = None) -> tuple[list, list[str]]:
    """Tick positions (every k-th month, the latest always) and their names in the language."""
    stamps = pd.to_datetime(months).dropna()
    if stamps.empty:
        return [], []
    # Every calendar month of the span, bought in or not, so the labels are evenly spaced.
    values = list(pd.date_range(stamps.min(), stamps.max(), freq="MS"))
    step = max(1, math.ceil(len(values) / MAX_TICKS))
    # Counted back from the latest month, so the newest purchases always carry a label.
    chosen = values[::-1][::step][::-1]
    with use_language(lang or get_language()):
        text = [bidi_label(fmt_month(pd.Timestamp(v))) for v in chosen]
    return [pd.Timestamp(v) for v in chosen], text


def purchases_figure(
    months: pd.DataFrame,
    start: date | None = None,
    end: date | None = None,
    lang: str | None = None,
) -> go.Figure:
    """Net purchases and returns per month (monthly_purchases), the analysis window shaded;
    in Hebrew time runs from right to left and the amounts are read on the right."""
    lang = lang or get_language()
    rtl = is_rtl(lang)
    fig = go.Figure()
    fig.add_bar(
        x=months["month"],
        y=months["revenue"],
        name=_("Net purchases"),
        marker_color=ABC_COLOURS["A"],
    )
    fig.add_bar(
        x=months["month"],
        y=months["returns"],
        name=_("Returns"),
        marker_color=STATUS_COLOURS["lost"],
    )
    if start and end:
        fig.add_vrect(
            x0=start,
            x1=end,
            fillcolor=WINDOW_COLOUR,
            opacity=0.08,
            line_width=0,
        )
        # At the window's first month, inside it: on its right edge when time runs leftwards.
        fig.add_annotation(
            x=start,
            y=1,
            yref="paper",
            yanchor="top",
            xanchor="right" if rtl else "left",
            text=_("analysis window"),
            showarrow=False,
        )
    tickvals, ticktext = month_ticks(months["month"], lang)
    # Plotly names months in English: the labels are the locale's, written by Babel.
    fig.update_xaxes(type="date", tickmode="array", tickvals=tickvals, ticktext=ticktext)
    fig.update_layout(barmode="relative", height=320)
    style(fig, _("Purchases per month"), y_title=_("Revenue"))
    if rtl:
        # Hebrew reads time from the right: the newest month on the left edge would be last.
        fig.update_xaxes(autorange="reversed")
        fig.update_yaxes(side="right")
    return fig
