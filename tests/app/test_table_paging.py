"""Long client tables show a page of rows with a search and a 'show all' switch."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui.tables import ROW_LIMIT, search_rows


def _table_app(rows: int) -> None:
    import pandas as pd

    from ui.tables import client_table

    frame = pd.DataFrame(
        {
            "client_id": [f"C{i:04d}" for i in range(rows)],
            "client_name": [f"Client {i}" for i in range(rows)],
            "manager": ["Dana Levi" if i % 10 == 0 else "Oren Katz" for i in range(rows)],
            "revenue": [float(rows - i) for i in range(rows)],
        }
    )
    client_table(frame, key="clients", stem="clients")


def run_table(rows: int) -> AppTest:
    at = AppTest.from_function(_table_app, kwargs={"rows": rows}, default_timeout=30)
    return at.run()


def test_a_short_table_shows_every_row_and_no_search():
    at = run_table(ROW_LIMIT)
    assert not at.exception
    assert len(at.dataframe[0].value) == ROW_LIMIT
    assert not at.text_input and not at.toggle


def test_a_long_table_shows_its_first_rows_and_says_so():
    at = run_table(ROW_LIMIT + 100)
    shown = at.dataframe[0].value
    assert len(shown) == ROW_LIMIT
    assert list(shown["client_id"][:2]) == ["C0000", "C0001"]
    assert any(f"first {ROW_LIMIT:,} of {ROW_LIMIT + 100:,} rows" in c.value for c in at.caption)


def test_the_search_finds_rows_beyond_the_first_page():
    at = run_table(ROW_LIMIT + 100)
    at.text_input(key="clients:search").set_value(f"C{ROW_LIMIT + 42:04d}").run()
    assert list(at.dataframe[0].value["client_id"]) == [f"C{ROW_LIMIT + 42:04d}"]


def test_a_search_matching_many_rows_is_limited_too_and_show_all_lifts_the_limit():
    rows = 10 * ROW_LIMIT + 10  # one in ten is Dana's: ROW_LIMIT + 1 rows match
    at = run_table(rows)
    at.text_input(key="clients:search").set_value("dana").run()
    assert len(at.dataframe[0].value) == ROW_LIMIT
    at.toggle(key="clients:all").set_value(True).run()
    assert len(at.dataframe[0].value) == ROW_LIMIT + 1
    at.text_input(key="clients:search").set_value("").run()
    assert len(at.dataframe[0].value) == rows


def test_search_rows_ignores_case_and_numbers():
    frame = pd.DataFrame({"client_name": ["Acme", "Beta", "ACME Two"], "revenue": [1.0, 2.0, 3.0]})
    assert list(search_rows(frame, "acme")["client_name"]) == ["Acme", "ACME Two"]
    assert search_rows(frame, "2").empty  # the amounts are not searched
    assert len(search_rows(frame, "  ")) == 3
