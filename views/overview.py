"""Overview: the key figures of the stored sales."""

import plotly.express as px
import streamlit as st

from kam_core.store.reads import monthly_revenue, sales_summary
from ui.frame import page
from ui.params import sidebar_params

conn = page("Overview")
params = sidebar_params(conn)
summary = sales_summary(conn)
st.caption(f"Sales from {summary['first_date']:%d.%m.%Y} to {summary['last_date']:%d.%m.%Y}.")
cols = st.columns(3)
cols[0].metric("Revenue", f"{summary['revenue']:,.0f}")
cols[1].metric("Clients", f"{summary['clients']:,}")
cols[2].metric("Order lines", f"{summary['rows']:,}")

months = monthly_revenue(conn)
fig = px.bar(
    months,
    x="month",
    y="revenue",
    title="Revenue per month",
    labels={"month": "Month", "revenue": "Revenue"},
    hover_data={"clients": ":,", "revenue": ":,.0f"},
)
fig.update_layout(yaxis_tickformat=",.0f")
st.plotly_chart(fig, width="stretch")
