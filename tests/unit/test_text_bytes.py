"""What the text buffers tell at once: a byte range that rules line breaks or non-ASCII out."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kam_core.ingest.parse import numbers
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


def test_a_slice_reads_only_its_own_cells_bytes():
    # The buffer of a slice holds the cells before it too (a title above the header): the
    # range is read between the slice's first and last cell, so those bytes do not count.
    cut = pa.array(["Zürich\n", "Acme", "Beta"]).slice(1)
    low, high = byte_range(cut)
    assert (low, high) == (ord("A"), ord("t"))
    assert is_ascii(cut)
    assert not _needs_cleaning(cut)
    assert byte_range(pa.array(["Zürich", "Acme"]).slice(0, 1))[1] >= 0x80
    assert byte_range(pa.array(["x", None]).slice(1)) == (256, -1)


def test_ascii_and_cleaning_answers():
    assert is_ascii(pa.array(["Acme", None]))
    assert not is_ascii(pa.array(["Acme", "Zürich"]))
    assert not _needs_cleaning(pa.array(["Acme Ltd", "Beta"]))
    assert _needs_cleaning(pa.array(["Acme\x00Ltd"]))
    assert _needs_cleaning(pa.array(["Acme\u200bLtd"]))
    assert _needs_cleaning(pa.array(["Acme\tLtd"]))
    assert not _needs_cleaning(pa.array(['חברה בע"מ']))


def test_a_column_of_plain_figures_reads_as_the_cell_by_cell_reading_does():
    # A column of digits, points and minus signs is read in one cast; one written amount
    # ('₪1') sends the same cells through the reading cell by cell: both agree on every cell.
    cells = ["69.32", "-6.5", "007", "1.000", "-0", "5.", ".5", "-.5", "0.001", "12", None]
    cells += ["1" + "0" * 310, "-" + "9" * 20]
    fast = numbers(pa.array(cells))
    slow = numbers(pa.array([*cells, "₪1"]))[: len(cells)]
    np.testing.assert_array_equal(fast, slow)
    assert fast[0] == 69.32 and fast[3] == 1.0 and str(fast[4]) == "0.0" and np.isnan(fast[10])
    # Cells Arrow cannot cast leave the column to the reading cell by cell.
    assert numbers(pa.array(["1-", "1.234.567", "10"])).tolist() == [-1.0, 1234567.0, 10.0]
