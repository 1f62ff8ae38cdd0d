"""The Types screen's frames (clients of the window, the distribution, the tables as shown),
built once per stored state, parameters and language instead of on every view."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.churn import churn
from kam_core.analytics.client_types import client_types
from kam_core.analytics.columns import among
from kam_core.analytics.health import health_table
from kam_core.analytics.overview import with_health
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.type_mix import clients_of_type, type_distribution
from ui.cache import remember
from ui.tables import money_table, percent_points


def _window_types(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    known = remember(client_types, conn, params)
    # The clients of the window, counted as every page counts them.
    return known[among(known["client_id"], abc_xyz(conn, params).clients["client_id"])]


def window_types(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """The types of the clients with sales in the window."""
    return remember(_window_types, conn, params)


def distribution(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Clients and value per type (the two charts' frame)."""
    values = abc_xyz(conn, params).clients[["client_id", "value"]]
    return type_distribution(remember(_window_types, conn, params), values)


def _experts(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, decimals: int, rounded: tuple
) -> pd.DataFrame:
    types = remember(_window_types, conn, params)
    suggested = types[types["expert_suggested"]]
    listing = suggested[["client_id", "client_name", "return_share", "types"]].sort_values(
        "return_share", ascending=False
    )
    frame = percent_points(
        with_health(listing, remember(health_table, conn, params)), ["return_share"]
    )
    return money_table(frame, dict.fromkeys(rounded), rounded, decimals)[0]


def _of_kind(
    conn: duckdb.DuckDBPyConnection,
    params: AnalysisParams,
    kind: str,
    decimals: int,
    rounded: tuple,
) -> pd.DataFrame:
    values = abc_xyz(conn, params).clients[["client_id", "value"]]
    types = remember(_window_types, conn, params)
    clients = clients_of_type(types, values, kind, remember(churn, conn, params))
    health = remember(health_table, conn, params)
    frame = percent_points(with_health(clients, health), ["profit_share"])
    return money_table(frame, dict.fromkeys(rounded), rounded, decimals)[0]


def expert_rows(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, decimals: int, rounded: tuple
) -> pd.DataFrame:
    """Clients that perhaps are experts, as the table shows them (amounts in rounded)."""
    return remember(_experts, conn, params, decimals, rounded)


def kind_rows(
    conn: duckdb.DuckDBPyConnection,
    params: AnalysisParams,
    kind: str,
    decimals: int,
    rounded: tuple,
) -> pd.DataFrame:
    """The clients of one type, as the table shows them (amounts in rounded)."""
    return remember(_of_kind, conn, params, kind, decimals, rounded)
