"""Workbooks of a twenty-fourth round: a cell past Excel's last column (the reader spent
minutes on a sheet reaching ZZZZ, until the read's time ran out), an .xls with bytes inserted
mid-file (the reader claimed gigabytes for it, refused as needing more than 2 GB), numbers
whose value holds an XML comment or processing instruction (read up to it: '12<!-- -->00'
stored as 12)."""

from __future__ import annotations

import pytest

from kam_core.config import ImportLimits
from kam_core.ingest import read_file, worker
from kam_core.ingest.errors import ImportRefused
from tests.hostile.round23_workbook_cases import referenced_numbers
from tests.hostile.round24_fuzz_cases import (
    MARKED,
    MARKED_REVENUE,
    far_column,
    shifted_xls,
    spaced_ods,
    xlsb_stray_outside_declared,
)
from tests.integration.test_cdata_and_utf16_parts import BESIDE, FIRST, _stored


@pytest.mark.parametrize("column", ["XFE", "ZZZZ"])
@pytest.mark.parametrize("read_beside", [1 << 40, 0], ids=["scan first", "side by side"])
def test_a_cell_past_the_last_column_is_refused_at_once(column, read_beside):
    limits = ImportLimits(read_beside_bytes=read_beside, max_read_seconds=10)
    with pytest.raises(ImportRefused) as refused:
        read_file(far_column(column), "far.xlsx", limits)
    message = str(refused.value)
    assert f"its cells reach column {column}, past Excel's last column (XFD)" in message
    assert "sheet 'Sales'" in message


def test_a_cell_in_the_last_column_is_read():
    sheet = read_file(far_column("XFD"), "last.xlsx", FIRST).sheets[0]
    assert sheet.table.column(2).to_pylist()[1:] == ["10", "20", "30"]


@pytest.mark.parametrize("typed", ["", ' t="n"'], ids=["untyped", "typed as a number"])
def test_numbers_whose_values_hold_comments_are_stored_whole(tmp_path, typed):
    rows, revenue, names = _stored(tmp_path, referenced_numbers(MARKED, typed), "marked.xlsx")
    assert rows == 3
    # By hand: 1,200 + 1,500 + 800 (stored 12 + 1 + 800 before).
    assert revenue == pytest.approx(MARKED_REVENUE) == pytest.approx(3500.0)
    assert names == {client for client, _ in MARKED}


@pytest.mark.parametrize("limits", [FIRST, BESIDE], ids=["scan first", "side by side"])
def test_numbers_holding_comments_are_read_whole_both_ways(limits):
    sheet = read_file(referenced_numbers(MARKED), "marked.xlsx", limits).sheets[0]
    assert sheet.table.column(2).to_pylist() == ["Amount", "1200", "1500", "800"]


def test_an_xls_with_bytes_inserted_is_refused_as_damaged_without_reading_it(tmp_path):
    data = shifted_xls(tmp_path / "sales.xls")
    with pytest.raises(ImportRefused) as refused:
        read_file(data, "sales.xls", FIRST)
    message = str(refused.value)
    assert "sales.xls: the file is an Office container without a workbook in it" in message
    assert "more than 2 GB" not in message
    # The reader is not started: the worker stays near its own size (it reached 1.2 GB).
    assert worker.last_read().worker_peak_bytes < 600 * 1024**2


def test_an_xls_whole_is_still_read(tmp_path):
    shifted_xls(tmp_path / "sales.xls")  # writes the whole file first
    sheet = read_file((tmp_path / "sales.xls").read_bytes(), "sales.xls", FIRST).sheets[0]
    assert sheet.table.num_rows == 31


def test_an_ods_asking_for_two_billion_spaces_in_a_cell_is_refused_at_once():
    with pytest.raises(ImportRefused) as refused:
        read_file(spaced_ods([2_000_000_000]), "spaces.ods", FIRST)
    message = str(refused.value)
    assert "spaces.ods: the spreadsheet writes 2,000,000,000 spaces into a cell" in message
    assert "more than 32,767" in message
    assert "more than 2 GB" not in message
    assert worker.last_read().worker_peak_bytes < 600 * 1024**2  # it reached 1.3 GB


def test_runs_of_spaces_past_the_bound_on_text_are_refused():
    limits = ImportLimits(read_beside_bytes=1 << 40, max_text_chars=100_000)
    with pytest.raises(ImportRefused, match="writes 131,068 spaces into the file's cells"):
        read_file(spaced_ods([32_767] * 4), "spaces.ods", limits)


def test_runs_of_spaces_a_cell_holds_are_read_as_spaces():
    sheet = read_file(spaced_ods([3, 32_767]), "spaces.ods", FIRST).sheets[0]
    assert sheet.table.column(1).to_pylist()[1] == "Ac" + " " * 3 + "x" + " " * 32_767 + "x"


@pytest.mark.parametrize("read_beside", [1 << 40, 0], ids=["scan first", "side by side"])
def test_an_xlsb_stray_cell_outside_its_declared_range_is_refused_at_once(read_beside):
    # The reader worked past its minute of processor time at a gigabyte (4,000,000 columns).
    limits = ImportLimits(read_beside_bytes=read_beside, max_read_seconds=10)
    with pytest.raises(ImportRefused) as refused:
        read_file(xlsb_stray_outside_declared(), "stray.xlsb", limits)
    message = str(refused.value)
    assert "sheet 'Sales': its cells reach column HSODE, past Excel's last column" in message


def test_an_xlsb_stray_cell_near_its_declared_range_is_read():
    sheet = read_file(xlsb_stray_outside_declared(col=3), "near.xlsb", FIRST).sheets[0]
    assert sheet.table.column(1).to_pylist()[1:] == ["Smith & Sons <Ltd>", "Beta GmbH", "Gamma Co"]
    assert sheet.table.column(3).to_pylist()[1] == "1"
