"""Settings: download a backup of the whole database, and restore one (confirmed first)."""

from __future__ import annotations

import hashlib

import duckdb
import streamlit as st

from kam_core.i18n import _, fmt_number
from kam_core.services import audit
from kam_core.services.data import (
    BACKUP_SUFFIX,
    BackupRefused,
    DatabaseError,
    backup_file_name,
    make_backup,
    restore_backup,
)
from kam_core.services.scope import Scope
from ui.upload import chosen_file


def backup_download(conn: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> None:
    """A button that makes a backup when clicked and downloads it (recorded in the audit log)."""

    def made() -> bytes:
        # Called from Streamlit's own thread, maybe while the run that drew the button still
        # uses conn: a cursor of its own.
        cur = conn.cursor()
        try:
            data = make_backup(cur)
            if scope is not None:
                audit.record(cur, scope, "backup", None, {"bytes": len(data)})
            return data
        finally:
            cur.close()

    st.download_button(
        _("Download a backup of the database"),
        data=made,  # made on click, not on every run of the page
        file_name=backup_file_name(),
        mime="application/octet-stream",
        key="backup_download",
        icon=":material/download:",
        # A click that reran the page gave the button a new callable and dropped this one when
        # that run ended: looked up later than that (a busy server), it was gone, no download.
        on_click="ignore",
        help=_(
            "A complete copy of every table: sales, imports, settings, dossiers. Keep it "
            "somewhere safe; restore it below or with `python -m kam_core restore FILE`."
        ),
    )


def restore_upload(conn: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> None:
    """Upload a backup, check it, and replace the current data after a confirmation."""
    upload = chosen_file(
        _("Restore from a backup file"),
        type=[BACKUP_SUFFIX.lstrip(".")],
        key="restore_file",
        help=_("A file made by the button above or by `python -m kam_core backup FILE`."),
    )
    if upload is None:
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    st.warning(
        _(
            "Restoring replaces all the current data (sales, imports, settings, dossiers) with "
            "the backup's. Download a backup of the current data first if you may need it."
        )
    )
    sure = st.checkbox(
        _("Yes, replace all the current data with this backup"), key=f"restore_sure:{digest}"
    )
    if not st.button(_("Restore"), type="primary", disabled=not sure, key="restore_button"):
        return
    with st.spinner(_("Checking and restoring the backup...")):
        try:
            info = restore_backup(conn, data)
        except BackupRefused as exc:
            st.error(_("The backup cannot be restored; nothing was changed."))
            st.text(str(exc))
            return
        except (DatabaseError, duckdb.Error) as exc:
            st.error(_("The restore failed and was rolled back; nothing was changed."))
            st.text(str(exc))
            return
    st.session_state.pop("restore_file", None)
    tables = sum(1 for n in info.tables.values() if n)
    if scope is not None:
        # After the restore: the audit log is kept across it, so the entry stays.
        audit.record(conn, scope, "restore", upload.name, {"sales_rows": info.sales_rows})
    st.session_state["flash"] = _(
        "Backup restored: {rows} sales rows, {tables} tables with data."
    ).format(rows=fmt_number(info.sales_rows), tables=tables)
    st.rerun()
