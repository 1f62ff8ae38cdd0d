"""Managing who may sign in: add, change, list, remove; the first admins from the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from kam_core.i18n import _
from kam_core.services import audit
from kam_core.services.scope import MANAGER, ROLES, Scope
from kam_core.store import users as store

ADMIN_EMAILS_ENV = "KAM_ADMIN_EMAILS"
SYSTEM = "system"
# No control characters or direction marks: no sign-in could match them, and an override
# would show the address reversed on the Users page.
_PART = r"[^@\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+"
_EMAIL = re.compile(rf"^{_PART}@{_PART}$")


class UserRefused(ValueError):
    """A user change that cannot be made; the message says why."""


@dataclass(frozen=True)
class User:
    """One person who may sign in."""

    email: str
    display_name: str | None
    role: str
    manager_name: str | None
    active: bool

    @property
    def name(self) -> str:
        """The name shown and stamped on changes: the display name, else the email."""
        return self.display_name or self.email

    def scope(self) -> Scope:
        """What this user may read and change."""
        return Scope(self.role, self.email, self.manager_name)


def normalise_email(email: str) -> str:
    """The stored form of an email: trimmed and lower case; refused when it is not an email."""
    text = (email or "").strip().lower()
    if not _EMAIL.match(text) or len(text) > 254:
        shown = (email or "").strip()[:80]
        raise UserRefused(_("'{email}' is not an email address.").format(email=shown))
    return text


def _user(row: dict) -> User:
    return User(
        email=row["email"],
        display_name=row["display_name"],
        role=row["role"],
        manager_name=row["manager_name"],
        active=bool(row["active"]),
    )


def add_user(
    conn: duckdb.DuckDBPyConnection,
    email: str,
    role: str,
    manager_name: str | None = None,
    display_name: str | None = None,
    by: str = SYSTEM,
) -> User:
    """Add a user, or change (and reactivate) an existing one; the change is audited."""
    address = normalise_email(email)
    if role not in ROLES:
        raise UserRefused(f"role must be one of {', '.join(ROLES)}, not '{role}'.")
    manager_name = (manager_name or "").strip() or None
    display_name = (display_name or "").strip() or None
    if role == MANAGER and manager_name is None:
        raise UserRefused(
            f"{address}: a manager needs a manager name (--manager NAME), the name their "
            "clients carry in the sales data."
        )
    before = store.read_user(conn, address)
    if before and before["role"] == "admin" and role != "admin" and before["active"]:
        _keep_one_admin(conn, address)
    added = store.upsert_user(conn, address, display_name, role, manager_name, by)
    detail = {"role": role, "manager_name": manager_name, "display_name": display_name}
    if before:
        detail["before"] = {k: before[k] for k in ("role", "manager_name", "active")}
    audit.record(conn, by, "user.add" if added else "user.change", address, detail)
    return User(address, display_name, role, manager_name, True)


def _keep_one_admin(conn: duckdb.DuckDBPyConnection, email: str) -> None:
    if store.count_admins(conn) <= 1:
        raise UserRefused(
            f"{email} is the last active admin: add another admin first, or nobody could "
            "manage users any more."
        )


def remove_user(conn: duckdb.DuckDBPyConnection, email: str, by: str = SYSTEM) -> User:
    """Deactivate a user (kept for the audit trail); the last active admin stays."""
    address = normalise_email(email)
    row = store.read_user(conn, address)
    if row is None:
        raise UserRefused(f"{address} is not a user.")
    if row["role"] == "admin" and row["active"]:
        _keep_one_admin(conn, address)
    store.set_active(conn, address, False, by)
    audit.record(conn, by, "user.remove", address, {"role": row["role"]})
    return _user({**row, "active": False})


def list_users(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every user with role, manager name, active flag and stamps."""
    return store.list_users(conn)


def find_user(conn: duckdb.DuckDBPyConnection, email: str | None) -> User | None:
    """The active user with this email, or None for an unknown, invalid or inactive email."""
    try:
        address = normalise_email(email or "")
    except UserRefused:
        return None
    row = store.read_user(conn, address)
    if row is None or not row["active"]:
        return None
    return _user(row)


def admin_emails(value: str | None = None) -> list[str]:
    """The emails in KAM_ADMIN_EMAILS (comma-separated), normalised; invalid ones left out."""
    text = os.environ.get(ADMIN_EMAILS_ENV, "") if value is None else value
    out: list[str] = []
    for part in text.split(","):
        try:
            address = normalise_email(part)
        except UserRefused:
            continue
        if address not in out:
            out.append(address)
    return out


def ensure_admins(conn: duckdb.DuckDBPyConnection, value: str | None = None) -> list[str]:
    """Add the KAM_ADMIN_EMAILS addresses not stored yet as admins; return those added.

    A stored user is left as an admin made them (an admin may have deactivated them on purpose).
    """
    added: list[str] = []
    for address in admin_emails(value):
        if store.read_user(conn, address) is None:
            add_user(conn, address, "admin", by=ADMIN_EMAILS_ENV)
            added.append(address)
    return added
