"""The win-back editor shows a page of rows with a search; a status picked in a searched page
is stored for the client of that row, and the download still holds every row."""

from __future__ import annotations

import pytest

from kam_core.analytics.win_back import win_back_list
from kam_core.store import connect
from kam_core.store.win_back import read_win_back
from tests.support.apptest import app_at
from tests.support.pages import params_of


def editor_state(row: int, status: str) -> dict:
    return {"edited_rows": {row: {"status": status}}, "added_rows": [], "deleted_rows": []}


@pytest.mark.slow
def test_a_long_win_back_list_shows_a_page_and_saves_the_searched_client(demo_db, monkeypatch):
    monkeypatch.setattr("views.churn.win_back.ROWS", 5)
    conn = connect(demo_db)
    listed = win_back_list(conn, params_of(conn))
    conn.close()
    assert len(listed) > 5
    at = app_at("churn")
    assert not at.exception
    shown = at.data_editor[0].value
    assert list(shown["client_id"]) == list(listed["client_id"][:5])
    assert any(f"first 5 of {len(listed)} rows" in c.value for c in at.caption)

    wanted = str(listed["client_id"].iloc[-1])  # beyond the first page
    at.text_input(key="win_back:search").set_value(wanted).run()
    shown = at.data_editor[0].value
    assert list(shown["client_id"]) == [wanted]
    at.session_state[at.data_editor[0].key] = editor_state(0, "Planned")
    at.run()
    assert not at.exception
    assert any("Saved" in s.value and wanted in s.value for s in at.success)
    conn = connect(demo_db)
    stored = read_win_back(conn).set_index("client_id")
    conn.close()
    assert list(stored.index) == [wanted]
    assert stored.loc[wanted, "status"] == "planned"
