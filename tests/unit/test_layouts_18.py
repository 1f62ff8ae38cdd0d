"""Layouts of an eighteenth round: XML Spreadsheet rows placed by ss:Index and ss:Span, R's
write.table files, titles far above their header, row groups in web tables, cross tables of
years and of fiscal periods."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from kam_core.config import ImportLimits
from kam_core.importing import import_file
from kam_core.ingest import ImportRefused
from kam_core.ingest.read import read_here
from kam_core.store import connect

_XML_HEAD = (
    '<?xml version="1.0"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
    '<Worksheet ss:Name="Sales"><Table>'
)


@pytest.fixture
def conn(tmp_path):
    c = connect(tmp_path / "kam.duckdb")
    yield c
    c.close()


def _xml(rows: str) -> bytes:
    return (_XML_HEAD + rows + "</Table></Worksheet></Workbook>").encode()


def _cells(*values: str, at: int | None = None) -> str:
    first = f' ss:Index="{at}"' if at else ""
    return "".join(
        f'<Cell{first if i == 0 else ""}><Data ss:Type="String">{v}</Data></Cell>'
        for i, v in enumerate(values)
    )


def _rejected_rows(parsed) -> list[int]:
    return [int(r) for r in parsed.rejected["row"]]


def test_rows_after_a_spanned_row_and_an_indexed_row_keep_excels_row_numbers(conn):
    data = _xml(
        f"<Row>{_cells('Date', 'Client', 'Revenue')}</Row>"
        f"<Row>{_cells('2024-01-05', 'Acme', '100')}</Row>"  # row 2
        '<Row ss:Span="2"/>'  # rows 3 to 5, blank
        f"<Row>{_cells('2024-01-06', 'Beta', 'abc')}</Row>"  # row 6
        f'<Row ss:Index="10">{_cells("Gamma", "50", at=2)}</Row>'  # row 10, no date
        f"<Row>{_cells('2024-01-07', 'Delta', '70')}</Row>"  # row 11
    )
    counts, parsed, _pre = import_file(conn, data, "span.xml")
    assert (counts.rows_imported, counts.revenue) == (2, 170.0)
    assert _rejected_rows(parsed) == [6, 10]


def test_a_spanned_row_does_not_repeat_its_cells_and_a_huge_span_at_the_end_is_no_rows():
    data = _xml(
        f"<Row>{_cells('Date', 'Client', 'Revenue')}</Row>"
        f'<Row ss:Span="1">{_cells("2024-01-05", "Acme", "100")}</Row>'
        f"<Row>{_cells('2024-01-06', 'Beta', '5')}</Row>"  # row 4
        '<Row ss:Span="99999999"/>'
    )
    sheet = read_here(data, "far.xml", ImportLimits(max_rows=1_000)).sheets[0]
    rows = sheet.table.to_pylist()
    assert sheet.table.num_rows == 5
    assert [r["c1"] for r in rows] == ["Client", "Acme", None, "Beta", None]


def test_a_span_reaching_past_the_row_limit_before_more_rows_is_refused():
    data = _xml(
        f"<Row>{_cells('Date', 'Client', 'Revenue')}</Row>"
        '<Row ss:Span="99999999"/>'
        f"<Row>{_cells('2024-01-06', 'Beta', '5')}</Row>"
    )
    with pytest.raises(ImportRefused, match="more than 1,000 rows"):
        read_here(data, "far.xml", ImportLimits(max_rows=1_000))


def _stored(conn) -> list[tuple]:
    return conn.execute(
        "SELECT CAST(order_date AS VARCHAR), client_name, revenue FROM sales ORDER BY 1, 2"
    ).fetchall()


def test_r_write_table_is_read_without_its_row_names(conn):
    data = (
        b'"order_date" "client" "revenue"\n'
        b'"1" "2024-01-05" "Acme Ltd" 100.5\n'
        b'"2" "2024-01-06" "Beta Co" 200\n'
        b'"3" "2024-01-07" "Acme Ltd" NA\n'
    )
    counts, parsed, pre = import_file(conn, data, "sales.txt")
    assert (counts.rows_imported, counts.revenue) == (2, 300.5)
    assert _rejected_rows(parsed) == [4]
    assert _stored(conn) == [("2024-01-05", "Acme Ltd", 100.5), ("2024-01-06", "Beta Co", 200.0)]
    assert any("separated by 'space'" in note for note in pre.book.notes)


def test_r_write_table_of_filtered_rows_and_without_row_names(conn):
    kept = (
        b'"order_date" "client" "revenue"\n'
        b'"3" "2024-01-05" "Acme \\"A\\"" 10\n'
        b'"17" "2024-01-06" "Beta" 20\n'
    )
    counts, _parsed, _pre = import_file(conn, kept, "kept.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 30.0)
    plain = b'"order_date" "client" "revenue"\n"2024-02-05" "Gamma" 5\n"2024-02-06" "Delta" 7\n'
    counts, _parsed, _pre = import_file(conn, plain, "plain.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 12.0)
    assert [r[1] for r in _stored(conn)] == ['Acme "A"', "Beta", "Gamma", "Delta"]


def test_a_comma_file_of_quoted_labels_is_not_read_as_spaced(conn):
    data = b'"Order Date","Client Name","Revenue"\n2024-01-05,"Acme Ltd",100\n2024-01-06,Beta,5\n'
    counts, _parsed, pre = import_file(conn, data, "sales.csv")
    assert (counts.rows_imported, counts.revenue) == (2, 105.0)
    assert any("separated by ','" in note for note in pre.book.notes)


_GROUPS = """<html><body><table>
<thead><tr><th>Region</th><th>Date</th><th>Client</th><th>Revenue</th></tr></thead>
<tbody>
<tr><td rowspan="5">North</td><td>2024-01-05</td><td>Acme</td><td>100</td></tr>
<tr><td>2024-01-06</td><td>Beta</td><td>200</td></tr>
</tbody>
<tbody>
<tr><td>South</td><td>2024-01-07</td><td>Gamma</td><td>50</td></tr>
<tr><td>South</td><td>2024-01-08</td><td>Delta</td><td>abc</td></tr>
</tbody>
</table></body></html>"""


def test_a_rowspan_stops_at_the_end_of_its_row_group(conn):
    counts, parsed, _pre = import_file(conn, _GROUPS.encode(), "groups.xls")
    assert (counts.rows_imported, counts.revenue) == (3, 350.0)
    assert _rejected_rows(parsed) == [5]
    assert parsed.rejected["value"].tolist() == ["abc"]
    regions = conn.execute("SELECT client_name, region FROM sales ORDER BY 1").fetchall()
    assert regions == [("Acme", "North"), ("Beta", "North"), ("Gamma", "South")]


def test_a_rowspan_in_the_head_does_not_reach_into_the_body():
    page = (
        "<table><thead><tr><th rowspan='3'>Client</th><th>Revenue</th></tr></thead>"
        "<tbody><tr><td>Acme</td><td>100</td></tr></tbody></table>"
    )
    sheet = read_here(page.encode(), "head.xls", ImportLimits()).sheets[0]
    assert sheet.table.to_pylist()[1] == {"c0": "Acme", "c1": "100"}
    assert sheet.merges == [(0, 0, 0)]


def _titled_book(title: list[object]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(title)
    for _ in range(30):
        sheet.append([])
    sheet.append(["Date", "Client", "Revenue"])
    sheet.append([dt.date(2026, 1, 5), "Acme", 100])
    sheet.append([dt.date(2026, 1, 6), "Beta", "abc"])
    sheet.append([dt.date(2026, 1, 7), "Gamma", 50])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_TITLED_CSV = "2026-01-05,Acme,100\n2026-01-06,Beta,abc\n2026-01-07,Gamma,50\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("quarter.xlsx", lambda: _titled_book(["Sales report", "Q1 2026"])),
        ("dated.xlsx", lambda: _titled_book(["Sales", dt.datetime(2026, 3, 31)])),
        ("spread.xlsx", lambda: _titled_book([None, "Sales report", None, None, "31/03/2026"])),
        (
            "quarter.csv",
            lambda: "Sales report,Q1 2026\n" + ",\n" * 30 + "Date,Client,Revenue\n" + _TITLED_CSV,
        ),
    ],
)
def test_a_title_of_two_cells_above_thirty_blank_rows_leaves_the_header_found(conn, name, data):
    raw = data()
    counts, parsed, pre = import_file(conn, raw.encode() if isinstance(raw, str) else raw, name)
    assert pre.layout.header_row == 32
    assert (counts.rows_imported, counts.revenue) == (2, 150.0)
    assert _rejected_rows(parsed) == [34]


def _book(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _by_client(conn) -> dict[str, float]:
    rows = conn.execute("SELECT client_name, SUM(revenue) FROM sales GROUP BY 1").fetchall()
    return dict(rows)


def test_a_region_over_one_client_beside_a_region_over_two_is_no_client(conn):
    data = _book(
        [
            ["Customer", "Jan 2026", "Feb 2026", "Mar 2026"],
            ["North", 100, 50, 70],
            ["Acme", 100, 50, 70],
            ["South", 30, 40, None],
            ["Beta", 10, 20, None],
            ["Gamma", 20, 20, None],
        ]
    )
    counts, _parsed, pre = import_file(conn, data, "regions.xlsx")
    assert (counts.rows_imported, counts.revenue) == (7, 290.0)
    assert _by_client(conn) == {"Acme": 220.0, "Beta": 30.0, "Gamma": 40.0}
    assert any("Row(s) 2, 4 were not read" in note for note in pre.notes)


def test_group_rows_without_the_id_each_over_one_client_are_no_clients(conn):
    data = _book(
        [
            ["Customer ID", "Customer", "Q1 2025", "Q2 2025"],
            [None, "North", 10, 20],
            ["C1", "Acme", 10, 20],
            [None, "South", 5, 7],
            ["C2", "Beta", 5, 7],
        ]
    )
    counts, _parsed, _pre = import_file(conn, data, "ids.xlsx")
    assert (counts.rows_imported, counts.revenue) == (4, 42.0)
    assert _by_client(conn) == {"Acme": 30.0, "Beta": 12.0}


def test_two_clients_paying_alike_without_any_group_are_both_kept(conn):
    data = _book(
        [
            ["Customer", "Jan 2026", "Feb 2026"],
            ["Beta", 5, 9],
            ["Acme", 100, 50],
            ["Delta", 100, 50],
        ]
    )
    counts, _parsed, _pre = import_file(conn, data, "alike.xlsx")
    assert (counts.rows_imported, counts.revenue) == (6, 314.0)


@pytest.mark.parametrize(
    ("labels", "named"),
    [
        ([f"P{i:02d} 2026" for i in range(1, 13)], "'P01 2026', 'P02 2026', 'P03 2026' …"),
        (["FY26 P1", "FY26 P2", "FY26 P3"], "'FY26 P1', 'FY26 P2', 'FY26 P3'"),
        (["FY2024", "FY2025"], "'FY2024', 'FY2025'"),
    ],
)
def test_fiscal_periods_are_refused_naming_their_columns(conn, labels, named):
    data = _book([["Sales by customer"], ["Customer", *labels], ["Acme", *[10] * len(labels)]])
    with pytest.raises(ImportRefused, match="name fiscal periods") as refused:
        import_file(conn, data, "fiscal.xlsx")
    assert named in str(refused.value)
    assert conn.execute("SELECT count(*) FROM sales").fetchone() == (0,)


def test_a_period_code_column_beside_a_date_is_no_fiscal_table(conn):
    data = _book(
        [
            ["Date", "Customer", "Period", "Revenue"],
            ["2026-01-05", "Acme", "P01 2026", 10],
            ["2026-02-05", "Beta", "P02 2026", 20],
        ]
    )
    counts, _parsed, _pre = import_file(conn, data, "dated.xlsx")
    assert (counts.rows_imported, counts.revenue) == (2, 30.0)


def test_a_column_per_year_is_a_sale_per_cell_dated_the_first_day_of_its_year(conn):
    data = _book(
        [
            ["Sales by customer by year"],
            ["Customer", 2023, 2024, 2025, "Total"],
            ["Acme", 100, 200, "n/a", 300],
            ["Beta", None, 50, 70, 120],
            ["Total", 100, 250, 70, 420],
        ]
    )
    counts, parsed, pre = import_file(conn, data, "years.xlsx")
    assert (counts.rows_imported, counts.revenue) == (4, 420.0)
    assert _rejected_rows(parsed) == [3]
    assert _stored(conn) == [
        ("2023-01-01", "Acme", 100.0),
        ("2024-01-01", "Acme", 200.0),
        ("2024-01-01", "Beta", 50.0),
        ("2025-01-01", "Beta", 70.0),
    ]
    assert any("a column per year (B:D, 2023 … 2025)" in note for note in pre.notes)


@pytest.mark.parametrize(
    "rows",
    [
        # A numeric Year column: still no order date.
        [["Customer", "Year", "Revenue"], ["Acme", 2023, 100], ["Beta", 2024, 50]],
        # A contract's start and end years under headers that map nothing.
        [["Client", "From", "To", "Fee"], ["Acme", 2023, 2024, 500], ["Beta", 2024, 2025, 70]],
        # Years apart, not one after another.
        [["Customer", 2021, 2023], ["Acme", 10, 20], ["Beta", 5, 6]],
    ],
)
def test_years_in_ordinary_sheets_are_no_cross_table(conn, rows):
    with pytest.raises(ImportRefused, match="no column recognised for order date"):
        import_file(conn, _book(rows), "plain.xlsx")
