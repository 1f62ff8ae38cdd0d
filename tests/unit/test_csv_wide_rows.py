"""A CSV row cut at a separator inside an unquoted value is rejected, not stored shifted."""

import json
from pathlib import Path

import pytest

from kam_core.config import ImportLimits
from kam_core.importing import parse, preview
from kam_core.ingest.csvread import read_csv
from tests.integration.commands import kam_here

HEADER = "Order,Date,Customer ID,Customer Name,Amount,Manager\n"


def test_an_unquoted_thousands_separator_rejects_its_row_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    # Row 4's amount "1,000.00" is not quoted: split there, it would be stored as 1.00 with
    # "000.00" as its manager. The other rows are read as usual.
    text = (
        HEADER
        + "SO-1,2024-03-15,C1,Alpha Ltd,1234.50,Dana Levi\n"
        + "SO-2,2024-03-16,C2,Beta Inc,99.00,Avi Cohen\n"
        + "SO-3,2024-04-02,C2,Beta Inc,1,000.00,Avi Cohen\n"
    )
    path = tmp_path / "shifted.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = kam_here(capsys, tmp_path / "kam.duckdb", "import", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["rows_imported"] == 2
    assert report["rows_rejected"] == 1
    (rejected,) = report["rejected"]
    assert rejected["row"] == 4
    assert "beyond the header's last column" in rejected["reason"]
    # The value shown is the line as read, where the user finds the unquoted 1,000.00.
    assert rejected["value"] == "SO-3,2024-04-02,C2,Beta Inc,1,000.00,Avi Cohen"
    assert report["revenue"] == 1333.5  # 1234.50 + 99.00, nothing of the shifted row


def rejected(data: str | bytes, name: str = "t.csv") -> dict[int, str]:
    """The rows an import of the file would reject (as the sheet numbers them), with reasons."""
    parsed = parse(preview(None, data.encode() if isinstance(data, str) else data, name))
    return dict(zip(parsed.rejected["row"], parsed.rejected["reason"], strict=True))


def test_title_rows_and_a_trailing_empty_field_are_not_wide():
    text = (
        "Sales report\n\n"
        + HEADER
        + "SO-1,2024-03-15,C1,Alpha Ltd,10,Dana Levi\n"
        + "SO-2,2024-03-16,C2,Beta Inc,20,Avi Cohen\n"
        + "SO-3,2024-03-17,C3,Gamma,30,Avi Cohen,\n"
        + "SO-4,2024-03-18,C4,Delta,40,Avi Cohen, \n"
        + 'SO-5,2024-03-19,C5,Epsilon,50,Avi Cohen,""\n'
        + "SO-6,2024-03-20,C6,Zeta,60,Dana Levi\n"
    )
    assert rejected(text) == {}


def test_the_usual_width_is_read_fast_even_when_an_early_row_is_wide():
    rows = [f"SO-{i},2024-03-15,C{i},Client {i},{i},Dana Levi\n" for i in range(1, 60)]
    rows[2] = "SO-3,2024-03-15,C3,Client 3,1,000,Dana Levi\n"
    text = HEADER + "".join(rows)
    grid, _notes = read_csv(text.encode(), "t.csv", ImportLimits())
    assert grid.table.num_rows == 60
    assert grid.table.column("c4").to_pylist()[1] == "1"
    assert list(rejected(text)) == [4]  # the header is row 1


def test_a_value_in_the_trailing_separators_column_is_wide():
    # Every data row ends in a separator, so its usual width is one more than the header's:
    # the shifted "000,50" stands where the others hold nothing.
    text = (
        "Order;Date;Customer;Customer Name;Amount\n"
        "SO-1;01.03.2024;C1;Alpha;10;\n"
        "SO-2;02.03.2024;C2;Beta;20;\n"
        "SO-3;03.03.2024;C1;Alpha;1;000,50;\n"
    )
    reasons = rejected(text)
    assert list(reasons) == [4]
    assert "beyond the header's last column" in reasons[4]


def test_a_note_beside_a_workbooks_data_is_not_wide(make_xlsx):
    path = make_xlsx(
        {"Sales": [HEADER.strip().split(","), ["SO-1", "2024-03-15", "C1", "A", 10, "D", "note"]]}
    )
    assert rejected(path.read_bytes(), "t.xlsx") == {}


def test_many_rows_a_field_wider_than_the_sample_make_the_width():
    from collections import Counter

    from kam_core.ingest.csvread import _wider

    assert _wider(Counter({4: 60, 5: 3_000_000}), 4) == 5  # most rows: read 5 wide
    assert _wider(Counter({4: 900_000, 5: 20_000}), 4) == 5  # very many
    assert _wider(Counter({4: 900_000, 5: 30, 3: 10}), 4) is None  # a few: placed by hand
    assert _wider(Counter({4: 10, 60: 50_000}), 4) is None  # far wider: a quote never closed


def test_a_line_break_in_an_unquoted_name_rejects_both_pieces_and_keeps_the_rest():
    text = (
        HEADER
        + "SO-1,2024-03-15,C1,Alpha Ltd,10,Dana Levi\n"
        + "SO-2,2024-03-16,C2,Beta\n"  # the name goes on in the next line
        + "Inc,20,Avi Cohen\n"
        + "SO-3,2024-03-17,C3,Gamma,30\n"  # the manager left off: padded, not a piece
        + "SO-4,2024-03-18,C4,Delta,40,Avi Cohen\n"
    )
    found = rejected(text)
    assert sorted(found) == [3, 4]
    assert "cuts this row in two" in found[3]
    assert "cuts the row before in two" in found[4]
    parsed = parse(preview(None, text.encode(), "t.csv"))
    assert parsed.rows["order_id"].tolist() == ["SO-1", "SO-3", "SO-4"]


def test_two_short_rows_that_do_not_make_one_row_are_not_called_cut():
    # Each row leaves off its two last fields (4 + 4 - 1 = 7, not the header's 6 columns).
    text = HEADER + "SO-1,2024-03-15,C1,Alpha\nSO-2,2024-03-16,C2,Beta\n"
    assert all("line break" not in why for why in rejected(text).values())


def test_a_valid_short_row_and_a_short_rejected_row_are_not_called_cut():
    # 5 + 2 - 1 fields make the header's 6, but the first row is a sale of its own.
    text = HEADER + "SO-1,2024-03-15,C1,Alpha,10\nSO-2,2024-03-16\n"
    found = rejected(text)
    assert list(found) == [3]
    assert "line break" not in found[3]


def test_two_rows_each_missing_its_amount_are_not_called_one_cut_row():
    text = "Order,Date,Customer,Amount\nO1,2024-01-05,Acme\nO2,2024-01-06\nO3,2024-01-07,C,5\n"
    found = rejected(text)
    assert sorted(found) == [2, 3]
    assert all("line break" not in why for why in found.values())


def test_a_quote_left_open_in_an_unmapped_column_rejects_the_row_that_swallowed_the_next():
    text = (
        "Date,Client,Revenue,Product,Folder\n"
        '2024-01-05,Acme,100,Nut,"open\n2024-01-06,Beta,150,Bolt,closed"\n'
        "2024-01-07,Gamma,170,Nut,x\n"
        '2024-01-08,Delta,180,Nut,"two\nlines, fine"\n'  # a note of two lines is no row
    )
    found = rejected(text)
    assert list(found) == [2]
    assert "closed only in a later line" in found[2]


def test_the_line_shown_quotes_a_value_the_file_quoted():
    text = 'Order Date,Customer,Amount\n2024-01-05,"Gamma, Inc","1,000.00",x\n2024-01-06,Beta,5\n'
    parsed = parse(preview(None, text.encode(), "t.csv"))
    (value,) = parsed.rejected["value"]
    assert value == '2024-01-05,"Gamma, Inc","1,000.00",x'
