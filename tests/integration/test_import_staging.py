"""Staged rows: read from the rows' own Arrow columns with their keys, and rows left out."""

from __future__ import annotations

import duckdb
import pandas as pd

from kam_core.store import staging


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_date": pd.to_datetime(["2024-01-05", "2024-01-05", "2024-01-06", "2024-01-07"]),
            "client_id": ["C1", "C1", "C2", "C3"],
            "client_name": ["Acme", "Acme", "Globex", "Initech"],
            "revenue": [100.0, 100.0, 29.5, -3.0],
            "source_row": [5, 6, 8, 9],
        }
    )


def _staged(cur: duckdb.DuckDBPyConnection) -> dict[int, tuple]:
    got = cur.execute("SELECT source_row, client_name, revenue, row_key FROM staged").fetchall()
    return {row: (name, revenue, key) for row, name, revenue, key in got}


def test_staged_rows_keep_their_values_and_one_key_each():
    cur = duckdb.connect()
    assert staging.stage_rows(cur, _rows()) == 4
    staged = _staged(cur)
    assert sorted(staged) == [5, 6, 8, 9]
    assert [staged[r][:2] for r in (5, 6, 8, 9)] == [
        ("Acme", 100.0),
        ("Acme", 100.0),
        ("Globex", 29.5),
        ("Initech", -3.0),
    ]
    keys = [staged[r][2] for r in (5, 6, 8, 9)]
    assert len(set(keys)) == 4  # the identical lines differ by their occurrence
    assert all(0 <= k < 2**128 for k in keys)
    types = dict(cur.execute("SELECT column_name, column_type FROM (DESCRIBE staged)").fetchall())
    assert types["row_key"] == "UHUGEINT"
    assert types["order_date"] == "DATE"
    assert types["source_row"] == "INTEGER"


def test_skipped_rows_leave_the_view_and_the_others_keep_their_keys():
    cur = duckdb.connect()
    staging.stage_rows(cur, _rows())
    before = _staged(cur)
    staging.skip_staged(cur, "SELECT 6 AS source_row UNION ALL SELECT 9 UNION ALL SELECT NULL")
    after = _staged(cur)
    assert sorted(after) == [5, 8]
    assert after == {r: before[r] for r in (5, 8)}
    staging.skip_staged(cur, "SELECT 5 AS source_row")
    assert sorted(_staged(cur)) == [8]


def test_a_frame_arrow_cannot_convert_is_staged_through_duckdb():
    rows = _rows()
    # A column of Python objects of mixed types: Arrow refuses it, DuckDB reads it as text.
    rows["order_id"] = pd.Series([1, "SO-2", 3.5, None], dtype=object)
    cur = duckdb.connect()
    assert staging.stage_rows(cur, rows) == 4
    got = cur.execute("SELECT source_row, order_id FROM staged ORDER BY source_row").fetchall()
    assert [row for row, _ in got] == [5, 6, 8, 9]
    assert got[3][1] is None


def test_keys_whose_high_halves_tie_are_told_apart_by_the_full_key(monkeypatch):
    import pyarrow as pa

    tied = pa.table({"key_high": pa.array([7, 3, 7], pa.uint64()), "key_low": [1, 2, 9]})
    apart = pa.table({"key_high": pa.array([7, 3, 8], pa.uint64()), "key_low": [1, 2, 1]})
    assert staging._may_repeat(tied)
    assert not staging._may_repeat(apart)
    assert not staging._may_repeat(apart.slice(0, 0))

    distinct = _rows().drop(index=1).reset_index(drop=True)  # no two lines alike
    cur = duckdb.connect()
    staging.stage_rows(cur, distinct)
    plain = _staged(cur)
    # The numbering pass run on lines that only might repeat changes no key.
    monkeypatch.setattr(staging, "_may_repeat", lambda _keys: True)
    cur = duckdb.connect()
    staging.stage_rows(cur, distinct)
    assert _staged(cur) == plain
    staging.stage_rows(cur, _rows())
    assert len({key for _n, _r, key in _staged(cur).values()}) == 4
