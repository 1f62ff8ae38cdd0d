"""parse_sheet on a grid built by hand: skipped rows, refused rows and their reasons."""

from __future__ import annotations

from kam_core.ingest.header import detect_layout
from kam_core.ingest.validate import parse_sheet
from tests.support.grids import chunked_grid

HEADER = ["Order Date", "Customer ID", "Customer Name", "Sales", "Product", "Region"]


def test_a_repeated_header_is_skipped_and_a_row_naming_one_label_is_data():
    grid = chunked_grid(
        [
            HEADER,
            ["2024-01-05", "C1", "Acme", "100", "Widget", "North"],
            HEADER,  # printed again on the next page: skipped
            ["Date", "C2", "customer name", "Sales", "Product", "REGION"],  # 4 of 6: skipped
            ["2024-01-06", "C2", "customer name", "50", "Product", "REGION"],  # dated, an amount
            ["2024-01-07", "C3", "Globex", "70", "Product", "South"],  # one label: data
            [" 2024-01-08 ", " C4 ", "", "(12.5)", None, ""],
        ]
    )
    parsed = parse_sheet(grid, detect_layout(grid))
    assert parsed.skipped == {"blank": 0, "repeated_header": 2, "total": 0, "page_line": 0}
    assert parsed.rows["source_row"].tolist() == [2, 5, 6, 7]
    assert parsed.rows["client_id"].tolist() == ["C1", "C2", "C3", "C4"]
    assert parsed.rows["revenue"].tolist() == [100.0, 50.0, 70.0, -12.5]
    assert parsed.rows["product"].isna().tolist() == [False, False, False, True]
    assert parsed.rejected.empty


def test_refused_rows_keep_their_row_column_value_and_first_reason():
    grid = chunked_grid(
        [
            HEADER,
            ["2024-01-05", "C1", "Acme", "abc", "Widget", "North"],
            ["2024-02-30", "C2", "Globex", "1e13", "Widget", "North"],
            ["2024-01-06", "C3", "Initech", "#N/A", "Widget", "North"],
            ["2024-01-07", "C4", "Hooli", "5", "Widget", "North"],
        ],
        chunk=3,
    )
    parsed = parse_sheet(grid, detect_layout(grid))
    got = parsed.rejected[["sheet", "row", "column", "value", "reason"]].values.tolist()
    assert got == [
        ["Sales", 2, "D (Sales)", "abc", "revenue is not an amount"],
        ["Sales", 3, "A (Order Date)", "2024-02-30", "order date is not a date"],
        ["Sales", 4, "D (Sales)", "#N/A", "revenue is an Excel error value; fix the formula"],
    ]
    # The refused row's own cells follow, as the file had them.
    assert parsed.rejected["Customer Name"].tolist() == ["Acme", "Globex", "Initech"]
    assert parsed.rows["source_row"].tolist() == [5]


def test_a_header_with_its_amounts_in_another_order_rejects_its_block_not_swaps_it():
    # A report of blocks: the second header puts Profit before Sales. Read with the first
    # header's columns, its amounts would be stored swapped.
    moved = ["Order Date", "Customer ID", "Customer Name", "Product", "Sales", "Region"]
    grid = chunked_grid(
        [
            HEADER,
            ["2024-01-05", "C1", "Acme", "100", "Widget", "North"],
            moved,
            ["2024-01-06", "C2", "Globex", "Widget", "70", "South"],
            [None] * 6,
            HEADER,  # the first layout again: read as before
            ["2024-01-07", "C3", "Initech", "30", "Gadget", "East"],
        ]
    )
    parsed = parse_sheet(grid, detect_layout(grid))
    assert parsed.rows["client_id"].tolist() == ["C1", "C3"]
    assert parsed.rows["revenue"].tolist() == [100.0, 30.0]
    assert parsed.rejected["row"].tolist() == [3, 4]
    assert "another order than on row 1" in parsed.rejected["reason"].iloc[0]
    assert "under the header of row 3" in parsed.rejected["reason"].iloc[1]
    assert parsed.skipped == {"blank": 1, "repeated_header": 1, "total": 0, "page_line": 0}


def test_dates_that_leave_the_order_open_are_read_day_first_and_noted():
    rows = [["Order Date", "Customer ID", "Sales"], ["1/5/2024 2:30:00 PM", "C1", "10"]]
    rows += [["2/6/2024", "C2", "20"], ["07/07/2024", "C3", "30"]]
    parsed = parse_sheet(chunked_grid(rows), detect_layout(chunked_grid(rows)))
    assert parsed.rows["order_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-05-01",
        "2024-06-02",
        "2024-07-07",
    ]
    # The example is the date as written, without its time.
    assert any("'1/5/2024'" in note and "--monthfirst" in note for note in parsed.notes)
    decided = [*rows, ["13/5/2024", "C4", "40"]]  # a day above 12 decides: no note
    parsed = parse_sheet(chunked_grid(decided), detect_layout(chunked_grid(decided)))
    assert not any("--monthfirst" in note for note in parsed.notes)
    parsed = parse_sheet(chunked_grid(rows), detect_layout(chunked_grid(rows)), monthfirst=True)
    assert parsed.rows["order_date"].dt.strftime("%m-%d").tolist() == ["01-05", "02-06", "07-07"]
    assert not any("--monthfirst" in note for note in parsed.notes)


def test_ids_excel_rounded_are_rejected_and_its_text_prefix_is_not_part_of_an_id():
    rows = [["Order Date", "Customer ID", "Customer Name", "Sales"]]
    rows += [
        ["2024-01-05", "1.23457E+11", "Acme", "100"],
        ["2024-01-06", "1.23457E+11", "Beta", "200"],
    ]
    rows += [["2024-01-07", "'00123", "Gamma", "300"], ["2024-01-08", "00123", "Gamma", "400"]]
    rows += [["2024-01-09", "1E5-A", "Delta", "500"]]  # a code, not a rounded number
    parsed = parse_sheet(chunked_grid(rows), detect_layout(chunked_grid(rows)))
    assert parsed.rows["client_id"].tolist() == ["00123", "00123", "1E5-A"]
    assert parsed.rejected["row"].tolist() == [2, 3]
    assert "rounded by Excel" in parsed.rejected["reason"].iloc[0]


def test_a_header_of_two_columns_headed_alike_repeated_at_a_page_break_is_skipped():
    head = ["Order Date", "Customer", "Amount", "Amount", "Product"]
    grid = chunked_grid(
        [
            head,
            ["2024-01-05", "Acme", "100", "117", "W"],
            head,  # a page break: both Amount columns hold their own label
            ["2024-01-06", "Beta", "50", "58", "W"],
            ["2024-01-07", "Date", None, None, "Amount"],  # data holding two labels: no header
            ["2024-01-08", "Gamma", "70", "80", "W"],
        ]
    )
    parsed = parse_sheet(grid, detect_layout(grid))
    assert parsed.rows["client_name"].tolist() == ["Acme", "Beta", "Gamma"]
    assert parsed.skipped["repeated_header"] == 1
    assert parsed.rejected["row"].tolist() == [5]
    assert parsed.rejected["reason"].tolist() == ["revenue is missing"]


def test_a_column_writing_decimals_both_ways_says_so_in_a_note():
    rows = [["Order Date", "Customer ID", "Sales"], ["2024-01-05", "C1", "1,234.50"]]
    rows += [["2024-01-06", "C2", "2,000"], ["2024-01-07", "C3", "1,5"]]
    parsed = parse_sheet(chunked_grid(rows), detect_layout(chunked_grid(rows)))
    assert parsed.rows["revenue"].tolist() == [1234.5, 1.5]
    assert parsed.rejected["value"].tolist() == ["2,000"]
    assert any("'1,5'" in n and "'1,234.50'" in n and "rejected" in n for n in parsed.notes)


def test_a_client_written_as_a_placeholder_for_no_value_is_missing():
    from kam_core.ingest.header import detect_layout
    from kam_core.ingest.validate import parse_sheet
    from tests.support.grids import chunked_grid

    rows = [["Date", "Client", "Amount"]]
    rows += [["2024-01-05", name, "10"] for name in ("NULL", "None", "-", "n/a", "(blank)", "Nil")]
    rows.append(["2024-01-06", "Acme", "10"])
    grid = chunked_grid(rows, 4)
    parsed = parse_sheet(grid, detect_layout(grid))
    assert parsed.rows["client_name"].tolist() == ["Acme"]
    assert set(parsed.rejected["reason"]) == {"client is missing (no client id and no client name)"}
