"""A header naming a field exactly wins over a synonym, whatever the column order."""

from __future__ import annotations

import pytest

from kam_core.ingest.fields import FIELD_NAMES, SYNONYM_INDEX, SYNONYMS, normalise_label
from kam_core.ingest.header import auto_map, match_label

NAMES = {normalise_label(n) for names in FIELD_NAMES.values() for n in names}
# Revenue said to be without tax beats the field's name: 'Revenue' beside 'Revenue excl. VAT'
# is taken to include the tax (revenue is net of VAT where a file has both).
UNTAXED = {
    normalise_label(w)
    for w in (
        *("untaxed amount", "untaxed total", "amount untaxed", "סכום לפני מעמ", "сумма без ндс"),
        "net revenue",  # the field's name said net
    )
}
# Every synonym that maps to its own field (a word listed under two fields belongs to the
# first) and is not itself an exact name: each is a candidate that must lose to the name.
CASES = [
    (fld, word)
    for fld, words in SYNONYMS.items()
    for word in words
    if SYNONYM_INDEX[normalise_label(word)] == fld
    and normalise_label(word) not in NAMES
    and normalise_label(word) not in UNTAXED
]


@pytest.mark.parametrize("word", sorted(UNTAXED))
@pytest.mark.parametrize("name_first", [True, False], ids=["name first", "synonym first"])
def test_revenue_said_to_be_without_tax_wins_over_the_fields_name(word, name_first):
    labels = ["Revenue", word] if name_first else [word, "Revenue"]
    assert auto_map(labels)["revenue"] == (1 if name_first else 0)


def test_every_field_has_exact_names_that_are_also_its_synonyms():
    assert set(FIELD_NAMES) == set(SYNONYMS)
    for fld, names in FIELD_NAMES.items():
        for name in names:
            assert SYNONYM_INDEX[normalise_label(name)] == fld, name


@pytest.mark.parametrize(("fld", "word"), CASES, ids=[f"{f}:{w}" for f, w in CASES])
@pytest.mark.parametrize("name_first", [True, False], ids=["name first", "synonym first"])
def test_the_column_naming_the_field_wins_over_a_synonym_column(fld, word, name_first):
    name = FIELD_NAMES[fld][0]
    labels = [name.title(), word.title()] if name_first else [word.title(), name.title()]
    mapping = auto_map(labels)
    assert mapping[fld] == (0 if name_first else 1)
    assert list(mapping.values()).count(mapping[fld]) == 1


@pytest.mark.parametrize(
    "labels",
    [
        ["Date", "Customer", "Amount", "Country", "Region"],
        ["Date", "Customer", "Amount", "Region", "Country"],
    ],
)
def test_with_country_and_region_the_region_column_is_the_region(labels):
    assert auto_map(labels)["region"] == labels.index("Region")


@pytest.mark.parametrize(
    ("labels", "fld", "expected"),
    [
        (["Owner", "Manager"], "manager", "Manager"),
        (["Total", "Revenue"], "revenue", "Revenue"),
        (["Company", "Client"], "client_name", "Client"),
        (["Date", "Order Date"], "order_date", "Order Date"),
        (["Invoice", "Order ID"], "order_id", "Order ID"),
        (["Area", "אזור"], "region", "אזור"),
        (["Город", "Регион"], "region", "Регион"),
    ],
)
def test_common_pairs_of_candidates_map_the_named_column(labels, fld, expected):
    assert labels[auto_map(labels)[fld]] == expected


def test_between_two_synonyms_the_one_listed_first_wins_in_either_column_order():
    # "customer" is listed before "company" for the client name.
    assert auto_map(["Company", "Customer"])["client_name"] == 1
    assert auto_map(["Customer", "Company"])["client_name"] == 0


def test_a_name_is_stronger_than_a_synonym_and_a_synonym_than_a_partial_match():
    assert match_label("Region")[1] > match_label("Country")[1] > match_label("Country code")[1]


@pytest.mark.parametrize(
    "labels",
    [
        ["Date", "Customer", "Amount", "Net Amount"],
        ["Date", "Customer", "Net Sales", "Sales"],
        ["תאריך", "לקוח", "סכום", "סכום נטו"],
        ["Дата", "Клиент", "Сумма с НДС", "Сумма без НДС"],
    ],
)
def test_with_a_gross_and_a_net_amount_revenue_is_the_net_one(labels):
    # The revenue field is the line's amount net of VAT when the file has both.
    net = next(label for label in labels if normalise_label(label) in NET_WORDS)
    assert labels[auto_map(labels)["revenue"]] == net


NET_WORDS = {normalise_label(w) for w in ("net amount", "net sales", "סכום נטו", "сумма без ндс")}


def test_two_columns_headed_alike_are_named_in_a_note():
    from kam_core.importing import preview

    # The same amounts twice: either is the revenue (different amounts are refused).
    data = b"Order Date,Customer,Amount,Amount\n2024-01-05,Acme,100,100\n"
    notes = preview(None, data, "twins.csv").notes
    assert "Columns C, D are all headed 'Amount'; C was read as revenue." in " ".join(notes)
    assert not any("headed" in n for n in preview(None, b"Date,Client,Amount\n", "x.csv").notes)


def test_a_header_is_matched_by_what_it_shows_not_its_invisible_characters():
    assert match_label("Reve\u200dnue")[0] == "revenue"
    assert match_label("\u200bOrder\u00a0Date")[0] == "order_date"
    assert match_label("\u2067Client Name\u2069")[0] == "client_name"
    assert match_label("\u200fסכום")[0] == "revenue"


@pytest.mark.parametrize(
    "label",
    ["Sales Record Number", "Sales No", "Sales ID", "Sales Code", "מספר מכירה", "Номер продажи"],
)
def test_a_label_naming_a_number_is_no_revenue(label):
    # eBay's Sales Record Number (1, 2, 3) was stored as the revenue.
    assert match_label(label) == (None, 0.0)


def test_ebays_sold_for_is_the_revenue():
    assert match_label("Sold For")[0] == "revenue"
