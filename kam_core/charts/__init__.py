"""Plotly figure builders: data in, go.Figure out; one visual language for every screen."""

from kam_core.charts.theme import ABC_COLOURS, STATUS_COLOURS, TYPE_COLOURS, XYZ_COLOURS, style

__all__ = ["ABC_COLOURS", "STATUS_COLOURS", "TYPE_COLOURS", "XYZ_COLOURS", "style"]
