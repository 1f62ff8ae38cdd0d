"""Exports whose headers are German, French or Spanish import without a hand-made mapping."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.store import connect

ROWS = [
    ("05.01.2024", "Acme", "1.200,50"),
    ("06.01.2024", "Beta", "800"),
    ("07.01.2024", "Gamma", "-300"),
]


@pytest.mark.parametrize(
    ("title", "header", "total"),
    [
        ("Umsatzbericht", "Datum;Kunde;Betrag", "Gesamt"),
        ("Rapport des ventes", "Date;Client;Montant", "Total général"),
        ("Informe de ventas", "Fecha;Cliente;Importe", "Total general"),
    ],
)
def test_a_european_export_with_title_and_total_imports(tmp_path, title, header, total):
    # Before, 'Betrag', 'Montant' and 'Importe' (and 'Datum', 'Kunde', 'Fecha', 'Cliente')
    # were no header the app knew: the file was refused as having no column for them.
    lines = [title, "", header, *(";".join(r) for r in ROWS), f"{total};;1.700,50"]
    path = tmp_path / "ventes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    conn = connect(str(tmp_path / "kam.duckdb"))
    try:
        counts, _parsed, _pre = import_file(conn, path, path.name)
        stored = conn.execute(
            "SELECT client_name, order_date::VARCHAR, revenue FROM sales ORDER BY order_date"
        ).fetchall()
    finally:
        conn.close()
    assert (counts.rows_imported, counts.rows_skipped, counts.revenue) == (3, 1, 1700.5)
    assert stored == [
        ("Acme", "2024-01-05", 1200.5),
        ("Beta", "2024-01-06", 800.0),
        ("Gamma", "2024-01-07", -300.0),
    ]
