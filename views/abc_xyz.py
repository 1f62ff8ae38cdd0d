"""ABC-XYZ."""

import streamlit as st

from ui.frame import page

conn = page("ABC-XYZ")
st.info("This screen is not built yet. The Overview and the Upload page work today.")
