"""Upload: read a sales export, check the mapping and the rows, import, undo."""

import hashlib

import streamlit as st

from kam_core.importing import (
    check_duplicates,
    check_layout,
    describe_overlap,
    detect,
    parse,
    reconcile,
    store_parsed,
)
from kam_core.ingest import ImportRefused, read_file
from ui.frame import page
from ui.history import import_history
from ui.tables import downloads
from ui.text import esc
from views.upload.mapping import mapping_editor

KINDS = ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "txt", "tsv"]

conn = page("Upload sales data", needs_data=False)
st.caption(
    "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) or CSV exports, up to 200 MB. Title rows, "
    "totals and blank lines are fine: the sheet and its header row are found automatically. "
    "Rows already stored are recognised and not added twice."
)
# A new key after each import empties the uploader, so the same file is not imported twice.
uploads_done = st.session_state.setdefault("uploads_done", 0)
upload = st.file_uploader("Sales file", type=KINDS, key=f"upload_file:{uploads_done}")
result = st.session_state.pop("import_result", None)
if result:
    st.success(result)
months = st.session_state.pop("import_months", None)
if months is not None and len(months):
    st.subheader("Revenue per month: the file against what is stored now")
    st.caption(
        "A month stored from two exports shows about twice the file's revenue, and more than "
        "one upload."
    )
    st.dataframe(
        months.assign(month=months["month"].astype(str).str[:7]),
        hide_index=True,
        column_config={
            "month": "Month",
            "file_rows": st.column_config.NumberColumn("Rows in the file", format="localized"),
            "file_revenue": st.column_config.NumberColumn("Revenue in the file", format="%.2f"),
            "stored_rows": st.column_config.NumberColumn("Rows stored", format="localized"),
            "stored_revenue": st.column_config.NumberColumn("Revenue stored", format="%.2f"),
            "difference": st.column_config.NumberColumn("Stored minus file", format="%.2f"),
            "uploads": st.column_config.NumberColumn("Uploads holding it"),
        },
    )
skipped_rows = st.session_state.pop("import_rejected", None)
if skipped_rows is not None and len(skipped_rows):
    st.caption("Rows not imported (rejected, or probable duplicates), with the reason:")
    downloads(skipped_rows, "rejected-rows", key="rejected:after-import")

if upload is not None:
    data = upload.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    cache = st.session_state.setdefault("read_cache", {})
    if sha not in cache:
        cache.clear()  # keep one read file in memory per session
        with st.status(f"Reading {esc(upload.name)}...", expanded=False) as status:
            try:
                cache[sha] = read_file(data, upload.name)
            except ImportRefused as exc:
                status.update(label="The file cannot be read", state="error")
                st.error("The file cannot be imported; nothing was changed.")
                st.text(str(exc))
                st.stop()
            status.update(label=f"Read {esc(upload.name)}", state="complete")
    book = cache[sha]
    names = [g.name for g in book.sheets]
    detected = detect(conn, book, sha)
    sheet = st.selectbox(
        "Sheet",
        names,
        index=names.index(detected.layout.sheet),
        help="The sheet whose header matches the most sales fields is chosen; pick another "
        "if needed.",
        key=f"sheet:{sha}",
    )
    pre = detected if sheet == detected.layout.sheet else detect(conn, book, sha, sheet)
    st.text(f"Header found on row {pre.layout.header_row} of sheet '{pre.layout.sheet}'.")
    for note in pre.notes:
        st.caption(esc(note))

    st.subheader("Columns")
    st.caption(
        "Check which column holds each field. Needed: order date, revenue, and a client id "
        "or a client name (fields marked *)."
    )
    chosen = mapping_editor(pre.layout, key=f"map:{sha}:{sheet}")
    try:
        pre = detect(conn, book, sha, sheet, chosen)
        check_layout(pre)
    except ImportRefused as exc:
        st.warning("Some needed fields are not mapped yet.")
        st.text(str(exc))
        st.stop()

    grid = book.sheet(pre.layout.sheet)
    sample = grid.table.slice(pre.layout.header_index + 1, 8).to_pandas()
    sample.columns = pre.layout.columns[: sample.shape[1]]
    with st.expander("First rows under the header, as in the file"):
        st.dataframe(sample, hide_index=True)

    order = st.radio(
        "Dates such as 03/04/2024 are",
        ["day first (3 April)", "month first (4 March)"],
        horizontal=True,
        key=f"order:{sha}",
        help="Used only where a date column does not decide by itself (a first part above "
        "12 means day first).",
    )
    monthfirst = True if order.startswith("month") else None
    with st.spinner("Checking the rows..."):
        parsed = parse(pre, monthfirst)

    rejected = len(parsed.rejected)
    cols = st.columns(4)
    cols[0].metric("Rows read", f"{parsed.rows_read:,}")
    cols[1].metric("Valid rows", f"{len(parsed.rows):,}")
    cols[2].metric("Rejected", f"{rejected:,}")
    cols[3].metric(
        "Skipped",
        f"{parsed.rows_skipped:,}",
        help="Blank rows, totals and repeated header rows: "
        + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in parsed.skipped.items()),
    )
    if rejected:
        st.warning(
            f"{rejected:,} row{'s' if rejected != 1 else ''} cannot be read. Each has its row, "
            "column, value and reason."
        )
        st.dataframe(parsed.rejected.head(500), hide_index=True, width="stretch")
        st.caption("Download the rejected rows, fix them and upload them again:")
        downloads(parsed.rejected, "rejected-rows", key=f"rejected:{sha}")
        choice = st.radio(
            "What to import",
            [f"The {len(parsed.rows):,} valid rows", "Nothing: I will fix the file first"],
            key=f"choice:{sha}",
        )
        all_or_nothing = choice.startswith("Nothing")
    else:
        all_or_nothing = False

    overlap = check_duplicates(conn, parsed)
    duplicates = "skip"
    if overlap.count:
        st.warning(describe_overlap(overlap) + ".")
        keep = st.radio(
            "Rows that look like rows already stored",
            ["Skip them (recommended)", "Keep them: import them as well"],
            key=f"duplicates:{sha}",
            help="Two exports of the same period often differ in columns and rounding; "
            "importing both would count the period twice. Skipped rows are listed in the "
            "rejected-rows download with the upload they match.",
        )
        duplicates = "keep" if keep.startswith("Keep") else "skip"

    if st.button("Import", type="primary", disabled=all_or_nothing or parsed.rows.empty):
        with st.status("Saving the rows...", expanded=False) as status:
            try:
                counts = store_parsed(
                    conn,
                    pre,
                    parsed,
                    all_or_nothing,
                    {"monthfirst": monthfirst, "source": "upload page", "duplicates": duplicates},
                    duplicates,
                )
            except ImportRefused as exc:
                status.update(label="Nothing was imported", state="error")
                st.text(str(exc))
                st.stop()
            status.update(label="Saved", state="complete")
        st.session_state["uploads_done"] = uploads_done + 1
        st.session_state.pop("read_cache", None)
        st.session_state["import_result"] = (
            f"Import #{counts.upload_id}: {counts.rows_imported:,} new rows, "
            f"{counts.rows_duplicate:,} already stored, {counts.rows_rejected:,} rejected, "
            f"{counts.rows_skipped:,} skipped; {counts.clients:,} clients, revenue "
            f"{counts.revenue:,.2f}."
            + (
                f" {counts.rows_probable_duplicate:,} probable duplicates skipped."
                if counts.rows_probable_duplicate
                else ""
            )
        )
        st.session_state["import_months"] = reconcile(conn, parsed)
        st.session_state["import_rejected"] = parsed.rejected
        st.rerun()

st.subheader("Import history")
import_history(conn)
