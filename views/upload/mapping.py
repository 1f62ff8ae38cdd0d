"""The column-mapping editor: one select box per canonical field."""

from __future__ import annotations

import streamlit as st

from kam_core.i18n import N_, _
from kam_core.ingest import FIELDS, Layout
from kam_core.ingest.fields import field_help, field_label

NOT_MAPPED = N_("(not in the file)")
REQUIRED_MARK = {"order_date", "revenue", "client_id", "client_name"}


def mapping_editor(layout: Layout, key: str) -> dict[str, str]:
    """Show the detected mapping for correction; return field -> column label (or '')."""
    # The first option stands for "no column"; its label is translated, the choice is not.
    options = [NOT_MAPPED, *layout.columns]
    current = layout.mapping_labels()
    chosen: dict[str, str] = {}
    cols = st.columns(3)
    for i, fld in enumerate(FIELDS):
        label = field_label(fld) + (" *" if fld in REQUIRED_MARK else "")
        default = current.get(fld, NOT_MAPPED)
        value = cols[i % 3].selectbox(
            label,
            options,
            index=options.index(default),
            key=f"{key}:{fld}",
            help=field_help(fld),
            format_func=lambda option: _(NOT_MAPPED) if option == NOT_MAPPED else option,
        )
        chosen[fld] = "" if value == NOT_MAPPED else value
    return chosen
