"""Settings: download a backup of the whole database, and restore one (confirmed first)."""

from __future__ import annotations

import hashlib

import duckdb
import streamlit as st

from kam_core.services.data import (
    BACKUP_SUFFIX,
    BackupRefused,
    DatabaseError,
    backup_file_name,
    make_backup,
    restore_backup,
)


def backup_download(conn: duckdb.DuckDBPyConnection) -> None:
    """A button that makes a backup when clicked and downloads it."""
    st.download_button(
        "Download a backup of the database",
        data=lambda: make_backup(conn),  # made on click, not on every run of the page
        file_name=backup_file_name(),
        mime="application/octet-stream",
        key="backup_download",
        icon=":material/download:",
        help="A complete copy of every table: sales, imports, settings, dossiers. Keep it "
        "somewhere safe; restore it below or with `python -m kam_core restore FILE`.",
    )


def restore_upload(conn: duckdb.DuckDBPyConnection) -> None:
    """Upload a backup, check it, and replace the current data after a confirmation."""
    upload = st.file_uploader(
        "Restore from a backup file",
        type=[BACKUP_SUFFIX.lstrip(".")],
        key="restore_file",
        help="A file made by the button above or by `python -m kam_core backup FILE`.",
    )
    if upload is None:
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    st.warning(
        "Restoring replaces all the current data (sales, imports, settings, dossiers) with the "
        "backup's. Download a backup of the current data first if you may need it."
    )
    sure = st.checkbox(
        "Yes, replace all the current data with this backup", key=f"restore_sure:{digest}"
    )
    if not st.button("Restore", type="primary", disabled=not sure, key="restore_button"):
        return
    with st.spinner("Checking and restoring the backup..."):
        try:
            info = restore_backup(conn, data)
        except BackupRefused as exc:
            st.error("The backup cannot be restored; nothing was changed.")
            st.text(str(exc))
            return
        except (DatabaseError, duckdb.Error) as exc:
            st.error("The restore failed and was rolled back; nothing was changed.")
            st.text(str(exc))
            return
    st.session_state.pop("restore_file", None)
    st.session_state["flash"] = (
        f"Backup restored: {info.sales_rows:,} sales rows, "
        f"{sum(1 for n in info.tables.values() if n)} tables with data."
    )
    st.rerun()
