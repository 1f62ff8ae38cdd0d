"""Overview: key figures of the window, the Pareto curve, revenue per period, movers, alerts."""

import streamlit as st

from kam_core.analytics.overview import (
    ALERT_DAYS,
    LOST_MONTHS,
    at_risk_alerts,
    biggest_movers,
    key_clients_at_risk,
    key_figures,
    pareto_curve,
    revenue_per_period,
)
from kam_core.charts.overview import movers_figure, pareto_figure, revenue_period_figure
from kam_core.vocabulary import DATE_FORMAT, DATE_FORMAT_TABLE
from ui.cache import memo, remember
from ui.frame import page
from ui.params import measure_label, sidebar_params
from ui.screens import page_file
from ui.tables import client_table
from ui.text import money

GOTO_KEY = "overview_goto"

conn = page("Overview")
params = sidebar_params(conn)

# A click on a mover's bar (handled before this run) opens that client's dossier.
goto = st.session_state.pop(GOTO_KEY, None)
if goto:
    st.switch_page(page_file("dossier"), query_params={"client": goto})

figures = remember(key_figures, conn, params)
if figures.as_of is None:
    st.warning("No sales match these filters.")
    st.stop()
measure = measure_label(figures.measure).lower()
st.caption(
    f"Window: {figures.window_start:{DATE_FORMAT}} to {figures.as_of:{DATE_FORMAT}} "
    f"({figures.months} months), compared with the {figures.months} months before."
)

BAND = {"below": "below the band", "within": "within the band", "above": "above the band"}
cols = [*st.columns(3), *st.columns(3)]
change = figures.revenue_change_pct
cols[0].metric(
    "Revenue",
    money(figures.revenue),
    delta=f"{change:+.1%}" if change is not None else None,
    delta_description="vs previous window" if change is not None else None,
    border=True,
    height="stretch",
    help=f"Revenue in the window; the previous window had {figures.revenue_prev:,.0f}.",
)
cols[1].metric(
    "Clients",
    f"{figures.clients:,}",
    delta=f"{figures.clients - figures.clients_prev:+,}",
    delta_description="vs previous window",
    border=True,
    height="stretch",
    help="Clients with sales in the window.",
)
cols[2].metric(
    "Key clients",
    f"{figures.key_clients:,}",
    border=True,
    height="stretch",
    help="Clients with sales in the window and at least one key-client type (breadwinner, "
    "prospect, image-maker, expert).",
)
cols[3].metric(
    f"Key clients' share of {measure}",
    f"{figures.key_share:.1%}",
    delta=f"{BAND[figures.key_band]} {figures.key_band_low:.0%}-{figures.key_band_high:.0%}",
    delta_color="off" if figures.key_band == "within" else "inverse",
    delta_arrow="off"
    if figures.key_band == "within"
    else ("up" if figures.key_band == "above" else "down"),
    border=True,
    height="stretch",
    help="Key clients usually bring 30-55% of sales (the band is a setting).",
)
cols[4].metric(
    "Clients at risk",
    f"{figures.at_risk:,}",
    border=True,
    height="stretch",
    help="Silent for longer than 1.5 times their usual gap between purchases (at least 60 "
    "days), as of the as-of date.",
)
cols[5].metric(
    "Lost in the last quarter",
    f"{figures.lost_last_quarter:,}",
    border=True,
    height="stretch",
    help=f"Clients whose lost threshold passed in the last {LOST_MONTHS} calendar months "
    "up to the as-of date.",
)

alerts = remember(at_risk_alerts, conn, params)
all_at_risk = remember(key_clients_at_risk, conn, params)
st.subheader("Alerts")
if alerts.empty:
    st.success(
        f"No key client turned at risk in the last {ALERT_DAYS} days. "
        f"{len(all_at_risk):,} key clients are at risk in all."
    )
else:
    st.warning(
        f"{len(alerts):,} key client{'s' if len(alerts) != 1 else ''} turned at risk in the "
        f"last {ALERT_DAYS} days ({len(all_at_risk):,} key clients are at risk in all)."
    )
    client_table(
        alerts,
        key="overview_alerts",
        stem="key-clients-turned-at-risk",
        column_config={
            "types": "Types",
            "at_risk_since": st.column_config.DateColumn("At risk since", format=DATE_FORMAT_TABLE),
            "days_at_risk": st.column_config.NumberColumn("Days at risk", format="%d"),
            "last_purchase": st.column_config.DateColumn("Last purchase", format=DATE_FORMAT_TABLE),
            "days_since_last": st.column_config.NumberColumn("Days silent", format="%d"),
            "median_gap_days": st.column_config.NumberColumn("Usual gap (days)", format="%.0f"),
            "revenue_at_stake": st.column_config.NumberColumn(
                "Revenue at stake", format="localized"
            ),
            "manager": "Manager",
            "region": "Region",
        },
    )

left, right = st.columns(2, gap="large")
with left:
    st.plotly_chart(
        memo(pareto_figure, remember(pareto_curve, conn, params), measure),
        width="stretch",
        key="pareto",
    )
with right:
    st.plotly_chart(
        memo(revenue_period_figure, remember(revenue_per_period, conn, params)),
        width="stretch",
        key="periods",
    )


def _open_mover() -> None:
    event = st.session_state.get("movers_chart")
    points = event["selection"]["points"] if event else []
    if points:
        st.session_state[GOTO_KEY] = str(points[0]["customdata"][0])


st.subheader("Biggest movers")
movers = remember(biggest_movers, conn, params)
if movers.empty:
    st.caption("No client's revenue changed against the previous window.")
else:
    st.plotly_chart(
        memo(movers_figure, movers),
        width="stretch",
        key="movers_chart",
        on_select=_open_mover,
        selection_mode="points",
    )
    st.caption("Click a bar or a row to open the client's dossier.")
    columns = {
        "manager": "Manager",
        "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
        "revenue_prev": st.column_config.NumberColumn("Previous window", format="localized"),
        "change": st.column_config.NumberColumn("Change", format="localized"),
        "change_pct": st.column_config.NumberColumn("Change %", format="percent"),
    }
    up, down = st.tabs(["Growing most", "Falling most"])
    with up:
        client_table(
            movers[movers["direction"] == "up"].drop(columns="direction"),
            key="movers_up",
            stem="movers-up",
            column_config=columns,
        )
    with down:
        client_table(
            movers[movers["direction"] == "down"].drop(columns="direction"),
            key="movers_down",
            stem="movers-down",
            column_config=columns,
        )
