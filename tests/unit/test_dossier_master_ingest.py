"""Master-data sheets are found and read like sales sheets: by name or header, in three
languages, with reasons for the rows that cannot be read."""

import pandas as pd

from kam_core.ingest import read_file
from kam_core.ingest.master import detect_sheets, kind_by_name, parse_master
from tests.conftest import quarter_rows


def book(make_xlsx, sheets):
    path = make_xlsx(sheets, name="master.xlsx")
    return read_file(path.read_bytes(), path.name)


def test_sheets_are_recognised_by_name_in_three_languages():
    assert kind_by_name("Contacts") == "contact"
    assert kind_by_name("אנשי קשר") == "contact"
    assert kind_by_name("Тендеры") == "tender"
    assert kind_by_name("competitors ") == "competitor"
    assert kind_by_name("Orders") is None


def test_a_sheet_with_another_name_is_recognised_by_its_headers(make_xlsx):
    wb = book(
        make_xlsx,
        {"Sheet1": [["Our rivals"], [], ["Customer", "Competitor", "Share of wallet", "Cons"]]},
    )
    (layout,) = detect_sheets(wb)
    assert layout.kind == "competitor"
    assert layout.header_row == 3
    assert layout.mapping_labels() == {
        "client_name": "Customer",
        "name": "Competitor",
        "share": "Share of wallet",
        "weaknesses": "Cons",
    }


def test_the_sales_sheet_of_a_workbook_is_not_taken_for_master_data(make_xlsx):
    rows = [["Order Date", "Customer", "Amount", "Sales Rep"], *quarter_rows([1])]
    wb = book(make_xlsx, {"Sales": rows, "People": [["Region", "Manager"], ["North", "Dana"]]})
    assert [(lay.sheet, lay.kind) for lay in detect_sheets(wb)] == [("People", "people")]


def test_hebrew_and_russian_headers_map_to_contact_fields(make_xlsx):
    wb = book(
        make_xlsx,
        {
            "אנשי קשר": [
                ["לקוח", "שם", "תפקיד", "יחס", "השפעה"],
                ["Acme", "דנה", "CEO", "תומך", 5],
            ],
            "Контакты": [
                ["Клиент", "ФИО", "Роль", "Отношение"],
                ["Acme", "Ольга", "ЛПР", "нейтрально"],
            ],
        },
    )
    he, ru = detect_sheets(wb)
    he_rows = parse_master(wb.sheet(he.sheet), he).rows
    ru_rows = parse_master(wb.sheet(ru.sheet), ru).rows
    assert he_rows.loc[0, ["client_name", "name", "title", "attitude"]].tolist() == [
        "Acme",
        "דנה",
        "CEO",
        "supporter",
    ]
    assert he_rows.loc[0, "influence"] == 5
    assert ru_rows.loc[0, ["name", "role", "attitude"]].tolist() == [
        "Ольга",
        "decision_maker",
        "neutral",
    ]


def test_choice_words_tender_results_and_percent_shares_are_read(make_xlsx):
    wb = book(
        make_xlsx,
        {
            "Tenders": [
                ["Client ID", "Date", "Subject", "Amount", "Result"],
                ["C1", "15/03/2024", "Boxes", "₪ 12,500", "Win"],
                ["C1", "2024-05-01", "Paper", 300, "no bid"],
            ],
            "Competitors": [
                ["Client ID", "Competitor", "Share"],
                ["C1", "X", "35%"],
                ["C1", "Y", 0.2],
            ],
        },
    )
    tenders, rivals = detect_sheets(wb)
    t = parse_master(wb.sheet("Tenders"), tenders).rows
    assert list(t["result"]) == ["won", "declined"]
    assert list(t["amount"]) == [12500.0, 300.0]
    assert list(t["tender_date"]) == [pd.Timestamp("2024-03-15"), pd.Timestamp("2024-05-01")]
    assert list(parse_master(wb.sheet("Competitors"), rivals).rows["share"]) == [0.35, 0.2]


def test_incomplete_rows_are_refused_and_unreadable_cells_left_out_with_row_and_reason(make_xlsx):
    wb = book(
        make_xlsx,
        {
            "Contacts": [
                ["Client ID", "Name", "Influence", "Attitude"],
                ["C1", "Ann", "high", "supporter"],
                ["C1", None, 3, "neutral"],
                ["C1", "Ben", 2, "grumpy"],
                ["C1", "Cy", 4, "opponent"],
            ]
        },
    )
    (layout,) = detect_sheets(wb)
    parsed = parse_master(wb.sheet("Contacts"), layout)
    # Ann and Ben are stored without the cell that cannot be read; the row without a name is
    # refused.
    assert list(parsed.rows["name"]) == ["Ann", "Ben", "Cy"]
    assert parsed.rows["influence"].isna().tolist() == [True, False, False]
    assert parsed.rows["attitude"].isna().tolist() == [False, True, False]
    reasons = parsed.rejected.set_index("row")
    assert list(reasons.index) == [3]
    assert reasons.loc[3, "reason"] == "required value missing"
    unread = parsed.unread.set_index("row")
    assert unread.loc[2, "column"] == "Influence" and unread.loc[2, "value"] == "high"
    assert unread.loc[4, "value"] == "grumpy"


def test_an_apostrophe_an_export_put_before_a_phone_number_is_dropped(make_xlsx):
    wb = book(
        make_xlsx, {"Contacts": [["Client ID", "Name", "Phone"], ["C1", "Ann", "'+972-50-1"]]}
    )
    (layout,) = detect_sheets(wb)
    assert parse_master(wb.sheet("Contacts"), layout).rows.loc[0, "phone"] == "+972-50-1"


def test_a_headcount_written_loosely_is_read_as_the_count_it_names():
    from kam_core.ingest.master import _counts

    cells = pd.Series(["~500", "c. 300", "10,001+", "1,200-1,500", "2M", "1.5k", "≈ 40", "a lot"])
    # The low end of a bracket: 1,200 employees at least.
    expected = [500, 300, 10_001, 1_200, 2_000_000, 1_500, 40]
    assert _counts(cells).tolist()[:7] == expected
    assert pd.isna(_counts(cells).iloc[7])
