"""Settings, data check: months whose sales come from more than one live upload (the sign of a
period stored from two exports)."""

from __future__ import annotations

import duckdb
import streamlit as st

from kam_core.i18n import _, fmt_datetime, fmt_month, fmt_number, ngettext
from kam_core.services.data import months_held_by_several_uploads
from ui.rtl import rtl_column_config, rtl_columns
from ui.text import money


def months_stored_twice(conn: duckdb.DuckDBPyConnection) -> None:
    """List the months held by more than one live upload, each upload's rows and revenue."""
    frame = months_held_by_several_uploads(conn)
    if frame.empty:
        st.caption(_("No client's sales of a month come from more than one upload."))
        return
    months = frame["month"].nunique()
    st.warning(
        ngettext(
            "{n} month holds sales of the same clients from more than one upload. If two "
            "files are exports of the same period, undo one of them below.",
            "{n} months hold sales of the same clients from more than one upload. If two "
            "files are exports of the same period, undo one of them below.",
            months,
        ).format(n=fmt_number(months))
    )
    shown = frame.assign(
        month=frame["month"].map(fmt_month),
        imported_at=frame["imported_at"].map(fmt_datetime),
        revenue=frame["revenue"].map(money),
    )[["month", "upload_id", "file_name", "imported_at", "rows", "shared_rows", "revenue"]]
    config = {
        "month": _("Month"),
        "upload_id": st.column_config.NumberColumn(_("Import"), format="%d"),
        "file_name": _("File"),
        "imported_at": _("Imported at (UTC)"),
        "rows": st.column_config.NumberColumn(_("Rows"), format="localized"),
        "shared_rows": st.column_config.NumberColumn(
            _("Rows also in another upload"),
            format="localized",
            help=_("Same client, day and amount to the cent in another upload of the month."),
        ),
        "revenue": _("Revenue"),
    }
    st.dataframe(
        rtl_columns(shown),
        hide_index=True,
        width="stretch",
        column_config=rtl_column_config(shown, config),
    )
