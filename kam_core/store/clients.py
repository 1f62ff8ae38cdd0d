"""Reads of the client master data that the analytics need."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.ingest.fields import NAME_KEYS
from kam_core.store.db import query_df
from kam_core.store.rollup import meta_value
from kam_core.store.schema import PROFILE_FIELDS


def read_clients(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Client master data that analytics needs: flags, override, three P's, profile filled."""
    filled = " + ".join(
        f"(CASE WHEN nullif(trim(CAST({f} AS VARCHAR)), '') IS NOT NULL THEN 1 ELSE 0 END)"
        for f in PROFILE_FIELDS
    )
    return query_df(
        conn,
        f"""
        SELECT client_id, client_name, manager, is_image_maker, is_expert, type_override,
               need, solvency, authority, ({filled}) / {len(PROFILE_FIELDS)} AS completeness
        FROM clients
        """,
    )


def name_keys(conn: duckdb.DuckDBPyConnection) -> int:
    """How this database derives client ids from names (fields.normalise_label's name_keys)."""
    cur = conn.cursor()
    try:
        value = meta_value(cur, "name_keys")
    finally:
        cur.close()
    return int(value) if value and value.isdigit() else NAME_KEYS


def master_version(conn: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """A fingerprint of the clients table, so results using master data are cached safely."""
    cur = conn.cursor()
    try:
        rows = cur.execute("SELECT count(*), coalesce(sum(hash(c)), 0) FROM clients c").fetchall()
    finally:
        cur.close()
    return (int(rows[0][0]), int(rows[0][1]))
