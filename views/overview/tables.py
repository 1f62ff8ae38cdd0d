"""The Overview's tables as shown (type labels, health, growth, amounts rounded), built once per
stored state, parameters and language instead of on every view."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.analytics.health import health_table
from kam_core.analytics.overview import at_risk_alerts, biggest_movers, health_alerts, with_health
from kam_core.analytics.params import AnalysisParams
from kam_core.i18n import fmt_growth
from kam_core.vocabulary import type_labels
from ui.cache import remember
from ui.tables import money_table

KINDS = ("alerts", "fallen", "up", "down")


def _rows(
    conn: duckdb.DuckDBPyConnection,
    params: AnalysisParams,
    kind: str,
    decimals: int,
    rounded: tuple[str, ...],
) -> pd.DataFrame:
    if kind == "alerts":
        alerts = remember(at_risk_alerts, conn, params)
        frame = with_health(
            alerts.assign(types=alerts["types"].map(type_labels)),
            remember(health_table, conn, params),
        )
    elif kind == "fallen":
        fallen = remember(health_alerts, conn, params)
        frame = fallen.assign(types=fallen["types"].map(type_labels))
    else:
        movers = remember(biggest_movers, conn, params)
        # Growth from nothing reads "new", not a percentage of zero.
        movers = movers.assign(
            growth=[
                fmt_growth(p, n)
                for p, n in zip(movers["revenue_prev"], movers["revenue"], strict=True)
            ]
        )
        part = movers[movers["direction"] == kind].drop(columns="direction")
        frame = with_health(part, remember(health_table, conn, params))
    return money_table(frame, dict.fromkeys(rounded), rounded, decimals)[0]


def table_rows(
    conn: duckdb.DuckDBPyConnection,
    params: AnalysisParams,
    kind: str,
    decimals: int,
    rounded: tuple[str, ...],
) -> pd.DataFrame:
    """The rows of one table (alerts, fallen, up, down), amounts in rounded to decimals."""
    if kind not in KINDS:
        raise ValueError(kind)
    return remember(_rows, conn, params, kind, decimals, rounded)
