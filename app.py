"""KAM Analytics: the router and frame; every screen lives in views/<screen>/page.py."""

import streamlit as st

from ui.screens import DEFAULT_PATH, SCREENS, page_file

st.set_page_config(page_title="KAM Analytics", page_icon=":material/monitoring:", layout="wide")

PAGES = [
    st.Page(
        page_file(screen),
        title=title,
        icon=f":material/{icon}:",
        url_path=path,
        default=(path == DEFAULT_PATH),
    )
    for screen, title, icon, path in SCREENS
]

st.navigation(PAGES).run()
