"""The import history with undo, shared by the Upload and Settings pages."""

from __future__ import annotations

import duckdb
import streamlit as st

from kam_core.i18n import NP_, _, fmt_datetime, fmt_number, isolate, ngettext, pgettext
from kam_core.services import audit
from kam_core.services.data import LIVE, UndoError, undo_import
from kam_core.services.data import import_history as imports
from kam_core.vocabulary import header
from ui.auth import session_scope
from ui.cache import note_change
from ui.rtl import rtl_column_config, rtl_columns
from ui.tables import downloads
from ui.text import esc, money

STATUSES = {"live": NP_("import status", "live"), "undone": NP_("import status", "undone")}


def _status(code: object) -> str:
    """An import's status in the current language."""
    key = str(code)
    return pgettext("import status", STATUSES[key]) if key in STATUSES else key


def import_history(conn: duckdb.DuckDBPyConnection) -> None:
    """Show every import and let the user undo a live one (asked twice)."""
    shown = imports(conn)
    if shown.empty:
        st.caption(_("No imports yet."))
        return
    number = st.column_config.NumberColumn
    text = st.column_config.TextColumn
    config = {
        "upload_id": number(_("Import"), format="%d"),
        # Whether an import still counts, next to its number: after an undo it is seen at once.
        "status": _("Status"),
        "file_name": _("File"),
        "sheet": _("Sheet"),
        "rows_read": number(_("Read"), format="localized"),
        "rows_imported": number(_("Imported"), format="localized"),
        "rows_duplicate": number(_("Already stored"), format="localized"),
        "rows_probable_duplicate": number(_("Likely duplicates"), format="localized"),
        "rows_rejected": number(_("Rejected"), format="localized"),
        "rows_skipped": number(_("Skipped"), format="localized"),
        "clients": number(_("Clients"), format="localized"),
        "revenue": text(header("revenue"), width="medium"),  # whole, with its currency
        "imported_at": _("Imported at (UTC)"),
        "undone_at": _("Undone at (UTC)"),
    }
    plain = shown[[c for c in config if c in shown.columns]].assign(
        status=shown["status"].map(_status)
    )
    # On screen, amounts and times as text: the currency, one date format, a dash for "not
    # undone"; the downloads keep the numbers and times.
    table = plain.assign(
        revenue=shown["revenue"].map(money),
        imported_at=shown["imported_at"].map(fmt_datetime),
        undone_at=shown["undone_at"].map(fmt_datetime),
    )
    st.dataframe(
        rtl_columns(table),
        hide_index=True,
        width="stretch",
        column_config=rtl_column_config(table, config),
    )
    downloads(plain, "imports", key="import_history", column_config=config)
    live = shown[shown["status"] == LIVE]
    scope = session_scope()
    if live.empty or not scope.can_undo():
        return
    labels = {
        int(r.upload_id): ngettext(
            "#{id} {file} ({rows} row)", "#{id} {file} ({rows} rows)", r.rows_imported
        ).format(id=r.upload_id, file=isolate(r.file_name), rows=fmt_number(r.rows_imported))
        for r in live.itertuples(index=False)
    }
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        _("Undo an import"),
        list(labels),
        format_func=labels.get,
        index=None,
        placeholder=_("Choose an import to remove its rows"),
    )
    sure = right.checkbox(_("Yes, remove its rows"), key="undo_confirm", disabled=chosen is None)
    if st.button(_("Undo import"), disabled=not (chosen and sure)):
        try:
            removed = undo_import(conn, int(chosen))
        except UndoError as exc:
            st.error(esc(str(exc)))
            return
        note_change()  # this session's pages show the figures without the import at once
        audit.record(conn, scope, "undo", str(chosen), {"rows": removed})
        st.session_state["flash"] = ngettext(
            "Import #{id} undone: {rows} row removed.",
            "Import #{id} undone: {rows} rows removed.",
            removed,
        ).format(id=chosen, rows=fmt_number(removed))
        st.session_state.pop("undo_confirm", None)
        st.rerun()
