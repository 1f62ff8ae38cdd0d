"""Client dossier: for now, one client's sales history (deep link ?client=ID)."""

import streamlit as st

from kam_core.store.reads import client_list, client_sales
from ui.frame import page
from ui.tables import SALES_COLUMNS

conn = page("Client dossier")
clients = client_list(conn)
labels = {
    row.client_id: f"{row.client_name or row.client_id} ({row.client_id})"
    for row in clients.itertuples(index=False)
}
ids = list(labels)
wanted = st.query_params.get("client")
index = ids.index(wanted) if wanted in labels else None
if wanted and wanted not in labels:
    st.warning("No client with this id in the data.")
    st.text(f"Asked for: {wanted}")
chosen = st.selectbox(
    "Client", ids, index=index, format_func=labels.get, placeholder="Type a name or id"
)
if chosen:
    st.query_params["client"] = chosen
    history = client_sales(conn, chosen)
    cols = st.columns(3)
    cols[0].metric("Revenue (all time)", f"{history['revenue'].sum():,.0f}")
    cols[1].metric("Order lines", f"{len(history):,}")
    cols[2].metric("Last purchase", f"{history['order_date'].max():%d.%m.%Y}")
    st.dataframe(history, hide_index=True, width="stretch", column_config=SALES_COLUMNS)
