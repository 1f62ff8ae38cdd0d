"""Values kept in a user's session between the reruns of a page."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import TypeVar

import streamlit as st

T = TypeVar("T")
_AGAIN = object()  # the run making a value was stopped before it had it


def session_memo(name: str, key: Hashable, make: Callable[[], T]) -> T:
    """make()'s value for key, kept in the session until another key replaces it under name."""
    # Every widget reruns its page: work on an upload (a 1M-row file parsed and checked for
    # duplicates, 2 s) would be done again at each click, the Import button's included. A
    # click while the work runs starts a new run beside it (Streamlit's fast reruns): that run
    # waits for the value being made instead of making it a second time.
    memo = st.session_state.setdefault(name, {})
    while True:
        entry = memo.get(key)
        if entry is None:
            break
        value = entry.result()
        if value is not _AGAIN:
            return value
        if memo.get(key) is entry:  # the run making it was stopped: make it here
            del memo[key]
    memo.clear()  # one value per name: the latest file's, not every file's
    pending: Future = Future()
    memo[key] = pending
    try:
        value = make()
    except Exception as exc:  # a refusal: every run waiting for it shows it too
        memo.pop(key, None)
        pending.set_exception(exc)
        raise
    except BaseException:  # the run was stopped or rerun: a waiting run makes the value
        pending.set_result(_AGAIN)
        raise
    pending.set_result(value)
    return value


def forget(*names: str) -> None:
    """Drop what session_memo kept under these names."""
    for name in names:
        st.session_state.pop(name, None)
