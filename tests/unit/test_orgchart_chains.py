"""The decision map lays out any reporting chain or circle without recursion; circles are cut
and the cut links reported."""

from __future__ import annotations

import pandas as pd

from kam_core.dossier.orgchart import (
    MAX_CHARTED,
    charted,
    cut_edges,
    decision_map_figure,
    decision_map_svg,
    layout_with_cuts,
    tree_layout,
)


def people(bosses: dict[int, int | None]) -> pd.DataFrame:
    ids = sorted(bosses)
    return pd.DataFrame(
        {
            "contact_id": ids,
            "reports_to": [bosses[i] for i in ids],
            "name": [f"P{i}" for i in ids],
            "title": None,
            "role": "user",
            "attitude": "neutral",
            "influence": 3,
            "email": None,
            "phone": None,
        }
    )


def test_a_chain_of_1500_people_is_laid_out_one_level_each():
    chain = people({i: (i - 1 if i > 1 else None) for i in range(1, 1501)})
    frame, cuts = layout_with_cuts(chain)
    assert cuts == []
    assert list(frame["depth"]) == list(range(1500))
    assert frame["x"].eq(0).all()  # a single line, everyone above the one below
    drawn = len(charted(chain))  # the weightiest with their bosses, MAX_CHARTED at most
    assert 0 < drawn <= MAX_CHARTED
    assert decision_map_svg(chain).count("<circle") == drawn
    assert len(decision_map_figure(chain).data) >= 2


def test_a_circle_is_cut_above_the_person_drawn_at_its_top_and_reported():
    # 1 -> 2 -> 3 -> 1 is a circle; 4 reports to 1.
    frame = tree_layout(people({1: 2, 2: 3, 3: 1, 4: 1})).set_index("contact_id")
    assert cut_edges(people({1: 2, 2: 3, 3: 1, 4: 1})) == [(1, 2)]
    assert pd.isna(frame.at[1, "parent"]) and frame.at[1, "depth"] == 0
    assert (frame.at[3, "parent"], frame.at[2, "parent"], frame.at[4, "parent"]) == (1, 3, 1)
    assert (frame.at[3, "depth"], frame.at[2, "depth"]) == (1, 2)


def test_a_long_circle_and_a_person_reporting_to_themselves_do_not_crash():
    ring = {i: (i % 2000) + 1 for i in range(1, 2001)}  # 1 -> 2 -> ... -> 2000 -> 1
    ring[2001] = 2001
    frame, cuts = layout_with_cuts(people(ring))
    assert len(frame) == 2001 and len(cuts) == 1
    assert frame["depth"].max() == 1999


def test_a_chart_of_many_people_draws_those_who_weigh_most_with_their_bosses():
    many = people({i: (i // 10 if i >= 10 else None) for i in range(1, 10_001)})
    many["influence"] = [1 + i % 5 for i in range(len(many))]
    many.loc[many["contact_id"] == 7777, ["role", "influence"]] = ["decision_maker", 1]
    many.loc[many["contact_id"] == 10, "title"] = "Vice President of " + "Procurement " * 20
    chosen = charted(many)
    assert len(chosen) <= MAX_CHARTED
    # The decision maker first whatever the influence, with the chain above: 7777 -> 777 -> 77
    # -> 7 (who reports to no one).
    assert {7777, 777, 77, 7} <= set(chosen["contact_id"])
    bosses = dict(zip(many["contact_id"], many["reports_to"], strict=True))
    drawn = set(chosen["contact_id"])
    assert all(pd.isna(bosses[i]) or bosses[i] in drawn for i in drawn)  # everyone's boss shown
    fig = decision_map_figure(many)
    marks = sum(len(t.x) for t in fig.data if t.mode == "markers+text")
    assert marks == len(chosen)
    labels = [text for t in fig.data if t.mode == "markers+text" for text in t.text]
    assert all(len(line) <= 60 for label in labels for line in label.split("<br>"))


def test_a_circle_or_a_line_longer_than_the_chart_draws_the_weightiest_with_bosses_above():
    # 30 people in a circle, 1 -> 2 -> ... -> 30 -> 1, all alike: P1 sorts first by name.
    ring = people({i: i % 30 + 1 for i in range(1, 31)})
    assert list(charted(ring)["contact_id"]) == list(range(1, 21))
    svg = decision_map_svg(ring)
    assert svg.count("<circle") == 20 and svg.count("<polyline") == 19  # P20 drawn at the top
    assert ">P1<" in svg and ">P20<" in svg and ">P21<" not in svg
    marks = sum(len(t.x) for t in decision_map_figure(ring).data if t.mode == "markers+text")
    assert marks == 20
    # A line of 10,000 whose decision maker stands at its foot: they and 19 bosses above.
    line = people({i: (i + 1 if i < 10_000 else None) for i in range(1, 10_001)})
    line.loc[line["contact_id"] == 1, "role"] = "decision_maker"
    assert list(charted(line)["contact_id"]) == list(range(1, 21))
    assert decision_map_svg(line).count("<circle") == 20
