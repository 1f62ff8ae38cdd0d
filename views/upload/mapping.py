"""The column-mapping editor: one select box per canonical field."""

from __future__ import annotations

import streamlit as st

from kam_core.ingest import FIELDS, Layout

NOT_MAPPED = "(not in the file)"
_HELP = {
    "order_date": "Required. The date of the order or invoice.",
    "client_id": "The client's code. With only a name, the code is derived from the name.",
    "client_name": "The client's name. A client id or a client name is required.",
    "revenue": "Required. The amount of the line (net of VAT when the file has both).",
    "due_date": "The promised delivery date, for on-time delivery.",
    "ship_date": "The actual shipping or delivery date.",
    "returned": "Marks returned lines (yes/no).",
}
REQUIRED_MARK = {"order_date", "revenue", "client_id", "client_name"}


def mapping_editor(layout: Layout, key: str) -> dict[str, str]:
    """Show the detected mapping for correction; return field -> column label (or '')."""
    options = [NOT_MAPPED, *layout.columns]
    current = layout.mapping_labels()
    chosen: dict[str, str] = {}
    cols = st.columns(3)
    for i, fld in enumerate(FIELDS):
        label = fld.replace("_", " ").capitalize() + (" *" if fld in REQUIRED_MARK else "")
        default = current.get(fld, NOT_MAPPED)
        value = cols[i % 3].selectbox(
            label,
            options,
            index=options.index(default),
            key=f"{key}:{fld}",
            help=_HELP.get(fld),
        )
        chosen[fld] = "" if value == NOT_MAPPED else value
    return chosen
