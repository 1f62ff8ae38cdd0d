"""Amounts in currencies named by code or local word, and dates of other languages and scripts."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from kam_core.ingest.months import month_words, read_named
from kam_core.ingest.parse import currencies_mixed, numbers


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("5 janv. 2024", dt.date(2024, 1, 5)),
        ("1er mai 2024", dt.date(2024, 5, 1)),
        ("Mittwoch, 6. März 2024", dt.date(2024, 3, 6)),
        ("5 de marzo de 2024", dt.date(2024, 3, 5)),
        ("1º de maio de 2024", dt.date(2024, 5, 1)),
        ("15 ago 2024", dt.date(2024, 8, 15)),
        ("5 mei 2024", dt.date(2024, 5, 5)),
        ("12 dicembre 2024", dt.date(2024, 12, 12)),
        ("2024年1月5日", dt.date(2024, 1, 5)),
        ("2024년 11월 30일", dt.date(2024, 11, 30)),
        ("20240105T103000Z", dt.date(2024, 1, 5)),
        ("20240105T1030+0200", dt.date(2024, 1, 5)),
        # The languages read before stay as they were.
        ("Sept 3, 2024", dt.date(2024, 9, 3)),
        ("15 במרץ 2024", dt.date(2024, 3, 15)),
        ("15 марта 2024 г.", dt.date(2024, 3, 15)),
    ],
)
def test_a_date_written_in_words_or_signs_is_read(cell, day):
    assert read_named(cell) == (day, False)


def test_a_month_without_a_day_in_chinese_is_a_month():
    assert read_named("2024年3月") == (dt.date(2024, 3, 1), True)


@pytest.mark.parametrize("cell", ["2024年13月5日", "2024年2月30日", "20241305T103000Z"])
def test_no_such_day_is_no_date(cell):
    assert read_named(cell) == (None, False)


def test_no_month_name_of_one_language_names_another_month_in_another():
    # Built over every language at once, a word or prefix naming two months is left out.
    words = month_words()
    assert (words["mar"], words["mai"], words["out"], words["mrt"], words["gen"]) == (
        3,
        5,
        10,
        3,
        1,
    )
    assert "ma" not in words and "ju" not in words


@pytest.mark.parametrize(
    ("cells", "amounts"),
    [
        (["CHF 1’234.50", "CHF 980.00"], [1234.5, 980.0]),
        (["1 234,50 zł", "980,00 zł"], [1234.5, 980.0]),
        (["1.234,56 Kč", "980,00 Kč"], [1234.56, 980.0]),
        (["12 500 Ft", "980 Ft"], [12500.0, 980.0]),
        (["R$ 1.234,56", "R$ 980,00"], [1234.56, 980.0]),
        (["1 234,50 SEK", "980,00 SEK"], [1234.5, 980.0]),
        (["Fr. 1'234.50", "Fr. 5.00"], [1234.5, 5.0]),
        (["A$1,234.50", "A$ 5.00"], [1234.5, 5.0]),
        (["NZ$ 1,234.50", "US$10"], [1234.5, 10.0]),
    ],
)
def test_an_amount_in_a_currency_named_by_code_or_word_is_read(cells, amounts):
    assert numbers(pa.array(cells)).tolist() == amounts


def test_a_word_of_three_capitals_that_is_no_currency_is_no_amount():
    read = numbers(pa.array(["CHF 100.00", "TBD", "ABC 5"]))
    assert read[0] == 100.0
    assert read[1] != read[1]  # NaN: 'TBD' is rejected as before
    assert currencies_mixed(pa.array(["CHF 100.00", "TBD"])) == {}


def test_two_currencies_by_code_in_one_column_are_told_apart():
    mixed = currencies_mixed(pa.array(["CHF 100.00", "EUR 100.00", "CHF 5.00"]))
    assert {sign: at.tolist() for sign, at in mixed.items()} == {
        "€": [False, True, False],
        "CHF": [True, False, True],
    }
    codes = currencies_mixed(pa.array(["100 SEK", "100 NOK"]))
    assert sorted(codes) == ["NOK", "SEK"]


def test_a_currency_by_its_code_and_its_word_is_one_currency():
    assert currencies_mixed(pa.array(["100 PLN", "100 zł"])) == {}
    assert currencies_mixed(pa.array(["$100", "USD 5"])) == {}
