"""Stored settings: one JSON value per key."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from kam_core.store.db import writing


def read_settings(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """All stored settings as a dict of decoded JSON values."""
    cur = conn.cursor()
    try:
        rows = cur.execute("SELECT key, value FROM settings").fetchall()
    finally:
        cur.close()
    return {key: json.loads(value) if value is not None else None for key, value in rows}


def write_settings(conn: duckdb.DuckDBPyConnection, values: dict[str, Any]) -> None:
    """Store several settings (JSON-serialisable values) in one transaction."""
    with writing(conn) as cur:
        for key, value in values.items():
            cur.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, json.dumps(value)])


def write_setting(conn: duckdb.DuckDBPyConnection, key: str, value: Any) -> None:
    """Store one setting."""
    write_settings(conn, {key: value})
