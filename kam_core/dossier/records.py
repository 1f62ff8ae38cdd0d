"""Reading and changing one client's dossier: validation first, then the store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from kam_core.dossier.model import (
    CLIENT_FIELDS,
    ENTITY_FIELDS,
    DossierError,
    clean,
)
from kam_core.services.scope import Scope
from kam_core.store import dossier as store

DEFAULT_USER = "manager"


@dataclass
class Dossier:
    """Everything a manager entered about one client, as read at one moment."""

    client_id: str
    profile: dict[str, Any]
    version: int
    contacts: pd.DataFrame
    tenders: pd.DataFrame
    competitors: pd.DataFrame
    activities: pd.DataFrame


def empty_profile(client_id: str) -> dict[str, Any]:
    """The profile of a client nobody has written about yet."""
    out: dict[str, Any] = {f.name: f.default for f in CLIENT_FIELDS}
    out.update(client_id=client_id, is_image_maker=False, is_expert=False, version=0)
    return out


def load(conn: duckdb.DuckDBPyConnection, client_id: str, scope: Scope | None = None) -> Dossier:
    """Read one client's dossier (profile version 0 when none is stored); refused out of scope."""
    if scope is not None:
        scope.check_read_client(conn, client_id)
    profile = store.read_profile(conn, client_id) or empty_profile(client_id)
    return Dossier(
        client_id=client_id,
        profile=profile,
        version=int(profile.get("version") or 0),
        contacts=store.list_records(conn, "contact", client_id),
        tenders=store.list_records(conn, "tender", client_id),
        competitors=store.list_records(conn, "competitor", client_id),
        activities=store.list_records(conn, "activity", client_id),
    )


def _user(user: str | None, scope: Scope | None = None) -> str:
    # In team mode the signed-in person is who changed it, whatever name was typed.
    if scope is not None and not scope.is_local:
        return scope.email
    return (user or "").strip() or DEFAULT_USER


def _check_edit(conn: duckdb.DuckDBPyConnection, client_id: str, scope: Scope | None) -> None:
    if scope is not None:
        scope.check_edit_client(conn, client_id)


def save_profile(
    conn: duckdb.DuckDBPyConnection,
    client_id: str,
    values: dict[str, Any],
    expected_version: int,
    user: str | None = None,
    scope: Scope | None = None,
) -> int:
    """Validate and save profile or qualification fields; refuse if the profile changed since."""
    _check_edit(conn, client_id, scope)
    cleaned = clean(CLIENT_FIELDS, values, partial=True)
    return store.save_profile(conn, client_id, cleaned, expected_version, _user(user, scope))


def _check_reports_to(
    conn: duckdb.DuckDBPyConnection, client_id: str, contact_id: int | None, boss: int | None
) -> None:
    """A contact reports to a person of the same client, never to itself or a subordinate."""
    if boss is None:
        return
    people = store.list_records(conn, "contact", client_id)
    bosses = dict(zip(people["contact_id"], people["reports_to"], strict=True))
    if boss not in bosses:
        raise DossierError("Reports to: choose a person of this client's decision map.")
    seen: set[int] = set()
    step: Any = boss
    while step is not None and not pd.isna(step) and step not in seen:
        if contact_id is not None and int(step) == contact_id:
            raise DossierError("Reports to: this would make a circle in the organisation chart.")
        seen.add(int(step))
        step = bosses.get(int(step))


def _check_target(conn: duckdb.DuckDBPyConnection, client_id: str, target: int | None) -> None:
    if target is None:
        return
    people = store.list_records(conn, "contact", client_id)
    if target not in set(people["contact_id"]):
        raise DossierError("Target person: choose a person of this client's decision map.")


def _validated(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    client_id: str,
    values: dict[str, Any],
    row_id: int | None,
) -> dict[str, Any]:
    cleaned = clean(ENTITY_FIELDS[entity], values, partial=row_id is not None)
    if entity == "contact" and "reports_to" in cleaned:
        _check_reports_to(conn, client_id, row_id, cleaned["reports_to"])
    if entity == "activity" and "contact_id" in cleaned:
        _check_target(conn, client_id, cleaned["contact_id"])
    return cleaned


def add(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    client_id: str,
    values: dict[str, Any],
    user: str | None = None,
    scope: Scope | None = None,
) -> int:
    """Validate and add a contact, tender, competitor or activity; return its id."""
    _check_edit(conn, client_id, scope)
    cleaned = _validated(conn, entity, client_id, values, None)
    return store.add_record(conn, entity, client_id, cleaned, _user(user, scope))


def update(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    row_id: int,
    values: dict[str, Any],
    expected_version: int,
    user: str | None = None,
    scope: Scope | None = None,
) -> int:
    """Validate and update one record; refuse if it changed since it was opened."""
    current = store.read_record(conn, entity, row_id)
    if current is None:
        raise store.StaleEdit(entity, None, None, None)
    _check_edit(conn, current["client_id"], scope)
    cleaned = _validated(conn, entity, current["client_id"], values, row_id)
    return store.update_record(conn, entity, row_id, cleaned, expected_version, _user(user, scope))


def delete(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    row_id: int,
    expected_version: int,
    user: str | None = None,
    scope: Scope | None = None,
) -> None:
    """Delete one record; refuse if it changed since it was opened."""
    if scope is not None:
        current = store.read_record(conn, entity, row_id)
        if current is None:
            raise store.StaleEdit(entity, None, None, None)
        _check_edit(conn, current["client_id"], scope)
    store.delete_record(conn, entity, row_id, expected_version, _user(user, scope))
