"""Stored win-back statuses: what a manager has done to bring a lost client back."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pandas as pd

from kam_core.store.db import query_df, writing
from kam_core.vocabulary import WIN_BACK_OPEN, WIN_BACK_STATUSES

# Words an older version stored, read as today's vocabulary.
_LEGACY = {"offer sent": "contacted", "gave up": "declined", "won_back": "won back"}


def set_win_back_statuses(
    conn: duckdb.DuckDBPyConnection,
    changes: dict[str, tuple[str, str | None]],
    user: str | None = None,
) -> None:
    """Record clients' statuses {client_id: (status, note)} in one transaction; "open" clears."""
    now = datetime.now(UTC).replace(tzinfo=None)
    checked = {cid: (_LEGACY.get(status, status), note) for cid, (status, note) in changes.items()}
    for status, _ in checked.values():
        if status != WIN_BACK_OPEN and status not in WIN_BACK_STATUSES:
            raise ValueError(
                f"unknown win-back status {status!r}: use one of {', '.join(WIN_BACK_STATUSES)}"
            )
    with writing(conn) as cur:
        for client_id, (status, note) in checked.items():
            if status == WIN_BACK_OPEN:
                cur.execute("DELETE FROM win_back WHERE client_id = ?", [client_id])
            else:
                cur.execute(
                    "INSERT OR REPLACE INTO win_back VALUES (?, ?, ?, ?, ?)",
                    [client_id, status, note, now, user or None],
                )


def set_win_back_status(
    conn: duckdb.DuckDBPyConnection,
    client_id: str,
    status: str,
    note: str | None = None,
    user: str | None = None,
) -> None:
    """Record one client's win-back status with who and when; "open" removes the record."""
    set_win_back_statuses(conn, {client_id: (status, note)}, user)


def read_win_back(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Stored win-back statuses per client, with the note and who set them when."""
    frame = query_df(conn, "SELECT client_id, status, note, updated_at, updated_by FROM win_back")
    frame["status"] = frame["status"].replace(_LEGACY)
    return frame[frame["status"] != WIN_BACK_OPEN].reset_index(drop=True)
