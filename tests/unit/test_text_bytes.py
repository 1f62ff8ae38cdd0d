"""What the text buffers tell at once: a byte range that rules line breaks or non-ASCII out."""

from __future__ import annotations

import pyarrow as pa

from kam_core.ingest.text import _needs_cleaning, byte_range, is_ascii


def test_the_range_is_that_of_the_cells_bytes():
    assert byte_range(pa.array(["Acme", "Beta"])) == (ord("A"), ord("t"))
    assert byte_range(pa.array(["a\nb"])) == (10, ord("b"))
    assert byte_range(pa.array(["שלום"]))[1] >= 0x80  # UTF-8 bytes of Hebrew letters


def test_no_text_has_an_empty_range():
    assert byte_range(pa.array([None, None], pa.string())) == (256, -1)
    assert byte_range(pa.array([], pa.string())) == (256, -1)
    assert byte_range(pa.chunked_array([], pa.string())) == (256, -1)


def test_every_chunk_counts():
    chunked = pa.chunked_array([pa.array(["abc"]), pa.array(["x\ty"])])
    assert byte_range(chunked)[0] == 9


def test_a_slice_may_show_the_bytes_of_cells_cut_away_but_the_answers_stay_exact():
    # The buffer of a slice holds the cells before it too: the range may be wider than the
    # slice, so is_ascii and the cleaning test confirm cell by cell.
    cut = pa.array(["Zürich\n", "Acme", "Beta"]).slice(1)
    low, high = byte_range(cut)
    assert low <= 10 and high >= 0x80
    assert is_ascii(cut)
    assert not _needs_cleaning(cut)


def test_ascii_and_cleaning_answers():
    assert is_ascii(pa.array(["Acme", None]))
    assert not is_ascii(pa.array(["Acme", "Zürich"]))
    assert not _needs_cleaning(pa.array(["Acme Ltd", "Beta"]))
    assert _needs_cleaning(pa.array(["Acme\x00Ltd"]))
    assert _needs_cleaning(pa.array(["Acme\u200bLtd"]))
    assert _needs_cleaning(pa.array(["Acme\tLtd"]))
    assert not _needs_cleaning(pa.array(['חברה בע"מ']))
