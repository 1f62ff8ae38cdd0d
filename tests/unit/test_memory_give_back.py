"""Memory is handed back after the stages of a large import only: a small upload does not make
the server walk every session's objects."""

from __future__ import annotations

from kam_core.ingest import memory


def test_a_small_stage_collects_nothing_and_a_large_one_collects(monkeypatch):
    collected = []
    monkeypatch.setattr(memory.gc, "collect", lambda *gen: collected.append(gen))
    memory.give_back(memory.LARGE_ROWS - 1)
    assert collected == []
    memory.give_back(memory.LARGE_ROWS)
    assert collected == [(1,)]  # the young generations: the stage's own objects


def test_an_import_of_a_few_rows_never_collects(monkeypatch, conn):
    from kam_core.importing import import_file

    collected = []
    monkeypatch.setattr(memory.gc, "collect", lambda *gen: collected.append(gen))
    data = b"Order Date,Customer,Amount\n2025-01-05,Acme,100\n2025-02-05,Beta,50\n"
    counts, _parsed, _pre = import_file(conn, data, "small.csv")
    assert counts.rows_imported == 2
    assert collected == []
