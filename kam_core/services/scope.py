"""What a signed-in person may read and change: their role, and for a manager their clients."""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from kam_core.analytics.columns import among
from kam_core.analytics.params import AnalysisParams
from kam_core.i18n import _, isolate
from kam_core.store.db import query_df

ADMIN, EXECUTIVE, MANAGER = "admin", "executive", "manager"
ROLES: tuple[str, ...] = (ADMIN, EXECUTIVE, MANAGER)
LOCAL_EMAIL = "local"
# The setting an admin switches on to let managers import files.
MANAGERS_MAY_IMPORT = "managers_may_import"

# The manager of every client as the analytics see it: the latest manager in the sales data,
# else the dossier's manager for clients the data leaves blank (portfolio_clients' rule).
CLIENT_MANAGERS_SQL = """
WITH data AS (
    SELECT client_id,
           arg_max(manager, (order_date, upload_id, source_row))
               FILTER (WHERE manager IS NOT NULL) AS manager
    FROM sales {where} GROUP BY client_id
), master AS (SELECT client_id, manager FROM clients {where})
SELECT coalesce(d.client_id, m.client_id) AS client_id,
       coalesce(d.manager, m.manager) AS manager
FROM data d FULL OUTER JOIN master m ON d.client_id = m.client_id
"""


class ScopeRefused(PermissionError):
    """The signed-in person may not see or do this; the message says why."""


def same_manager(a: object, b: object) -> bool:
    """True when two manager names are the same person's, ignoring case and outer spaces."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    return a.strip().casefold() == b.strip().casefold() and a.strip() != ""


def client_managers(conn: duckdb.DuckDBPyConnection, client_id: str | None = None) -> pd.DataFrame:
    """client_id and manager of every client (or of one), as the reports attribute them."""
    if client_id is None:
        return query_df(conn, CLIENT_MANAGERS_SQL.format(where=""))
    sql = CLIENT_MANAGERS_SQL.format(where="WHERE client_id = $c")
    cur = conn.cursor()
    try:
        return cur.execute(sql, {"c": client_id}).df()
    finally:
        cur.close()


def manager_of(conn: duckdb.DuckDBPyConnection, client_id: str) -> str | None:
    """The manager the reports attribute this client to, or None."""
    frame = client_managers(conn, client_id)
    if frame.empty or pd.isna(frame["manager"].iloc[0]):
        return None
    return str(frame["manager"].iloc[0])


@dataclass(frozen=True)
class Scope:
    """Who is asking: role, email and (for a manager) the manager name their clients carry."""

    role: str
    email: str
    manager_name: str | None = None

    def __post_init__(self) -> None:
        """Refuse an unknown role, and a manager without a manager name."""
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if self.role == MANAGER and not (self.manager_name or "").strip():
            raise ScopeRefused(
                _(
                    "{email} has the role manager but no manager name, so no clients are "
                    "theirs: ask an admin to set the manager name."
                ).format(email=self.email)
            )

    @classmethod
    def local(cls) -> Scope:
        """Everything: one person on their own machine, or the command line."""
        return cls(ADMIN, LOCAL_EMAIL)

    @property
    def is_local(self) -> bool:
        """True for the single-user scope of local mode and the command line."""
        return self.email == LOCAL_EMAIL and self.role == ADMIN

    @property
    def sees_everything(self) -> bool:
        """Admins and executives read every client."""
        return self.role in (ADMIN, EXECUTIVE)

    def can_import(self, conn: duckdb.DuckDBPyConnection | None = None) -> bool:
        """Admins import; managers only when an admin allowed it in the settings."""
        if self.role == ADMIN:
            return True
        if self.role != MANAGER or conn is None:
            return False
        from kam_core.store.settings import read_settings

        return read_settings(conn).get(MANAGERS_MAY_IMPORT) is True

    def can_undo(self) -> bool:
        """Only admins undo imports."""
        return self.role == ADMIN

    def can_edit_settings(self) -> bool:
        """Only admins change settings, restore or take backups."""
        return self.role == ADMIN

    def can_manage_users(self) -> bool:
        """Only admins add, change and remove users and read the audit log."""
        return self.role == ADMIN

    def can_read_client(self, conn: duckdb.DuckDBPyConnection, client_id: str) -> bool:
        """Admins and executives read every client; a manager only the clients they manage."""
        if self.sees_everything:
            return True
        return same_manager(manager_of(conn, client_id), self.manager_name)

    def can_edit_client(self, conn: duckdb.DuckDBPyConnection, client_id: str) -> bool:
        """Admins edit every dossier; a manager their own clients'; executives none."""
        if self.role == ADMIN:
            return True
        if self.role == EXECUTIVE:
            return False
        return same_manager(manager_of(conn, client_id), self.manager_name)

    def check_read_client(self, conn: duckdb.DuckDBPyConnection, client_id: str) -> None:
        """Raise ScopeRefused, saying why, when this client is out of scope."""
        if not self.can_read_client(conn, client_id):
            raise ScopeRefused(self.refusal(client_id))

    def check_edit_client(self, conn: duckdb.DuckDBPyConnection, client_id: str) -> None:
        """Raise ScopeRefused, saying why, when this client's dossier may not be changed."""
        if self.role == EXECUTIVE:
            raise ScopeRefused(
                _("{email} is an executive: executives read every dossier but change none.").format(
                    email=self.email
                )
            )
        if not self.can_edit_client(conn, client_id):
            raise ScopeRefused(self.refusal(client_id))

    def refusal(self, client_id: str) -> str:
        """Why this client is out of scope, in a sentence for the user."""
        # The other manager's name is not told: it is outside this person's scope too.
        return _(
            "Client {client} is not one of your clients: a manager sees and edits only the "
            "clients whose manager is {manager} (signed in as {email})."
        ).format(
            client=client_id,
            manager=isolate(self.manager_name),
            email=self.email,
        )

    def restrict(
        self, params: AnalysisParams, conn: duckdb.DuckDBPyConnection | None = None
    ) -> AnalysisParams:
        """The params with the manager filter forced to this manager's name (others unchanged)."""
        if self.sees_everything:
            return params
        asked = params.manager
        if asked not in (None, "") and not same_manager(asked, self.manager_name):
            raise ScopeRefused(
                _(
                    "The reports for manager {asked} are not yours to read: as a manager "
                    "({email}) you see only the clients of {manager}."
                ).format(
                    asked=isolate(asked),
                    email=self.email,
                    manager=isolate(self.manager_name),
                )
            )
        name = str(self.manager_name).strip()
        if conn is not None:
            name = data_spelling(conn, name)
        return replace(params, manager=name)

    def clip(self, conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> pd.DataFrame:
        """Drop the rows of clients outside the scope (frames with a client_id column)."""
        if self.sees_everything or "client_id" not in frame.columns:
            return frame
        managers = client_managers(conn)
        mine = managers.loc[
            managers["manager"].map(lambda m: same_manager(m, self.manager_name)), "client_id"
        ]
        return frame[among(frame["client_id"], set(mine))].reset_index(drop=True)


def data_spelling(conn: duckdb.DuckDBPyConnection, name: str) -> str:
    """The spelling of a manager name the sales data uses (most rows), else the name itself."""
    frame = query_df(
        conn,
        "SELECT manager, count(*) AS n FROM sales WHERE lower(trim(manager)) = lower(trim(?))"
        " GROUP BY manager ORDER BY n DESC, manager LIMIT 1",
        [name],
    )
    return str(frame["manager"].iloc[0]) if len(frame) else name


@dataclass(frozen=True)
class CompanyTotals:
    """Company-level figures a manager may see beside their own portfolio: no client rows."""

    revenue: float
    clients: int
    key_clients: int
    key_share: float


def company_totals(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> CompanyTotals:
    """Revenue, clients with sales in the window and the key clients' share, for everyone."""
    from kam_core.analytics.abc_xyz import abc_xyz
    from kam_core.analytics.concentration import concentration

    # Every filter is dropped: these are the company's figures, whoever asks.
    whole = replace(params, manager=None, region=None, segment=None, category=None)
    clients = abc_xyz(conn, whole).clients
    summary = concentration(conn, whole).summary.set_index("metric")["value"]
    revenue = float(clients["revenue"].sum()) if len(clients) else 0.0
    return CompanyTotals(
        revenue=revenue,
        clients=len(clients),
        key_clients=int(float(summary.get("key_clients", 0) or 0)),
        key_share=float(summary.get("key_clients_share", 0.0) or 0.0),
    )


def scoped_export(
    conn: duckdb.DuckDBPyConnection, scope: Scope, frame: pd.DataFrame, what: str
) -> pd.DataFrame:
    """The frame as this scope may take it away (other managers' client rows dropped), audited.

    Call it on every table before kam_core.export writes it: the download is stamped with the
    signed-in email, what it was and how many rows left.
    """
    from kam_core.services import audit

    out = scope.clip(conn, frame)
    if not scope.is_local:
        detail = {"rows": len(out), "dropped": len(frame) - len(out)}
        audit.record(conn, scope, "export", what, detail)
    return out
