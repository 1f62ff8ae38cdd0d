"""Column formats shared by the tables of every page."""

import pandas as pd
import streamlit as st

from kam_core.export import to_csv_bytes, to_excel_bytes
from kam_core.vocabulary import DATE_FORMAT_TABLE as _DATE
from kam_core.vocabulary import HEADERS, header
from ui.screens import page_file

SALES_COLUMNS = {
    "order_date": st.column_config.DateColumn("Date", format=_DATE),
    "order_id": "Order",
    "product": "Product",
    "category": "Category",
    "quantity": st.column_config.NumberColumn("Quantity", format="localized"),
    "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
    "profit": st.column_config.NumberColumn("Profit", format="localized"),
    "manager": "Manager",
    "region": "Region",
    "due_date": st.column_config.DateColumn("Promised", format=_DATE),
    "ship_date": st.column_config.DateColumn("Shipped", format=_DATE),
    "returned": st.column_config.CheckboxColumn("Returned"),
}


def downloads(frame: pd.DataFrame, stem: str, key: str) -> None:
    """Offer the table as Excel and CSV, with formulas neutralised."""
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Excel",
        # Built only when clicked: on large tables the files cost more than the page.
        lambda: to_excel_bytes({stem[:31]: frame}),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}:xlsx",
        icon=":material/download:",
    )
    right.download_button(
        "CSV",
        lambda: to_csv_bytes(frame),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}:csv",
        icon=":material/download:",
    )


def client_table(
    frame: pd.DataFrame,
    key: str,
    stem: str,
    column_config: dict | None = None,
    height: int | None = None,
) -> None:
    """Show a table of clients: sortable, searchable, downloadable; a click opens the dossier.

    Columns without a config get the vocabulary's header: "Client ID" is the id, "Client" the
    name, on every page.
    """
    config = {c: header(c) for c in frame.columns if c in HEADERS} | (column_config or {})
    event = st.dataframe(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        column_config=config,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event is not None else []
    if rows and "client_id" in frame:
        client = str(frame.iloc[rows[0]]["client_id"])
        st.switch_page(page_file("dossier"), query_params={"client": client})
    st.caption("Click a row to open the client's dossier.")
    downloads(frame, stem, key)
