"""A value made for the session once: a rerun started while it is made waits for it."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

import ui.session


class Stopped(BaseException):
    """Stands for Streamlit stopping a run (its exceptions are not Exceptions)."""


@pytest.fixture
def session(monkeypatch):
    fake = SimpleNamespace(session_state={})
    monkeypatch.setattr(ui.session, "st", fake)
    return fake.session_state


def _in_thread(target) -> threading.Thread:
    thread = threading.Thread(target=target)
    thread.start()
    return thread


def test_a_rerun_while_the_value_is_made_waits_for_it_instead_of_making_it_again(session):
    started, release = threading.Event(), threading.Event()
    made: list[str] = []
    got: list[object] = []

    def slow() -> str:
        made.append("first")
        started.set()
        release.wait(10)
        return "parsed"

    first = _in_thread(lambda: got.append(ui.session.session_memo("parse", 1, slow)))
    assert started.wait(10)
    second = _in_thread(
        lambda: got.append(ui.session.session_memo("parse", 1, lambda: made.append("again")))
    )
    release.set()
    first.join(10)
    second.join(10)
    assert made == ["first"] and got == ["parsed", "parsed"]
    assert ui.session.session_memo("parse", 1, lambda: "never") == "parsed"


def test_a_run_stopped_while_making_the_value_leaves_it_to_the_run_waiting(session):
    started, release = threading.Event(), threading.Event()
    got: list[object] = []

    def stopped() -> str:
        started.set()
        release.wait(10)
        raise Stopped

    def first() -> None:
        with pytest.raises(Stopped):
            ui.session.session_memo("parse", 1, stopped)

    one = _in_thread(first)
    assert started.wait(10)
    two = _in_thread(lambda: got.append(ui.session.session_memo("parse", 1, lambda: "made")))
    release.set()
    one.join(10)
    two.join(10)
    assert got == ["made"]
