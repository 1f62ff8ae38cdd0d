"""Client types: how many key clients of each type, what they bring, who they are, the rules."""

import streamlit as st

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.churn import churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.concentration import concentration
from kam_core.analytics.type_mix import clients_of_type, type_distribution
from kam_core.charts.types import types_count_figure, types_value_figure
from kam_core.vocabulary import CLIENT_TYPES, DATE_FORMAT, DATE_FORMAT_TABLE, label_of
from ui.cache import memo, remember
from ui.frame import page
from ui.params import measure_label, sidebar_params
from ui.rules import show_rules, type_rules
from ui.tables import client_table

conn = page("Client types")
params = sidebar_params(conn)
window = abc_xyz(conn, params)
types = remember(client_types, conn, params)
if types.empty:
    st.info("No clients for these filters: widen the sidebar's choices.")
    st.stop()
measure = measure_label(window.measure)
values = window.clients[["client_id", "value"]]
dist = memo(type_distribution, types, values)
summary = remember(concentration, conn, params).summary.set_index("metric")["value"]

if window.as_of is not None:
    st.caption(
        f"{params.months} months from {window.window_start:{DATE_FORMAT}} to "
        f"{window.as_of:{DATE_FORMAT}}; values are {measure.lower()} in that window."
    )
for notice in window.notices:
    st.info(notice)

key_share = float(summary["key_clients_share"])
band = f"{params.thresholds.key_share_low:.0%}-{params.thresholds.key_share_high:.0%}"
cols = st.columns(4)
cols[0].metric("Clients", f"{len(types):,}")
cols[1].metric("Key clients", f"{int(types['is_key'].sum()):,}")
cols[2].metric(
    f"Key clients' share of {measure.lower()}",
    f"{key_share:.1%}",
    help=f"The article's band for key clients is {band} of all sales.",
)
cols[3].metric("Set by a manager", f"{int(types['overridden'].sum()):,}")

left, middle, right = st.columns([5, 5, 4])
left.plotly_chart(memo(types_count_figure, dist), width="stretch", key="types_count")
middle.plotly_chart(memo(types_value_figure, dist, measure), width="stretch", key="types_value")
with right:
    show_rules("Rules in force", type_rules(params.thresholds, measure.lower()))
st.caption(
    "A client of several types counts under each of them, so the bars can add up to more than "
    "the total."
)

suggested = types[types["expert_suggested"]]
if not suggested.empty:
    with st.expander(
        f"{len(suggested):,} clients return {params.thresholds.expert_return_share:.0%} or more "
        "of what they buy: perhaps experts (demanding on quality and service)"
    ):
        st.caption("Mark a client as an expert in its dossier to count it as one.")
        client_table(
            suggested[["client_id", "client_name", "return_share", "types"]].sort_values(
                "return_share", ascending=False
            ),
            key="expert_suggested",
            stem="suggested-experts",
            column_config={
                "return_share": st.column_config.NumberColumn("Returned share", format="percent"),
                "types": "Types now",
            },
        )

st.subheader("Clients of each type")
kind = st.segmented_control(
    "Type",
    list(CLIENT_TYPES),
    format_func=lambda k: label_of(CLIENT_TYPES, k),  # the label goes in the URL: ?type=Prospect
    default="breadwinner",
    required=True,
    key="type",
    bind="query-params",
)
kind = kind or "breadwinner"
table = memo(clients_of_type, types, values, kind, remember(churn, conn, params))
kind_label = label_of(CLIENT_TYPES, kind).lower()
st.caption(f"{len(table):,} {kind_label} clients, largest {measure.lower()} first.")
client_table(
    table,
    key=f"types_clients:{kind}",
    stem=f"clients-{kind}",
    column_config={
        "type_labels": "Types",
        "abc": "ABC",
        "value": st.column_config.NumberColumn(measure, format="localized"),
        "profit_share": st.column_config.NumberColumn(
            "Share of profit",
            format="percent",
            help="The client's share of the window's profit (of revenue when the data has no "
            "profit): the breadwinner rule's basis.",
        ),
        "first_purchase": st.column_config.DateColumn("First purchase", format=DATE_FORMAT_TABLE),
        "status": "Churn status",
        "qualified": st.column_config.CheckboxColumn("3 P's qualified"),
        "overridden": st.column_config.CheckboxColumn(
            "Set by a manager", help="The types were chosen in the dossier, not by the rules."
        ),
    },
)
