"""Helpers for page tests on the demo data: a database copy per test, drawn figures, params."""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go

from kam_core.analytics.params import AnalysisParams, load_thresholds
from kam_core.demo import demo_sales


def params_of(conn, **filters) -> AnalysisParams:
    """The pages' default parameters on the demo data: latest date, 12 months, revenue."""
    as_of = demo_sales()["order_date"].max().date()
    return AnalysisParams(as_of=as_of, thresholds=load_thresholds(conn), **filters)


def figure(at, key: str) -> go.Figure:
    """The plotly figure a page drew with this key, its typed arrays decoded."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}"))
    return go.Figure(_decoded(json.loads(chart.proto.spec)))


def _decoded(value):
    # Plotly sends numeric arrays as {"dtype": "i2", "bdata": base64}; tests want arrays.
    if isinstance(value, dict) and {"dtype", "bdata"} <= set(value):
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")  # "4, 2" for a 4 x 2 array
        return array.reshape([int(n) for n in str(shape).split(",")]) if shape else array
    if isinstance(value, dict):
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def table_with(at, column: str):
    """The first table (dataframe or editor) of the run that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)
