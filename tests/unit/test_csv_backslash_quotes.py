"""Quotes escaped with a backslash (\\" as databases export them) are read as quotes."""

from kam_core.config import ImportLimits
from kam_core.ingest.csvread import read_csv


def test_quotes_escaped_with_a_backslash_are_read_as_quotes():
    text = (
        "Date,Client,Amount\n"
        '2024-01-05,"Acme \\"Best\\" Ltd",100\n'
        '2024-02-17,"Path C:\\\\",200\n'
        '2024-02-18,"\\"Q\\"",300\n'
    )
    grid, notes = read_csv(text.encode(), "t.csv", ImportLimits())
    assert grid.table.column("c1").to_pylist()[1:] == ['Acme "Best" Ltd', "Path C:\\", '"Q"']
    assert grid.table.column("c2").to_pylist()[1:] == ["100", "200", "300"]
    assert any("backslash" in note for note in notes)


def test_a_value_ending_in_a_backslash_in_a_standard_file_keeps_it():
    text = 'Date,Client,Amount\n2024-01-05,"Dir C:\\",100\n2024-01-06,"Say ""hi""",5\n'
    grid, notes = read_csv(text.encode(), "t.csv", ImportLimits())
    assert grid.table.column("c1").to_pylist()[1:] == ["Dir C:\\", 'Say "hi"']
    assert not any("backslash" in note for note in notes)
