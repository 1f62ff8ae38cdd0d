"""Cells far longer than any header, name or amount cost no more than short ones."""

from __future__ import annotations

import pyarrow as pa

from kam_core.ingest import header
from kam_core.ingest.errors import named
from kam_core.ingest.padded import padded_format
from kam_core.ingest.text import figures_only


def test_a_label_longer_than_any_header_is_no_header_and_is_not_matched(monkeypatch):
    # A sheet of 60,000 labels of 6,000 characters ('Revenue Client Date ...') held the server
    # for a minute: each was normalised and matched.
    calls = []
    monkeypatch.setattr(header, "_match_label", lambda label: calls.append(label) or (None, 0))
    assert header.match_label(("Revenue Client Date " * 300)[:6_000]) == (None, 0.0)
    assert calls == []
    header._match_text.cache_clear()
    assert header.match_label("Revenue")[0] is None  # short labels are still matched
    assert calls == ["Revenue"]
    header._match_text.cache_clear()


def test_real_headers_are_still_matched():
    assert header.match_label("Revenue")[0] == "revenue"
    assert header.match_label("Customer Name")[0] == "client_name"


def test_a_name_in_a_message_is_cut_short():
    assert named("x" * 6_000) == "x" * 200 + "…"
    assert named("Sales Q1.xlsx") == "Sales Q1.xlsx"


def test_a_cell_longer_than_any_amount_is_read_as_no_amount():
    cells = pa.array(["1,234.50", "1.000" * 2_000, None])
    assert figures_only(cells).to_pylist() == ["1,234.50", None, None]
    short = pa.array(["5", "(₪ 1,234,567,890.00)"])
    assert figures_only(short) is short


def test_padding_that_would_make_another_number_is_not_applied():
    assert padded_format("000000") == ("", 6, "")
    assert padded_format('"INV-"0000') == ("INV-", 4, "")
    assert padded_format('000"A"') == ("", 3, "A")
    for code in ('0000"-"', '00"0"', '00" 000"', '"("000")"'):
        assert padded_format(code) is None, code
