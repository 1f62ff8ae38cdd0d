"""Browser-test steps that survive Streamlit's reruns."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator


def click_until(click: Callable[[], None], shown: Locator, timeout: int = 3_000) -> None:
    """Click until what the click shows appears: a click while the page reruns (a widget
    replaced, a value just typed) is lost, and a user clicks again."""
    for _ in range(5):
        click()
        try:
            shown.wait_for(timeout=timeout)
            return
        except Exception:  # the page was rerunning: click again
            continue
    shown.wait_for()
