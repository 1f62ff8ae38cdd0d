"""A client written once in a cell merged over its orders' rows belongs to each of them."""

from __future__ import annotations

import datetime as dt

from kam_core.importing import parse, preview
from tests.conftest import write_xlsx

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
