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


FEWER = (
    "Date,Client,Amount\r\n"
    "2024-01-05,{first},1200\r\n"
    "2024-01-06,Acme Trading,800\r\n"
    "2024-01-07,{second},300\r\n"
)


@pytest.mark.parametrize(
    ("first", "second", "encoding"),
    [
        # Mac Roman's ö, ú, û are Windows-1252's š, œ, ž: 'Kšln', 'Sjšberg', 'Perœ' stored.
        ("Köln Messe", "Björn Sjöberg", "mac_roman"),
        ("Möller GmbH", "Bien sûr", "mac_roman"),
        # DOS's ß is -1252's á ('Straáe'), its ö a closing quote ('Malm”').
        ("Straße AG", "Weiß & Co", "cp850"),
        ("Malmö AB", "Acme Malmö", "cp850"),
        # Polish ę as ê outside cz/sz/rz words ('Miêso'), Czech ň as ò ('Plzeò').
        ("Mięso Sp", "Dębica", "cp1250"),
        ("Plzeň", "Kuňka", "cp1250"),
    ],
)
def test_western_and_central_files_told_by_fewer_letters_keep_their_names(
    conn, first, second, encoding
):
    text = FEWER.format(first=first, second=second)
    counts, _parsed, pre = import_file(conn, text.encode(encoding), "export.csv")
    assert counts.rows_rejected == 0
    # By hand: 1,200, 800 and 300, each under its own name as written.
    assert _per_client(conn) == {first: 1200.0, "Acme Trading": 800.0, second: 300.0}
    assert any(f"in {encoding}" in note for note in pre.notes)


@pytest.mark.parametrize(
    "text",
    [
        "Date,Client\n2024-01-15,Köln\n2024-01-16,Straße\n2024-01-17,Perú\n",
        "Date,Client\n2024-01-15,Città…\n2024-01-16,Malmö\n",
        "Date,Client\n2024-01-15,però\n2024-01-16,Mònica\n2024-01-17,Niccolò\n",
        "Date,Client\n2024-01-15,forêt\n2024-01-16,ciência\n2024-01-17,Crêpe\n",
        "Date,Client\n2024-01-15,“Bäst” AB\n2024-01-16,”Bäst” AB\n2024-01-17,Size 12” pipe\n",
        "Date,Client\n2024-01-15,Šarm\n2024-01-16,Cœur\n2024-01-17,Sœur\n",
    ],
)
def test_windows_1252_files_stay_so(text):
    assert detect_encoding(text.encode("cp1252")) == "cp1252"
