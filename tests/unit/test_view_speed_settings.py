"""Settings read once per script run: a held cursor reads the settings table once and keeps
them until it saves settings itself; other connections read them every time."""

from __future__ import annotations

from kam_core.services.settings import read_once_per_run
from kam_core.store.settings import read_settings, write_settings


def test_a_held_cursor_keeps_what_it_read_until_it_saves(conn):
    write_settings(conn, {"money_decimals": 0})
    run = conn.cursor()
    read_once_per_run(run)
    assert read_settings(run)["money_decimals"] == 0
    other = conn.cursor()
    write_settings(other, {"money_decimals": 2})  # another session saves during this run
    assert read_settings(run)["money_decimals"] == 0  # this run keeps the settings it read
    assert read_settings(other)["money_decimals"] == 2  # not held: read every time
    write_settings(run, {"currency_symbol": "$"})  # this run saves: it reads them again
    assert read_settings(run) == {"money_decimals": 2, "currency_symbol": "$"}
    assert read_settings(conn.cursor())["currency_symbol"] == "$"  # a new run sees the save


def test_a_held_read_hands_out_its_own_copy(conn):
    write_settings(conn, {"health_weights": {"recency": 0.5}})
    run = conn.cursor()
    read_once_per_run(run)
    first = read_settings(run)
    first["health_weights"]["recency"] = 0.9  # a caller changing what it got
    assert read_settings(run)["health_weights"] == {"recency": 0.5}
