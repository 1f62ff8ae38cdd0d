"""Dossier records: profile, contacts, tenders, competitors, activities; versions and change log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from kam_core.store.db import query_df, writing
from kam_core.store.schema import PROFILE_FIELDS


@dataclass(frozen=True)
class Table:
    """A dossier table: its name, key column and the columns a user edits."""

    name: str
    key: str
    columns: tuple[str, ...]


# Column names come only from these fixed tuples, so they are safe to put into SQL text.
# fmt: off
TABLES: dict[str, Table] = {
    "client": Table(
        "clients",
        "client_id",
        (
            "client_name", "description", "industry", "employees", "history", "team",
            "org_structure", "environment", "website", "manager", "is_image_maker", "is_expert",
            "type_override", "need", "solvency", "authority", "qualification_note",
            "qualification_source", "qualification_date",
        ),
    ),
    "contact": Table(
        "contacts",
        "contact_id",
        ("name", "title", "role", "attitude", "influence", "reports_to", "email", "phone",
         "notes"),
    ),
    "tender": Table(
        "tenders",
        "tender_id",
        ("tender_date", "subject", "amount", "result", "reason", "winner"),
    ),
    "competitor": Table(
        "competitors", "competitor_id", ("name", "share", "strengths", "weaknesses")
    ),
    "activity": Table(
        "activities",
        "activity_id",
        ("kind", "activity_date", "owner", "status", "due_date", "text", "contact_id"),
    ),
}
# fmt: on
STAMP = ("updated_at", "updated_by", "version")
GENERAL_FIELDS = PROFILE_FIELDS  # the dossier's general information (DOMAIN.md section 6)


class StaleEdit(RuntimeError):
    """The record changed since it was opened; nothing was saved."""

    def __init__(self, what: str, by: str | None, at: datetime | None, current: dict | None):
        """Say who changed the record and when; keep the stored values for a comparison."""
        when = f" at {at:%d.%m.%Y %H:%M}" if at else ""
        who = by or "someone"
        if current is None:
            text = f"{who} deleted this {what}{when} after you opened it; nothing was saved."
        else:
            text = (
                f"{who} saved this {what}{when}, after you opened it. Your changes were not "
                "saved, so theirs are not overwritten: reload to see them, then edit again."
            )
        super().__init__(text)
        self.by, self.at, self.current = by, at, current


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def log_change(
    cur: duckdb.DuckDBPyConnection,
    user: str,
    client_id: str,
    entity: str,
    entity_id: object,
    action: str,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Record one change in the change log (who, when, what)."""
    cur.execute(
        "INSERT INTO dossier_changes (changed_at, changed_by, client_id, entity, entity_id,"
        " action, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            at or datetime.now(),
            user,
            client_id,
            entity,
            None if entity_id is None else str(entity_id),
            action,
            json.dumps({k: _json_value(v) for k, v in (detail or {}).items()}, ensure_ascii=False),
        ],
    )


def _row(cur: duckdb.DuckDBPyConnection, table: Table, key: object) -> dict | None:
    keys = ("client_id",) if table.key == "client_id" else ("client_id", table.key)
    cols = ", ".join((*keys, *table.columns, *STAMP))
    result = cur.execute(f"SELECT {cols} FROM {table.name} WHERE {table.key} = ?", [key])
    names = [d[0] for d in result.description]
    rows = result.fetchall()
    return dict(zip(names, rows[0], strict=True)) if rows else None


def _check_columns(table: Table, values: dict[str, Any]) -> None:
    unknown = set(values) - set(table.columns)
    if unknown:
        raise ValueError(f"{table.name} has no column {', '.join(sorted(unknown))}")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, datetime) and isinstance(b, date) and not isinstance(b, datetime):
        a = a.date()
    if isinstance(b, datetime) and isinstance(a, date) and not isinstance(a, datetime):
        b = b.date()
    return a == b


def read_profile(conn: duckdb.DuckDBPyConnection, client_id: str) -> dict | None:
    """The stored profile of a client with its version, or None when it has none yet."""
    cur = conn.cursor()
    try:
        return _row(cur, TABLES["client"], client_id)
    finally:
        cur.close()


def save_profile(
    conn: duckdb.DuckDBPyConnection,
    client_id: str,
    values: dict[str, Any],
    expected_version: int,
    user: str,
) -> int:
    """Save profile fields if the stored version is still the one opened; return the new one."""
    table = TABLES["client"]
    _check_columns(table, values)
    with writing(conn) as cur:
        current = _row(cur, table, client_id)
        version = int(current["version"]) if current else 0
        if version != expected_version:
            raise StaleEdit("profile", *(_who(current) if current else (None, None)), current)
        now = datetime.now()
        if current is None:
            cols = ["client_id", *values, *STAMP]
            marks = ", ".join("?" for _ in cols)
            cur.execute(
                f"INSERT INTO clients ({', '.join(cols)}) VALUES ({marks})",
                [client_id, *values.values(), now, user, 1],
            )
            log_change(cur, user, client_id, "client", client_id, "create", values, now)
            return 1
        changed = {k: v for k, v in values.items() if not _same(current.get(k), v)}
        if not changed:
            return version
        _update(cur, table, client_id, changed, version, user, now)
        detail = {k: {"old": current.get(k), "new": v} for k, v in changed.items()}
        log_change(cur, user, client_id, "client", client_id, "update", _flat(detail), now)
        return version + 1


def _who(row: dict) -> tuple[str | None, datetime | None]:
    return row.get("updated_by"), row.get("updated_at")


def _flat(detail: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {k: f"{_json_value(v['old'])} -> {_json_value(v['new'])}" for k, v in detail.items()}


def _update(
    cur: duckdb.DuckDBPyConnection,
    table: Table,
    key: object,
    changed: dict[str, Any],
    version: int,
    user: str,
    now: datetime,
) -> None:
    sets = ", ".join(f"{c} = ?" for c in changed)
    done = cur.execute(
        f"UPDATE {table.name} SET {sets}, updated_at = ?, updated_by = ?, version = version + 1"
        f" WHERE {table.key} = ? AND version = ?",
        [*changed.values(), now, user, key, version],
    ).fetchall()
    if not done or done[0][0] != 1:  # another writer slipped in: refuse rather than overwrite
        raise StaleEdit(table.name.rstrip("s"), None, None, {})


def list_records(
    conn: duckdb.DuckDBPyConnection, entity: str, client_id: str | None = None
) -> pd.DataFrame:
    """Rows of one dossier table (for one client, or all), oldest first."""
    table = TABLES[entity]
    cols = ", ".join((table.key, "client_id", *table.columns, *STAMP))
    where, params = ("WHERE client_id = ?", [client_id]) if client_id is not None else ("", [])
    return query_df(conn, f"SELECT {cols} FROM {table.name} {where} ORDER BY {table.key}", params)


def read_record(conn: duckdb.DuckDBPyConnection, entity: str, row_id: int) -> dict | None:
    """One record with its version, or None."""
    cur = conn.cursor()
    try:
        return _row(cur, TABLES[entity], row_id)
    finally:
        cur.close()


def add_record(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    client_id: str,
    values: dict[str, Any],
    user: str,
) -> int:
    """Insert one record for a client; return its id."""
    table = TABLES[entity]
    _check_columns(table, values)
    cols = ["client_id", *values, "updated_at", "updated_by"]
    marks = ", ".join("?" for _ in cols)
    now = datetime.now()
    with writing(conn) as cur:
        new_id = cur.execute(
            f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({marks}) RETURNING {table.key}",
            [client_id, *values.values(), now, user],
        ).fetchall()[0][0]
        log_change(cur, user, client_id, entity, new_id, "create", values, now)
    return int(new_id)


def update_record(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    row_id: int,
    values: dict[str, Any],
    expected_version: int,
    user: str,
) -> int:
    """Update one record if it is still at the version opened; return the new version."""
    table = TABLES[entity]
    _check_columns(table, values)
    with writing(conn) as cur:
        current = _row(cur, table, row_id)
        if current is None:
            raise StaleEdit(entity, None, None, None)
        version = int(current["version"])
        if version != expected_version:
            raise StaleEdit(entity, *_who(current), current)
        changed = {k: v for k, v in values.items() if not _same(current.get(k), v)}
        if not changed:
            return version
        now = datetime.now()
        _update(cur, table, row_id, changed, version, user, now)
        detail = {k: {"old": current.get(k), "new": v} for k, v in changed.items()}
        log_change(cur, user, current["client_id"], entity, row_id, "update", _flat(detail), now)
    return version + 1


def delete_record(
    conn: duckdb.DuckDBPyConnection, entity: str, row_id: int, expected_version: int, user: str
) -> None:
    """Delete one record if it is still at the version opened; unlink contacts pointing to it."""
    table = TABLES[entity]
    with writing(conn) as cur:
        current = _row(cur, table, row_id)
        if current is None:
            raise StaleEdit(entity, None, None, None)
        if int(current["version"]) != expected_version:
            raise StaleEdit(entity, *_who(current), current)
        now = datetime.now()
        if entity == "contact":
            # A removed person leaves no dangling links in the chart or the ABM plan.
            for other, column in (("contacts", "reports_to"), ("activities", "contact_id")):
                cur.execute(
                    f"UPDATE {other} SET {column} = NULL, updated_at = ?, updated_by = ?,"
                    f" version = version + 1 WHERE {column} = ?",
                    [now, user, row_id],
                )
        cur.execute(f"DELETE FROM {table.name} WHERE {table.key} = ?", [row_id])
        kept = {c: current.get(c) for c in table.columns}
        log_change(cur, user, current["client_id"], entity, row_id, "delete", kept, now)
