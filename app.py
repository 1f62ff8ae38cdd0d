"""KAM Analytics: the router and frame; every screen lives in pages/."""

import streamlit as st

st.set_page_config(page_title="KAM Analytics", page_icon=":material/monitoring:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
    st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:", url_path="upload"),
    st.Page("pages/abc_xyz.py", title="ABC-XYZ", icon=":material/grid_view:", url_path="abc-xyz"),
    st.Page("pages/types.py", title="Client types", icon=":material/sell:", url_path="types"),
    st.Page("pages/churn.py", title="Churn and win-back", icon=":material/trending_down:", url_path="churn"),
    st.Page("pages/managers.py", title="Managers", icon=":material/groups:", url_path="managers"),
    st.Page("pages/dossier.py", title="Client dossier", icon=":material/badge:", url_path="dossier"),
    st.Page("pages/settings.py", title="Settings", icon=":material/settings:", url_path="settings"),
]

st.navigation(PAGES).run()
