"""A file uploader whose file the page reads without keeping copies of its bytes, and what the
page asks of the file once read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

from kam_core.ingest.text import as_series, clean_arrow
from kam_core.ingest.written import order_witness

if TYPE_CHECKING:
    from kam_core.importing import Preview
    from kam_core.ingest.validate import ParsedSheet


def chosen_file(label: str, *, key: str, **options: Any) -> UploadedFile | None:
    """st.file_uploader's file, taken from the session state rather than from the call."""
    # The widget returns a deep copy of its value: of a 150 MB upload, a second 150 MB held
    # for the whole run, and a third while a rerun's copy is made beside the last run's. The
    # session state's value shares its bytes with the upload itself.
    if st.file_uploader(label, key=key, **options) is None:
        return None
    value = st.session_state.get(key)
    return value if isinstance(value, UploadedFile) else None


def let_go(upload: UploadedFile, keep_chosen: bool = True) -> bool:
    """Drop the server's copy of an upload's bytes once the page has what it needs of them.

    keep_chosen: the uploader keeps showing the file (its name, no bytes); else it is gone.
    True when the copy was dropped.
    """
    # Streamlit keeps every uploaded file in memory until the session ends, the files of an
    # uploader whose key changed included: each import of a 150 MB file would hold 150 MB
    # more for as long as the user's tab stays open. Its chat input lets go of files so.
    ctx = get_script_run_ctx()
    if ctx is None or not isinstance(ctx.uploaded_file_mgr, MemoryUploadedFileManager):
        return False
    ctx.uploaded_file_mgr.remove_file(session_id=ctx.session_id, file_id=upload.file_id)
    if keep_chosen:
        empty = UploadedFileRec(upload.file_id, upload.name, upload.type, b"")
        ctx.uploaded_file_mgr.add_file(session_id=ctx.session_id, file=empty)
    # The session state keeps this very object as the uploader's value until the browser
    # sends its widgets again: emptied, it no longer holds the bytes either.
    upload.seek(0)
    upload.truncate(0)
    return True


def order_open(pre: Preview, parsed: ParsedSheet) -> bool:
    """True when the file's dates leave the order of day and month open: some read either way
    and none decides it (read without a pick)."""
    if parsed.guessed:  # read day first for want of a date that decides
        return True
    if parsed.date_orders.get("order_date") != "mdy":
        # ISO dates, serials, month names, or a part above 12 that decided day first: the other
        # order would change nothing, or be refused.
        return False
    # Read month first with no pick: a part above 12 decided, or the rows already stored did
    # for a column that leaves it open (the parse keeps no example then).
    layout = pre.layout
    cells = pre.book.sheet(layout.sheet).table.column(layout.mapping["order_date"])
    cells = clean_arrow(cells.slice(layout.header_index + 1))
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    return order_witness(as_series(pc.unique(cells).drop_null())) is None
