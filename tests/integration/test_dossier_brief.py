"""The dossier header and the negotiation brief: figures equal the analytics, every user
value escaped, nothing loaded from outside the page."""

import re
from datetime import date, timedelta

import pandas as pd
import pytest

from kam_core import dossier
from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.churn import churn
from kam_core.analytics.params import AnalysisParams
from kam_core.i18n import strip_isolates
from kam_core.store import connect

NAME = "<script>alert(1)</script> & Sons"
AS_OF = date(2025, 12, 31)


def sales_rows() -> pd.DataFrame:
    """C1 buys monthly in 2024-2025 (two late deliveries in 2025); C2 stopped in early 2024."""
    rows = []
    for month in range(1, 25):
        day = date(2024 + (month - 1) // 12, (month - 1) % 12 + 1, 10)
        due = day + timedelta(days=5)
        ship = due + timedelta(days=3 if month in (20, 22) else -1)
        rows.append(("C1", NAME, day, 1000.0 + month, due, ship))
        if month <= 3:
            rows.append(("C2", "Gone Ltd", day, 400.0, None, None))
    rows.append(("C3", "Steady", date(2025, 12, 1), 50.0, None, None))
    frame = pd.DataFrame(
        rows, columns=["client_id", "client_name", "order_date", "revenue", "due_date", "ship_date"]
    )
    frame["row_key"] = range(1, len(frame) + 1)
    frame["upload_id"] = 1
    return frame


@pytest.fixture
def db():
    conn = connect(":memory:")
    frame = sales_rows()  # noqa: F841 - read by DuckDB below
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue,"
        " due_date, ship_date) SELECT row_key, upload_id, order_date, client_id, client_name,"
        " revenue, due_date, ship_date FROM frame"
    )
    yield conn
    conn.close()


def test_the_header_figures_equal_the_analytics_and_the_sales(db):
    params = AnalysisParams(as_of=AS_OF)
    s = dossier.client_summary(db, params, "C1")
    rows = sales_rows()
    mine = rows[rows["client_id"] == "C1"]
    in_2025 = mine[pd.to_datetime(mine["order_date"]).dt.year == 2025]
    in_2024 = mine[pd.to_datetime(mine["order_date"]).dt.year == 2024]
    assert s.revenue == pytest.approx(in_2025["revenue"].sum())
    assert s.revenue_prev == pytest.approx(in_2024["revenue"].sum())
    assert s.change_pct == pytest.approx(in_2025["revenue"].sum() / in_2024["revenue"].sum() - 1)
    classes = abc_xyz(db, params).clients.set_index("client_id")
    assert s.cell == classes.at["C1", "cell"]
    assert s.churn_status == churn(db, params).set_index("client_id").at["C1", "status"]
    assert s.last_purchase == date(2025, 12, 10)
    assert (s.on_time, s.on_time_lines) == (pytest.approx(10 / 12), 12)
    assert list(s.cell_history["as_of"])[-1] == AS_OF
    assert s.trend == list(in_2025.sort_values("order_date")["revenue"])


def test_filters_in_the_sidebar_do_not_change_a_clients_class(db):
    plain = dossier.client_summary(db, AnalysisParams(as_of=AS_OF), "C1")
    filtered = dossier.client_summary(db, AnalysisParams(as_of=AS_OF, region="North"), "C1")
    assert (filtered.cell, filtered.revenue) == (plain.cell, plain.revenue)


def test_the_brief_escapes_every_user_value_and_loads_nothing_from_outside(db):
    dossier.add(
        db,
        "contact",
        "C1",
        {"name": "O'Brien <img src=x>", "role": "decision_maker", "attitude": "opponent"},
        "dana",
    )
    dossier.add(db, "competitor", "C1", {"name": "Rival & Co", "share": 0.4}, "dana")
    page = dossier.negotiation_brief(db, AnalysisParams(as_of=AS_OF), "C1", "<Dana>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons" in page
    assert "O&#x27;Brien &lt;img src=x&gt;" in page
    assert "&lt;Dana&gt;" in page
    for tag in ("<script", "<img", "<link", "<iframe"):
        assert tag not in page.lower()
    assert not re.search(r"<[^>]*\s(src|href)\s*=|@import|url\(", page, re.IGNORECASE)
    plain = strip_isolates(page)  # names sit in bidi isolates inside sentences
    assert "Rival &amp; Co holds about 40% of the client&#x27;s spend." in plain
    assert "is an opponent" in page


def test_the_brief_has_every_section_a_negotiation_needs(db):
    page = dossier.negotiation_brief(db, AnalysisParams(as_of=AS_OF), "C1", "Dana")
    for title in (
        "Risks",
        "Questions to ask",
        "Offers to make",
        "Profile",
        "History in brief",
        "Decision map",
        "Competitors",
        "Open tenders and actions",
    ):
        assert f"<h2>{title}</h2>" in page
    assert "@page" in page  # prints on A4 with margins


def test_a_lost_client_gets_win_back_questions_and_offers(db):
    page = dossier.negotiation_brief(db, AnalysisParams(as_of=AS_OF), "C2", "Dana")
    assert "What made you stop buying from us?" in page
    assert "Win-back:" in page
    assert "Lost: no purchase for" in page


def test_a_late_supplier_is_told_to_offer_a_delivery_guarantee(db):
    page = dossier.negotiation_brief(db, AnalysisParams(as_of=AS_OF), "C1", "Dana")
    assert "Only 83% of 12 lines in the window were shipped by the promised date." in page
    assert "delivery guarantee" in page


def test_the_brief_shows_amounts_with_the_currency_history_oldest_first_and_is_signed(db):
    from kam_core.services.settings import save_display

    save_display(db, currency="€")
    page = dossier.negotiation_brief(db, AnalysisParams(as_of=AS_OF), "C1", "Dana Levi")
    revenue_2025 = sum(1000.0 + m for m in range(13, 25))  # 12,222
    assert "€12,222" in page
    history = dossier.client_summary(db, AnalysisParams(as_of=AS_OF), "C1").cell_history
    assert list(history["as_of"]) == sorted(history["as_of"])  # oldest first
    assert " &rarr; ".join(history["cell"]) in page and "&larr;" not in page
    assert '<p class="sign">Dana Levi' in page
    assert revenue_2025 == 12222
