"""Master data in and out: the template, importing a workbook, exporting dossiers."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from kam_core import dossier
from kam_core.i18n import _
from kam_core.ingest import ImportRefused
from kam_core.ingest.master_fields import SHEET_KINDS
from kam_core.services.scope import Scope
from ui.tables import downloads
from ui.text import esc
from ui.upload import chosen_file
from views.dossier.deferred import in_run_language

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_MAPPED = ""  # the first option: the field is not in the sheet
SKIP = "skip"


def _mapping_editor(pre: dossier.importer.MasterPreview, key: str) -> dict[str, dict[str, str]]:
    """Per sheet: one select box per field, starting from the detected mapping."""
    overrides: dict[str, dict[str, str]] = {}
    for lay in pre.layouts:
        spec = SHEET_KINDS[lay.kind]
        current = lay.mapping_labels()
        options = [NOT_MAPPED, *lay.columns]
        chosen = {}
        cols = st.columns(4)
        st.caption(esc(_("Sheet '{sheet}' as {kind}:").format(sheet=lay.sheet, kind=_(spec.label))))
        for i, fld in enumerate(spec.fields):
            value = cols[i % 4].selectbox(
                _(fld.replace("_", " ").capitalize()),
                options,
                index=options.index(current.get(fld, NOT_MAPPED)),
                format_func=lambda c: c or _("(not in the sheet)"),
                key=f"{key}:{lay.sheet}:{fld}",
            )
            chosen[fld] = "" if value == NOT_MAPPED else value
        overrides[lay.sheet] = chosen
    return overrides


def _summary(pre: dossier.importer.MasterPreview) -> pd.DataFrame:
    rows = []
    for lay in pre.layouts:
        rows.append(
            {
                _("Sheet"): lay.sheet,
                _("Kind"): _(SHEET_KINDS[lay.kind].label),
                _("Header row"): lay.header_row,
                _("Columns used"): ", ".join(f"{c} → {f}" for f, c in lay.mapping_labels().items()),
                _("Missing"): ", ".join(lay.missing()),
            }
        )
    return pd.DataFrame(rows)


def master_data(conn: duckdb.DuckDBPyConnection, user: str, scope: Scope) -> None:
    """Download the template or the dossiers in scope; import a master-data workbook when the
    scope may import."""
    left, right, _rest = st.columns([1, 1, 2])
    left.download_button(
        _("Master-data template"),
        in_run_language(dossier.template_workbook),
        file_name="kam-master-data-template.xlsx",
        mime=XLSX,
        icon=":material/download:",
        on_click="ignore",
        help=_("Sheets Clients, Contacts, Tenders, Competitors, Activities and People."),
    )
    right.download_button(
        _("All dossiers (Excel)") if scope.sees_everything else _("My dossiers (Excel)"),
        in_run_language(lambda: dossier.all_dossiers_workbook(conn, scope)),
        file_name="kam-dossiers.xlsx",
        mime=XLSX,
        icon=":material/download:",
        on_click="ignore",
        help=_("Every dossier in the template's layout: edit it and import it back."),
    )
    if not scope.can_import(conn):
        st.caption(_("Importing master data is for those an admin allowed to import."))
        return
    upload = chosen_file(
        _("Master-data workbook"),
        type=["xlsx", "xlsm", "xls", "ods", "csv"],
        key="master_file",
        help=_("Sheets are recognised by name (Clients, Contacts, ...) or by their headers."),
    )
    result = st.session_state.pop("master_result", None)
    if result is not None and not result.counts and not len(result.rejected):
        st.info(_("The sheets have no rows: nothing was imported."))
    elif result is not None:
        st.success(_("Master data imported."))
        st.text(result.summary())
        if len(result.rejected):
            st.warning(_("Some rows were not imported:"))
            st.dataframe(result.rejected, hide_index=True, width="stretch")
            downloads(result.rejected, "master-data-rejected", "dl:master-rejected")
    if upload is None:
        return
    key = f"master:{upload.file_id}"
    try:
        pre = dossier.preview_master(upload.getvalue(), upload.name)
    except ImportRefused as exc:
        st.error(_("The file cannot be imported; nothing was changed."))
        st.text(str(exc))
        return
    st.dataframe(_summary(pre), hide_index=True, width="stretch")
    if st.toggle(_("Correct the column mapping"), key=f"{key}:edit"):
        overrides = _mapping_editor(pre, key)
        try:
            pre = dossier.preview_master(upload.getvalue(), upload.name, overrides=overrides)
        except ImportRefused as exc:
            st.error(esc(str(exc)))
            return
    if st.button(_("Import master data"), type="primary", key=f"{key}:go"):
        who = user if scope.is_local else scope.email
        try:
            st.session_state["master_result"] = dossier.store_master(conn, pre, who)
        except ImportRefused as exc:
            st.error(_("Nothing was imported."))
            st.text(str(exc))
            return
        st.rerun()
