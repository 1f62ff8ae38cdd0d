"""Churn: where losses come from, a fragment so its choices rerun this part only."""

import streamlit as st

from kam_core.analytics.losses import LossesResult
from kam_core.charts.churn import breakdown_figure
from kam_core.i18n import N_, _
from kam_core.vocabulary import LOSS_DIRECTIONS as DIRECTIONS
from kam_core.vocabulary import label_of
from ui.cache import chart
from ui.rtl import rtl_column_config, rtl_columns
from ui.tables import downloads

MEASURES = {"clients_lost": N_("Clients"), "revenue_lost": N_("Revenue")}


@st.fragment
def losses_breakdown(lost: LossesResult, symbol: str = "", decimals: int = 0) -> None:
    """Lost clients or revenue by region, segment, manager...: a chart and a table."""
    # Each control at its own width, wrapping under the other when the page is narrow.
    controls = st.container(horizontal=True, wrap=True, gap="medium")
    pick, show = controls.container(width="content"), controls.container(width="content")
    with pick:
        direction = st.segmented_control(
            _("Break down by"),
            list(DIRECTIONS),
            format_func=lambda d: label_of(DIRECTIONS, d),
            default="region",
            required=True,
            key="by",
            bind="query-params",
        )
    with show:
        by = st.segmented_control(
            _("Show"),
            list(MEASURES),
            format_func=lambda m: _(MEASURES[m]),
            default="clients_lost",
            required=True,
            key="lost_by",
            bind="query-params",
        )
    direction = direction or "region"
    # Amounts to the currency's decimals (a setting), as on every page: not to the cent.
    parts = lost.breakdowns[direction]
    parts = parts.assign(revenue_lost=parts["revenue_lost"].astype(float).round(decimals))
    # Beside each other at 1400 px, one under the other at 1024 px.
    row = st.container(horizontal=True, wrap=True, gap="medium")
    graph, side = row.container(width=480), row.container(width=400)
    graph.plotly_chart(
        chart(breakdown_figure, parts, direction, by or "clients_lost"),
        width="stretch",
        key="losses_by",
    )
    # The amounts carry no symbol: the header does.
    lost_label = _("Revenue lost") + (f" ({symbol.strip()})" if symbol.strip() else "")
    with side:
        config = {
            direction: label_of(DIRECTIONS, direction),
            "clients_lost": st.column_config.NumberColumn(_("Clients lost"), format="%d"),
            "revenue_lost": st.column_config.NumberColumn(lost_label, format="localized"),
        }
        st.dataframe(
            rtl_columns(parts),
            hide_index=True,
            width="stretch",
            column_config=rtl_column_config(parts, config),
        )
    # Below both columns: in the narrow one the buttons lost their labels.
    downloads(parts, f"losses-by-{direction}", "losses_by")
