"""Managers: every portfolio at a glance, then one manager's clients, mix and risks."""

import streamlit as st

from kam_core.analytics.churn import status_counts
from kam_core.analytics.portfolio import manager_mix, portfolio, portfolio_clients
from kam_core.analytics.win_back import win_back_list
from kam_core.charts.churn import status_figure
from kam_core.charts.managers import (
    manager_mix_figure,
    portfolio_mix_figure,
    portfolio_revenue_figure,
)
from kam_core.charts.theme import safe
from kam_core.vocabulary import DATE_FORMAT, DATE_FORMAT_TABLE, status_label
from ui.cache import memo, remember
from ui.frame import page
from ui.params import sidebar_params
from ui.tables import client_table, downloads
from ui.text import esc, money

COUNT = {"format": "%d"}
conn = page("Managers")
params = sidebar_params(conn)
table = remember(portfolio, conn, params)
clients = remember(portfolio_clients, conn, params)
if table.empty:
    st.info("No clients for these filters: widen the sidebar's choices.")
    st.stop()

st.caption(
    f"Each client belongs to its latest manager in the data. Revenue in the {params.months} "
    f"months to {params.as_of:{DATE_FORMAT}}, against the {params.months} months before. Click a "
    "row to see that manager's clients."
)
# The most read columns first; the ABC-XYZ mix after the risks.
ORDER = [
    "manager",
    "clients",
    "revenue",
    "revenue_change_pct",
    "revenue_change",
    "revenue_prev",
    "key_clients",
    "at_risk",
    "lost",
    "dossier_completeness",
    *"abcxyz",
    "clients_in_window",
]
shown = table[ORDER]
event = st.dataframe(
    shown,
    key="portfolio",
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    column_config={
        "manager": st.column_config.TextColumn("Manager", pinned=True),
        "clients": st.column_config.NumberColumn("Clients", **COUNT),
        "clients_in_window": st.column_config.NumberColumn(
            "Buying in window", help="Clients with sales in the window.", **COUNT
        ),
        "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
        "revenue_prev": st.column_config.NumberColumn("Previous window", format="localized"),
        "revenue_change": st.column_config.NumberColumn("Change", format="localized"),
        "revenue_change_pct": st.column_config.NumberColumn("Change %", format="percent"),
        **{
            k: st.column_config.NumberColumn(
                k.upper(), help=f"Clients of class {k.upper()}.", **COUNT
            )
            for k in "abcxyz"
        },
        "key_clients": st.column_config.NumberColumn("Key clients", **COUNT),
        "at_risk": st.column_config.NumberColumn("At risk", **COUNT),
        "lost": st.column_config.NumberColumn("Lost", **COUNT),
        "dossier_completeness": st.column_config.ProgressColumn(
            "Key-client dossiers",
            help="How complete the dossiers of the manager's key clients are, on average: the "
            "share of dossier sections filled (profile, decision map, competitors, tenders, "
            "qualification, plan, notes).",
            format="percent",
            min_value=0.0,
            max_value=1.0,
        ),
    },
)
downloads(shown, "manager-portfolios", "portfolio")

left, right = st.columns(2)
left.plotly_chart(memo(portfolio_revenue_figure, table), width="stretch", key="pf_revenue")
right.plotly_chart(memo(portfolio_mix_figure, table), width="stretch", key="pf_mix")

# A click in the table picks the manager below; applied once per new click, so the
# selector stays free to change afterwards.
managers = table["manager"].tolist()
rows = event.selection.rows if event is not None else []
clicked = managers[rows[0]] if rows else None
if clicked and clicked != st.session_state.get("portfolio_clicked"):
    st.session_state["who"] = clicked
st.session_state["portfolio_clicked"] = clicked
if params.manager in managers:
    st.session_state["who"] = params.manager

st.divider()
who = st.selectbox(
    "Manager",
    managers,
    key="who",
    bind="query-params",
    disabled=params.manager is not None,
    help="Or click a row of the table above. The sidebar's manager filter fixes it.",
)
who = who or managers[0]
mine = clients[clients["manager"] == who]
row = table.set_index("manager").loc[who]
st.subheader(esc(who), anchor=False)
cols = st.columns(6)
cols[0].metric("Clients", f"{int(row['clients']):,}")
change = row["revenue_change_pct"]
cols[1].metric(
    "Revenue",
    money(float(row["revenue"])),
    delta=None if change != change else f"{change:+.1%}",
    help="Against the previous window of the same length.",
)
cols[2].metric("Key clients", f"{int(row['key_clients']):,}")
cols[3].metric("At risk", f"{int(row['at_risk']):,}")
cols[4].metric("Lost", f"{int(row['lost']):,}")
filled = row["dossier_completeness"]
cols[5].metric(
    "Key-client dossiers",
    "-" if filled != filled else f"{filled:.0%}",
    help="Average share of the dossier sections filled for this manager's key clients.",
)

left, right = st.columns(2)
left.plotly_chart(
    memo(manager_mix_figure, memo(manager_mix, mine), who), width="stretch", key="mgr_mix"
)
right.plotly_chart(
    memo(status_figure, memo(status_counts, mine), f"Clients per status: {safe(who)}"),
    width="stretch",
    key="mgr_status",
)

st.markdown("**Clients**")
client_table(
    mine.sort_values(["revenue", "client_id"], ascending=[False, True])[
        [
            "client_id",
            "client_name",
            "cell",
            "status",
            "is_key",
            "revenue",
            "revenue_prev",
            "change",
            "completeness",
        ]
    ].assign(status=lambda f: f["status"].map(status_label)),
    key=f"mgr_clients:{who}",
    stem="manager-clients",
    height=360,
    column_config={
        "cell": "ABC-XYZ",
        "status": "Churn status",
        "is_key": st.column_config.CheckboxColumn("Key client"),
        "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
        "revenue_prev": st.column_config.NumberColumn("Previous window", format="localized"),
        "change": st.column_config.NumberColumn("Change", format="localized"),
        "completeness": st.column_config.ProgressColumn(
            "Dossier", format="percent", min_value=0.0, max_value=1.0
        ),
    },
)

st.markdown("**Risks: at-risk and lost clients, largest revenue at stake first**")
risks = remember(win_back_list, conn, params)
risks = risks[risks["client_id"].isin(mine["client_id"])]
client_table(
    risks[
        [
            "client_id",
            "client_name",
            "churn_status",
            "abc",
            "is_key",
            "revenue_at_stake",
            "last_purchase",
            "days_since_last",
            "offer",
            "status",
        ]
    ].assign(
        churn_status=lambda f: f["churn_status"].map(status_label),
        abc=lambda f: f["abc"].fillna("-"),
    ),
    key=f"mgr_risks:{who}",
    stem="manager-risks",
    column_config={
        "churn_status": "Churn status",
        "abc": "ABC",
        "is_key": st.column_config.CheckboxColumn("Key client"),
        "revenue_at_stake": st.column_config.NumberColumn("Revenue at stake", format="localized"),
        "last_purchase": st.column_config.DateColumn("Last purchase", format=DATE_FORMAT_TABLE),
        "days_since_last": st.column_config.NumberColumn("Days silent", **COUNT),
        "offer": "Suggested offer",
        "status": st.column_config.TextColumn(
            "Win-back status", help="Set on the Churn and win-back page."
        ),
    },
)
