"""The Managers screen's frames for the scope of the session (portfolios, one manager's clients
and risks as the tables show them), built once per stored state, parameters, language and scope
instead of on every view."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.analytics.churn import status_counts
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.portfolio import manager_mix, portfolio, portfolio_clients
from kam_core.analytics.win_back import win_back_list
from kam_core.services.scope import same_manager
from ui.auth import session_scope
from ui.cache import remember
from views.managers.tables import client_rows, risk_rows

AMOUNTS = ("revenue", "revenue_prev", "revenue_change", "change", "revenue_at_stake")


def rounded(frame: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """Amounts to the currency's decimals (a setting), as on every page: not to the cent."""
    present = [c for c in AMOUNTS if c in frame.columns]
    return frame.assign(**{c: frame[c].astype(float).round(decimals) for c in present})


def _portfolio(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    table = remember(portfolio, conn, params)
    scope = session_scope()
    if not scope.sees_everything:
        # A manager sees their own portfolio; the company only as totals.
        table = table[table["manager"].map(lambda m: same_manager(m, scope.manager_name))]
    return table


def _clients(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    clients = remember(portfolio_clients, conn, params)
    scope = session_scope()
    return clients if scope.sees_everything else scope.clip(conn, clients)


def portfolios(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """One row per manager the session's scope may see."""
    return remember(_portfolio, conn, params)


def _mine(conn: duckdb.DuckDBPyConnection, params: AnalysisParams, who: str) -> pd.DataFrame:
    clients = remember(_clients, conn, params)
    return clients[clients["manager"] == who]


def mine(conn: duckdb.DuckDBPyConnection, params: AnalysisParams, who: str) -> pd.DataFrame:
    """One manager's clients (within the session's scope)."""
    return remember(_mine, conn, params, who)


def mix(conn: duckdb.DuckDBPyConnection, params: AnalysisParams, who: str) -> pd.DataFrame:
    """The ABC-XYZ mix of one manager's clients."""
    return manager_mix(remember(_mine, conn, params, who))


def statuses(conn: duckdb.DuckDBPyConnection, params: AnalysisParams, who: str) -> pd.DataFrame:
    """Clients per churn status of one manager."""
    return status_counts(remember(_mine, conn, params, who))


def _tables(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, who: str, decimals: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    own = remember(_mine, conn, params, who)
    clients = client_rows(rounded(own, decimals))
    risks = risk_rows(rounded(remember(win_back_list, conn, params), decimals), own)
    return clients, risks


def manager_tables(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, who: str, decimals: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One manager's clients and risks as the two tables show them."""
    return remember(_tables, conn, params, who, decimals)
