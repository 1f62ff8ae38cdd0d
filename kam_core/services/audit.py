"""The audit log service: record who changed or exported what, read it back with filters."""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any, Protocol

import duckdb
import pandas as pd

from kam_core.store import audit as store

# The actions stamped in the log; screens and the command line use these names.
ACTIONS: tuple[str, ...] = (
    "import",
    "import.refused",
    "undo",
    "dossier.save",
    "dossier.add",
    "dossier.update",
    "dossier.delete",
    "win_back.status",
    "settings.change",
    "restore",
    "backup",
    "export",
    "user.add",
    "user.change",
    "user.remove",
    "sign_in",
)


class HasEmail(Protocol):
    """Anything that names the person acting: a Scope or a User."""

    email: str


def actor(user: str | HasEmail | None) -> str:
    """The email (or name) to record for user; the OS user when none is given."""
    if user is None:
        return os_user()
    if isinstance(user, str):
        return user.strip() or os_user()
    return str(user.email)


def os_user() -> str:
    """The operating-system account running this process, as the command line's actor."""
    name = os.environ.get("USER") or os.environ.get("USERNAME") or os.environ.get("LOGNAME")
    if not name:
        try:
            import pwd

            name = pwd.getpwuid(os.getuid()).pw_name
        except (ImportError, KeyError):
            name = "unknown"
    return f"os:{name}"


def record(
    conn: duckdb.DuckDBPyConnection,
    user: str | HasEmail | None,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Append one entry: who (email, or the OS user), what action, on what, with what detail."""
    return store.add_entry(conn, actor(user), action, target, detail)


def read(
    conn: duckdb.DuckDBPyConnection,
    user: str | None = None,
    action: str | None = None,
    target: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = 1000,
) -> pd.DataFrame:
    """Entries matching the filters, newest first; detail decoded to a dict."""
    frame = store.read_entries(conn, user, action, target, since, until, limit)
    frame["detail"] = frame["detail"].map(_decode)
    return frame


def as_frame(conn: duckdb.DuckDBPyConnection, **filters: Any) -> pd.DataFrame:
    """The entries as a flat table for download: detail as JSON text, every row (no limit)."""
    filters.setdefault("limit", None)
    frame = read(conn, **filters)
    frame["detail"] = frame["detail"].map(
        lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True, default=str)
    )
    return frame.rename(columns={"logged_at": "at", "user_email": "user"})


def _decode(value: object) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if not isinstance(value, str) or not value:
        return {}
    try:
        decoded = json.loads(value)
    except ValueError:
        return {"text": value}
    return decoded if isinstance(decoded, dict) else {"value": decoded}
