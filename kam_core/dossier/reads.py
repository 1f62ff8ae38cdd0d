"""What the dossier screen reads besides the dossier itself: the client list, one client's
sales lines, the change log, and the key column of each record."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from kam_core.analytics.columns import normalised_labels
from kam_core.dossier.figures import PurchaseFigures, purchase_figures
from kam_core.dossier.history import deliveries, monthly_purchases, products
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


def client_labels(clients: pd.DataFrame) -> dict[str, str]:
    """client_id -> client_label() for a frame of clients, in its order (built column-wise)."""
    ids = clients["client_id"].astype(str)
    names = clients["client_name"].astype("object")
    if clients["client_name"].dtype == "str":  # text or missing: named unless empty
        named = clients["client_name"].notna() & clients["client_name"].ne("")
    else:
        named = names.map(lambda n: isinstance(n, str) and bool(n))
    shown = names.where(named, ids).astype(str)
    # A client known by its name alone (a file without codes) has an id made of the name:
    # 'Acme Ltd (acme ltd)' said it twice.
    own = (normalised_labels(shown) == ids).to_numpy(dtype=bool)
    labels = (shown + " (" + ids + ")").where(~pd.Series(own, index=ids.index), shown)
    return dict(zip(ids, labels, strict=True))


def sales_lines(conn: duckdb.DuckDBPyConnection, client_id: str) -> pd.DataFrame:
    """One client's sales lines, newest first."""
    return client_sales(conn, client_id)


def change_log(conn: duckdb.DuckDBPyConnection, client_id: str, limit: int = 200) -> pd.DataFrame:
    """Who changed what in one client's dossier, and when, newest first."""
    return changes(conn, client_id, limit)


def record_key(entity: str) -> str:
    """The key column of a dossier record: contact_id, tender_id, competitor_id, activity_id."""
    return TABLES[entity].key


@dataclass(frozen=True)
class PurchaseHistory:
    """What the relationship-history tab shows of one client's sales lines."""

    months: pd.DataFrame
    figures: PurchaseFigures
    products: pd.DataFrame
    deliveries: pd.DataFrame


def purchase_history(conn: duckdb.DuckDBPyConnection, client_id: str) -> PurchaseHistory:
    """Purchases per month, all-time figures, products and deliveries of one client."""
    sales = client_sales(conn, client_id)
    return PurchaseHistory(
        monthly_purchases(sales), purchase_figures(sales), products(sales), deliveries(sales)
    )
