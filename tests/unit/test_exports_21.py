"""SAP's ALV lists with their totals marked by asterisks: shapes of real exports, read as they
mean."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from kam_core.importing import import_file
from kam_core.ingest.skipped import starred_totals
from kam_core.store import connect


@pytest.fixture
def conn(tmp_path):
    db = connect(tmp_path / "kam.duckdb")
    yield db
    db.close()


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8") + b"\n"


def _per_client(conn) -> dict[str, float]:
    rows = conn.execute(
        "SELECT client_name, round(sum(revenue), 2) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return dict(rows)


# "Local file > unconverted": columns between bars, a rule of dashes above and below the
# header, the totals marked in a narrow column of their own before the first field.
ALV_UNCONVERTED = """
Billing documents list
---------------------------------------------------------------------------------
|  |Sold-to pt|Name 1              |Billing Doc|Billing Date|     Net value|Curr.|
---------------------------------------------------------------------------------
|  |100001    |Acme Ltd            |90000001   |15.01.2024  |      1.200,00|EUR  |
|  |100001    |Acme Ltd            |90000002   |20.02.2024  |        800,00|EUR  |
|**|100001    |Acme Ltd            |           |            |      2.000,00|EUR  |
|  |100002    |Beta GmbH           |90000003   |05.03.2024  |        500,00|EUR  |
|  |100002    |Beta GmbH           |90000004   |12.03.2024  |        250,00|EUR  |
|**|100002    |Beta GmbH           |           |            |        750,00|EUR  |
|* |          |                    |           |            |      2.750,00|EUR  |
---------------------------------------------------------------------------------
"""


def test_an_alv_list_as_unconverted_text_skips_its_starred_totals(conn):
    # The subtotals, undated beside their client, were rejected as missing a date. By hand:
    # Acme 1,200 + 800 = 2,000; Beta 500 + 250 = 750.
    counts, parsed, _pre = import_file(conn, _csv(ALV_UNCONVERTED), "billing.txt")
    assert (counts.rows_imported, counts.rows_rejected) == (4, 0)
    assert _per_client(conn) == {"Acme Ltd": 2000.0, "Beta GmbH": 750.0}
    assert parsed.skipped["total"] == 3
    assert any("asterisks" in note for note in parsed.notes)


def test_an_alv_spreadsheet_export_skips_subtotals_dated_beside_their_client(conn):
    # Each subtotal repeats the client and the date of its last line: stored, it doubled the
    # client (5,500 for 2,750). By hand: Acme 1,200 + 800 = 2,000; Beta 500 + 250 = 750.
    data = _csv(
        """
,Sold-to pt,Name 1,Billing Doc,Billing Date,Net value,Curr.
,100001,Acme Ltd,90000001,15.01.2024,1200.00,EUR
,100001,Acme Ltd,90000002,20.02.2024,800.00,EUR
**,100001,Acme Ltd,,20.02.2024,2000.00,EUR
,100002,Beta GmbH,90000003,05.03.2024,500.00,EUR
,100002,Beta GmbH,90000004,12.03.2024,250.00,EUR
**,100002,Beta GmbH,,12.03.2024,750.00,EUR
***,,,,,2750.00,EUR
"""
    )
    counts, _parsed, _pre = import_file(conn, data, "billing.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (4, 0)
    assert counts.revenue == pytest.approx(2750.0)
    assert _per_client(conn) == {"Acme Ltd": 2000.0, "Beta GmbH": 750.0}


def _table(marks: list[str | None], amounts: list[str]) -> pa.Table:
    return pa.table({"mark": pa.array(marks, pa.string()), "amount": pa.array(amounts)})


def test_a_column_of_stars_flagging_dated_sales_is_no_column_of_totals():
    # A '*' beside some sales (key orders) sums nothing and each is dated: they stay sales.
    table = _table([None, "*", None, "*"], ["100", "250", "40", "75"])
    amounts = np.array([100.0, 250.0, 40.0, 75.0])
    no_date = np.zeros(4, dtype=bool)
    assert not starred_totals(table, {1}, ["", "amount"], no_date, amounts).any()


def test_a_starred_row_summing_the_rows_above_it_is_a_total():
    table = _table([None, None, "**", None, "**"], ["100", "250", "350", "40", "40"])
    amounts = np.array([100.0, 250.0, 350.0, 40.0, 40.0])
    no_date = np.zeros(5, dtype=bool)
    got = starred_totals(table, {1}, ["", "amount"], no_date, amounts)
    assert got.tolist() == [False, False, True, False, True]
    # A labelled column ('Flag') is never read for marks.
    assert not starred_totals(table, {1}, ["flag", "amount"], no_date, amounts).any()
