"""Churn: where losses come from, a fragment so its choices rerun this part only."""

import streamlit as st

from kam_core.analytics.losses import LossesResult
from kam_core.charts.churn import breakdown_figure
from kam_core.vocabulary import LOSS_DIRECTIONS as DIRECTIONS
from ui.cache import memo
from ui.tables import downloads


@st.fragment
def losses_breakdown(lost: LossesResult) -> None:
    """Lost clients or revenue by region, segment, manager...: a chart and a table."""
    pick, show = st.columns([3, 1])
    with pick:
        direction = st.segmented_control(
            "Break down by",
            list(DIRECTIONS),
            format_func=DIRECTIONS.get,
            default="region",
            required=True,
            key="by",
            bind="query-params",
        )
    with show:
        by = st.segmented_control(
            "Show",
            ["clients_lost", "revenue_lost"],
            format_func={"clients_lost": "Clients", "revenue_lost": "Revenue"}.get,
            default="clients_lost",
            required=True,
            key="lost_by",
        )
    direction = direction or "region"
    parts = lost.breakdowns[direction]
    chart, side = st.columns([3, 2])
    chart.plotly_chart(
        memo(breakdown_figure, parts, direction, by or "clients_lost"),
        width="stretch",
        key="losses_by",
    )
    with side:
        st.dataframe(
            parts,
            hide_index=True,
            width="stretch",
            column_config={
                direction: DIRECTIONS[direction],
                "clients_lost": st.column_config.NumberColumn("Clients lost", format="%d"),
                "revenue_lost": st.column_config.NumberColumn("Revenue lost", format="localized"),
            },
        )
        downloads(parts, f"losses-by-{direction}", "losses_by")
