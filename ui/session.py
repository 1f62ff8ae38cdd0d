"""Values kept in a user's session between the reruns of a page."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")


def session_memo(name: str, key: Hashable, make: Callable[[], T]) -> T:
    """make()'s value for key, kept in the session until another key replaces it under name."""
    # Every widget reruns its page: work on an upload (a 1M-row file parsed and checked for
    # duplicates, 2 s) would be done again at each click, the Import button's included.
    memo = st.session_state.setdefault(name, {})
    if key not in memo:
        memo.clear()  # one value per name: the latest file's, not every file's
        memo[key] = make()
    return memo[key]


def forget(*names: str) -> None:
    """Drop what session_memo kept under these names."""
    for name in names:
        st.session_state.pop(name, None)
