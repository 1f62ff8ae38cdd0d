"""The demo loaded in Hebrew: the sales' regions, segments and categories and the dossiers'
texts in Hebrew, names as they are, every client still covered by its region's manager."""

from __future__ import annotations

from kam_core.demo import demo_sales
from kam_core.demo.load import load_demo
from kam_core.demo.workbook import in_language
from kam_core.i18n import use_language
from kam_core.store import connect


def test_in_hebrew_the_sales_name_regions_segments_and_categories_in_hebrew():
    english = demo_sales()
    with use_language("he"):
        hebrew = in_language(english)
    assert set(hebrew["region"]) == {"הצפון", "המרכז", "הדרום", "ירושלים"}
    assert set(hebrew["segment"]) == {"ארגונים גדולים", "עסקים בינוניים", "עסקים קטנים"}
    assert "ציוד משרדי" in set(hebrew["category"])
    # Only those three columns change: names, products, amounts and dates are data.
    same = [c for c in english.columns if c not in ("region", "segment", "category")]
    assert hebrew[same].equals(english[same])
    with use_language("en"):
        assert in_language(english).equals(english)


def test_the_demo_loaded_in_hebrew_holds_hebrew_texts_and_every_clients_manager(tmp_path):
    conn = connect(tmp_path / "he.duckdb")
    try:
        counts = load_demo(conn, "he")
        assert counts.clients == 300
        regions = {r for (r,) in conn.execute("SELECT DISTINCT region FROM sales").fetchall()}
        assert regions == {"הצפון", "המרכז", "הדרום", "ירושלים"}
        # The People sheet names the regions the same way: every client has its manager.
        assert conn.execute("SELECT count(manager) FROM clients").fetchone()[0] == 300
        (description,) = conn.execute(
            "SELECT description FROM clients WHERE client_id = ?", ["C0276"]
        ).fetchone()
        assert description.startswith("חברת פארמה באזור הדרום, פלח ארגונים גדולים;")
        (name,) = conn.execute(
            "SELECT client_name FROM clients WHERE client_id = ?", ["C0276"]
        ).fetchone()
        assert name == "Redwood Pharma Industries Ltd"  # a name is data
        titles = {t for (t,) in conn.execute("SELECT DISTINCT title FROM contacts").fetchall()}
        assert 'מנכ"ל' in titles and "Chief Executive Officer" not in titles
    finally:
        conn.close()
