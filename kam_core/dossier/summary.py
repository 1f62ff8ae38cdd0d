"""The dossier header: what the analytics say about one client, for the chosen window."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import duckdb
import pandas as pd

from kam_core.analytics.abc_xyz import STRATEGIES, abc_xyz
from kam_core.analytics.churn import churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.params import AnalysisParams, shift_months, window_start
from kam_core.analytics.source import resolve
from kam_core.analytics.trend import client_trend, revenue_change
from kam_core.dossier.history import on_time_share
from kam_core.store.reads import client_sales

HISTORY_STEPS = 4  # earlier windows shown next to the current ABC-XYZ cell
NO_CELL = "-"  # no sales in that window


@dataclass
class ClientSummary:
    """Header figures of one client's dossier."""

    client_id: str
    client_name: str | None = None
    as_of: date | None = None
    window_start: date | None = None
    revenue: float = 0.0
    revenue_prev: float = 0.0
    change_pct: float | None = None
    trend: list[float] = field(default_factory=list)
    abc: str | None = None
    xyz: str | None = None
    cell: str | None = None
    strategy: str | None = None
    cell_history: pd.DataFrame = field(default_factory=pd.DataFrame)
    types: list[str] = field(default_factory=list)
    types_overridden: bool = False
    churn_status: str | None = None
    first_purchase: date | None = None
    last_purchase: date | None = None
    days_since_last: int | None = None
    data_manager: str | None = None
    region: str | None = None
    segment: str | None = None
    on_time: float | None = None
    on_time_lines: int = 0
    revenue_all_time: float = 0.0
    order_lines: int = 0


def unfiltered(params: AnalysisParams) -> AnalysisParams:
    """The same window without row filters: a client is ranked against all clients."""
    return replace(params, manager=None, region=None, segment=None, category=None)


def _row(frame: pd.DataFrame, client_id: str) -> pd.Series | None:
    hit = frame[frame["client_id"] == client_id]
    return None if hit.empty else hit.iloc[0]


def _date(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def cell_history(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, client_id: str, steps: int
) -> pd.DataFrame:
    """The client's ABC-XYZ cell in the window ending now and in the earlier ones."""
    assert params.as_of is not None
    rows = []
    for k in range(steps, -1, -1):
        as_of = shift_months(params.as_of, -k * params.migration_months)
        row = _row(abc_xyz(conn, params.with_as_of(as_of)).clients, client_id)
        rows.append({"as_of": as_of, "cell": NO_CELL if row is None else row["cell"]})
    return pd.DataFrame(rows)


def client_summary(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, client_id: str
) -> ClientSummary:
    """Revenue and trend, ABC-XYZ cell and history, types, churn status, on-time share."""
    out = ClientSummary(client_id)
    sales = client_sales(conn, client_id)
    out.revenue_all_time = float(sales["revenue"].sum()) if len(sales) else 0.0
    out.order_lines = len(sales)
    resolved = resolve(conn, unfiltered(params))
    if resolved is None or resolved.as_of is None:
        return out
    out.as_of = resolved.as_of
    out.window_start = window_start(resolved.as_of, resolved.months)
    change = _row(revenue_change(conn, resolved, resolved.as_of), client_id)
    if change is not None:
        out.revenue, out.revenue_prev = float(change["revenue"]), float(change["revenue_prev"])
        pct = change["change_pct"]
        out.change_pct = None if pd.isna(pct) else float(pct)
    out.trend = [float(v) for v in client_trend(conn, resolved, client_id)["revenue"]]
    cls = _row(abc_xyz(conn, resolved).clients, client_id)
    if cls is not None:
        out.abc, out.xyz, out.cell = cls["abc"], cls["xyz"], cls["cell"]
        out.strategy = STRATEGIES.get(cls["cell"])
    out.cell_history = cell_history(conn, resolved, client_id, HISTORY_STEPS)
    kinds = _row(client_types(conn, resolved), client_id)
    if kinds is not None:
        out.types = [t for t in str(kinds["types"] or "").split(",") if t]
        out.types_overridden = bool(kinds["overridden"])
    status = _row(churn(conn, resolved), client_id)
    if status is not None:
        out.client_name = status["client_name"]
        out.churn_status = str(status["status"])
        out.first_purchase = _date(status["first_purchase"])
        out.last_purchase = _date(status["last_purchase"])
        out.days_since_last = int(status["days_since_last"])
        out.data_manager = None if pd.isna(status["manager"]) else status["manager"]
        out.region = None if pd.isna(status["region"]) else status["region"]
        out.segment = None if pd.isna(status["segment"]) else status["segment"]
    window = sales[pd.to_datetime(sales["order_date"]) <= pd.Timestamp(resolved.as_of)]
    out.on_time, out.on_time_lines = on_time_share(window, out.window_start, resolved.as_of)
    return out
