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


def test_a_mapped_sheet_lets_its_pages_go_before_its_rows_are_taken(monkeypatch, tmp_path):
    from kam_core.config import SETTINGS
    from kam_core.importing import detect, parse
    from kam_core.ingest import grid as grid_module
    from kam_core.ingest import validate
    from kam_core.ingest.grid import load_book, save_book
    from kam_core.ingest.read import read_here

    lines = ["Order Date,Customer,Amount"]
    lines += [f"2025-01-{i % 28 + 1:02d},Client {i % 7},{i}.50" for i in range(1, 2_001)]
    lines[500] = "2025-01-05,Client 3,lots"  # line 501 of the file
    lines[1_200] = "2025-13-40,Client 4,12"  # line 1,201
    book = read_here("\n".join(lines).encode() + b"\n", "sales.csv", SETTINGS.limits)
    monkeypatch.setattr(grid_module, "MAP_FROM_BYTES", 0)  # mapped as a large sheet is
    mapped = load_book(save_book(book, tmp_path), tmp_path)
    assert mapped.sheets[0].mapped is not None
    dropped: list[str] = []
    drop = grid_module.SheetGrid.drop_pages

    def drop_pages(grid):
        dropped.append(grid.name)
        drop(grid)  # let go for real: the rows are read from the file again

    monkeypatch.setattr(grid_module.SheetGrid, "drop_pages", drop_pages)
    taken = validate._rows_frame

    def rows_frame(*args, **kwargs):
        dropped.append("rows taken")
        return taken(*args, **kwargs)

    monkeypatch.setattr(validate, "_rows_frame", rows_frame)
    parsed = parse(detect(None, mapped, "0" * 64))
    # The grid's pages went before the rows were copied out of it (a 1M-row upload peaked
    # with both in memory), and the rows are the file's all the same.
    assert dropped[:2] == ["sales.csv", "rows taken"]
    assert len(parsed.rows) == 1_998
    assert parsed.rows["revenue"].iloc[:3].tolist() == [1.5, 2.5, 3.5]
    assert parsed.rows["source_row"].iloc[-1] == 2_001
    assert parsed.rows["client_name"].iloc[-1] == "Client 5"  # 2,000 % 7
    assert parsed.rows["revenue"].iloc[-1] == 2_000.5
    rejected = parsed.rejected.sort_values("row")
    assert rejected["row"].tolist() == [501, 1_201]
    assert rejected["column"].tolist() == ["C (Amount)", "A (Order Date)"]
