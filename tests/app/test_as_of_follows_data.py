"""The sidebar's as-of date follows the data while the user keeps the default, stays where the
user put it, and moves into the data's range when an import is removed."""

from __future__ import annotations

from datetime import date

import pytest

from kam_core.services.data import undo_import
from kam_core.store import connect
from tests.support.apptest import app_at, import_into

pytestmark = pytest.mark.usefixtures("empty_view_cache")

FIRST = b"Order Date,Customer,Amount\n2024-01-05,Acme,100\n2024-02-06,Beta,50\n"
LATER = b"Order Date,Customer,Amount\n2024-05-20,Gamma,10\n"


def _undo_latest(db) -> None:
    conn = connect(db)
    try:
        (upload_id,) = conn.execute("SELECT max(upload_id) FROM uploads").fetchone()
        assert undo_import(conn, upload_id) == 1
    finally:
        conn.close()


def _figures(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_default_as_of_moves_to_a_later_import(fresh_db):
    import_into(fresh_db, FIRST, "first.csv")
    at = app_at("overview")
    assert at.date_input(key="p_as_of").value == date(2024, 2, 6)
    import_into(fresh_db, LATER, "later.csv")  # another user's next quarter
    at.run()
    assert not at.exception
    assert at.date_input(key="p_as_of").value == date(2024, 5, 20)
    assert _figures(at)["Clients"] == "3"  # the 12 months to 20 May 2024 hold all three


def test_a_date_the_user_chose_stays_after_an_import(fresh_db):
    import_into(fresh_db, FIRST, "first.csv")
    at = app_at("overview")
    at.date_input(key="p_as_of").set_value(date(2024, 1, 31)).run()
    import_into(fresh_db, LATER, "later.csv")
    at.run()
    assert not at.exception
    assert at.date_input(key="p_as_of").value == date(2024, 1, 31)
    assert _figures(at)["Clients"] == "1"  # Acme only, up to the chosen date


def test_an_as_of_the_data_no_longer_reaches_moves_into_range(fresh_db):
    import_into(fresh_db, FIRST, "first.csv")
    import_into(fresh_db, LATER, "later.csv")
    at = app_at("overview")
    at.date_input(key="p_as_of").set_value(date(2024, 5, 1)).run()
    _undo_latest(fresh_db)  # the later import removed on the Upload page
    at.run()
    assert not at.exception
    assert at.date_input(key="p_as_of").value == date(2024, 2, 6)
    assert _figures(at)["Clients"] == "2"
