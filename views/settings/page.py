"""Settings: thresholds with their defaults, the health score's weights and the churn model's
cut-offs, how amounts are shown, the default language, and the data (a check for months stored
twice, imports, backups, restore); admins only in team mode."""

import streamlit as st

from kam_core.analytics.params import load_thresholds
from kam_core.config import db_path
from kam_core.i18n import _
from ui.auth import session_scope, team_mode
from ui.frame import page
from ui.history import import_history
from views.settings.backup import backup_download, restore_upload
from views.settings.data_check import months_stored_twice
from views.settings.display import access_form, display_form
from views.settings.health_form import cutoffs_form, health_weights_form
from views.settings.thresholds_form import thresholds_form

conn = page("Settings", needs_data=False)
scope = session_scope()
if not scope.can_edit_settings():
    # The navigation hides the page from these roles; a typed URL still lands here.
    st.error(_("Only admins change the settings."))
    st.stop()
names = [_("Thresholds"), _("Display"), _("Data")]
if team_mode():
    names.append(_("Access"))
tabs = st.tabs(names)
with tabs[0]:
    st.caption(
        _(
            "The cut-offs every report uses, from the key account management method. Each shows "
            "its default; a change applies to every page and is stored in the database."
        )
    )
    thresholds_form(conn, load_thresholds(conn), scope)
    st.divider()
    health_weights_form(conn, scope)
    st.divider()
    cutoffs_form(conn, scope)
with tabs[1]:
    display_form(conn, scope)
with tabs[2]:
    st.subheader(_("Database"))
    st.code(str(db_path()), language=None)  # a path reads left to right
    st.subheader(_("Months stored from more than one upload"))
    months_stored_twice(conn)
    st.subheader(_("Imports"))
    import_history(conn)
    st.subheader(_("Backup"))
    backup_download(conn, scope)
    st.subheader(_("Restore"))
    restore_upload(conn, scope)
if team_mode():
    with tabs[3]:
        access_form(conn, scope)
