"""A long client list: the dossier's picker offers the first matches of a search instead of
every client, a deep link still opens any client, and a search finds any client."""

from __future__ import annotations

import pytest

from kam_core.demo import demo_sales
from tests.support.apptest import app_at
from views.dossier.header import picker_options


@pytest.fixture(scope="module")
def ranked() -> list[tuple[str, str]]:
    """The demo's clients, largest first by revenue, with their names (the picker's order)."""
    sales = demo_sales()
    order = sales.groupby("client_id")["revenue"].sum().sort_values(ascending=False)
    names = sales.groupby("client_id")["client_name"].first()
    return [(c, names[c]) for c in order.index]


LABELS = {f"C{i}": f"Client {i} ({'C' + str(i)})" for i in range(1, 121)}


def test_without_a_search_the_first_clients_are_offered():
    assert picker_options(LABELS, "", None, limit=3) == ["C1", "C2", "C3"]


def test_a_search_matches_names_and_ids_ignoring_case():
    assert picker_options(LABELS, "client 11", None, limit=50) == [
        "C11",
        *[f"C{i}" for i in range(110, 120)],
    ]
    assert picker_options(LABELS, "c120", None) == ["C120"]
    assert picker_options(LABELS, "nobody", None) == []


def test_the_client_open_now_stays_offered():
    assert picker_options(LABELS, "", "C99", limit=3) == ["C99", "C1", "C2", "C3"]
    assert picker_options(LABELS, "client 2", "C2", limit=2) == ["C2", "C20"]


def options_of(at) -> list[str]:
    return list(at.selectbox[0].options)


@pytest.mark.slow
def test_a_long_list_is_searched_and_any_client_still_opens(demo_db, monkeypatch, ranked):
    monkeypatch.setattr("views.dossier.header.PICKER_ALL", 10)
    monkeypatch.setattr("views.dossier.header.PICKER_MATCHES", 5)
    at = app_at("dossier")
    assert not at.exception
    # The five largest clients, not all 300.
    assert options_of(at) == [f"{name} ({c})" for c, name in ranked[:5]]
    small, small_name = ranked[-1]
    at.text_input(key="dossier_client_search").set_value(small_name).run()
    assert f"{small_name} ({small})" in options_of(at)
    at.selectbox[0].select(small).run()
    assert at.query_params["client"] == small
    assert small_name in [h.value for h in at.header]

    # A deep link to the smallest client opens it, listed first beside the largest five.
    linked = app_at("dossier", query={"client": small})
    assert not linked.exception
    assert linked.selectbox[0].value == small
    assert options_of(linked)[0] == f"{small_name} ({small})"
    assert len(options_of(linked)) == 6
