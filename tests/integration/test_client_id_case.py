"""Client codes differing only in capitals (c001 and C001, acme-01 and ACME-01) are one client,
within a file and across files, and the user is told; two companies named otherwise stay two."""

from __future__ import annotations

from pathlib import Path

from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.identity import matched_notes


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(["Date,Client ID,Client,Amount", *lines]) + "\n", encoding="utf-8")
    return path


def _import(conn, path: Path):
    return import_file(conn, path.read_bytes(), path.name)[0]


def _stored(conn) -> list[tuple]:
    return conn.execute(
        "SELECT client_id, count(*), round(sum(revenue), 2) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()


def test_one_file_writing_a_code_in_two_cases_stores_one_client_and_says_so(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        path = _csv(
            tmp_path / "mixed.csv",
            [
                "2025-04-01,c001,Acme,100.00",
                "2025-04-02,C001,Acme,200.50",
                "2025-04-03,acme-01,Beta,300.00",
                "2025-04-04,ACME-01,Beta,400.25",
            ],
        )
        counts = _import(conn, path)
        assert counts.clients == 2
        assert counts.matched.by_case == {"acme-01": "ACME-01", "c001": "C001"}
        # By hand: C001 100 + 200.50; ACME-01 300 + 400.25.
        assert _stored(conn) == [("ACME-01", 2, 700.25), ("C001", 2, 300.5)]
        said = " ".join(matched_notes(counts.matched))
        assert "only in capitals" in said and "c001 as C001" in said
    finally:
        conn.close()


def test_a_later_export_in_lower_case_is_the_stored_client_and_its_rows_are_stored(
    tmp_path: Path,
):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(
            conn,
            _csv(
                tmp_path / "erp.csv", ["2025-04-01,C001,Acme,100.00", "2025-05-01,C001,Acme,250.00"]
            ),
        )
        later = _csv(
            tmp_path / "crm.csv",
            [
                "2025-04-01,c001,Acme,100.00",
                "2025-05-01,c001,Acme,250.00",
                "2025-06-01,c001,Acme,50.00",
            ],
        )
        counts = _import(conn, later)
        assert counts.matched.by_case == {"c001": "C001"}
        assert (counts.rows_imported, counts.rows_duplicate) == (1, 2)
        # 100 + 250 + the new 50, under the stored form.
        assert _stored(conn) == [("C001", 3, 400.0)]
    finally:
        conn.close()


def test_two_companies_whose_codes_differ_in_capitals_stay_two(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        path = _csv(
            tmp_path / "two.csv",
            ["2025-04-01,x1,Acme,100.00", "2025-04-02,X1,Zeta Shipping,900.00"],
        )
        counts = _import(conn, path)
        assert counts.matched.by_case == {}
        assert _stored(conn) == [("X1", 1, 900.0), ("x1", 1, 100.0)]
    finally:
        conn.close()
