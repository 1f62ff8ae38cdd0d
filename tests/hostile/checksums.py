"""Fingerprints of every table, to prove a database did or did not change."""

from __future__ import annotations

import duckdb


def table_names(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The database's own tables (not temporary ones), sorted."""
    rows = conn.execute(
        """SELECT table_name FROM duckdb_tables()
           WHERE NOT temporary AND database_name = current_database() AND schema_name = 'main'
           ORDER BY table_name"""
    ).fetchall()
    return [r[0] for r in rows]


def table_checksums(
    conn: duckdb.DuckDBPyConnection, skip_meta: tuple[str, ...] = ()
) -> dict[str, tuple[int, str]]:
    """Row count and the sum of every row's hash (all columns), per table: order-free, exact.

    skip_meta leaves those meta keys out (a restore moves data_version on, on purpose).
    """
    out = {}
    for name in table_names(conn):
        where = ""
        params: list[object] = []
        if name == "meta" and skip_meta:
            where = f"WHERE key NOT IN ({', '.join('?' for _ in skip_meta)})"
            params = list(skip_meta)
        row = conn.execute(
            f"""SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0), bit_xor(hash(t))
                FROM "{name}" t {where}""",
            params,
        ).fetchone()
        out[name] = (int(row[0]), f"{row[1]}:{row[2]}")
    return out
