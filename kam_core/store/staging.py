"""Staging an import's rows: typed, with the content keys that recognise stored lines."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

SALES_COLUMNS = {
    "order_date": "DATE",
    "client_id": "VARCHAR",
    "client_name": "VARCHAR",
    "revenue": "DOUBLE",
    "profit": "DOUBLE",
    "quantity": "DOUBLE",
    "order_id": "VARCHAR",
    "product": "VARCHAR",
    "category": "VARCHAR",
    "manager": "VARCHAR",
    "region": "VARCHAR",
    "segment": "VARCHAR",
    "due_date": "DATE",
    "ship_date": "DATE",
    "returned": "BOOLEAN",
}
# The content key covers what identifies a transaction line, not descriptive attributes, so a
# later export that adds a Region column still recognises the rows it shares with an older one.
KEY_FIELDS = ("order_date", "client_id", "order_id", "product", "revenue", "quantity", "profit")


def _staging_frame(rows: pd.DataFrame) -> pd.DataFrame | pa.Table:
    """Return rows with every sales column present, in order, plus source_row.

    As an Arrow table where every column converts (DuckDB scans it faster than pandas'
    text columns), else as a DataFrame.
    """
    source = rows["source_row"] if "source_row" in rows else np.arange(len(rows)) + 1
    try:
        arrays = [
            pa.array(rows[name], from_pandas=True) if name in rows else pa.nulls(len(rows))
            for name in SALES_COLUMNS
        ]
        arrays.append(pa.array(source, from_pandas=True))
        return pa.Table.from_arrays(arrays, names=[*SALES_COLUMNS, "source_row"])
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    staged = pd.DataFrame(index=rows.index)
    for name in SALES_COLUMNS:
        staged[name] = rows.get(name, np.nan)
    staged["source_row"] = source
    return staged


def _content_sql() -> str:
    """The md5 (hex) of a row's transaction fields, over the typed columns."""
    parts = ", ".join(f"coalesce(CAST({f} AS VARCHAR), '')" for f in KEY_FIELDS)
    return f"md5(concat_ws(chr(31), {parts}))"


def _key_sql(occurrence: str) -> str:
    """A row's content key: the md5 of its content's md5 and its occurrence number."""
    return f"md5_number({_content_sql()} || '#' || CAST({occurrence} AS VARCHAR))"


# The 128-bit key travels to Arrow as two unsigned 64-bit halves and is put back in SQL.
_LOW_64 = "CAST(18446744073709551615 AS UHUGEINT)"


def _as_arrow(cur: duckdb.DuckDBPyConnection, staged: pd.DataFrame | pa.Table) -> pa.Table:
    """The staging frame as an Arrow table (a frame Arrow cannot convert goes through DuckDB)."""
    if isinstance(staged, pa.Table):
        return staged
    cur.register("incoming_frame", staged)
    try:
        return cur.sql("SELECT * FROM incoming_frame").to_arrow_table()
    finally:
        cur.unregister("incoming_frame")


def _halves(sql: str) -> str:
    """The 128-bit row_key of a query's rows as two unsigned 64-bit halves, in its order."""
    return (
        f"SELECT CAST(row_key >> 64 AS UBIGINT) AS key_high, "
        f"CAST(row_key & {_LOW_64} AS UBIGINT) AS key_low FROM ({sql})"
    )


def _number_repeats(cur: duckdb.DuckDBPyConnection, typed: str) -> pa.Table:
    """The keys again, the n-th line of a group of identical lines taking occurrence n."""
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE staged_keys AS "
        "SELECT (CAST(key_high AS UHUGEINT) << 64) | key_low AS row_key FROM staged_halves"
    )
    repeats = "SELECT row_key FROM staged_keys GROUP BY row_key HAVING count(*) > 1"
    # staged_keys' row ids are the rows' positions: the n-th line of a repeated group, in
    # source-row order, takes occurrence n.
    cur.execute(
        f"""UPDATE staged_keys SET row_key = r.row_key FROM (
            SELECT pos, {_key_sql("n")} AS row_key FROM (
                SELECT t.*, k.rowid AS pos, row_number() OVER (
                    PARTITION BY k.row_key ORDER BY t.source_row) AS n
                FROM ({typed}) t POSITIONAL JOIN staged_keys k
                WHERE k.row_key IN ({repeats}))
            WHERE n > 1) r
        WHERE staged_keys.rowid = r.pos"""
    )
    # staged_keys was written in the rows' order and is read back in it.
    keys = cur.sql(_halves("SELECT row_key FROM staged_keys")).to_arrow_table()
    cur.execute("DROP TABLE staged_keys")
    return keys


def _may_repeat(keys: pa.Table) -> bool:
    """True when two rows share the high half of their key (identical lines, or a rare tie)."""
    # A sort of one 64-bit column takes a fifth of the processor time of a grouped count on
    # both halves; a tie of high halves alone is resolved by _number_repeats on the full key.
    high = np.sort(keys.column("key_high").to_numpy())
    return bool((high[1:] == high[:-1]).any())


def stage_rows(cur: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> int:
    """Make the view staged: the rows, typed, with their content keys; return how many.

    The view reads the rows' own Arrow buffers with the keys beside them as two more Arrow
    columns, so a million rows are not copied a second time and every scan of it runs on all
    cores (a positional join with a table of keys ran on one). The rows stay registered on cur
    until it closes; skip_staged() leaves rows out of the view.
    """
    incoming = _as_arrow(cur, _staging_frame(rows))
    casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in SALES_COLUMNS.items())
    cur.register("incoming_rows", incoming)
    typed = f"SELECT {casts}, CAST(source_row AS INTEGER) AS source_row FROM incoming_rows"
    # Every row is keyed first as the first of its kind (one scan, one md5 of the text and
    # one of the hash), straight into Arrow; identical lines then share that key, so sorted
    # keys find them, and only those groups get their occurrence numbers.
    keys = cur.sql(_halves(f"SELECT {_key_sql('1')} AS row_key FROM ({typed})")).to_arrow_table()
    if _may_repeat(keys):
        cur.register("staged_halves", keys)
        try:
            keys = _number_repeats(cur, typed)
        finally:
            cur.unregister("staged_halves")
    keyed = incoming.append_column("key_high", keys.column("key_high"))
    keyed = keyed.append_column("key_low", keys.column("key_low"))
    del keys
    cur.register("incoming_rows", keyed)
    cur.execute("CREATE OR REPLACE TEMP TABLE skipped_rows (source_row INTEGER)")
    cur.execute(
        f"""CREATE OR REPLACE TEMP VIEW staged AS
        SELECT {casts}, CAST(source_row AS INTEGER) AS source_row,
               (CAST(key_high AS UHUGEINT) << 64) | key_low AS row_key
        FROM incoming_rows
        WHERE source_row IS NULL
           OR CAST(source_row AS INTEGER) NOT IN (SELECT source_row FROM skipped_rows)"""
    )
    return incoming.num_rows


def skip_staged(cur: duckdb.DuckDBPyConnection, source_rows: str) -> None:
    """Leave the staged rows whose source_row the query source_rows returns out of staged."""
    cur.execute(
        f"INSERT INTO skipped_rows SELECT DISTINCT source_row FROM ({source_rows}) s "
        "WHERE source_row IS NOT NULL"
    )
