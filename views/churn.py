"""Churn and win-back."""

import streamlit as st

from ui.frame import page

conn = page("Churn and win-back")
st.info("This screen is not built yet. The Overview and the Upload page work today.")
