"""Column formats shared by the tables of every page."""

import streamlit as st

_DATE = "DD.MM.YYYY"
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
