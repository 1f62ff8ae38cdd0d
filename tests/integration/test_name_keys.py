"""Client ids from names: a database holding sales from before the marks rule keeps its ids."""

from __future__ import annotations

import duckdb

from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.clients import name_keys
from kam_core.store.schema import MIGRATIONS

CSV = "Order Date,Customer,Amount\n2024-01-05,{name},100\n"
POINTED = 'שָׁלוֹם בע"מ'  # Hebrew with vowel points


def _database_at(path, version: int, client_id: str, name: str) -> None:
    """A database of schema version `version` holding one sale of the given client."""
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for script in MIGRATIONS[:version]:
        old.execute(script)
    old.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(version)])
    old.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue) "
        "VALUES (1, 1, DATE '2024-01-01', ?, ?, 9.5)",
        [client_id, name],
    )
    old.close()


def _stored_ids(conn) -> list[str]:
    rows = conn.execute("SELECT client_id FROM sales ORDER BY source_row").fetchall()
    return [r[0] for r in rows]


def test_a_new_database_derives_ids_keeping_letters_whole(tmp_path):
    conn = connect(tmp_path / "new.duckdb")
    try:
        assert name_keys(conn) == 5
        import_file(conn, CSV.format(name=POINTED).encode(), "a.csv")
        assert _stored_ids(conn) == ["שלום בעמ"]  # points dropped, one word
    finally:
        conn.close()


def test_a_database_holding_sales_from_before_keeps_the_ids_it_made(tmp_path):
    path = tmp_path / "old.duckdb"
    # The id an earlier version derived from the pointed name: every mark was a space.
    _database_at(path, 6, "ש לו ם בעמ", POINTED)
    conn = connect(path)
    try:
        assert name_keys(conn) == 1
        import_file(conn, CSV.format(name=POINTED).encode(), "b.csv")
        ids = {r[0] for r in conn.execute("SELECT client_id FROM sales").fetchall()}
        assert ids == {"ש לו ם בעמ"}  # the same client as before
    finally:
        conn.close()


IDS = (
    "Order Date,Client ID,Customer,Amount\n2024-01-05,\u200fC1,Acme,100\n2024-01-06,Ｃ１,Acme,50\n"
)


def test_ids_written_with_marks_are_one_client_in_a_new_database(tmp_path):
    conn = connect(tmp_path / "new.duckdb")
    try:
        import_file(conn, IDS.encode(), "ids.csv")
        assert set(_stored_ids(conn)) == {"C1"}
    finally:
        conn.close()


def test_a_database_holding_sales_keeps_its_ids_so_a_file_imported_again_adds_nothing(tmp_path):
    # Its ids were stored as written ('\u200fC1'): read without the mark, the same file's
    # rows would be new rows, its revenue counted twice.
    path = tmp_path / "v7.duckdb"
    _database_at(path, 7, "Z9", "Zed")
    conn = connect(path)
    try:
        assert name_keys(conn) == 2  # sales were stored: ids stay as they were made
        first, _, _ = import_file(conn, IDS.encode(), "ids.csv")
        again, _, _ = import_file(conn, IDS.encode(), "ids again.csv")
        assert set(_stored_ids(conn)) == {"Z9", "\u200fC1", "Ｃ１"}
        assert (first.rows_imported, again.rows_imported, again.rows_duplicate) == (2, 0, 2)
    finally:
        conn.close()


TATWEEL = "Order Date,Customer,Amount\n2024-01-05,عـلي,100\n2024-01-06,علي,50\n"


def test_a_name_stretched_with_tatweel_is_the_same_client_in_a_new_database(tmp_path):
    conn = connect(tmp_path / "new.duckdb")
    try:
        import_file(conn, TATWEEL.encode(), "a.csv")
        assert set(_stored_ids(conn)) == {"علي"}
    finally:
        conn.close()


def test_a_database_holding_sales_keeps_its_tatweel_ids(tmp_path):
    path = tmp_path / "v8.duckdb"
    _database_at(path, 8, "عـلي", "عـلي")
    conn = connect(path)
    try:
        assert name_keys(conn) == 3
        import_file(conn, TATWEEL.encode(), "b.csv")
        assert set(_stored_ids(conn)) == {"عـلي", "علي"}  # as that database made them
    finally:
        conn.close()


QUOTED = (
    "Order Date,Customer,Amount\n"
    "2024-01-05,McDonald's,100\n"
    "2024-01-06,McDonald’s,50\n"
    '2024-01-07,"אור תעשיות בע""מ",70\n'
    "2024-01-08,אור תעשיות בע”מ,30\n"
    "2024-01-09,ООО «Ромашка»,20\n"
    '2024-01-10,"ООО ""Ромашка""",10\n'
)


def test_names_written_with_typographic_quotes_are_one_client_in_a_new_database(tmp_path):
    conn = connect(tmp_path / "new.duckdb")
    try:
        import_file(conn, QUOTED.encode(), "a.csv")
        assert _stored_ids(conn) == ["mcdonalds"] * 2 + ["אור תעשיות בעמ"] * 2 + ["ооо ромашка"] * 2
    finally:
        conn.close()


def test_a_database_holding_sales_keeps_its_quote_ids(tmp_path):
    path = tmp_path / "v9.duckdb"
    _database_at(path, 9, "mcdonald s", "McDonald’s")
    conn = connect(path)
    try:
        assert name_keys(conn) == 4
        import_file(
            conn, "Order Date,Customer,Amount\n2024-01-06,McDonald’s,50\n".encode(), "b.csv"
        )
        assert set(_stored_ids(conn)) == {"mcdonald s"}  # as that database made it
    finally:
        conn.close()
