"""Text files of a twenty-second round: Western text in DOS 850 or 437 and in Mac Roman."""

from __future__ import annotations

import pytest

from kam_core.importing import import_file
from kam_core.ingest.encoding import detect_encoding
from kam_core.ingest.errors import ImportRefused


def _per_client(conn) -> dict[str, float]:
    rows = conn.execute(
        "SELECT client_name, round(sum(revenue), 2) FROM sales GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return dict(rows)


WESTERN = (
    "Date,Client,Amount\n"
    "2024-01-05,Müller GmbH,1200\n"
    "2024-01-06,Café Zürich,800\n"
    "2024-01-07,Peña Ibáñez,300\n"
    "2024-01-08,Müller GmbH,100\n"
)
# By hand: Müller 1,200 + 100, Café 800, Peña 300.
WANT = {"Café Zürich": 800.0, "Müller GmbH": 1300.0, "Peña Ibáñez": 300.0}


@pytest.mark.parametrize("encoding", ["cp850", "cp437", "mac_roman"])
def test_western_text_saved_by_excel_for_dos_or_the_mac_keeps_its_names(conn, encoding):
    # DOS: ü as 0x81 (Windows-1252 lacks it: the rows were rejected), é as 0x82 ('Caf‚');
    # Mac: 'MŸller', 'CafŽ' stored.
    counts, _parsed, pre = import_file(conn, WESTERN.encode(encoding), "export.csv")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == WANT
    shown = "cp850" if encoding == "cp437" else encoding  # 850 holds 437's letters
    assert any(f"in {shown}" in note for note in pre.notes)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Date,Client\n2024-01-15,Müller\n", "mac_roman"),
        ("Date,Client\n2024-01-15,ÖSTERREICH AG\n2024-01-16,Österreich\n", "cp850"),
        ("Date,Client\n2024-01-15,Société Générale\n", "mac_roman"),
        ("Date,Client\n2024-01-15,Crème Brûlée\n2024-01-16,Smørrebrød\n", "cp850"),
        # Pairs of bytes Shift-JIS reads as kanji ('G\x94teborg'): single accents inside
        # Latin words are Western.
        ("Date,Client\n2024-01-15,Göteborg\n2024-01-16,Brûlée\n", "cp850"),
        ("Date,Client\n2024-01-15,Hélène\n2024-01-16,Conceição\n", "mac_roman"),
        # Japanese glued to a Latin word stays Japanese (山田 is 'ÄRôc' in DOS).
        ("Date,Client\n2024-01-15,山田Trading\n2024-01-16,山田Trading Group\n", "cp932"),
        # DOS reads Mac's Å as ü: a capital opening a name tells.
        ("Date,Client\n2024-01-15,Acme Århus\n", "mac_roman"),
        # A DOS report's boxes, where 850 has letters, are 437's.
        ("Date,Client\n╞══╡\n2024-01-15,Müller\n╘══╛\n", "cp437"),
        # Windows-1252 and -1250 stay so: quotes, dashes and apostrophes beside words.
        ("Date,Client\n2024-01-15,O’Brien Ltd\n2024-01-16,„Müller“ GmbH\n", "cp1252"),
        ("Date,Client\n2024-01-15,Crème “le bon”\n2024-01-16,Jean–Pierre\n", "cp1252"),
        ("Date,Client\n2024-01-15,Müller GmbH\n2024-02-20,Café Zürich\n", "cp1252"),
        ("Date,Client\n2024-01-16,Šťastný\n2024-01-17,Łódź\n", "cp1250"),
    ],
)
def test_dos_and_mac_western_pages_are_told_from_the_windows_ones(text, encoding):
    assert detect_encoding(text.encode(encoding)) == encoding


POLISH = (
    "Date,Client,Amount\n"
    "2024-01-05,Gdańsk Port,1200\n"
    "2024-01-06,Częstochowa Stal,800\n"
    "2024-01-07,Kościuszko i syn,300\n"
)


def test_polish_whose_accents_windows_1252_also_has_keeps_its_names(conn):
    # Read as Windows-1252: 'Gdañsk Port', 'Czêstochowa Stal', 'Koœciuszko i syn' stored.
    counts, _parsed, pre = import_file(conn, POLISH.encode("cp1250"), "export.csv")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == {
        "Częstochowa Stal": 800.0,
        "Gdańsk Port": 1200.0,
        "Kościuszko i syn": 300.0,
    }
    assert any("in cp1250" in note for note in pre.notes)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Poznań Sp. z o.o.", "cp1250"),
        ("Toruń", "cp1250"),
        ("Jędrzejów", "cp1250"),
        ("Świdnica", "cp1250"),
        # Spanish, French and Portuguese stay Windows-1252: ñ before a vowel, ê and œ in
        # their own words.
        ("Peña García", "cp1252"),
        ("Año Nuevo, Muñoz", "cp1252"),
        ("NIÑO", "cp1252"),
        ("Crêperie de la forêt", "cp1252"),
        ("você três", "cp1252"),
        ("Sœur Œuvre", "cp1252"),
        ("Gênero mês", "cp1252"),
    ],
)
def test_polish_is_told_from_spanish_french_and_portuguese_by_its_spellings(text, encoding):
    data = f'Date,Client\n2024-01-05,"{text}"\n'.encode(encoding)
    assert detect_encoding(data) == encoding


def _late_chinese() -> bytes:
    """A GBK export of 12,000 rows of Latin names (288 KB), then two Chinese clients."""
    rows = [f"2024-01-{i % 28 + 1:02d},Client {i % 40:02d},10" for i in range(12_000)]
    rows += ["2024-02-01,北京华为技术有限公司,1200", "2024-02-02,上海贸易公司,800"]
    return ("Date,Client,Amount\n" + "\n".join(rows) + "\n").encode("gbk")


def test_an_east_asian_file_whose_first_200_kb_are_ascii_keeps_its_names(conn):
    # The first 200 KB alone were looked at: read as Windows-1250, both names mojibake.
    data = _late_chinese()
    assert len(data) > 250_000
    assert detect_encoding(data) == "gb18030"
    counts, _parsed, _pre = import_file(conn, data, "export.csv")
    assert counts.rows_rejected == 0
    per_client = _per_client(conn)
    assert per_client["北京华为技术有限公司"] == 1200.0
    assert per_client["上海贸易公司"] == 800.0
    assert per_client["Client 00"] == 3000.0  # 300 rows of 10


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("1704448800", "1704542399"),  # seconds: 2024-01-05 10:00 and 2024-01-06 11:59:59 UTC
        ("1704448800000", "1704542399000"),  # milliseconds
    ],
)
def test_unix_times_in_a_date_column_are_read_as_their_days_in_utc(conn, first, second):
    # Every row was rejected as not a date, with the value.
    data = f"Date,Client,Amount\n{first},Acme,1200\n{second},Beta,800\n".encode()
    counts, parsed, _pre = import_file(conn, data, "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 0)
    rows = conn.execute(
        "SELECT client_name, CAST(order_date AS DATE)::VARCHAR FROM sales ORDER BY 1"
    ).fetchall()
    assert rows == [("Acme", "2024-01-05"), ("Beta", "2024-01-06")]
    assert any("Unix times" in note and first in note for note in parsed.notes)


def test_ten_digit_numbers_out_of_range_stay_no_date(conn):
    # Beside written dates, Unix times of this century are read one by one (test_text_round24).
    data = b"Date,Client,Amount\n0946684799,Acme,1200\n9999999999,Beta,800\n"
    with pytest.raises(ImportRefused, match="not a date"):  # every row rejected
        import_file(conn, data, "export.csv")


@pytest.mark.parametrize(
    ("header", "client", "encoding"),
    [
        ("订单日期,客户名称,销售额,订单号,数量,产品", "北京华为", "utf-8"),
        ("日期,客戶,金額,訂單號,數量,產品", "台灣積體電路", "utf-8"),
        ("日付,顧客名,売上金額,注文番号,数量,商品名", "山田商事", "cp932"),
        ("날짜,고객명,금액,주문번호,수량,제품", "삼성전자", "cp949"),
    ],
)
def test_chinese_japanese_and_korean_headers_are_recognised(conn, header, client, encoding):
    # Refused: no column recognised for order date, revenue, the client.
    data = (
        f"{header}\n2024-01-05,{client},1200,A-1,3,X\n2024-01-06,{client},800,A-2,2,Y\n"
    ).encode(encoding)
    counts, _parsed, pre = import_file(conn, data, "export.csv")
    assert pre.layout.mapping == {
        "order_date": 0,
        "client_name": 1,
        "revenue": 2,
        "order_id": 3,
        "quantity": 4,
        "product": 5,
    }
    assert counts.rows_rejected == 0
    assert _per_client(conn) == {client: 2000.0}
