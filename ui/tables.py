"""Column formats shared by the tables of every page, downloads, and client tables that show
a page of rows with a search (the downloads always hold the whole table)."""

import pandas as pd
import streamlit as st

from kam_core.export import to_csv_bytes, to_excel_bytes
from kam_core.vocabulary import DATE_FORMAT_TABLE as _DATE
from kam_core.vocabulary import HEADERS, header
from ui.screens import page_file

# Rows a table shows before it asks for a search or "show all": thousands of rows sent whole
# cost every view of the page (serialising, sending, drawing) while nobody scrolls through
# them; a portfolio of a few hundred clients still shows whole.
ROW_LIMIT = 500

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

    A long table shows its first ROW_LIMIT rows, a search box and a "show all" switch; the
    Excel and CSV downloads hold every row.

    Columns without a config get the vocabulary's header: "Client ID" is the id, "Client" the
    name, on every page.
    """
    config = {c: header(c) for c in frame.columns if c in HEADERS} | (column_config or {})
    shown = limited(frame, key)
    event = st.dataframe(
        shown,
        key=key,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        column_config=config,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event is not None else []
    if rows and rows[0] < len(shown) and "client_id" in shown:
        client = str(shown.iloc[rows[0]]["client_id"])
        st.switch_page(page_file("dossier"), query_params={"client": client})
    st.caption("Click a row to open the client's dossier.")
    downloads(frame, stem, key)


def search_rows(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """The rows where any text column contains the text, ignoring case."""
    text = text.strip()
    if not text or frame.empty:
        return frame
    hit = pd.Series(False, index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_datetime64_any_dtype(values):
            continue
        hit |= values.astype(str).str.contains(text, case=False, regex=False, na=False)
    return frame[hit]


def limited(frame: pd.DataFrame, key: str, limit: int = ROW_LIMIT) -> pd.DataFrame:
    """The rows to show: a short table whole; a long one searched, then its first rows or all."""
    if len(frame) <= limit:
        return frame
    search, everything = st.columns([3, 1], vertical_alignment="center")
    text = search.text_input(
        "Search the table",
        key=f"{key}:search",
        placeholder="Search: client, name, manager, region...",
        label_visibility="collapsed",
        max_chars=100,
    )
    show_all = everything.toggle(f"Show all {len(frame):,} rows", key=f"{key}:all")
    shown = search_rows(frame, text or "")
    if text and shown.empty:
        st.caption("No row matches the search.")
    if show_all or len(shown) <= limit:
        return shown
    matching = " matching the search" if text else ""
    st.caption(
        f"The first {limit:,} of {len(shown):,} rows{matching}. Search, or show all rows; "
        "the downloads hold the whole table."
    )
    return shown.head(limit)
