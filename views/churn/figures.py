"""Churn figures, built once per inputs and language and laid out for the reading direction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

from kam_core.charts.rtl import mirror_figure
from ui.cache import memo


def _mirrored(build: Callable[..., go.Figure], *args: Any) -> go.Figure:
    return mirror_figure(build(*args))


def chart(build: Callable[..., go.Figure], *args: Any) -> go.Figure:
    """build(*args) mirrored for the language, kept between views (never mirrored twice)."""
    return memo(_mirrored, build, *args)
