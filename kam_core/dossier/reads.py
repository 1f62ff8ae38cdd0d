"""What the dossier screen reads besides the dossier itself: the client list, one client's
sales lines, the change log, and the key column of each record."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.store.dossier import TABLES
from kam_core.store.dossier_reads import changes, known_clients
from kam_core.store.reads import client_sales


def client_list(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every client in the sales data or the dossiers: id, name, region, managers, revenue."""
    return known_clients(conn)


def client_label(client_id: str, client_name: object) -> str:
    """How a client reads in a picker: "Name (ID)", or the id alone without a name."""
    name = client_name if isinstance(client_name, str) and client_name else client_id
    return f"{name} ({client_id})"


def sales_lines(conn: duckdb.DuckDBPyConnection, client_id: str) -> pd.DataFrame:
    """One client's sales lines, newest first."""
    return client_sales(conn, client_id)


def change_log(conn: duckdb.DuckDBPyConnection, client_id: str, limit: int = 200) -> pd.DataFrame:
    """Who changed what in one client's dossier, and when, newest first."""
    return changes(conn, client_id, limit)


def record_key(entity: str) -> str:
    """The key column of a dossier record: contact_id, tender_id, competitor_id, activity_id."""
    return TABLES[entity].key
