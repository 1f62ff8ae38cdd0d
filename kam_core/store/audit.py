"""The audit log: who did what, to what, and when; rows are only ever added."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from kam_core.store.db import query_df, writing

COLUMNS = ("audit_id", "logged_at", "user_email", "action", "target", "detail")


def add_entry(
    conn: duckdb.DuckDBPyConnection,
    user_email: str,
    action: str,
    target: str | None,
    detail: dict[str, Any] | None,
    at: datetime | None = None,
) -> int:
    """Append one entry and return its id."""
    text = json.dumps(detail or {}, ensure_ascii=False, default=str)
    with writing(conn) as cur:
        rows = cur.execute(
            "INSERT INTO audit_log (logged_at, user_email, action, target, detail)"
            " VALUES (?, ?, ?, ?, ?) RETURNING audit_id",
            [at or datetime.now(), user_email, action, target, text],
        ).fetchall()
    return int(rows[0][0])


def read_entries(
    conn: duckdb.DuckDBPyConnection,
    user_email: str | None = None,
    action: str | None = None,
    target: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Entries matching every filter given, newest first."""
    conds: list[str] = []
    args: list[Any] = []
    # Column names are fixed text; every value travels as a parameter.
    for sql, value in (
        ("lower(user_email) = lower(?)", user_email),
        ("action = ?", action),
        ("target = ?", target),
        ("logged_at >= ?", since),
        ("logged_at < ?", until),
    ):
        if value not in (None, ""):
            conds.append(sql)
            args.append(value)
    where = f"WHERE {' AND '.join(conds)}" if conds else ""
    tail = ""
    if limit is not None:
        tail = " LIMIT ?"
        args.append(int(limit))
    sql = f"SELECT {', '.join(COLUMNS)} FROM audit_log {where} ORDER BY audit_id DESC{tail}"
    return query_df(conn, sql, args)
