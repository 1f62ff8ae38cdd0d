"""A client written once in a cell merged over its orders' rows belongs to each of them."""

from __future__ import annotations

import datetime as dt

from kam_core.importing import parse, preview
from tests.conftest import write_xlsx
from tests.hostile.fifth_cases import ods_sheet

HEADER = ["Order Date", "Client Name", "Revenue"]


def test_a_client_merged_over_rows_is_each_row_s_client_and_a_merged_amount_is_not_copied(
    tmp_path,
):
    rows = [
        HEADER,
        [dt.date(2024, 1, 5), "Acme", 100],
        [dt.date(2024, 1, 6), None, 150],
        [dt.date(2024, 1, 7), "Beta", 200],
        [dt.date(2024, 1, 8), None, None],
    ]
    path = write_xlsx(tmp_path / "m.xlsx", {"Sales": rows}, merged={"Sales": ["B2:B3", "C4:C5"]})
    parsed = parse(preview(None, path.read_bytes(), "m.xlsx"))
    assert parsed.rows["client_name"].tolist() == ["Acme", "Acme", "Beta"]
    assert parsed.rows["revenue"].tolist() == [100.0, 150.0, 200.0]
    assert parsed.rejected["row"].tolist() == [5]  # the amount is the order's, not the line's
    assert any("B2:B3" in note for note in parsed.notes)


def test_an_amount_written_as_text_merged_over_rows_is_not_copied(tmp_path):
    rows = [
        HEADER,
        [dt.date(2024, 1, 5), "Acme", "₪1,500"],
        [dt.date(2024, 1, 6), "Acme", None],
        [dt.date(2024, 1, 7), "Beta", "(300)"],
        [dt.date(2024, 1, 8), "Beta", None],
    ]
    path = write_xlsx(tmp_path / "m.xlsx", {"Sales": rows}, merged={"Sales": ["C2:C3", "C4:C5"]})
    parsed = parse(preview(None, path.read_bytes(), "m.xlsx"))
    assert parsed.rows["revenue"].tolist() == [1500.0, -300.0]
    assert not any("merged" in note for note in parsed.notes)


def _cell(value: object, extra: str = "") -> str:
    kind = 'office:value-type="string"'
    if isinstance(value, (int, float)):
        kind = f'office:value-type="float" office:value="{value}"'
    return f"<table:table-cell {kind}{extra}><text:p>{value}</text:p></table:table-cell>"


def _row(*cells: str, extra: str = "") -> str:
    return f"<table:table-row{extra}>{''.join(cells)}</table:table-row>"


def test_a_client_merged_down_in_an_opendocument_sheet_is_each_row_s_client():
    # LibreOffice writes a merge on its first cell (number-rows-spanned) and covers the cells
    # below; the rows before the header (a title, two blank rows written once) count too.
    covered = '<table:covered-table-cell office:value-type="string"><text:p>old</text:p>'
    covered += "</table:covered-table-cell>"
    blank = '<table:table-cell table:number-columns-repeated="3"/>'
    rows = (
        _row(_cell("Sales Q1"))
        + _row(blank, extra=' table:number-rows-repeated="2"')
        + _row(*(_cell(label) for label in HEADER))
        + _row(_cell("2024-01-05"), _cell("Acme", ' table:number-rows-spanned="3"'), _cell(100))
        + _row(_cell("2024-01-06"), covered, _cell(150))
        + _row(_cell("2024-01-07"), covered, _cell(175))
        + _row(_cell("2024-01-08"), _cell("Beta"), _cell(200))
    )
    parsed = parse(preview(None, ods_sheet(rows), "m.ods"))
    assert parsed.rows["client_name"].tolist() == ["Acme", "Acme", "Acme", "Beta"]
    assert parsed.rows["revenue"].tolist() == [100.0, 150.0, 175.0, 200.0]
    assert any("B5:B7" in note for note in parsed.notes)


def test_merges_laid_over_each_other_are_filled_once_not_rows_times_merges(tmp_path):
    # Merges of one column, each over every data row: filling each in turn would write rows
    # times merges cells; the rows are filled by the first and the others are let be.
    rows = [HEADER] + [[dt.date(2024, 1, 5), "Acme" if i == 0 else None, 1] for i in range(200)]
    merges = ["B2:B201"] * 200
    path = write_xlsx(tmp_path / "m.xlsx", {"Sales": rows}, merged={"Sales": merges})
    parsed = parse(preview(None, path.read_bytes(), "m.xlsx"))
    assert parsed.rows["client_name"].tolist() == ["Acme"] * 200


def test_values_hidden_under_a_merge_are_not_read(tmp_path):
    # Excel shows the merge's first cell over the rows it covers; what the cells below still
    # hold is not shown, and was stored (a client 'Hidden', an amount 999).
    rows = [
        HEADER,
        [dt.date(2024, 1, 5), "Acme", 100],
        [dt.date(2024, 1, 6), "Hidden", 150],
        [dt.date(2024, 1, 7), "Beta", 200],
        [dt.date(2024, 1, 8), "Beta", 999],
    ]
    path = write_xlsx(tmp_path / "m.xlsx", {"Sales": rows}, merged={"Sales": ["B2:B3", "C4:C5"]})
    parsed = parse(preview(None, path.read_bytes(), "m.xlsx"))
    assert parsed.rows["client_name"].tolist() == ["Acme", "Acme", "Beta"]
    assert parsed.rows["revenue"].tolist() == [100.0, 150.0, 200.0]
    assert parsed.rejected["row"].tolist() == [5]
