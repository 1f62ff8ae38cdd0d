"""The Upload page offers every file name the reader reads, JSON lines included, and the
command line's help names the same list."""

from __future__ import annotations

import contextlib
import io

import pytest

from kam_core.cli.main import main
from kam_core.ingest.guard import SALES_SUFFIXES
from tests.support.apptest import app_at


def test_the_upload_page_offers_json_lines_and_every_name_the_reader_reads(fresh_db):
    at = app_at("upload")
    assert not at.exception
    offered = {kind.lstrip(".") for kind in at.file_uploader[0].proto.type}
    assert {"jsonl", "ndjson", "json"} <= offered
    assert offered == set(SALES_SUFFIXES)


def test_the_command_line_help_names_the_same_file_names():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(["import", "--help"])
    shown = " ".join(out.getvalue().split())
    for suffix in SALES_SUFFIXES:
        assert f".{suffix}" in shown
