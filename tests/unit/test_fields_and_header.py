"""Header detection and column mapping: the importer finds the sales table on its own."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from kam_core.importing import check_layout, preview
from kam_core.ingest import ImportRefused, apply_mapping, choose_sheet, detect_layout, read_file
from kam_core.ingest.fields import normalise_label
from kam_core.ingest.header import auto_map, match_label
from kam_core.ingest.read import SheetGrid, column_letter
from tests.conftest import SALES_HEADER, quarter_rows


def grid(rows: list[list[object]], name: str = "Sheet1") -> SheetGrid:
    """A sheet as the reader returns it: text cells, None for empty ones."""
    width = max(len(r) for r in rows)
    cols = {
        f"c{i}": pa.array(
            [None if i >= len(r) or r[i] is None else str(r[i]) for r in rows], pa.string()
        )
        for i in range(width)
    }
    return SheetGrid(name, pa.table(cols), 1, tuple(column_letter(i) for i in range(width)))


def book_of(path):
    return read_file(path.read_bytes(), path.name)


# --- synonyms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Order Date", "order_date"),
        ("DATE", "order_date"),
        ("תאריך", "order_date"),
        ("Дата", "order_date"),
        ("Customer", "client_name"),
        ("Client", "client_name"),
        ("Account", "client_name"),
        ("customer_name", "client_name"),
        ("  Customer-Name: ", "client_name"),
        ("לקוח", "client_name"),
        ("שם לקוח", "client_name"),
        ("Клиент", "client_name"),
        ("КОНТРАГЕНТ", "client_name"),
        ("Customer ID", "client_id"),
        ("ח.פ.", "client_id"),
        ("Sales", "revenue"),
        ("Amount", "revenue"),
        ("Revenue", "revenue"),
        ("Total", "revenue"),
        ("סכום", "revenue"),
        ("מחזור", "revenue"),
        ('סה"כ', "revenue"),
        ("Сумма", "revenue"),
        ("Выручка", "revenue"),
        ("Net Sales ILS", "revenue"),
        ("Amount (ILS)", "revenue"),
        ("Sales Rep", "manager"),
        ("sales-rep", "manager"),
        ("Sales Rep Name", "manager"),
        ("סוכן", "manager"),
        ("Менеджер", "manager"),
        ("Qty", "quantity"),
        ("Кол-во", "quantity"),
        ("Order No.", "order_id"),
        ("Promised Date", "due_date"),
        ("Ship Date", "ship_date"),
        ("Returned", "returned"),
        ("החזרה", "returned"),
        ("Возврат", "returned"),
    ],
)
def test_header_synonym_maps_to_its_field_whatever_the_case_spaces_and_punctuation(label, field):
    assert match_label(label)[0] == field


def test_a_header_no_synonym_matches_maps_to_nothing():
    assert match_label("Remarks") == (None, 0.0)
    assert match_label("") == (None, 0.0)
    assert match_label(None) == (None, 0.0)


def test_normalise_label_drops_case_punctuation_quotes_and_extra_spaces():
    assert normalise_label("  Customer_Name: ") == "customer name"
    assert normalise_label('סה"כ') == normalise_label("סה״כ") == "סהכ"
    assert normalise_label("Кол-во") == "кол во"


def test_sales_rep_column_maps_to_manager_and_sales_column_to_revenue():
    mapping = auto_map(["Date", "Sales Rep", "Customer", "Sales"])
    assert mapping == {"order_date": 0, "manager": 1, "client_name": 2, "revenue": 3}


def test_each_field_takes_one_column_and_the_exact_synonym_beats_a_partial_one():
    # "Net Sales ILS" only contains a synonym; "Amount" is one.
    mapping = auto_map(["Date", "Customer", "Net Sales ILS", "Amount"])
    assert mapping["revenue"] == 3
    assert list(mapping.values()).count(3) == 1


# --- header row ------------------------------------------------------------------------------


def test_header_on_the_first_row_is_found():
    layout = detect_layout(grid([SALES_HEADER, ["2024-01-05", "Acme", "100", "Dana"]]))
    assert layout.header_row == 1
    assert layout.mapping == {"order_date": 0, "client_name": 1, "revenue": 2, "manager": 3}


def test_header_on_row_six_below_title_print_date_and_blank_rows_is_found(make_xlsx):
    rows = [
        ["Quarterly sales report"],
        ["Printed on 01/07/2024"],
        [],
        ["Company: Example Ltd"],
        [],
        SALES_HEADER,
        *quarter_rows([1]),
    ]
    layout = choose_sheet(book_of(make_xlsx({"Report": rows})))
    assert (layout.sheet, layout.header_row) == ("Report", 6)
    assert layout.mapping_labels() == {
        "order_date": "Order Date",
        "client_name": "Customer",
        "revenue": "Amount",
        "manager": "Sales Rep",
    }


def test_header_on_row_forty_is_found():
    rows: list[list[object]] = [[f"Note {i}"] for i in range(1, 40)]
    rows += [SALES_HEADER, ["2024-01-05", "Acme", "100", "Dana"]]
    layout = detect_layout(grid(rows))
    assert layout.header_row == 40
    assert layout.header_index == 39


def test_the_sales_sheet_is_picked_among_instructions_orders_returns_and_people(make_xlsx):
    path = make_xlsx(
        {
            "Instructions": [["How to fill in this workbook"], ["Enter one line per order"]],
            "Orders": [["Order No", "Warehouse", "Status"], ["SO-1", "North", "Open"]],
            "Sales": [["Order No", *SALES_HEADER], ["SO-1", dt.date(2024, 1, 5), "Acme", 100]],
            "Returns": [["Return Date", "Order No"], [dt.date(2024, 2, 1), "SO-1"]],
            "People": [["Name", "Region", "Manager"], ["Dana", "North", "Ori"]],
        }
    )
    layout = choose_sheet(book_of(path))
    assert layout.sheet == "Sales"
    assert layout.missing_required() == []


def test_the_user_can_pick_another_sheet_by_name(make_xlsx):
    path = make_xlsx({"Sales": [SALES_HEADER], "Archive": [SALES_HEADER]})
    assert choose_sheet(book_of(path), "Archive").sheet == "Archive"
    with pytest.raises(ImportRefused, match=r"no sheet 'Nope'.*Sales, Archive"):
        choose_sheet(book_of(path), "Nope")


def test_a_visible_sheet_wins_a_tie_with_a_hidden_one(make_xlsx):
    path = make_xlsx({"Lookup": [SALES_HEADER], "Data": [SALES_HEADER]}, hidden=["Lookup"])
    assert choose_sheet(book_of(path)).sheet == "Data"


def test_hebrew_and_russian_headers_are_mapped(make_xlsx):
    hebrew = ["תאריך", "שם לקוח", 'סה"כ', "סוכן"]
    russian = ["Дата", "Контрагент", "Сумма", "Менеджер"]
    for header in (hebrew, russian):
        path = make_xlsx({"Лист1": [header, [dt.date(2024, 1, 5), "Acme", 100, "Dana"]]})
        layout = choose_sheet(book_of(path))
        assert layout.mapping == {"order_date": 0, "client_name": 1, "revenue": 2, "manager": 3}


def test_a_blank_header_cell_takes_its_column_letter():
    layout = detect_layout(grid([["Order Date", "Customer", None, "Amount"], ["2024-01-05"]]))
    assert layout.columns == ["Order Date", "Customer", "Column C", "Amount"]
    assert layout.mapping["revenue"] == 3


def test_a_header_cell_under_a_merged_title_takes_the_label_above(make_xlsx):
    # A1:A2 is merged: "Order Date" sits in A1 and the header row is row 2.
    rows = [
        ["Order Date", "Customer", "Amounts", None],
        [None, "Customer ID", "Net Sales", "Gross Profit"],
        [dt.date(2024, 1, 5), "C001", 100, 30],
    ]
    layout = choose_sheet(book_of(make_xlsx({"Sales": rows}, merged={"Sales": ["A1:A2"]})))
    assert layout.header_row == 2
    assert layout.columns == ["Order Date", "Customer ID", "Net Sales", "Gross Profit"]
    assert layout.mapping_labels() == {
        "order_date": "Order Date",
        "client_id": "Customer ID",
        "revenue": "Net Sales",
        "profit": "Gross Profit",
    }


def test_duplicate_column_names_get_unique_labels():
    layout = detect_layout(grid([["Date", "Customer", "Amount", "Amount", "amount"]]))
    assert layout.columns == ["Date", "Customer", "Amount", "Amount (2)", "amount (3)"]
    assert layout.mapping["revenue"] == 2


# --- mapping by hand -------------------------------------------------------------------------


def test_apply_mapping_accepts_a_column_label_or_a_column_letter():
    layout = detect_layout(grid([["Date", "Customer", "Amount", "Amount"]]))
    by_label = apply_mapping(layout, {"revenue": "Amount (2)"})
    by_letter = apply_mapping(layout, {"revenue": "d"})
    assert by_label.mapping["revenue"] == by_letter.mapping["revenue"] == 3
    assert by_label.mapping_labels()["revenue"] == "Amount (2)"


def test_apply_mapping_moves_a_column_from_the_field_that_held_it():
    layout = detect_layout(grid([["Date", "Customer", "Total", "Sales Rep"]]))
    remapped = apply_mapping(layout, {"client_id": "Customer"})
    assert "client_name" not in remapped.mapping
    assert remapped.mapping["client_id"] == 1


def test_apply_mapping_with_an_empty_column_unmaps_the_field():
    layout = detect_layout(grid([SALES_HEADER]))
    assert "manager" not in apply_mapping(layout, {"manager": ""}).mapping


def test_apply_mapping_names_the_columns_when_one_is_unknown():
    layout = detect_layout(grid([SALES_HEADER]))
    with pytest.raises(ImportRefused, match=r"no column 'Price'.*Order Date, Customer, Amount"):
        apply_mapping(layout, {"revenue": "Price"})
    with pytest.raises(ImportRefused, match="Unknown field 'price'"):
        apply_mapping(layout, {"price": "Amount"})


def test_missing_required_columns_are_named_in_the_error(make_xlsx):
    path = make_xlsx({"Sales": [["Order Date", "Region", "Remarks"], [dt.date(2024, 1, 5)]]})
    pre = preview(None, path.read_bytes(), path.name)
    assert pre.layout.missing_required() == ["revenue", "client_id or client_name"]
    with pytest.raises(ImportRefused) as err:
        check_layout(pre)
    message = str(err.value)
    assert "no column recognised for revenue, the client (an id or a name)" in message
    assert "Order Date, Region, Remarks" in message
    assert "--map revenue=COLUMN --map client_name=COLUMN" in message


def test_a_client_id_alone_satisfies_the_client_requirement():
    layout = detect_layout(grid([["Date", "Customer ID", "Amount"]]))
    assert layout.missing_required() == []


def test_the_same_header_gives_the_same_signature_whatever_the_case_or_spacing():
    one = detect_layout(grid([["Order Date", "Customer", "Amount"]]))
    two = detect_layout(grid([["order  date", "CUSTOMER", "amount"]]))
    other = detect_layout(grid([["Order Date", "Customer", "Net"]]))
    assert one.signature() == two.signature() != other.signature()


def test_a_sheet_per_month_is_read_one_at_a_time_and_the_others_are_named(make_xlsx):
    month = [SALES_HEADER, [dt.date(2024, 1, 5), "Acme", 100, "Dana"]]
    path = make_xlsx(
        {
            "Jan": month,
            "Feb": month,
            "Notes": [["Read me"]],
            "Lookup": month,
            "Mar": month,
        },
        hidden=["Lookup"],
    )
    layout = choose_sheet(book_of(path))
    assert (layout.sheet, layout.others) == ("Jan", ("Feb", "Mar"))
    pre = preview(None, path.read_bytes(), path.name)
    assert any("2 other sheets hold sales columns too ('Feb', 'Mar')" in n for n in pre.notes)
    # A sheet the user chose names the others too: they can be imported with it.
    assert choose_sheet(book_of(path), "Feb").others == ("Jan", "Mar")


@pytest.mark.parametrize("label", ["Margin %", "Margin (%)", "Profit %", "רווח %", "Маржа, %"])
def test_a_column_in_percent_is_not_taken_for_an_amount(label):
    from kam_core.ingest.header import auto_map, match_label

    assert match_label(label) == (None, 0.0)
    assert "profit" not in auto_map(["Order Date", "Customer", "Revenue", label])


@pytest.mark.parametrize("label", ["Amount incl. 17% VAT", "Revenue (100%)"])
def test_a_rate_named_in_an_amount_s_label_does_not_make_it_a_share(label):
    from kam_core.ingest.header import match_label

    assert match_label(label)[0] == "revenue"


@pytest.mark.parametrize(
    ("gross", "net"),
    [
        ('סה"כ כולל מע"מ', 'סה"כ לפני מע"מ'),
        ("Amount incl. VAT", "Amount excl. VAT"),
        ("Revenue (gross)", "Revenue (net)"),
        ("Revenue after VAT", "Revenue before VAT"),
        ("Amount with VAT", "Amount without VAT"),
        ("Total (incl. tax)", "Subtotal (excl. tax)"),
        ("Сумма с НДС", "Сумма без НДС"),
        ("Amount", "Amount excl. VAT"),
    ],
)
def test_revenue_is_the_column_net_of_vat_whichever_comes_first(gross, net):
    for labels in (["Date", "Client", gross, net], ["Date", "Client", net, gross]):
        assert labels[auto_map(labels)["revenue"]] == net


@pytest.mark.parametrize(
    ("revenue", "other"),
    [
        ("Amount incl. VAT", "VAT Amount"),
        ("Gross Sales", "Sales Tax"),
        ("Total incl. VAT", "Total VAT"),
        ('סה"כ כולל מע"מ', 'סה"כ מע"מ'),
        ("Стоимость с НДС", "Сумма НДС"),
        ("Сумма", "Сумма скидки без НДС"),
        ("Line Total", "Unit value excl. VAT"),
        ("Amount", "Tax amount before discount"),
        ("Amount", "Discount amount excl. VAT"),
        ("Total incl. VAT", "Unit Price excl. VAT"),
    ],
)
def test_the_tax_a_discount_or_a_unit_value_is_never_the_revenue(revenue, other):
    for labels in (["Date", "Client", revenue, other], ["Date", "Client", other, revenue]):
        assert labels[auto_map(labels)["revenue"]] == revenue


def test_odoo_stripe_quickbooks_and_shopify_exports_map_their_own_labels():
    def mapped(rows: list[list[object]]) -> dict[str, str]:
        layout = detect_layout(grid(rows))
        return {f: layout.columns[i] for f, i in layout.mapping.items()}

    odoo = [
        ["Number", "Invoice Partner Display Name", "Invoice/Bill Date", "Untaxed Amount Signed",
         "Total Signed"],
        ["INV/2024/00001", "Acme Ltd", "01/05/2024", "1000.0", "1170.0"],
        ["INV/2024/00002", "Beta Works", "01/17/2024", "2000.0", "2340.0"],
    ]  # fmt: skip
    assert mapped(odoo) == {
        "order_id": "Number",  # the client's label held 'Invoice': it was the order number
        "client_name": "Invoice Partner Display Name",
        "order_date": "Invoice/Bill Date",
        "revenue": "Untaxed Amount Signed",  # before tax, not the Total Signed
    }
    stripe = [
        ["id", "Created (UTC)", "Amount", "Customer Description"],
        ["ch_1", "2024-01-05 10:00:00", "100.00", "Acme Ltd"],
        ["ch_2", "2024-01-17 10:00:00", "200.00", "Beta Works"],
    ]
    assert mapped(stripe)["order_date"] == "Created (UTC)"
    quickbooks = [
        ["Date", "Transaction type", "Num", "Customer", "Amount"],
        ["01/05/2024", "Invoice", "1001", "Acme Ltd", "1,234.50"],
        ["01/09/2024", "Invoice", "1002", "Beta Works", "980.00"],
    ]
    assert mapped(quickbooks)["order_id"] == "Num"
    quickbooks[0][2] = "No."
    assert mapped(quickbooks)["order_id"] == "No."
    shopify = [
        ["Name", "Created at", "Subtotal", "Billing Name"],
        ["#1001", "2024-01-05", "100.00", "Acme Ltd"],
        ["#1002", "2024-01-06", "200.00", "Beta Works"],
    ]
    assert mapped(shopify)["order_id"] == "Name"


def test_a_bare_number_is_no_order_number_beside_one_or_counting_the_rows():
    rows = [
        ["No.", "Date", "Customer", "Amount"],
        ["1", "2024-01-05", "Acme", "10"],
        ["2", "2024-01-06", "Beta", "20"],
        ["3", "2024-01-07", "Gamma", "30"],
    ]
    assert "order_id" not in detect_layout(grid(rows)).mapping  # the lines' running count
    rows = [["Invoice No", "Num", "Date", "Customer", "Amount"]]
    rows += [["A-7", "55", "2024-01-05", "Acme", "10"], ["A-8", "56", "2024-01-06", "Beta", "2"]]
    assert detect_layout(grid(rows)).mapping["order_id"] == 0
    # A Name of people or products beside the client is no order number.
    rows = [["Name", "Date", "Customer", "Amount"], ["Dana", "2024-01-05", "Acme", "10"]]
    rows.append(["Omer", "2024-01-06", "Beta", "20"])
    assert "order_id" not in detect_layout(grid(rows)).mapping
