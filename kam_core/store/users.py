"""The people who may sign in in team mode: email, display name, role, manager name, active."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from kam_core.store.db import query_df, writing

COLUMNS = (
    "email",
    "display_name",
    "role",
    "manager_name",
    "active",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
)
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM users"


def read_user(conn: duckdb.DuckDBPyConnection, email: str) -> dict[str, Any] | None:
    """The stored user with this (normalised) email, or None."""
    cur = conn.cursor()
    try:
        rows = cur.execute(f"{_SELECT} WHERE email = ?", [email]).fetchall()
    finally:
        cur.close()
    return dict(zip(COLUMNS, rows[0], strict=True)) if rows else None


def list_users(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every stored user, active ones first, by email."""
    return query_df(conn, f"{_SELECT} ORDER BY active DESC, email")


def count_admins(conn: duckdb.DuckDBPyConnection) -> int:
    """How many active admins there are."""
    cur = conn.cursor()
    try:
        rows = cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchall()
    finally:
        cur.close()
    return int(rows[0][0])


def upsert_user(
    conn: duckdb.DuckDBPyConnection,
    email: str,
    display_name: str | None,
    role: str,
    manager_name: str | None,
    by: str,
    active: bool = True,
) -> bool:
    """Add the user or replace their name, role and manager name; True when newly added."""
    now = datetime.now()
    with writing(conn) as cur:
        exists = cur.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchall()
        if exists:
            cur.execute(
                "UPDATE users SET display_name = ?, role = ?, manager_name = ?, active = ?,"
                " updated_at = ?, updated_by = ? WHERE email = ?",
                [display_name, role, manager_name, active, now, by, email],
            )
            return False
        cur.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [email, display_name, role, manager_name, active, now, by, now, by],
        )
        return True


def set_active(conn: duckdb.DuckDBPyConnection, email: str, active: bool, by: str) -> bool:
    """Switch a user on or off; False when there is no such user."""
    with writing(conn) as cur:
        found = cur.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchall()
        if not found:
            return False
        cur.execute(
            "UPDATE users SET active = ?, updated_at = ?, updated_by = ? WHERE email = ?",
            [active, datetime.now(), by, email],
        )
        return True


def delete_user(conn: duckdb.DuckDBPyConnection, email: str) -> bool:
    """Remove a user row entirely; False when there is no such user."""
    with writing(conn) as cur:
        found = cur.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchall()
        if found:
            cur.execute("DELETE FROM users WHERE email = ?", [email])
        return bool(found)
