"""A title above the header scales the amounts only when it states their unit; a date that
is no date either way decides nothing."""

from __future__ import annotations

import pytest

from kam_core.importing import parse, preview


def _revenue(title: str) -> list[float]:
    quoted = title.replace('"', '""')
    data = f'"{quoted}"\n\nDate,Customer,Amount\n2024-01-05,Acme Ltd,100\n2024-01-06,Beta,200\n'
    return parse(preview(None, data.encode(), "sales.csv")).rows["revenue"].tolist()


@pytest.mark.parametrize(
    ("title", "factor"),
    [
        ("Sales by customer (USD thousands)", 1_000),
        ("Sales by customer (in $000)", 1_000),
        ("Revenue, in thousands", 1_000),
        ('מכירות לפי לקוח באלפי ש"ח', 1_000),
        ("Продажи, в тыс. руб.", 1_000),
        ("Sales (EUR millions)", 1_000_000),
        ("Sales in millions", 1_000_000),
        # Words that name no unit of the amounts.
        ("Dates as dd/mm/yyyy", 1),
        ("Lengths in mm", 1),
        ("Clients over 1 million", 1),
        ("Thousand Oaks branch", 1),
        ("סניף אלפי מנשה", 1),
    ],
)
def test_a_title_scales_the_amounts_only_when_it_states_their_unit(title, factor):
    assert _revenue(title) == [100.0 * factor, 200.0 * factor]


def test_a_date_that_is_no_date_either_way_does_not_decide_the_order():
    # 04/31/2024 has a part above 12 but is no date read either way: the column stays day
    # first, with the note that nothing decided it.
    data = "Date,Customer,Amount\n01/02/2024,A,1\n03/04/2024,B,1\n04/31/2024,C,1\n"
    parsed = parse(preview(None, data.encode(), "sales.csv"))
    assert [str(d)[:10] for d in parsed.rows["order_date"]] == [
        "2024-02-01",
        "2024-04-03",
    ]
    assert any("no date in the column tells" in note for note in parsed.notes)
    assert list(parsed.rejected["row"]) == [4]


def test_a_real_date_with_a_part_above_12_decides_the_order():
    data = "Date,Customer,Amount\n01/02/2024,A,1\n04/30/2024,C,1\n"
    parsed = parse(preview(None, data.encode(), "sales.csv"))
    assert [str(d)[:10] for d in parsed.rows["order_date"]] == [
        "2024-01-02",
        "2024-04-30",
    ]
