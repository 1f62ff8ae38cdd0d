"""KAM Analytics: the router and frame; every screen lives in views/."""

import streamlit as st

st.set_page_config(page_title="KAM Analytics", page_icon=":material/monitoring:", layout="wide")

# (file, title, icon, URL path): the URL paths are part of the product, links use them.
SCREENS = [
    ("overview.py", "Overview", "home", "overview"),
    ("upload.py", "Upload", "upload_file", "upload"),
    ("abc_xyz.py", "ABC-XYZ", "grid_view", "abc-xyz"),
    ("types.py", "Client types", "sell", "types"),
    ("churn.py", "Churn and win-back", "trending_down", "churn"),
    ("managers.py", "Managers", "groups", "managers"),
    ("dossier.py", "Client dossier", "badge", "dossier"),
    ("settings.py", "Settings", "settings", "settings"),
]
PAGES = [
    st.Page(
        f"views/{file}",
        title=title,
        icon=f":material/{icon}:",
        url_path=path,
        default=(path == "overview"),
    )
    for file, title, icon, path in SCREENS
]

st.navigation(PAGES).run()
