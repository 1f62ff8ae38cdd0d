"""Analytics: ABC-XYZ, key-client types, concentration, churn, losses, win-back, portfolios."""

from kam_core.analytics.abc_xyz import AbcXyzResult, abc_xyz, abc_xyz_matrix
from kam_core.analytics.cache import clear_cache
from kam_core.analytics.churn import churn
from kam_core.analytics.client_types import ClientType, client_types
from kam_core.analytics.concentration import ConcentrationResult, concentration
from kam_core.analytics.losses import LossesResult, losses
from kam_core.analytics.migration import migration, transition_matrix, transition_table
from kam_core.analytics.params import AnalysisParams, load_thresholds
from kam_core.analytics.portfolio import portfolio
from kam_core.analytics.trend import client_trend, revenue_change
from kam_core.analytics.win_back import win_back_list

__all__ = [
    "AbcXyzResult",
    "AnalysisParams",
    "ClientType",
    "ConcentrationResult",
    "LossesResult",
    "abc_xyz",
    "abc_xyz_matrix",
    "churn",
    "clear_cache",
    "client_trend",
    "client_types",
    "concentration",
    "load_thresholds",
    "losses",
    "migration",
    "portfolio",
    "revenue_change",
    "transition_matrix",
    "transition_table",
    "win_back_list",
]
