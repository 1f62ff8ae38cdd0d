"""A decision map whose people all report round a circle longer than the chart: the page draws
the weightiest and the bosses above them instead of an empty chart."""

from __future__ import annotations

import json

from kam_core import dossier
from kam_core.store import connect
from tests.support.apptest import app_at, texts


def test_a_circle_of_30_people_draws_20_of_them_and_says_so(fresh_db, make_xlsx):
    conn = connect(fresh_db)
    conn.execute(
        "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue) "
        "VALUES (1, 1, DATE '2025-01-05', 'C1', 'One', 100)"
    )
    rows = [["Client ID", "Name", "Reports to"]]
    rows += [["C1", f"P{i:02d}", f"P{i % 30 + 1:02d}"] for i in range(1, 31)]  # P30 -> P01
    data = make_xlsx({"Contacts": rows}, name="contacts.xlsx").read_bytes()
    dossier.import_master(conn, data, "contacts.xlsx", "dana")
    conn.close()
    at = app_at("dossier", query={"client": "C1", "lang": "en", "tab": "Decision map"})
    assert not at.exception
    assert (
        "The chart shows the 20 people who weigh most in the decision (role, then influence) "
        "and whom they report to, of 30; the table below lists everyone." in texts(at)
    )
    (chart,) = [c for c in at.get("plotly_chart")]
    figure = json.loads(chart.proto.spec)
    names = [
        text.split("<b>")[1].split("</b>")[0]
        for trace in figure["data"]
        if trace.get("mode") == "markers+text"
        for text in trace["text"]
    ]
    # P01 sorts first; the 19 above it in the circle are drawn with it, P20 at the top.
    assert sorted(names) == [f"P{i:02d}" for i in range(1, 21)]
