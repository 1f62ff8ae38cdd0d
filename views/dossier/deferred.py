"""Files built when their download button asks, in the language of the run that drew it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kam_core.i18n import get_language, use_language

T = TypeVar("T")


def in_run_language(build: Callable[[], T]) -> Callable[[], T]:
    """build, called later from Streamlit's own thread, in the language of this run."""
    lang = get_language()

    def built() -> T:
        with use_language(lang):
            return build()

    return built
