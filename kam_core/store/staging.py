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


def stage_rows(cur: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> int:
    """Make the view staged: the rows, typed, with their content keys; return how many.

    Only the keys are stored (temp table staged_keys, in the rows' order); the view reads the
    rows' own Arrow buffers beside them, so a million rows are not copied a second time. The
    rows stay registered on cur until it closes; skip_staged() leaves rows out of the view.
    """
    incoming = _staging_frame(rows)
    casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in SALES_COLUMNS.items())
    cur.register("incoming_rows", incoming)
    typed = f"SELECT {casts}, CAST(source_row AS INTEGER) AS source_row FROM incoming_rows"
    # Every row is keyed first as the first of its kind (one scan, one md5 of the text and
    # one of the hash); identical lines then share that key, so a grouped count on the
    # 128-bit key finds them, and only those groups get their occurrence numbers.
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE staged_keys AS
        SELECT {_key_sql("1")} AS row_key, false AS skipped FROM ({typed})"""
    )
    # A positional join: staged_keys was written in the rows' order and is never reordered.
    cur.execute(
        f"""CREATE OR REPLACE TEMP VIEW staged AS
        SELECT t.*, k.row_key FROM ({typed}) t POSITIONAL JOIN staged_keys k
        WHERE NOT k.skipped"""
    )
    repeats = "SELECT row_key FROM staged_keys GROUP BY row_key HAVING count(*) > 1"
    if cur.execute(f"SELECT count(*) FROM ({repeats})").fetchall()[0][0]:
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
    return len(incoming)


def skip_staged(cur: duckdb.DuckDBPyConnection, source_rows: str) -> None:
    """Leave the staged rows whose source_row the query source_rows returns out of staged."""
    cur.execute(
        "UPDATE staged_keys SET skipped = true WHERE rowid IN (SELECT k.rowid FROM staged_keys k "
        "POSITIONAL JOIN (SELECT CAST(source_row AS INTEGER) AS source_row FROM incoming_rows) t "
        f"WHERE t.source_row IN ({source_rows}))"
    )
