"""A cross table ('Sales by customer by month': a row per client, a column per period) is read
as one sale per filled cell, dated the first day of its period; totals are not sales."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from kam_core.importing import detect, import_file, read_upload
from kam_core.ingest.errors import ImportRefused
from kam_core.ingest.periods import period_start
from kam_core.store import connect


@pytest.mark.parametrize(
    ("label", "start", "kind"),
    [
        ("Jan 2026", dt.date(2026, 1, 1), "month"),
        ("January 2026", dt.date(2026, 1, 1), "month"),
        ("Jan-26", dt.date(2026, 1, 1), "month"),
        ("2026-03", dt.date(2026, 3, 1), "month"),
        ("03/2026", dt.date(2026, 3, 1), "month"),
        ("מרץ 2026", dt.date(2026, 3, 1), "month"),
        ("март 2026", dt.date(2026, 3, 1), "month"),
        ("Q2 2025", dt.date(2025, 4, 1), "quarter"),
        ("2025 Q4", dt.date(2025, 10, 1), "quarter"),
        ("Q3-25", dt.date(2025, 7, 1), "quarter"),
        ("2 кв. 2025", dt.date(2025, 4, 1), "quarter"),
        ("2026-01-15", dt.date(2026, 1, 15), "day"),
        ("2026-01-01 00:00:00", dt.date(2026, 1, 1), "day"),
        ("Total", None, ""),
        ("1,250.00", None, ""),
        ("2026", None, ""),
        ("Customer", None, ""),
    ],
)
def test_a_header_label_names_its_period(label, start, kind):
    assert period_start(label) == (start, kind)


def _book(rows: list[list[object]], number_format: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "By month"
    for row in rows:
        sheet.append(row)
    if number_format:
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _stored(conn) -> list[tuple]:
    return conn.execute(
        "SELECT client_name, order_date, revenue, source_row FROM sales "
        "ORDER BY order_date, client_name"
    ).fetchall()


@pytest.fixture
def conn(tmp_path):
    db = connect(tmp_path / "kam.duckdb")
    yield db
    db.close()


def test_an_excel_pivot_of_months_stores_a_sale_per_filled_cell(conn):
    # Excel's pivot: 'Row Labels' over the clients, months as date cells shown 'Jan-26',
    # a Grand Total column and row. By hand: 5 filled cells, 445.50 in all.
    data = _book(
        [
            ["Sum of Amount", "Column Labels"],
            ["Row Labels", dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1),
             dt.datetime(2026, 3, 1), "Grand Total"],
            ["Acme Ltd", 100, 200, None, 300],
            ["Beta Inc", 50, 25.5, 70, 145.5],
            ["Grand Total", 150, 225.5, 70, 445.5],
        ],
        "mmm-yy",
    )  # fmt: skip
    counts, _parsed, pre = import_file(conn, data, "pivot.xlsx")
    assert (counts.rows_imported, counts.clients, counts.revenue) == (5, 2, 445.5)
    assert _stored(conn) == [
        ("Acme Ltd", dt.date(2026, 1, 1), 100.0, 3),
        ("Beta Inc", dt.date(2026, 1, 1), 50.0, 4),
        ("Acme Ltd", dt.date(2026, 2, 1), 200.0, 3),
        ("Beta Inc", dt.date(2026, 2, 1), 25.5, 4),
        ("Beta Inc", dt.date(2026, 3, 1), 70.0, 4),
    ]
    notes = " ".join(pre.notes)
    assert "a column per month (B:D, Jan 2026 … Mar 2026)" in notes
    assert "E (Grand Total) was not read" in notes
    assert "Row(s) 5 were not read" in notes


def test_a_managers_subtotal_over_one_client_is_no_client(conn):
    # 'Total Yossi' sums the one client above it in both months: by hand 15+25 + 1+2 = 43.
    data = _book(
        [
            ["Manager", "Customer", "Jan 2026", "Feb 2026"],
            ["Dana", "Acme", 10, 20],
            ["Dana", "Beta", 5, 5],
            ["", "Total Dana", 15, 25],
            ["Yossi", "Gamma", 1, 2],
            ["", "Total Yossi", 1, 2],
            ["", "Grand Total", 16, 27],
        ]
    )
    counts, _parsed, pre = import_file(conn, data, "managers.xlsx")
    assert (counts.rows_imported, counts.clients, counts.revenue) == (6, 3, 43.0)
    managers = conn.execute("SELECT DISTINCT manager FROM sales ORDER BY 1").fetchall()
    assert managers == [("Dana",), ("Yossi",)]
    assert "Row(s) 4, 6, 7 were not read" in " ".join(pre.notes)


def test_a_client_called_total_whose_amounts_sum_nothing_stays_a_client(conn):
    data = _book(
        [
            ["Customer", "Jan 2026", "Feb 2026"],
            ["Acme", 10, 20],
            ["Total Energies", 500, 700],
        ]
    )
    counts, _parsed, _pre = import_file(conn, data, "energies.xlsx")
    assert (counts.rows_imported, counts.revenue) == (4, 1230.0)


def test_an_unreadable_amount_is_rejected_at_its_row_and_empty_dashes_and_zeros_are_no_sale(
    conn,
):
    data = _book(
        [
            ["Customer ID", "Customer Name", "2026-01", "2026-02", "Total"],
            ["C1", "Acme", 10, 20, 30],
            ["C2", "Beta", "n/a", 5, 5],
            ["C3", "Gamma", "-", "", 0],
            ["C4", "Delta", 0, "0.00", 0],
        ]
    )
    counts, parsed, _pre = import_file(conn, data, "ids.xlsx")
    assert (counts.rows_imported, counts.rows_rejected, counts.revenue) == (3, 1, 35.0)
    rejected = parsed.rejected.iloc[0]
    assert (rejected["row"], rejected["value"]) == (3, "n/a")
    assert "C:D" in rejected["column"]
    assert conn.execute("SELECT DISTINCT client_id FROM sales ORDER BY 1").fetchall() == [
        ("C1",),
        ("C2",),
    ]


def test_quarters_and_hebrew_months(conn):
    quarters = _book([["Customer", "Q1 2025", "Q2 2025", "Total"], ["Acme", 10, 20, 30]])
    import_file(conn, quarters, "q.xlsx")
    hebrew = _book(
        [
            ["מכירות לפי לקוח"],
            ["לקוח", "ינואר 2026", "פברואר 2026", 'סה"כ'],
            ['אלפא בע"מ', 1000, 2000, 3000],
            ['סה"כ', 1000, 2000, 3000],
        ]
    )
    import_file(conn, hebrew, "he.xlsx")
    assert [(r[0], r[1], r[2]) for r in _stored(conn)] == [
        ("Acme", dt.date(2025, 1, 1), 10.0),
        ("Acme", dt.date(2025, 4, 1), 20.0),
        ('אלפא בע"מ', dt.date(2026, 1, 1), 1000.0),
        ('אלפא בע"מ', dt.date(2026, 2, 1), 2000.0),
    ]


def test_a_semicolon_csv_with_decimal_commas(conn):
    text = (
        "Kunde;Jan 2026;Feb 2026;Summe\n"
        "Acme GmbH;1.234,50;100,00;1.334,50\n"
        "Beta AG;0,00;50,25;50,25\n"
    )
    counts, _parsed, _pre = import_file(conn, text.encode(), "kunden.csv")
    assert (counts.rows_imported, counts.revenue) == (3, 1384.75)


def test_a_matrix_report_under_a_caption_naming_the_amount_and_the_date(conn):
    # Salesforce's matrix report: 'Sum of Amount, Close Date' above the table was read as its
    # header (an amount and a date found there, no client: refused).
    text = (
        "Sum of Amount,Close Date,,,\n"
        "Account Name,January 2024,February 2024,March 2024,Total\n"
        "Acme Corp,1000,,500,1500\n"
        "Beta Ltd,,2000,,2000\n"
        "Total,1000,2000,500,3500\n"
    )
    counts, _parsed, _pre = import_file(conn, text.encode(), "matrix.csv")
    assert (counts.rows_imported, counts.revenue) == (3, 3500.0)
    assert _stored(conn) == [
        ("Acme Corp", dt.date(2024, 1, 1), 1000.0, 3),
        ("Beta Ltd", dt.date(2024, 2, 1), 2000.0, 4),
        ("Acme Corp", dt.date(2024, 3, 1), 500.0, 3),
    ]


def test_bare_months_take_the_one_year_of_the_titles_else_are_refused(conn):
    titled = _book([["Sales 2026 by client"], ["Client", "Jan", "Feb"], ["Acme", 1, 2]])
    import_file(conn, titled, "titled.xlsx")
    assert [r[1] for r in _stored(conn)] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    bare = _book([["Client", "Nov", "Dec", "Jan"], ["Acme", 1, 2, 3]])
    with pytest.raises(ImportRefused, match="months without their year"):
        import_file(conn, bare, "bare.xlsx")


def test_a_sheet_of_data_rows_with_two_dates_is_not_a_cross_table(conn):
    # No header is recognised; two dates on each data row must not read as period labels.
    data = _book(
        [
            ["Feld 1", "Feld 2", "Feld 3", "Feld 4"],
            [dt.datetime(2026, 1, 5), "Acme", 100, dt.datetime(2026, 2, 4)],
            [dt.datetime(2026, 1, 6), "Beta", 50, dt.datetime(2026, 2, 5)],
        ]
    )
    with pytest.raises(ImportRefused, match="no column recognised"):
        import_file(conn, data, "fechas.xlsx")


def test_the_same_rows_under_spanish_headers_import_as_rows(conn):
    # Fecha, Cliente and Importe are headers the app knows: the rows import, no cross table.
    data = _book(
        [
            ["Fecha", "Cliente", "Importe", "Vencimiento"],
            [dt.datetime(2026, 1, 5), "Acme", 100, dt.datetime(2026, 2, 4)],
            [dt.datetime(2026, 1, 6), "Beta", 50, dt.datetime(2026, 2, 5)],
        ]
    )
    counts, _parsed, _pre = import_file(conn, data, "fechas.xlsx")
    assert (counts.rows_imported, counts.clients, counts.revenue) == (2, 2, 150)


def test_detecting_the_same_upload_again_keeps_the_long_form_and_its_notes():
    data = _book([["Customer", "Jan 2026", "Feb 2026"], ["Acme", 10, 20]])
    book = read_upload(data, "again.xlsx")
    first = detect(None, book, "x")
    second = detect(None, book, "x", sheet="By month")
    assert second.layout.mapping == first.layout.mapping
    assert second.layout.columns == first.layout.columns == ["Customer", "Month", "Amount"]
    assert [n for n in second.notes if "column per month" in n]


def test_a_compact_pivot_of_regions_over_clients_stores_the_clients_alone(conn):
    # Excel's compact form: each region's row above its clients holds their sums; in South,
    # each manager's row above theirs too. By hand the clients' cells: Jan 10+20+3+1+2+2 = 38,
    # Feb 5+2+4+4+1 = 16; 54 in all.
    data = _book(
        [
            ["Row Labels", "Jan 2026", "Feb 2026", "Grand Total"],
            ["North", 30, 5, 35],
            ["Acme", 10, 5, 15],
            ["Beta", 20, None, 20],
            ["South", 8, 11, 19],
            ["Dana", 4, 6, 10],
            ["Gamma", 3, 2, 5],
            ["Epsilon", 1, 4, 5],
            ["Yossi", 4, 5, 9],
            ["Delta", 2, 4, 6],
            ["Zeta", 2, 1, 3],
            ["Grand Total", 38, 16, 54],
        ]
    )
    counts, _parsed, pre = import_file(conn, data, "regions.xlsx")
    clients = conn.execute("SELECT DISTINCT client_name FROM sales ORDER BY 1").fetchall()
    assert clients == [("Acme",), ("Beta",), ("Delta",), ("Epsilon",), ("Gamma",), ("Zeta",)]
    assert (counts.rows_imported, counts.revenue) == (11, 54.0)
    notes = " ".join(pre.notes)
    assert "Row(s) 2, 5, 6, 9 were not read: in every period" in notes
    assert "Row(s) 12 were not read: the client reads like a total" in notes


def test_a_pivot_of_years_over_quarters_dates_each_quarter_in_its_year(conn):
    data = _book(
        [
            ["Sum of Sales", "Column Labels"],
            ["", 2025, None, "2025 Total", 2026, None],
            ["Row Labels", "Qtr1", "Qtr2", "", "Qtr1", "Qtr2"],
            ["Acme", 10, 20, 30, 40, 50],
        ]
    )
    import_file(conn, data, "years.xlsx")
    assert [(r[1], r[2]) for r in _stored(conn)] == [
        (dt.date(2025, 1, 1), 10.0),
        (dt.date(2025, 4, 1), 20.0),
        (dt.date(2026, 1, 1), 40.0),
        (dt.date(2026, 4, 1), 50.0),
    ]


def test_flat_fees_that_sum_by_chance_are_clients_not_a_group(conn):
    # Acme pays 3,000 a month, Beta 1,000 and Gamma 2,000: Acme is no group of the two.
    data = _book(
        [
            ["Customer", "Jan 2026", "Feb 2026", "Mar 2026"],
            ["Acme", 3000, 3000, 3000],
            ["Beta", 1000, 1000, 1000],
            ["Gamma", 2000, 2000, 2000],
        ]
    )
    counts, _parsed, _pre = import_file(conn, data, "fees.xlsx")
    assert (counts.rows_imported, counts.revenue) == (9, 18000.0)


@pytest.mark.parametrize(
    "rows",
    [
        # Products by month with no client: refused, not the products as clients.
        [["Product", "Jan 2026", "Feb 2026"], ["Widget", 1, 2], ["Gadget", 3, 4]],
        # Budget and Actual under each month: which is the sale is not known.
        [
            ["", "Jan 2026", "", "Feb 2026", ""],
            ["Client", "Budget", "Actual", "Budget", "Actual"],
            ["Acme", 100, 90, 100, 110],
        ],
    ],
)
def test_tables_that_are_no_clients_cross_table_are_refused(conn, rows):
    with pytest.raises(ImportRefused, match="no column recognised"):
        import_file(conn, _book(rows), "no.xlsx")


def test_a_cross_tables_title_gives_its_unit(conn):
    data = _book(
        [["Sales by client (USD 000)"], ["Client", "Jan 2026", "Feb 2026"], ["Acme", 1, 2]]
    )
    counts, _parsed, _pre = import_file(conn, data, "k.xlsx")
    assert counts.revenue == 3000.0


def test_weeks_are_dated_their_iso_monday(conn):
    data = _book([["Customer", "W1 2026", "W2 2026"], ["Acme", 100, 200]])
    import_file(conn, data, "weeks.xlsx")
    assert [r[1] for r in _stored(conn)] == [dt.date(2025, 12, 29), dt.date(2026, 1, 5)]


def test_a_projects_stage_on_invoices_is_no_pipeline(conn):
    data = (
        b"Date,Customer,Stage,Amount\n2024-01-05,Acme,Won,100\n"
        b"2024-01-06,Beta,Delivery,200\n2024-01-07,Gamma,Completed,300\n"
    )
    counts, _parsed, _pre = import_file(conn, data, "projects.csv")
    assert counts.revenue == 600.0
