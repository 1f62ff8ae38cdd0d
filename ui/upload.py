"""A file uploader whose file the page reads without a copy of its bytes."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile


def chosen_file(label: str, *, key: str, **options: Any) -> UploadedFile | None:
    """st.file_uploader's file, taken from the session state rather than from the call."""
    # The widget returns a deep copy of its value: of a 150 MB upload, a second 150 MB held
    # for the whole run, and a third while a rerun's copy is made beside the last run's. The
    # session state's value shares its bytes with the upload itself.
    if st.file_uploader(label, key=key, **options) is None:
        return None
    value = st.session_state.get(key)
    return value if isinstance(value, UploadedFile) else None
