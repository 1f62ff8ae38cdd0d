"""Settings: thresholds with their defaults, the currency symbol, and the data (imports,
backups, restore)."""

import streamlit as st

from kam_core.analytics.params import load_thresholds
from kam_core.config import db_path
from ui.frame import page
from ui.history import import_history
from views.settings.backup import backup_download, restore_upload
from views.settings.thresholds_form import currency_form, thresholds_form

conn = page("Settings", needs_data=False)
thresholds, display, data = st.tabs(["Thresholds", "Display", "Data"])
with thresholds:
    st.caption(
        "The cut-offs every report uses, from the key account management method. Each shows "
        "its default; a change applies to every page and is stored in the database."
    )
    thresholds_form(conn, load_thresholds(conn))
with display:
    currency_form(conn)
with data:
    st.subheader("Database")
    st.text(str(db_path()))
    st.subheader("Imports")
    import_history(conn)
    st.subheader("Backup")
    backup_download(conn)
    st.subheader("Restore")
    restore_upload(conn)
