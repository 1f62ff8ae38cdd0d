"""Client ids from names: a database holding sales from before the marks rule keeps its ids."""

from __future__ import annotations

import duckdb

from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.clients import name_keys
from kam_core.store.schema import MIGRATIONS

CSV = "Order Date,Customer,Amount\n2024-01-05,{name},100\n"
POINTED = 'שָׁלוֹם בע"מ'  # Hebrew with vowel points


def _stored_ids(conn) -> list[str]:
    rows = conn.execute("SELECT client_id FROM sales ORDER BY source_row").fetchall()
    return [r[0] for r in rows]


def test_a_new_database_derives_ids_keeping_letters_whole(tmp_path):
    conn = connect(tmp_path / "new.duckdb")
    try:
        assert name_keys(conn) == 2
        import_file(conn, CSV.format(name=POINTED).encode(), "a.csv")
        assert _stored_ids(conn) == ["שלום בעמ"]  # points dropped, one word
    finally:
        conn.close()


def test_a_database_holding_sales_from_before_keeps_the_ids_it_made(tmp_path):
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for script in MIGRATIONS[:6]:
        old.execute(script)
    old.execute("INSERT INTO meta VALUES ('schema_version', '6')")
    # The id an earlier version derived from the pointed name: every mark was a space.
    old.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue) "
        "VALUES (1, 1, DATE '2024-01-01', 'ש לו ם בעמ', ?, 9.5)",
        [POINTED],
    )
    old.close()
    conn = connect(path)
    try:
        assert name_keys(conn) == 1
        import_file(conn, CSV.format(name=POINTED).encode(), "b.csv")
        ids = {r[0] for r in conn.execute("SELECT client_id FROM sales").fetchall()}
        assert ids == {"ש לו ם בעמ"}  # the same client as before
    finally:
        conn.close()
