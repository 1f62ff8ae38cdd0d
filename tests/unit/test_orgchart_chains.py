"""The decision map lays out any reporting chain or circle without recursion; circles are cut
and the cut links reported."""

from __future__ import annotations

import pandas as pd

from kam_core.dossier.orgchart import (
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
    assert decision_map_svg(chain).count("<circle") == 1500
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
