"""Migration: each client's ABC-XYZ cell now against the window ending N months earlier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from kam_core.analytics.abc_xyz import CELLS, abc_xyz
from kam_core.analytics.params import AnalysisParams, shift_months
from kam_core.analytics.source import resolve

NONE = "-"  # no sales in that window
ORDER: list[str] = [*CELLS, NONE]  # rows and columns of the cross table


@dataclass(frozen=True)
class MigrationSummary:
    """The migration as a screen shows it: both window ends, the moves and their counts."""

    before: date | None  # the end of the earlier window
    now: date | None  # the as-of date
    moves: pd.DataFrame  # per client: cell_before, cell_now (migration())
    table: pd.DataFrame  # clients per (cell_before, cell_now) pair (transition_table())
    matrix: pd.DataFrame  # the same as a cross table over every cell and "-", zeros included
    changed: int  # clients whose cell is not the one they had

    @property
    def clients(self) -> int:
        """Clients compared: those with sales in either window."""
        return len(self.moves)


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


def clients_changed(table: pd.DataFrame) -> int:
    """Clients whose cell now differs from their cell before (a transition table's counts)."""
    if table.empty:
        return 0
    moved = table["cell_before"] != table["cell_now"]
    return int(table.loc[moved, "clients"].sum())


def migration_summary(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> MigrationSummary:
    """Each client's cell before and now, the counts per pair and the clients that moved."""
    resolved = resolve(conn, params)
    now = resolved.as_of if resolved is not None else None
    before = shift_months(now, -resolved.migration_months) if now is not None else None
    moves = migration(conn, params)
    table = transition_table(moves)
    matrix = (
        transition_matrix(moves)
        .reindex(index=ORDER, columns=ORDER, fill_value=0)
        .rename_axis(index="before", columns="now")
    )
    return MigrationSummary(before, now, moves, table, matrix, clients_changed(table))
