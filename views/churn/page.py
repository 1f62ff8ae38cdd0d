"""Churn and win-back: statuses, losses per month and by direction, at-risk and win-back lists."""

import streamlit as st

from kam_core.analytics.churn import at_risk_clients, churn, revenue_at_stake, status_counts
from kam_core.analytics.losses import TREND_MONTHS, losses
from kam_core.analytics.win_back import win_back_list
from kam_core.charts.churn import losses_figure, status_figure
from kam_core.vocabulary import DATE_FORMAT, DATE_FORMAT_TABLE
from ui.cache import memo, remember
from ui.frame import page
from ui.params import sidebar_params
from ui.rules import churn_rules, show_rules, trend_sentence
from ui.tables import client_table
from ui.text import money
from views.churn.losses_by import losses_breakdown
from views.churn.win_back import win_back_editor

conn = page("Churn and win-back")
params = sidebar_params(conn)
t = params.thresholds
table = remember(churn, conn, params)
if table.empty:
    st.info("No clients for these filters: widen the sidebar's choices.")
    st.stop()
by_status = status_counts(table)
counts = by_status.set_index("status")
lost = remember(losses, conn, params)

st.caption(
    f"The status of every client who ever bought, as of {params.as_of:{DATE_FORMAT}}, by the "
    "thresholds beside the chart."
)
cols = st.columns(5)
for col, (_, row) in zip(cols, counts.iterrows(), strict=False):
    col.metric(row["label"].capitalize(), f"{int(row['clients']):,}")
cols[4].metric(
    "Revenue at stake",
    money(revenue_at_stake(by_status)),
    help="What the at-risk and lost clients bought in the 12 months up to their last purchase.",
)

left, right = st.columns([3, 2])
left.plotly_chart(memo(status_figure, by_status), width="stretch", key="churn_status")
with right:
    show_rules(
        "Thresholds in force",
        churn_rules(t),
        "Checked in this order. The median gap is the client's median number of days between "
        "purchases. The thresholds are settings: change them on the Settings page.",
    )

st.subheader("Losses per month")
sentence = trend_sentence(lost.by_month, lost.trend, TREND_MONTHS)
if lost.trend == "worse":
    st.warning(sentence, icon=":material/trending_up:")
elif lost.trend == "better":
    st.success(sentence, icon=":material/trending_down:")
else:
    st.info(sentence, icon=":material/trending_flat:")
if lost.by_month.empty:
    st.caption("No client has been lost yet.")
else:
    chart, note = st.columns([4, 1])
    chart.plotly_chart(
        memo(losses_figure, lost.by_month, TREND_MONTHS), width="stretch", key="losses"
    )
    note.caption(
        f"A lost client counts in the month it passed the lost threshold: its last purchase "
        f"plus {t.churn_lost_gaps:g} x its median gap, at least {t.churn_lost_days} days. "
        "Revenue lost is what it bought in the 12 months up to its last purchase. "
        f"The dotted line is the {TREND_MONTHS}-month average."
    )

    st.subheader("Where losses come from")
    losses_breakdown(lost)

st.subheader("At risk")
at_risk = at_risk_clients(table)
st.caption(
    f"{len(at_risk):,} clients silent longer than their usual rhythm allows, largest revenue "
    "first. Click a row to open the client's dossier."
)
client_table(
    at_risk[
        [
            "client_id",
            "client_name",
            "last_purchase",
            "days_since_last",
            "median_gap_days",
            "revenue_at_stake",
            "manager",
            "region",
            "segment",
        ]
    ],
    key="at_risk",
    stem="clients-at-risk",
    height=320,
    column_config={
        "last_purchase": st.column_config.DateColumn("Last purchase", format=DATE_FORMAT_TABLE),
        "days_since_last": st.column_config.NumberColumn("Days silent", format="%d"),
        "median_gap_days": st.column_config.NumberColumn("Median gap (days)", format="%.0f"),
        "revenue_at_stake": st.column_config.NumberColumn("Revenue at stake", format="localized"),
        "manager": "Manager",
        "region": "Region",
        "segment": "Segment",
    },
)

st.subheader("Win-back list")
st.caption(
    "Lost and at-risk clients, largest revenue at stake first, with an offer suggested by their "
    "ABC class (A: personal meeting and a special offer; B: discount; C or no sales in the "
    "window: campaign)."
)
key_only = st.toggle("Key clients only", key="win_back_key_only")
candidates = remember(win_back_list, conn, params)
if key_only:
    candidates = candidates[candidates["is_key"]]
win_back_editor(conn, candidates)
