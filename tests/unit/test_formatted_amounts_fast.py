"""Amounts as exports format them are read in one go, exactly as the reading cell by cell."""

from __future__ import annotations

import random
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from babel.numbers import list_currencies

from kam_core.ingest.parse import CURRENCIES, _read_numbers, currencies_mixed, numbers
from kam_core.ingest.text import as_series
from kam_core.ingest.written import parse_written_numbers

SIGNS = ["", "", "₪", "$", "€", "£", "₹"]


def _written(rng: random.Random) -> str:
    """An amount as some export writes it: grouped or not, either mark, a sign, odd ends."""
    figures = rng.randint(0, 10 ** rng.randint(1, 13))
    text = f"{figures:,}".replace(",", rng.choice([",", ".", " ", "'", ""]))
    if rng.random() < 0.3:
        text = str(figures)
    decimals = rng.choice(["", "", "0", str(rng.randint(0, 99)).zfill(rng.randint(1, 3))])
    if decimals:
        text += rng.choice([".", ","]) + decimals
    if rng.random() < 0.3:
        text = "-" + text
    if rng.random() < 0.1:
        text = rng.choice(["0", "00", "-0"]) + text
    sign = rng.choice(SIGNS)
    if sign:
        space = rng.choice(["", " "])
        text = sign + space + text if rng.random() < 0.5 else text + space + sign
    if rng.random() < 0.05:
        text += rng.choice(["-", ".", ",", " ", "x"])
    return text


EDGES = ["1,234", "0,123", "1.234", "0.123", "€ 1.234,50", "1.234,50 €", "-€5", "€-5", "$ -5"]
EDGES += ["1,23", "1,2345", "12,345,6", "1.", ",5", "5,", "$", "€ ", "1,00,000", "US$1,234.50"]


@pytest.mark.parametrize("decimal_comma", [False, True])
def test_every_formatted_amount_reads_as_the_cell_by_cell_reading_reads_it(decimal_comma):
    rng = random.Random(20261206)
    values = [_written(rng) for _ in range(20_000)] + EDGES
    cells = pa.array(values, pa.string())
    fast = _read_numbers(cells, decimal_comma)
    # The independent reading: every cell through the written-amount parser, one by one.
    slow = parse_written_numbers(as_series(cells), decimal_comma).to_numpy() + 0.0
    differ = [
        (v, a, b)
        for v, a, b in zip(values, fast, slow, strict=True)
        if not (np.isnan(a) and np.isnan(b)) and a != b
    ]
    assert differ == []


def test_a_european_column_and_a_grouped_one_read_their_amounts():
    euro = numbers(pa.array(["36.837,98 €", "1.234,5", "12,5", "€ 7"]), comma_default=True)
    assert euro.tolist() == [36837.98, 1234.5, 12.5, 7.0]
    grouped = numbers(pa.array(["9,487.75", "-14,239.16", "$1,000", "12.5"]))
    assert grouped.tolist() == [9487.75, -14239.16, 1000.0, 12.5]


def _currencies_cell_by_cell(cells: pa.Array) -> dict[str, list[bool]]:
    """Each currency's cells found by matching every cell's own text (no shapes)."""
    found = {}
    for sign, pattern in CURRENCIES.items():
        hit = pc.fill_null(pc.match_substring_regex(cells, pattern, ignore_case=True), False)
        if pc.any(hit).as_py():
            found[sign] = hit.to_pylist()
    codes = pc.struct_field(pc.extract_regex(cells, r"\b(?P<code>[A-Z]{3})\b"), "code")
    for code in {c for c in codes.to_pylist() if c and c in list_currencies()}:
        if not any(re.fullmatch(p, code, re.IGNORECASE) for p in CURRENCIES.values()):
            found[code] = pc.fill_null(pc.equal(codes, code), False).to_pylist()
    return found if len(found) > 1 else {}


def test_the_currencies_of_a_column_are_found_as_in_each_cell_itself():
    rng = random.Random(7)
    words = ["€", "$", "₪", "USD", "EUR", "SEK", "CHF", "ש״ח", "руб", "р.", "zł", "Fr.", "TBD"]
    values = []
    for _ in range(5_000):
        amount = f"{rng.randint(0, 10**6):,}".replace(",", rng.choice([",", ".", ""]))
        word = rng.choice(words)
        glue = rng.choice(["", " "])
        values.append(word + glue + amount if rng.random() < 0.5 else amount + glue + word)
    values += ["5USD", "USD5", "12 SEK 3", None, "", "1р.", "р. 5"]
    cells = pa.array(values, pa.string())
    got = {k: v.tolist() for k, v in currencies_mixed(cells).items()}
    assert got == _currencies_cell_by_cell(cells)
    assert set(got) >= {"€", "$", "₪", "SEK"}
    assert {k: v.tolist() for k, v in currencies_mixed(cells.slice(3)).items()} == (
        _currencies_cell_by_cell(cells.slice(3))
    )
