"""An upload's bytes are let go once read: the server keeps no copy of a file it has read."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

import ui.upload as upload_mod

DATA = b"Order Date,Customer,Amount\n2024-03-01,Acme,10\n" * 1000


@pytest.fixture
def manager(monkeypatch):
    mgr = MemoryUploadedFileManager("/upload")
    ctx = SimpleNamespace(uploaded_file_mgr=mgr, session_id="session")
    monkeypatch.setattr(upload_mod, "get_script_run_ctx", lambda: ctx)
    mgr.add_file("session", UploadedFileRec("f1", "march.csv", "text/csv", DATA))
    return mgr


def _chosen(mgr: MemoryUploadedFileManager) -> UploadedFile:
    (rec,) = mgr.get_files("session", ["f1"])
    return UploadedFile(rec, None)


def test_a_read_file_stays_chosen_by_name_without_its_bytes(manager):
    chosen = _chosen(manager)
    assert chosen.getvalue() == DATA
    assert upload_mod.let_go(chosen)
    (rec,) = manager.get_files("session", ["f1"])
    assert (rec.file_id, rec.name, rec.data) == ("f1", "march.csv", b"")
    # The object the session state keeps as the uploader's value holds nothing either.
    assert chosen.getvalue() == b""


def test_an_imported_file_leaves_the_uploader_and_the_server(manager):
    chosen = _chosen(manager)
    assert upload_mod.let_go(chosen, keep_chosen=False)
    assert manager.get_files("session", ["f1"]) == []


def test_outside_a_page_run_nothing_is_touched(monkeypatch):
    monkeypatch.setattr(upload_mod, "get_script_run_ctx", lambda: None)
    chosen = UploadedFile(UploadedFileRec("f1", "a.csv", "text/csv", DATA), None)
    assert not upload_mod.let_go(chosen)
    assert chosen.getvalue() == DATA
