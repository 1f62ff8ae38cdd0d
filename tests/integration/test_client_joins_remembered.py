"""A client joined to a stored one by its sales stays joined: the next quarter's export of the
same system, sharing no day with what is stored, names it the same way and is that client. A
client stored twice under two ids is one client to a third export, not a third client."""

from __future__ import annotations

from pathlib import Path

from kam_core import dossier
from kam_core.importing import import_file
from kam_core.store import connect
from kam_core.store.backup import backup, restore
from kam_core.store.dossier import list_records, read_profile
from kam_core.store.identity import matched_notes
from kam_core.store.sales import undo_upload

# (day, amount) of Acme's and Beta's first quarter.
ACME_Q1 = [("2025-01-06", 1200.00), ("2025-02-10", 845.50), ("2025-03-17", 2000.00)]
BETA_Q1 = [("2025-01-08", 300.00), ("2025-03-03", 1150.25)]
# Acme's second quarter: 400 + 610.40 = 1,010.40.
ACME_Q2 = [("2025-04-07", 400.00), ("2025-05-12", 610.40)]


def _csv(path: Path, rows: list[tuple[str, str, str, float]]) -> Path:
    lines = ["Date,Client ID,Client,Amount"] + [f"{d},{c},{n},{a:.2f}" for d, c, n, a in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def export_a(path: Path) -> Path:
    """The ERP: its own codes."""
    rows = [(d, "C001", "Acme", a) for d, a in ACME_Q1] + [
        (d, "C002", "Beta", a) for d, a in BETA_Q1
    ]
    return _csv(path, rows)


def export_b(path: Path, quarter: list[tuple[str, float]] = ACME_Q1) -> Path:
    """The CRM: other codes, other names."""
    return _csv(path, [(d, "ACME-01", "Acme Industries", a) for d, a in quarter])


def _import(conn, path: Path, duplicates: str = "skip"):
    return import_file(conn, path.read_bytes(), path.name, duplicates=duplicates)[0]


def _by_client(conn) -> dict[str, float]:
    found = conn.execute(
        "SELECT client_id, round(sum(revenue), 2) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return {str(c): float(v) for c, v in found}


def test_the_next_quarter_of_a_joined_export_is_the_client_it_was_joined_to(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, export_a(tmp_path / "a.csv"))
        joined = _import(conn, export_b(tmp_path / "b_q1.csv"))
        assert joined.matched.by_sales == {"ACME-01": "C001"}
        assert joined.rows_imported == 0
        later = _import(conn, export_b(tmp_path / "b_q2.csv", ACME_Q2))
        assert later.matched.by_alias == {"ACME-01": "C001"}
        assert later.rows_imported == 2
        # By hand: Acme 1,200 + 845.50 + 2,000 + 400 + 610.40 = 5,055.90; Beta 300 + 1,150.25.
        assert _by_client(conn) == {"C001": 5055.90, "C002": 1450.25}
        said = " ".join(matched_notes(later.matched))
        assert "ACME-01 as C001 (Acme)" in said
        assert f"import {joined.upload_id}" in said
    finally:
        conn.close()


def test_undoing_the_import_that_joined_them_parts_them(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, export_a(tmp_path / "a.csv"))
        joined = _import(conn, export_b(tmp_path / "b_q1.csv"))
        undo_upload(conn, joined.upload_id)
        # Imported again keeping its rows: the user says ACME-01 is a client of its own.
        _import(conn, export_b(tmp_path / "b_q1.csv"), duplicates="keep")
        later = _import(conn, export_b(tmp_path / "b_q2.csv", ACME_Q2))
        assert later.matched.by_alias == {}
        # ACME-01: 4,045.50 + 1,010.40 = 5,055.90; C001 its quarter alone.
        assert _by_client(conn) == {"ACME-01": 5055.90, "C001": 4045.50, "C002": 1450.25}
    finally:
        conn.close()


def test_a_backup_restored_keeps_the_join(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, export_a(tmp_path / "a.csv"))
        _import(conn, export_b(tmp_path / "b_q1.csv"))
        backup(conn, tmp_path / "backup.duckdb")
    finally:
        conn.close()
    fresh = connect(tmp_path / "other.duckdb")
    try:
        restore(fresh, tmp_path / "backup.duckdb")
        later = _import(fresh, export_b(tmp_path / "b_q2.csv", ACME_Q2))
        assert later.matched.by_alias == {"ACME-01": "C001"}
        assert _by_client(fresh) == {"C001": 5055.90, "C002": 1450.25}
    finally:
        fresh.close()


def test_a_client_stored_twice_is_one_client_to_a_third_export(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, export_a(tmp_path / "a.csv"))
        # Before any join: the CRM's quarter kept as rows of a client of its own.
        _import(conn, export_b(tmp_path / "b_q1.csv"), duplicates="keep")
        assert _by_client(conn) == {"ACME-01": 4045.50, "C001": 4045.50, "C002": 1450.25}
        third = _csv(
            tmp_path / "shop.csv",
            [(d, "S-77", "Acme Industries Ltd", a) for d, a in ACME_Q1 + ACME_Q2],
        )
        counts = _import(conn, third)
        # C001 was stored first: the third export's client is it, its quarter stored already.
        assert counts.matched.by_sales == {"S-77": "C001"}
        assert counts.matched.twins == {"C001": ["ACME-01"]}
        # Its first quarter is C001's stored rows (the name is no part of a row's key).
        assert (counts.rows_imported, counts.rows_duplicate) == (2, 3)
        assert _by_client(conn) == {"ACME-01": 4045.50, "C001": 5055.90, "C002": 1450.25}
        said = " ".join(matched_notes(counts.matched))
        assert "C001 and ACME-01" in said and "stored twice" in said
    finally:
        conn.close()


def test_a_file_naming_both_ids_of_a_join_keeps_them_two(tmp_path: Path):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, export_a(tmp_path / "a.csv"))
        _import(conn, export_b(tmp_path / "b_q1.csv"))
        # A file of the second quarter naming ACME-01 and C001: to it they are two clients.
        both = _csv(
            tmp_path / "both.csv",
            [(d, "ACME-01", "Acme Industries", a) for d, a in ACME_Q2]
            + [("2025-04-08", "C001", "Acme", 75.00)],
        )
        counts = _import(conn, both)
        assert counts.matched.by_alias == {}
        # ACME-01: 400 + 610.40; C001: 4,045.50 + 75.
        assert _by_client(conn) == {"ACME-01": 1010.40, "C001": 4120.50, "C002": 1450.25}
    finally:
        conn.close()


def test_master_data_naming_the_joined_id_fills_the_stored_clients_dossier(
    tmp_path: Path, make_xlsx
):
    conn = connect(tmp_path / "kam.duckdb")
    try:
        _import(conn, export_a(tmp_path / "a.csv"))
        _import(conn, export_b(tmp_path / "b_q1.csv"))
        sheets = {
            "Clients": [["Client ID", "Industry"], ["ACME-01", "Steel"]],
            "Contacts": [["Client ID", "Name"], ["ACME-01", "Ann"]],
        }
        data = make_xlsx(sheets, name="crm_master.xlsx").read_bytes()
        result = dossier.import_master(conn, data, "crm_master.xlsx")
        assert read_profile(conn, "C001")["industry"] == "Steel"
        assert list(list_records(conn, "contact", "C001")["name"]) == ["Ann"]
        assert not conn.execute(
            "SELECT count(*) FROM clients WHERE client_id = 'ACME-01'"
        ).fetchall()[0][0]
        assert (
            "Client ids read as the stored clients an import joined them to by their sales: "
            "ACME-01 as C001." in result.notes
        )
    finally:
        conn.close()
