"""The Upload page parses a file and checks it for duplicates once, not at every click; what is
stored changing makes it check again."""

from __future__ import annotations

import datetime as dt

import pytest

import kam_core.importing as importing
from kam_core.importing import import_file
from kam_core.store import connect
from tests.conftest import write_xlsx
from tests.support.apptest import app_at, texts

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def counted(monkeypatch):
    calls = {"parse": 0, "check_duplicates": 0}
    for name in calls:
        real = getattr(importing, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(importing, name, counting)
    return calls


@pytest.fixture
def export(tmp_path):
    rows = [["Order Date", "Customer", "Amount"]]
    rows += [[dt.date(2024, 3, d), f"Client {d % 3}", 10.0 * d] for d in range(1, 10)]
    return write_xlsx(tmp_path / "march.xlsx", {"Sales": rows})


def test_clicks_on_the_page_do_not_parse_the_file_again(fresh_db, export, counted):
    at = app_at("upload")
    at.file_uploader[0].set_value((export.name, export.read_bytes(), MIME))
    at.run()
    assert counted == {"parse": 1, "check_duplicates": 1}
    order = next(r for r in at.radio if r.label == "Dates such as 03/04/2024 are")
    order.set_value("day").run()  # a rerun with the same choices
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    assert counted == {"parse": 1, "check_duplicates": 1}
    conn = connect(fresh_db)
    try:
        assert conn.execute("SELECT count(*) FROM sales").fetchall()[0][0] == 9
    finally:
        conn.close()


def test_rows_stored_meanwhile_are_checked_for_again(fresh_db, export, counted):
    at = app_at("upload")
    at.file_uploader[0].set_value((export.name, export.read_bytes(), MIME))
    at.run()
    assert "look like rows already stored" not in texts(at)
    conn = connect(fresh_db)  # another user imports the same month from another export
    try:
        other = write_xlsx(export.with_name("other.xlsx"), {"Sales": _rounded(export)})
        import_file(conn, other.read_bytes(), other.name)
    finally:
        conn.close()
    after_import = dict(counted)  # the import itself parsed its own file
    at.run()
    assert counted["parse"] == after_import["parse"]
    assert counted["check_duplicates"] == after_import["check_duplicates"] + 1
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    conn = connect(fresh_db)
    try:  # the page's rows are the other export's: stored once
        assert conn.execute("SELECT count(*) FROM sales").fetchall()[0][0] == 9
    finally:
        conn.close()


def _rounded(export) -> list[list[object]]:
    rows = [["Order Date", "Customer", "Amount", "Region"]]
    rows += [[dt.date(2024, 3, d), f"Client {d % 3}", 10.0 * d, "North"] for d in range(1, 10)]
    return rows
