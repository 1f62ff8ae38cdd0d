"""Migration: each client's ABC-XYZ cell now against the window ending N months earlier."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.params import AnalysisParams, shift_months
from kam_core.analytics.source import resolve

NONE = "-"  # no sales in that window


def migration(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Per client: cell_before (window ending migration_months earlier) and cell_now."""
    resolved = resolve(conn, params)
    columns = ["client_id", "client_name", "cell_before", "cell_now", "value_before", "value_now"]
    if resolved is None or resolved.as_of is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    earlier = resolved.with_as_of(shift_months(resolved.as_of, -resolved.migration_months))
    now = abc_xyz(conn, resolved).clients[["client_id", "client_name", "cell", "value"]]
    before = abc_xyz(conn, earlier).clients[["client_id", "client_name", "cell", "value"]]
    frame = pd.merge(before, now, on="client_id", how="outer", suffixes=("_before", "_now"))
    frame["client_name"] = frame["client_name_now"].fillna(frame["client_name_before"])
    frame["cell_before"] = frame["cell_before"].fillna(NONE)
    frame["cell_now"] = frame["cell_now"].fillna(NONE)
    return frame[columns].sort_values("client_id").reset_index(drop=True)


def transition_table(moves: pd.DataFrame) -> pd.DataFrame:
    """Counts of clients per (cell_before, cell_now) pair, largest first."""
    counts = moves.groupby(["cell_before", "cell_now"]).size().rename("clients").reset_index()
    return counts.sort_values(["cell_before", "cell_now"]).reset_index(drop=True)


def transition_matrix(moves: pd.DataFrame) -> pd.DataFrame:
    """The same counts as a cross table: rows = cell before, columns = cell now."""
    return pd.crosstab(moves["cell_before"], moves["cell_now"])
