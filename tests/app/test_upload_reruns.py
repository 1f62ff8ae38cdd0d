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


@pytest.fixture
def written(tmp_path):
    """The export with its dates written as text, each of which reads either way (01/03/2024)."""
    rows = [["Order Date", "Customer", "Amount"]]
    rows += [[f"0{d}/03/2024", f"Client {d % 3}", 10.0 * d] for d in range(1, 10)]
    return write_xlsx(tmp_path / "march.xlsx", {"Sales": rows})


def test_clicks_on_the_page_do_not_parse_the_file_again(fresh_db, written, counted):
    at = app_at("upload")
    at.file_uploader[0].set_value((written.name, written.read_bytes(), MIME))
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


@pytest.fixture
def browser_uploads(monkeypatch):
    """Files arrive once, as from a browser, into one server-side store kept between runs."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.testing.v1 import local_script_runner

    store = MemoryUploadedFileManager("/mock/upload")
    monkeypatch.setattr(local_script_runner, "MemoryUploadedFileManager", lambda _url: store)
    registered: set[str] = set()
    real = local_script_runner.LocalScriptRunner.register_file

    def once(self, rec):
        if rec.file_id not in registered:  # AppTest uploads again at every run; a browser not
            registered.add(rec.file_id)
            real(self, rec)

    monkeypatch.setattr(local_script_runner.LocalScriptRunner, "register_file", once)
    return store


def test_the_page_works_on_without_the_files_bytes_once_read(fresh_db, written, browser_uploads):
    at = app_at("upload")
    at.file_uploader[0].set_value((written.name, written.read_bytes(), MIME))
    at.run()
    assert not at.exception and not at.error
    # Only the file's name is left with the uploader; the read file serves every later run.
    assert at.session_state[at.file_uploader[0].key].getvalue() == b""
    assert [r.data for r in _held(browser_uploads)] == [b""]
    order = next(r for r in at.radio if r.label == "Dates such as 03/04/2024 are")
    order.set_value("month").run()
    order.set_value("day").run()
    next(b for b in at.button if b.label == "Import").click()
    at.run()
    assert not at.exception
    assert "9 new rows" in texts(at)
    assert _held(browser_uploads) == []  # the imported file is gone from the server
    conn = connect(fresh_db)
    try:
        assert conn.execute("SELECT count(*) FROM sales").fetchall()[0][0] == 9
    finally:
        conn.close()


def test_a_refused_file_is_not_kept_or_read_again(fresh_db, tmp_path, browser_uploads, counted):
    bad = tmp_path / "notes.csv"
    bad.write_bytes(b"\x00\x01\x02 not a table \xff\xfe" * 50)
    at = app_at("upload")
    at.file_uploader[0].set_value((bad.name, bad.read_bytes(), "text/csv"))
    at.run()
    first = [e.value for e in at.error]
    assert first and "cannot be imported" in first[0]
    assert [r.data for r in _held(browser_uploads)] == [b""]
    at.run()  # another click: the same refusal, the file not read from nothing
    assert [e.value for e in at.error] == first


def _held(store) -> list:
    """Every uploaded file the server holds, of every session."""
    return [rec for files in store.file_storage.values() for rec in files.values()]
