"""The import history with undo, shared by the Upload and Settings pages."""

from __future__ import annotations

import duckdb
import streamlit as st

from kam_core.services.data import LIVE, UndoError, undo_import
from kam_core.services.data import import_history as imports
from ui.tables import downloads
from ui.text import esc


def import_history(conn: duckdb.DuckDBPyConnection) -> None:
    """Show every import and let the user undo a live one (asked twice)."""
    shown = imports(conn)
    if shown.empty:
        st.caption("No imports yet.")
        return
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "upload_id": st.column_config.NumberColumn("Import", format="%d"),
            "file_name": "File",
            "sheet": "Sheet",
            "rows_read": st.column_config.NumberColumn("Read", format="localized"),
            "rows_imported": st.column_config.NumberColumn("Imported", format="localized"),
            "rows_duplicate": st.column_config.NumberColumn("Already stored", format="localized"),
            "rows_rejected": st.column_config.NumberColumn("Rejected", format="localized"),
            "rows_skipped": st.column_config.NumberColumn("Skipped", format="localized"),
            "clients": st.column_config.NumberColumn("Clients", format="localized"),
            "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
            "imported_at": st.column_config.DatetimeColumn("Imported at (UTC)"),
            "undone_at": st.column_config.DatetimeColumn("Undone at (UTC)"),
            "status": "Status",
        },
    )
    downloads(shown, "imports", key="import_history")
    live = shown[shown["status"] == LIVE]
    if live.empty:
        return
    labels = {
        int(r.upload_id): f"#{r.upload_id} {r.file_name} ({r.rows_imported:,} rows)"
        for r in live.itertuples(index=False)
    }
    left, right = st.columns([3, 1])
    chosen = left.selectbox(
        "Undo an import",
        list(labels),
        format_func=labels.get,
        index=None,
        placeholder="Choose an import to remove its rows",
    )
    sure = right.checkbox("Yes, remove its rows", key="undo_confirm", disabled=chosen is None)
    if st.button("Undo import", disabled=not (chosen and sure)):
        try:
            removed = undo_import(conn, int(chosen))
        except UndoError as exc:
            st.error(esc(str(exc)))
            return
        st.session_state["flash"] = f"Import #{chosen} undone: {removed:,} rows removed."
        st.session_state.pop("undo_confirm", None)
        st.rerun()
