"""Win-back statuses as a service: what a manager did to bring a client back."""

from __future__ import annotations

import duckdb

from kam_core.store.win_back import set_win_back_statuses


def record_win_back(
    conn: duckdb.DuckDBPyConnection,
    changes: dict[str, tuple[str, str | None]],
    user: str | None = None,
) -> int:
    """Store {client_id: (status, note)} in one transaction; return how many were stored."""
    if not changes:
        return 0
    set_win_back_statuses(conn, changes, user)
    return len(changes)
