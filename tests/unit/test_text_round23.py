"""Text files of a twenty-third round: Windows-1252 files whose only non-ASCII characters are
signs, and Western DOS, Mac and Central European files told by fewer letters."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.ingest.encoding import detect_encoding


def _per_client(conn) -> dict[str, float]:
    rows = conn.execute(
        "SELECT client_name, round(sum(revenue), 2) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return dict(rows)


SIGNS = (
    "Date,Client,Amount,Note\r\n"
    "2024-01-05,“Best” Foods,1200,on time – as agreed\r\n"
    "2024-01-06,O’Neill & Co…,800,paid € in full\r\n"
    "2024-01-07,“Best” Foods,300,—\r\n"
)
# By hand: Best Foods 1,200 + 300; O'Neill 800.
SIGNS_WANT = {"O’Neill & Co…": 800.0, "“Best” Foods": 1500.0}


def test_a_windows_1252_file_whose_only_accents_are_signs_is_read_as_windows_1252(conn):
    # No letter outside ASCII: it was read as Hebrew (Windows-1255) and the note named it so.
    counts, _parsed, pre = import_file(conn, SIGNS.encode("cp1252"), "export.csv")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == SIGNS_WANT
    assert any("in cp1252" in note for note in pre.notes)
    assert not any("cp1255" in note for note in pre.notes)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Date,Client,Note\n2024-01-15,Acme,“the best”\n", "cp1252"),
        ("Date,Client\n2024-01-15,Acme – Beta\n2024-01-16,Gamma…\n", "cp1252"),
        ("Date,Client,Amount\n2024-01-15,Acme ©,€ 12\n2024-01-16,Beta®,40°\n", "cp1252"),
        # A shekel sign (¤ in Windows-1252) beside amounts is Hebrew's, letters or none.
        ("Date,Client,Amount\n2024-01-15,Acme,₪ 1,200\n2024-01-16,Beta,₪ 300\n", "cp1255"),
        # Hebrew with curly quotes stays Hebrew.
        ("Date,Client\n2024-01-15,“תנובה” בעמ\n2024-01-16,שופרסל – סניף מרכז\n", "cp1255"),
    ],
)
def test_signs_alone_are_windows_1252_and_letters_still_tell(text, encoding):
    assert detect_encoding(text.encode(encoding)) == encoding
