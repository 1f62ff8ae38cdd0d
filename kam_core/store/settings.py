"""Stored settings: one JSON value per key."""

from __future__ import annotations

import json
import threading
import weakref
from typing import Any

import duckdb

from kam_core.store.db import writing

# The currency amounts are shown in: the company's own (₪ unless Settings say otherwise).
CURRENCY_KEY = "currency_symbol"
DEFAULT_CURRENCY = "₪"

# Connections whose settings are read once and kept for their life: the app's cursor of one
# script run (ui/db.py), where thresholds, display and weights were each read again (6-8
# queries a view). The stored rows are kept, and decoded on every read, so callers may change
# what they get.
_held: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_held_lock = threading.Lock()


def hold_settings(conn: duckdb.DuckDBPyConnection) -> None:
    """Read settings once on this connection and keep them until it goes or writes settings."""
    with _held_lock:
        _held.setdefault(conn, None)


def _rows(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None]]:
    cur = conn.cursor()
    try:
        return cur.execute("SELECT key, value FROM settings").fetchall()
    finally:
        cur.close()


def read_settings(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """All stored settings as a dict of decoded JSON values."""
    try:
        held = conn in _held
    except TypeError:  # an object that takes no weak reference is never held
        held = False
    if not held:
        rows = _rows(conn)
    else:
        with _held_lock:
            rows = _held.get(conn)
        if rows is None:
            rows = _rows(conn)
            with _held_lock:
                if conn in _held:
                    _held[conn] = rows
    return {key: json.loads(value) if value is not None else None for key, value in rows}


def write_settings(conn: duckdb.DuckDBPyConnection, values: dict[str, Any]) -> None:
    """Store several settings (JSON-serialisable values) in one transaction."""
    with writing(conn) as cur:
        for key, value in values.items():
            cur.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, json.dumps(value)])
    with _held_lock:
        if conn in _held:  # read again on the next read: this run shows what it saved
            _held[conn] = None


def write_setting(conn: duckdb.DuckDBPyConnection, key: str, value: Any) -> None:
    """Store one setting."""
    write_settings(conn, {key: value})


def currency_symbol(conn: duckdb.DuckDBPyConnection) -> str:
    """The currency symbol amounts are shown with, the company's own (stored; ₪ by default)."""
    value = read_settings(conn).get(CURRENCY_KEY)
    return value if isinstance(value, str) and value else DEFAULT_CURRENCY
