"""Running the app under Streamlit's AppTest against a fresh database."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def app_at(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """Return an AppTest of app.py (switched to a page under views/), run once."""
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(f"views/{page}")
    return at.run()


def texts(at: AppTest) -> str:
    """Return every piece of text the run showed, joined, for 'is it on the page' checks."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "success",
        "warning",
        "error",
    ):
        parts += [str(el.value) for el in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)
