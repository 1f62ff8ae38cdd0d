"""KAM Analytics: the router and frame; every screen lives in views/."""

import streamlit as st

from ui.screens import DEFAULT_PATH, SCREENS

st.set_page_config(page_title="KAM Analytics", page_icon=":material/monitoring:", layout="wide")

PAGES = [
    st.Page(
        f"views/{file}",
        title=title,
        icon=f":material/{icon}:",
        url_path=path,
        default=(path == DEFAULT_PATH),
    )
    for file, title, icon, path in SCREENS
]

st.navigation(PAGES).run()
