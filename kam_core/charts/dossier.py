"""The dossier's chart: one client's purchases and returns per month, the window shaded."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from kam_core.charts.theme import ABC_COLOURS, STATUS_COLOURS, style
from kam_core.i18n import _

WINDOW_COLOUR = "#f9a825"


def purchases_figure(
    months: pd.DataFrame, start: date | None = None, end: date | None = None
) -> go.Figure:
    """Net purchases and returns per month (monthly_purchases), the analysis window shaded."""
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
            annotation_text=_("analysis window"),
            annotation_position="top left",
        )
    fig.update_layout(barmode="relative", height=320)
    return style(fig, _("Purchases per month"), y_title=_("Revenue"))
