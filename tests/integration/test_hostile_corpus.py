"""Every file of the hostile corpus is refused with a clear message or imported as expected,
never crashes the importer, and leaves the database exactly as it was unless valid rows land."""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest

from kam_core.export import to_csv_bytes, to_excel_bytes
from kam_core.importing import import_file, parse, preview
from kam_core.ingest import ImportRefused, worker
from kam_core.store import connect
from tests.hostile.checksums import table_checksums
from tests.hostile.make_corpus import FORMULA_NAMES, Case, cases
from tests.support.corpus import shared_corpus

BASELINE = b"Order Date,Customer,Amount\n2023-12-01,Baseline One,10\n2023-12-02,Baseline Two,20\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, tuple[Case, Path]]:
    """The corpus, written once for the run."""
    return {case.name: (case, path) for case, path in shared_corpus(tmp_path_factory)}


def test_the_corpus_has_at_least_thirty_files_with_expected_outcomes(corpus):
    assert len(corpus) >= 30
    for case, _ in corpus.values():
        assert case.refused or case.rows, case.name


@pytest.fixture(scope="module")
def shared_conn(tmp_path_factory):
    """One database for the refused files: each must leave it exactly as it was."""
    conn = connect(tmp_path_factory.mktemp("refused") / "kam.duckdb")
    import_file(conn, BASELINE, "baseline.csv")
    yield conn
    conn.close()


# Bounds per file, far above what any case needs (a bound, not a speed figure: see bench/):
# a file that made the reader spin or balloon would cross them.
BOUND_SECONDS = 45.0
BOUND_WORKER_BYTES = 1024**3
BOUND_SERVER_GROWTH = 600 * 1024**2


def _hwm_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


@contextmanager
def bounded(name: str) -> Iterator[None]:
    """Run one import and check its time, its worker's peak and the server's own growth."""
    exact = _hwm_reset()
    base = _status("VmRSS")
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        stats = worker.last_read()
        assert seconds < BOUND_SECONDS, f"{name}: {seconds:.1f} s"
        if stats is not None and stats.worker_peak_bytes is not None:
            assert stats.worker_peak_bytes < BOUND_WORKER_BYTES, f"{name}: worker {stats}"
        if exact:
            growth = _status("VmHWM") - base
            assert growth < BOUND_SERVER_GROWTH, f"{name}: server grew {growth >> 20} MB"


@pytest.mark.parametrize("name", [c.name for c in cases() if c.refused])
def test_a_hostile_file_is_refused_naming_what_and_leaving_the_database_as_it_was(
    name, corpus, shared_conn
):
    case, path = corpus[name]
    before = table_checksums(shared_conn)
    with pytest.raises(ImportRefused) as refused, bounded(name):
        import_file(shared_conn, path.read_bytes(), path.name)
    message = str(refused.value)
    assert case.refused.lower() in message.lower(), message
    assert path.name in message, "the message names the file"
    assert table_checksums(shared_conn) == before, "a refused file changed the database"


@pytest.mark.parametrize("name", [c.name for c in cases() if not c.refused])
def test_a_difficult_file_imports_exactly_its_valid_rows(name, corpus, tmp_path):
    case, path = corpus[name]
    conn = connect(tmp_path / "kam.duckdb")
    try:
        import_file(conn, BASELINE, "baseline.csv")
        before = table_checksums(conn)
        with bounded(name):
            counts, parsed, pre = import_file(conn, path.read_bytes(), path.name)
        assert counts.rows_imported == case.rows
        assert counts.rows_rejected == case.rejected
        after = table_checksums(conn)
        assert after["sales"][0] == before["sales"][0] + case.rows
        assert after["uploads"][0] == before["uploads"][0] + 1
        if case.reason:
            reasons = " | ".join(parsed.rejected["reason"].astype(str))
            assert case.reason in reasons
            assert parsed.rejected["row"].notna().all() and parsed.rejected["column"].notna().all()
        if case.value:
            assert case.value in set(parsed.rejected["value"].astype(str)), parsed.rejected
        if case.note:
            notes = [*pre.notes, *parsed.notes]
            assert any(case.note in n for n in notes), notes
        if case.names:
            stored = conn.execute(
                "SELECT DISTINCT client_name FROM sales WHERE upload_id = ?", [counts.upload_id]
            ).fetchall()
            assert {r[0] for r in stored} == set(case.names)
        if case.ids:
            stored = conn.execute(
                "SELECT DISTINCT client_id FROM sales WHERE upload_id = ?", [counts.upload_id]
            ).fetchall()
            assert {r[0] for r in stored} == set(case.ids)
        if case.revenue is not None:
            assert counts.revenue == case.revenue
        if case.dates:
            stored = conn.execute(
                "SELECT DISTINCT CAST(order_date AS VARCHAR) FROM sales WHERE upload_id = ?",
                [counts.upload_id],
            ).fetchall()
            assert {r[0] for r in stored} == set(case.dates)
    finally:
        conn.close()


def test_rejected_rows_say_which_row_and_column_hold_the_excel_error(corpus, tmp_path):
    _, path = corpus["excel_errors.xlsx"]
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _, parsed, _ = import_file(conn, path.read_bytes(), path.name)
    finally:
        conn.close()
    found = {
        (r.row, r.column, r.value) for r in parsed.rejected[["row", "column", "value"]].itertuples()
    }
    assert found == {(3, "C (Amount)", "#DIV/0!"), (4, "A (Order Date)", "#N/A")}


def test_names_that_look_like_formulas_are_stored_as_typed_and_exported_as_text(corpus, tmp_path):
    _, path = corpus["formula_names.xlsx"]
    conn = connect(tmp_path / "kam.duckdb")
    try:
        import_file(conn, path.read_bytes(), path.name)
        frame = conn.execute("SELECT client_name FROM sales ORDER BY client_name").df()
    finally:
        conn.close()
    assert sorted(frame["client_name"]) == sorted(FORMULA_NAMES)
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"Clients": frame}))).active
    cells = [c.value for c in sheet["A"][1:]]
    assert sorted(cells) == sorted(FORMULA_NAMES)  # string cells: exact, never evaluated
    assert all(c.data_type == "s" for c in sheet["A"][1:])
    lines = to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1:]
    assert all(line.lstrip('"').startswith("'") for line in lines)


def test_dates_written_six_different_ways_in_one_column_are_all_read(corpus, tmp_path):
    _, path = corpus["mixed_date_formats.xlsx"]
    conn = connect(tmp_path / "kam.duckdb")
    try:
        import_file(conn, path.read_bytes(), path.name)
        stored = conn.execute("SELECT client_name, order_date FROM sales").fetchall()
    finally:
        conn.close()
    expected = {
        name: dt.date(2024, 1, day) for name, day in zip("ABCDEF", range(5, 11), strict=True)
    }
    assert dict(stored) == expected


def damaged(data: bytes, rng: random.Random) -> bytes:
    """A copy with a few bytes overwritten, cut out or slipped in."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(out))
        roll = rng.random()
        if roll < 0.5:
            out[at] = rng.randrange(256)
        elif roll < 0.75:
            del out[at : at + rng.randint(1, 40)]
        else:
            out[at:at] = rng.randbytes(rng.randint(1, 16))
    return bytes(out)


@pytest.mark.parametrize(
    ("name", "copies"), [("opendocument.ods", 6), ("legacy.xls", 6), ("header_on_row_40.xlsx", 30)]
)
def test_randomly_damaged_workbooks_are_read_or_refused_never_anything_else(corpus, name, copies):
    rng = random.Random(name)
    original = corpus[name][1].read_bytes()
    for _ in range(copies):
        try:
            parse(preview(None, damaged(original, rng), name))
        except ImportRefused as refused:
            assert name in str(refused)
