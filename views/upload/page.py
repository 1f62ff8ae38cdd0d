"""Upload: read a sales export, check the mapping and the rows, import, undo."""

import hashlib

import streamlit as st

from kam_core.i18n import N_, _, fmt_month, fmt_number, get_language, ngettext
from kam_core.import_report import result_text
from kam_core.importing import (
    check_duplicates,
    check_layout,
    describe_amended,
    describe_overlap,
    detect,
    import_other_sheets,
    nothing_to_import,
    other_sheets_note,
    parse,
    read_upload,
    reconcile,
    rejected_of,
    store_parsed,
)
from kam_core.ingest import ImportRefused
from kam_core.ingest.guard import SALES_SUFFIXES
from kam_core.services.data import data_version
from ui.cache import note_change
from ui.frame import page
from ui.history import import_history
from ui.rtl import rtl_column_config, rtl_columns
from ui.session import forget, session_memo
from ui.tables import downloads
from ui.text import esc, money
from ui.upload import chosen_file, let_go, order_open
from views.upload.mapping import mapping_editor

SKIPPED = {
    "blank": N_("blank rows"),
    "repeated_header": N_("repeated header rows"),
    "total": N_("totals"),
    "page_line": N_("page numbers, print dates and titles of a printed report"),
    "group": N_("group rows naming the client of the lines below"),
    "order_line": N_("further line items of an order counted on its first row"),
}
# What the page keeps of the file in progress between reruns (ui.session.session_memo).
UPLOAD_STATE = (
    "upload_sha",
    "read_cache",
    "parse_cache",
    "overlap_cache",
    "read_refused",
    "let_go",
)
DATE_ORDERS = {"day": N_("day first (3 April)"), "month": N_("month first (4 March)")}
DUPLICATE_CHOICES = {
    "skip": N_("Skip them (recommended)"),
    "keep": N_("Keep them: import them as well"),
}


def _rejected_config() -> dict[str, object]:
    """Headers of the rejected-rows table (the page and its downloads)."""
    return {
        "sheet": _("Sheet"),
        "row": st.column_config.NumberColumn(_("Row"), format="%d"),
        "column": _("Column"),
        "value": _("Value"),
        "reason": _("Reason"),
    }


def _refused(headline: str, exc: ImportRefused) -> None:
    """A refusal in full, at once: what happened and why (never folded away)."""
    st.error(f"{headline}\n\n{esc(str(exc))}")


def _show_last_import() -> None:
    """What the last import did: its counts, the months it touched and the rows left out."""
    result = st.session_state.pop("import_result", None)
    if result:  # a line a sheet; names and codes from the file shown as typed
        st.success("\n\n".join(esc(line) for line in result))
        st.caption(
            _(
                "Your pages show the new figures: each page's first view computes them, which "
                "takes a while on a large database (up to a minute at 100,000 clients). "
                "Others see the previous figures, with a notice, until they are ready."
            )
        )
    months = st.session_state.pop("import_months", None)
    if months is not None and len(months):
        st.subheader(_("Revenue per month: the file against what is stored now"))
        st.caption(
            _(
                "A month stored from two exports shows about twice the file's revenue, and more "
                "than one upload."
            )
        )
        number = st.column_config.NumberColumn
        config = {
            "month": _("Month"),
            "file_rows": number(_("Rows in the file"), format="localized"),
            "file_revenue": number(_("Revenue in the file"), format="localized"),
            "stored_rows": number(_("Rows stored"), format="localized"),
            "stored_revenue": number(_("Revenue stored"), format="localized"),
            "difference": number(_("Stored minus file"), format="localized"),
            "uploads": number(_("Uploads holding it"), format="localized"),
        }
        table = months.assign(month=months["month"].map(fmt_month))
        st.dataframe(
            rtl_columns(table),
            hide_index=True,
            column_config=rtl_column_config(table, config),
        )
    skipped_rows = st.session_state.pop("import_rejected", None)
    if skipped_rows is not None and len(skipped_rows):
        st.caption(_("Rows not imported (rejected, or probable duplicates), with the reason:"))
        downloads(
            skipped_rows,
            "rejected-rows",
            key="rejected:after-import",
            column_config=_rejected_config(),
        )


def _result_text(counts) -> str:
    """The one-line result of an import."""
    return result_text(counts, money(counts.revenue))


def _order_choice(order_key: str, picked_key: str) -> None:
    """The order of day and month the dates were read in, for the user to change."""
    st.radio(
        _("Dates such as 03/04/2024 are"),
        list(DATE_ORDERS),
        format_func=lambda code: _(DATE_ORDERS[code]),
        horizontal=True,
        key=order_key,
        on_change=_order_picked,
        args=(picked_key,),
        help=_(
            "The order the dates were read in: a first part above 12 decides (day first), "
            "else the rows already stored where most of the file's rows are stored rows read "
            "one way, else day first. Choose the other to read every date so."
        ),
    )


def _order_picked(picked_key: str) -> None:
    """The user chose the order of day and month: it wins over what the parse decided."""
    st.session_state[picked_key] = True


def _import_other_sheets(
    conn, pre, monthfirst: bool | None, duplicates: str
) -> tuple[list[str], list]:
    """Import the workbook's other sheets with sales columns, with progress: a line each, and
    the sheets parsed."""
    bar = st.progress(0.0)
    total = len(pre.layout.others)

    def step(number: int, sheet: str) -> None:
        bar.progress(
            number / total,
            text=_("Importing sheet '{sheet}' ({number} of {count})...").format(
                sheet=sheet, number=fmt_number(number + 1), count=fmt_number(total)
            ),
        )

    options = {"monthfirst": monthfirst, "source": "upload page", "duplicates": duplicates}
    done = import_other_sheets(conn, pre, monthfirst, options, duplicates, step, _waiting)
    bar.empty()
    lines = []
    parsed = [other.parsed for other in done if other.parsed is not None]
    for other in done:
        if other.refused is not None:
            lines.append(
                _("Sheet '{sheet}' was not imported: {reason}").format(
                    sheet=other.sheet, reason=other.refused
                )
            )
        else:
            lines.append(
                _("Sheet '{sheet}':").format(sheet=other.sheet) + " " + _result_text(other.counts)
            )
    return lines, parsed


def _stored_version(conn) -> tuple:
    """What is stored, as a key: it changes with every import, undo and restore."""
    cur = conn.cursor()
    try:
        return data_version(cur)
    finally:
        cur.close()


def _waiting():
    """Say why a step has not started (importing.large_work, the reading slots of
    worker.read_file); return what takes the message back."""
    box = st.empty()
    box.info(
        _(
            "Other files are being read or imported (another user's, or an earlier step of "
            "yours); this step starts when its turn comes."
        )
    )
    return box.empty


def _upload_flow(conn, upload, uploads_done: int) -> None:
    """Read, map, check and import one uploaded file; a refusal ends it with its reason."""
    refused = st.session_state.get("read_refused")
    if refused is not None and refused[0] == upload.file_id:
        _refused(_("The file cannot be imported; nothing was changed."), refused[1])
        return
    data = upload.getvalue()
    sha = session_memo("upload_sha", (upload.file_id,), lambda: hashlib.sha256(data).hexdigest())
    with st.spinner(_("Reading {file}...").format(file=upload.name)):
        try:  # one read file kept per session
            book = session_memo(
                "read_cache", (sha,), lambda: read_upload(data, upload.name, _waiting)
            )
        except ImportRefused as exc:
            # Kept as text (a traceback would hold the bytes): the file is not read again.
            if let_go(upload):
                st.session_state["read_refused"] = (upload.file_id, ImportRefused(str(exc)))
            _refused(_("The file cannot be imported; nothing was changed."), exc)
            return
    if upload.size and st.session_state.get("let_go") != upload.file_id and let_go(upload):
        # The file is read: its bytes (as large as the file) are not needed again, as the
        # read is kept under its digest. A new run works without them (once per file).
        st.session_state["let_go"] = upload.file_id
        del data
        st.rerun()
    names = [g.name for g in book.sheets]
    try:  # a workbook whose every sheet is empty is refused here, once read
        detected = detect(conn, book, sha)
    except ImportRefused as exc:
        _refused(_("The file cannot be imported; nothing was changed."), exc)
        return
    sheet = st.selectbox(
        _("Sheet"),
        names,
        index=names.index(detected.layout.sheet),
        help=_(
            "The sheet whose header matches the most sales fields is chosen; pick another "
            "if needed."
        ),
        key=f"sheet:{sha}",
    )
    try:
        pre = detected if sheet == detected.layout.sheet else detect(conn, book, sha, sheet)
    except ImportRefused as exc:
        _refused(_("This sheet cannot be imported; nothing was changed."), exc)
        return
    if book.kind == "csv":  # a text file has no sheets: its one table is named after it
        found = _("Header found on row {row}.").format(row=pre.layout.header_row)
    else:
        found = _("Header found on row {row} of sheet '{sheet}'.").format(
            row=pre.layout.header_row, sheet=pre.layout.sheet
        )
    st.text(found)
    others = other_sheets_note(pre.layout) if pre.layout.others else None
    if others:  # rows left in the file unless imported one by one: not a small print
        st.warning(esc(others))
    for note in pre.notes:
        if note != others:
            st.caption(esc(note))

    st.subheader(_("Columns"))
    st.caption(
        _(
            "Check which column holds each field. Needed: order date, revenue, and a client id "
            "or a client name (fields marked *)."
        )
    )
    chosen = mapping_editor(pre.layout, key=f"map:{sha}:{sheet}")
    # A field counts as chosen by hand once its column differs from the one found, or once
    # the user says the columns shown are right (two columns could each be the revenue).
    found_labels = pre.layout.mapping_labels()
    by_hand = {f for f, label in chosen.items() if label != found_labels.get(f, "")}
    try:
        pre = detect(conn, book, sha, sheet, chosen, by_hand=by_hand)
        if pre.ambiguous and not pre.layout.missing_required():
            st.warning(esc(" ".join(pre.ambiguous)))
            if not st.checkbox(
                _("The columns chosen above are right: read them"), key=f"as_mapped:{sha}:{sheet}"
            ):
                return
            pre = detect(conn, book, sha, sheet, chosen, by_hand=set(chosen))
        check_layout(pre, notes=False)  # the reader's notes are shown above
    except ImportRefused as exc:
        st.warning(_("Some needed fields are not mapped yet.") + "\n\n" + esc(str(exc)))
        return

    grid = book.sheet(pre.layout.sheet)
    sample = grid.table.slice(pre.layout.header_index + 1, 8).to_pandas()
    sample.columns = pre.layout.columns[: sample.shape[1]]
    # A workbook's date cell reads '2026-08-11 00:00:00': shown as the day it is.
    sample = sample.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1", regex=True)
    with st.expander(_("First rows under the header, as in the file")):
        st.dataframe(rtl_columns(sample), hide_index=True)

    # Until the user picks an order, the parse decides it (the rows already stored may read
    # the file month first) and the choice shows the order used; a pick then wins.
    order_key, picked_key = f"order:{sha}", f"order_picked:{sha}"
    picked = st.session_state.get(picked_key, False) and order_key in st.session_state
    monthfirst = (st.session_state[order_key] == "month") if picked else None
    layout = pre.layout
    parse_key = (
        sha,
        layout.sheet,
        layout.header_index,
        tuple(sorted(layout.mapping.items())),
        monthfirst,
        get_language(),  # the reasons are worded in the reader's language
    )
    try:
        with st.spinner(_("Checking the rows...")):
            parsed = session_memo(
                "parse_cache", parse_key, lambda: parse(pre, monthfirst, _waiting, conn)
            )
    except ImportRefused as exc:
        if picked:
            # Month first picked for dates that say the day comes first (on another sheet or
            # column of the file, or a second date column): the choice stays to pick again.
            _order_choice(order_key, picked_key)
        _refused(_("These rows cannot be read so."), exc)
        return
    if not picked:
        used = parsed.date_orders.get("order_date")
        st.session_state[order_key] = "month" if used == "mdy" else "day"
    # Only where the dates leave the order open: of ISO dates, or dates of which one decides
    # (25/03/2024), the other order changes nothing or is refused. A pick keeps it shown.
    if picked or order_open(pre, parsed):
        _order_choice(order_key, picked_key)
    for note in parsed.notes:
        st.info(esc(note))

    rejected = len(parsed.rejected)
    cols = st.columns(4)
    cols[0].metric(_("Rows read"), fmt_number(parsed.rows_read))
    cols[1].metric(_("Valid rows"), fmt_number(len(parsed.rows)))
    cols[2].metric(_("Rejected"), fmt_number(rejected))
    skipped = ", ".join(
        f"{_(SKIPPED[k]) if k in SKIPPED else k} {fmt_number(v)}" for k, v in parsed.skipped.items()
    )
    cols[3].metric(
        _("Skipped"),
        fmt_number(parsed.rows_skipped),
        help=_("Blank rows, totals and repeated header rows: {counts}").format(counts=skipped),
    )
    why = nothing_to_import(pre, parsed)
    if why:  # say why Import stays greyed out
        st.error(esc(why))
    all_or_nothing = False
    if rejected:
        st.warning(
            ngettext(
                "{count} row cannot be read. It has its row, column, value and reason.",
                "{count} rows cannot be read. Each has its row, column, value and reason.",
                rejected,
            ).format(count=fmt_number(rejected))
        )
        shown = parsed.rejected.head(500)
        config = _rejected_config()
        st.dataframe(
            rtl_columns(shown),
            hide_index=True,
            width="stretch",
            column_config=rtl_column_config(shown, config),
        )
        st.caption(_("Download the rejected rows, fix them and upload them again:"))
        downloads(parsed.rejected, "rejected-rows", key=f"rejected:{sha}", column_config=config)
        valid = _("The {count} valid rows").format(count=fmt_number(len(parsed.rows)))
        choice = st.radio(
            _("What to import"),
            ["valid", "nothing"],
            format_func=lambda c: (
                valid if c == "valid" else _("Nothing: I will fix the file first")
            ),
            key=f"choice:{sha}",
        )
        all_or_nothing = choice == "nothing"

    with st.spinner(_("Looking for rows already stored...")):
        overlap = session_memo(
            "overlap_cache",
            (*parse_key, _stored_version(conn)),  # what is stored decides what looks stored
            lambda: check_duplicates(conn, parsed, _waiting),
        )
    duplicates = "skip"
    if overlap.count:
        st.warning(esc(describe_overlap(overlap) + "."))
        for note in overlap.notes:  # new clients taken as stored ones: before the choice
            st.warning(esc(note))
        amended = describe_amended(overlap)
        if amended:  # corrected lines, with or without an order number
            st.warning(esc(amended))
        duplicates = st.radio(
            _("Rows that look like rows already stored"),
            list(DUPLICATE_CHOICES),
            format_func=lambda code: _(DUPLICATE_CHOICES[code]),
            key=f"duplicates:{sha}",
            help=_(
                "Two exports of the same period often differ in columns and rounding; "
                "importing both would count the period twice. Skipped rows are listed in the "
                "rejected-rows download with the upload they match."
            ),
        )

    every_sheet = False
    if pre.layout.others:
        every_sheet = st.checkbox(
            ngettext(
                "Import {count} other sheet with sales columns too ({sheets})",
                "Import the {count} other sheets with sales columns too, each as an import of "
                "its own ({sheets})",
                len(pre.layout.others),
            ).format(
                count=fmt_number(len(pre.layout.others)),
                sheets=", ".join(pre.layout.others[:5])
                + ("…" if len(pre.layout.others) > 5 else ""),
            ),
            key=f"every_sheet:{sha}",
            help=_(
                "Each sheet's header and columns are found as for this one (the columns chosen "
                "here are remembered for sheets with the same header); a sheet that cannot be "
                "imported is named, and the others go on."
            ),
        )
    if st.button(_("Import"), type="primary", disabled=all_or_nothing or parsed.rows.empty):
        with st.spinner(_("Saving the rows...")):
            try:
                counts = store_parsed(
                    conn,
                    pre,
                    parsed,
                    all_or_nothing,
                    {"monthfirst": monthfirst, "source": "upload page", "duplicates": duplicates},
                    duplicates,
                    on_wait=_waiting,
                )
            except ImportRefused as exc:
                _refused(_("Nothing was imported."), exc)
                return
        note_change()  # this session's pages show the new figures, the others' the previous
        results, sheets = [_result_text(counts)], [parsed]
        if every_sheet:
            results[0] = _("Sheet '{sheet}':").format(sheet=pre.layout.sheet) + " " + results[0]
            lines, more = _import_other_sheets(conn, pre, monthfirst, duplicates)
            results += lines
            sheets += more
        st.session_state["uploads_done"] = uploads_done + 1
        let_go(upload, keep_chosen=False)
        forget(*UPLOAD_STATE)
        st.session_state["import_result"] = results
        st.session_state["import_months"] = reconcile(conn, *sheets)
        st.session_state["import_rejected"] = rejected_of(*sheets)
        st.rerun()


conn = page(_("Upload sales data"), needs_data=False)
st.caption(
    _(
        "Excel (.xlsx, .xlsm, .xlsb, .xls, XML Spreadsheet .xml), OpenDocument (.ods), text "
        "(.csv, .tsv, .txt), JSON records (.json, .jsonl, .ndjson) or web-page (.htm, .html, "
        ".mht) exports, up to 200 MB. Title "
        "rows, totals and blank lines are fine: the sheet and its header row are found "
        "automatically. Rows already stored are recognised and not added twice."
    )
)
# A new key after each import empties the uploader, so the same file is not imported twice.
uploads_done = st.session_state.setdefault("uploads_done", 0)
upload = chosen_file(_("Sales file"), type=list(SALES_SUFFIXES), key=f"upload_file:{uploads_done}")
_show_last_import()
if upload is not None:
    _upload_flow(conn, upload, uploads_done)
else:  # the file taken off the uploader: its grid and rows go with it
    forget(*UPLOAD_STATE)

# Always on the page, after an import or a refusal alike.
st.subheader(_("Import history"))
import_history(conn)
