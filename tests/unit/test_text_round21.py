"""Text files of a twenty-first round: East Asian code pages, KOI8-R in capitals, Czech in
Windows-1250, ledgers of debit and credit columns."""

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


JAPANESE = (
    "Date,Client,Amount\n"
    "2024-01-05,株式会社山田商事,1200\n"
    "2024-01-06,トヨタ自動車株式会社,800\n"
    "2024-01-07,株式会社山田商事,300\n"
)
CHINESE = (
    "Date,Client,Amount\n"
    "2024-01-05,北京华为技术有限公司,1200\n"
    "2024-01-06,上海贸易公司,800\n"
    "2024-01-07,北京华为技术有限公司,300\n"
)
KOREAN = (
    "Date,Client,Amount\n"
    "2024-01-05,삼성전자 주식회사,1200\n"
    "2024-01-06,현대자동차,800\n"
    "2024-01-07,삼성전자 주식회사,300\n"
)
TAIWANESE = (
    "Date,Client,Amount\n"
    "2024-01-05,台灣積體電路,1200\n"
    "2024-01-06,鴻海精密工業,800\n"
    "2024-01-07,台灣積體電路,300\n"
)


@pytest.mark.parametrize(
    ("text", "written", "read"),
    [
        (JAPANESE, "shift_jis", "cp932"),
        (JAPANESE, "cp932", "cp932"),
        ("Date,Client,Amount\n2024-01-05,㈱山田商事 ①,5\n2024-01-06,ソニー,6\n", "cp932", "cp932"),
        (CHINESE, "gbk", "gb18030"),
        (CHINESE, "gb18030", "gb18030"),
        (CHINESE, "gb2312", "gb18030"),
        (KOREAN, "euc_kr", "cp949"),
        (KOREAN, "cp949", "cp949"),
        (TAIWANESE, "big5", "cp950"),
        # Half-width katakana, as Japanese banks and older systems write names.
        ("Date,Client,Amount\n2024-01-05,ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ,100\n2024-01-06,ｿﾆｰ(ｶ,200\n", "cp932", "cp932"),
        ("Date,Client,Amount\n2024-01-05,ｶﾌﾞｼｷｶﾞｲｼｬ ﾐﾂﾋﾞｼ,100\n", "cp932", "cp932"),
    ],
)
def test_east_asian_code_pages_are_read_from_their_bytes(text, written, read):
    # Each was read as Windows-1250 or KOI8-R: every name mojibake, or rows refused.
    assert detect_encoding(text.encode(written)) == read


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        # Single-byte pages whose letters can pair into East Asian characters stay as they were.
        ("2024-01-05,טבע,100\n2024-01-06,אסם,5\n2024-01-07,שטראוס,6\n", "cp1255"),
        ('Date,Client\n2024-01-05,אבגד בע"מ\n2024-01-06,תנובה\n', "cp1255"),
        ("2024-01-05,ООО РОМАШКА,100\n2024-01-06,ЗАО ВЕКТОР,5\n", "cp1251"),
        ("Date,Client,Amount\n2024-01-01,МАГНИТ,5\n", "cp1251"),
        ("Date,Client,Amount\n2024-01-01,СЕВЕРСТАЛЬ,5\n2024-01-02,ЛУКОЙЛ,1\n", "cp1251"),
        ("2024-01-05,ООО Ромашка,100\n2024-01-06,Газпром,5\n", "cp1251"),
        ("Date,Client\n2024-01-15,Àlex\n2024-02-20,Àlex\n2024-02-21,Müller GmbH\n", "cp1252"),
        ("Date,Client\n2024-01-15,شركة الأمل\n2024-01-16,مؤسسة النور\n", "cp1256"),
        # Bytes of half-width katakana: Russian capitals with «» and №, German's Ä Ö Ü ß.
        ("2024-01-05,«ООО РОМАШКА»,100\n2024-01-06,«ЗАО ВЕКТОР» №5,5\n", "cp1251"),
        ("2024-01-05,«ЮНИОН»,100\n2024-01-06,«ЗАО ЮГ» №5,5\n", "cp1251"),
        ("Date,Client\n2024-01-05,Großhandel Straße\n2024-01-06,ÄÖÜ Weiß\n", "cp1252"),
    ],
)
def test_single_byte_code_pages_are_not_taken_for_east_asian_ones(text, encoding):
    assert detect_encoding(text.encode(encoding)) == encoding


@pytest.mark.parametrize(
    ("text", "written"),
    [(JAPANESE, "shift_jis"), (CHINESE, "gbk"), (KOREAN, "euc_kr"), (TAIWANESE, "big5")],
)
def test_an_east_asian_csv_keeps_its_names(conn, text, written):
    # By hand: the first client 1,200 + 300 = 1,500, the second 800.
    counts, _parsed, pre = import_file(conn, text.encode(written), "export.csv")
    first, second = (line.split(",")[1] for line in text.splitlines()[1:3])
    assert counts.rows_rejected == 0
    assert _per_client(conn) == {first: 1500.0, second: 800.0}
    assert any("save it as 'CSV UTF-8'" in note for note in pre.notes)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        # Russian in one case: read as Hebrew (ООО РОМАШКА stored as Hebrew letters).
        ("Date,Client,Amount\n2024-01-05,ООО РОМАШКА,100\n2024-01-06,ГАЗПРОМ,5\n", "koi8_r"),
        ("2024-01-05;ИП ИВАНОВ;100\n2024-01-06;ТД ЧЕРНОГОЛОВКА;5\n", "koi8_r"),
        ("Date,Client,Amount\n2024-01-05,ооо ромашка,100\n2024-01-06,газпром,5\n", "cp1251"),
        # A capital after a quote starts a word too: read as Hebrew.
        ("2024-01-05,ООО «Ромашка»,100\n", "cp1251"),
        ("2024-01-05,ЗАО „Вектор“,100\n", "cp1251"),
        ("Date,Client\n2024-01-05,«שטראוס»\n2024-01-06,«תנובה»\n", "cp1255"),
        # Hebrew's final letters end its words: it stays Hebrew.
        ("Date,Client\n2024-01-05,שיכון ובינוי\n2024-01-06,מכון ויצמן\n", "cp1255"),
        (
            "Date,Client\n2024-01-05,כלל ביטוח\n2024-01-06,חברת החשמל\n2024-01-07,אלביט מערכות\n",
            "cp1255",
        ),
        ('Date,Client\n2024-01-05,רמי לוי\n2024-01-06,מי עדן\n2024-01-07,אבגד בע"מ\n', "cp1255"),
    ],
)
def test_russian_in_one_case_is_told_from_hebrew_by_its_final_letters(text, encoding):
    assert detect_encoding(text.encode(encoding)) == encoding


def test_a_koi8_r_file_in_capitals_keeps_its_russian_names(conn):
    # By hand: ООО РОМАШКА 1,200 + 300, ГАЗПРОМ 800.
    text = (
        "Дата,Клиент,Сумма\n"
        "2024-01-05,ООО РОМАШКА,1200\n2024-01-06,ГАЗПРОМ,800\n2024-01-07,ООО РОМАШКА,300\n"
    ).upper()
    counts, _parsed, pre = import_file(conn, text.encode("koi8_r"), "export.csv")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == {"ГАЗПРОМ": 800.0, "ООО РОМАШКА": 1500.0}
    assert any("in koi8_r" in note for note in pre.notes)


@pytest.mark.parametrize(
    "text",
    [
        # Accents Windows-1252 reads as other letters of its own: read as 'Èerný', 'Svìtlo'.
        "Date,Client,Amount\n2024-01-05,Černý a syn,100\n",
        "Date,Client,Amount\n2024-01-05,Světlo Praha,100\n",
        "Date,Client,Amount\n2024-01-05,Růžička,100\n",
        "Date,Client,Amount\n2024-01-05,Kočka s.r.o.,100\n",
    ],
)
def test_czech_spellings_tell_windows_1250(text):
    assert detect_encoding(text.encode("cp1250")) == "cp1250"


@pytest.mark.parametrize(
    "name",
    [
        "Ève Boutique",
        "Èze Village",
        "Così Più Caffè",
        "Lunedì Srl",
        "Virtù Srl",
        "Zèbre",
        "Chèque Plus",
        "Sòller",
        "Søren Østergaard",
    ],
)
def test_western_names_with_the_same_bytes_stay_windows_1252(name):
    data = f"Date,Client\n2024-01-05,{name}\n2024-01-06,Müller\n".encode("cp1252")
    assert detect_encoding(data) == "cp1252"


def test_a_czech_file_whose_accents_1252_also_has_keeps_its_names(conn):
    # By hand: Černý a syn 1,200 + 300; Nováček 800 (stored 'Èerný a syn', 'Nováèek').
    text = (
        "Date,Client,Amount\n"
        "2024-01-05,Černý a syn,1200\n2024-01-06,Nováček,800\n2024-01-07,Černý a syn,300\n"
    )
    counts, _parsed, _pre = import_file(conn, text.encode("cp1250"), "export.csv")
    assert counts.rows_rejected == 0
    assert _per_client(conn) == {"Nováček": 800.0, "Černý a syn": 1500.0}


AR_LEDGER = """Date,Customer,Type,Document,Debit,Credit,Balance
2024-01-05,Acme Ltd,Invoice,INV-1,1200.00,,1200.00
2024-01-10,Beta GmbH,Invoice,INV-2,800.00,,800.00
2024-01-20,Acme Ltd,Credit Note,CN-1,,200.00,1000.00
2024-01-25,Acme Ltd,Payment,PMT-1,,1000.00,0.00
2024-02-01,Beta GmbH,Invoice,INV-3,500.00,0.00,1300.00
"""


def test_a_customer_ledger_reads_debits_less_credits_and_leaves_payments_out(conn):
    # Refused: no revenue column. By hand: Acme 1,200 - 200 (credit note) = 1,000, its
    # payment of 1,000 no sale; Beta 800 + 500 = 1,300.
    counts, _parsed, pre = import_file(conn, AR_LEDGER.encode(), "ledger.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (4, 1)
    assert _per_client(conn) == {"Acme Ltd": 1000.0, "Beta GmbH": 1300.0}
    assert any("E (Debit) less F (Credit)" in note for note in pre.notes)


def test_a_sales_account_ledger_reads_credits_less_debits(conn):
    # The sales account's ledger writes sales as credits, returns as debits. By hand: Acme
    # 1,200 - 200 = 1,000; Beta 800.
    data = (
        "Date;Customer;Doc. Type;Debit;Credit\n"
        "05.01.2024;Acme Ltd;Sales Invoice;;1.200,00\n"
        "10.01.2024;Beta GmbH;Sales Invoice;0,00;800,00\n"
        "20.01.2024;Acme Ltd;Credit Memo;200,00;\n"
    )
    counts, _parsed, pre = import_file(conn, data.encode(), "gl.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 0)
    assert _per_client(conn) == {"Acme Ltd": 1000.0, "Beta GmbH": 800.0}
    assert any("E (Credit) less D (Debit)" in note for note in pre.notes)


def test_a_row_with_amounts_on_both_sides_is_rejected_showing_both(conn):
    data = AR_LEDGER.replace("INV-3,500.00,0.00", "INV-3,500.00,100.00")
    counts, parsed, _pre = import_file(conn, data.encode(), "ledger.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 2)
    assert _per_client(conn) == {"Acme Ltd": 1000.0, "Beta GmbH": 800.0}
    assert "500.00 - 100.00" in set(parsed.rejected["value"])


@pytest.mark.parametrize(
    "data",
    [
        # No document type: a credit may be a credit note or a payment received.
        "Date,Customer,Debit,Credit,Balance\n2024-01-05,Acme Ltd,1200.00,,1200.00\n"
        "2024-01-10,Acme Ltd,,1200.00,0.00\n",
        # Invoices on both sides: nothing tells which is the sales'.
        "Date,Customer,Type,Debit,Credit\n2024-01-05,Acme Ltd,Invoice,1200.00,\n"
        "2024-01-10,Beta GmbH,Invoice,,800.00\n",
    ],
)
def test_an_ambiguous_ledger_is_refused_naming_its_two_columns(conn, data):
    with pytest.raises(ImportRefused) as refused:
        import_file(conn, data.encode(), "ledger.csv")
    message = str(refused.value)
    assert "(Debit) and" in message and "(Credit) hold a ledger's two sides" in message
    assert conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 0


def test_lines_each_written_in_quotes_are_read_as_rows(conn):
    # Refused: one column, no field found. By hand: 'Acme, Inc' 1,234.50 + 100; Beta 800.
    data = (
        '"Date,Client,Amount"\r\n'
        '"2024-01-05,""Acme, Inc"",1234.50"\r\n'
        '"2024-01-06,Beta GmbH,800"\r\n'
        '"2024-01-07,""Acme, Inc"",100"\r\n'
    )
    counts, _parsed, pre = import_file(conn, data.encode(), "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 0)
    assert _per_client(conn) == {"Acme, Inc": 1334.5, "Beta GmbH": 800.0}
    assert any("quotes around the lines" in note for note in pre.notes)


def test_a_file_of_quoted_values_one_a_line_is_not_unwrapped(conn):
    # Quoted fields whose lines are no rows: left as they are.
    data = 'Date,Client,Amount\n"2024-01-05","Acme","100"\n"2024-01-06","Beta","50"\n'
    counts, _parsed, pre = import_file(conn, data.encode(), "export.csv")
    assert counts.rows_imported == 2
    assert not any("quotes around the lines" in note for note in pre.notes)


def test_json_lines_named_csv_are_read_as_records(conn):
    # Each line was rejected as 'not a date' ('{"Date": "2024-01-05"'). By hand: Acme
    # 1,234.50 dated as written (not moved to UTC), Beta 800; the list left out.
    data = (
        '{"Date": "2024-01-05T23:30:00-05:00", "Client": "Acme Ltd", "Amount": 1234.5, '
        '"items": [1, 2]}\n'
        '{"Date": "2024-01-06", "Client": "Beta GmbH", "Amount": 800}\n'
    )
    counts, _parsed, pre = import_file(conn, data.encode(), "orders.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (2, 0)
    assert _per_client(conn) == {"Acme Ltd": 1234.5, "Beta GmbH": 800.0}
    days = conn.execute("SELECT min(order_date) FROM sales").fetchone()[0]
    assert str(days) == "2024-01-05"
    assert any("JSON records" in note for note in pre.notes)
    assert any("'items'" in note for note in pre.notes)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ('["2024-01-05", "Acme", 5]', "JSON list of single values"),
        ('{"Date": "2024-01-05", "Client": "Acme", "Amount": 5}\n{"Date": \n', "cannot be read"),
    ],
)
def test_json_that_is_no_list_of_records_is_refused_saying_so(conn, data, said):
    with pytest.raises(ImportRefused, match=said):
        import_file(conn, data.encode(), "orders.csv")


FIXED_WIDTH = """ACME ERP - Sales Register
Printed 02.04.2024

Date        Customer                 Amount
2024-01-05  Acme Ltd                1234.50
2024-01-06  B                        800.00
2024-02-10  Gamma                   -150.25
2024-03-01  Acme Ltd                2000.00
2024-03-02  Delta Widgets Corp        10.00

Page 1 of 1
"""


def test_a_fixed_width_report_is_cut_into_its_columns(conn):
    # Refused: no column recognised (the lines read as one column). By hand: Acme 1,234.50 +
    # 2,000 = 3,234.50; B 800; Gamma -150.25; Delta Widgets Corp 10 (its spaces kept).
    counts, _parsed, pre = import_file(conn, FIXED_WIDTH.encode(), "register.txt")
    assert (counts.rows_imported, counts.rows_rejected) == (5, 0)
    assert _per_client(conn) == {
        "Acme Ltd": 3234.5,
        "B": 800.0,
        "Delta Widgets Corp": 10.0,
        "Gamma": -150.25,
    }
    assert any("fixed width" in note for note in pre.notes)


def test_a_fixed_width_file_in_windows_1255_keeps_its_hebrew_names(conn):
    text = (
        "תאריך       לקוח                 סכום\n"
        "2024-01-05  שטראוס                100.00\n"
        '2024-01-06  תנובה בע"מ            250.50\n'
    )
    counts, _parsed, _pre = import_file(conn, text.encode("cp1255"), "report.txt")
    assert counts.rows_imported == 2
    assert _per_client(conn) == {"שטראוס": 100.0, 'תנובה בע"מ': 250.5}


def test_an_east_asian_csv_with_a_stray_byte_rejects_that_row_alone(conn):
    # A GBK export of 200 rows, one name cut by a stray byte: read as Windows-1251 (every name
    # mojibake). By hand: 199 rows of 10 each stored, the row on line 20 rejected.
    names = ["北京华为技术有限公司", "上海贸易公司", "阿里巴巴集团", "腾讯科技"]
    lines = ["Date,Client,Amount"] + [
        f"2024-01-{i % 28 + 1:02d},{names[i % 4]},10" for i in range(200)
    ]
    data = ("\n".join(lines) + "\n").encode("gbk")
    at = data.index(b"\n", data.index(b"2024-01-19,")) - 4
    data = data[:at] + b"\xff" + data[at:]
    counts, parsed, pre = import_file(conn, data, "export.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (199, 1)
    assert list(parsed.rejected["row"]) == [20]
    assert conn.execute("SELECT sum(revenue) FROM sales").fetchone()[0] == 1990.0
    assert set(_per_client(conn)) == set(names)
    assert any("not text in gb18030" in note for note in pre.notes)


@pytest.mark.parametrize(
    ("data", "want"),
    [
        # Hebrew: חשבונית מס (invoice), חשבונית מס זיכוי (credit note), קבלה (a receipt).
        (
            "תאריך,לקוח,סוג מסמך,חובה,זכות\n05/01/2024,שטראוס,חשבונית מס,1200.00,\n"
            "10/01/2024,תנובה,חשבונית מס,800.00,\n"
            "20/01/2024,שטראוס,חשבונית מס זיכוי,,200.00\n25/01/2024,שטראוס,קבלה,,1000.00\n",
            {"שטראוס": 1000.0, "תנובה": 800.0},
        ),
        # Sage's day book: SI invoice, SC credit note, SR receipt, under Dr and Cr.
        (
            "Date,A/C,Name,Type,Ref,Dr,Cr\n05/01/2024,AC01,Acme Ltd,SI,1001,1200.00,\n"
            "10/01/2024,BE02,Beta GmbH,SI,1002,800.00,\n"
            "20/01/2024,AC01,Acme Ltd,SC,2001,,200.00\n25/01/2024,AC01,Acme Ltd,SR,3001,,1000.00\n",
            {"Acme Ltd": 1000.0, "Beta GmbH": 800.0},
        ),
    ],
)
def test_ledgers_in_other_words_read_their_sales_side(conn, data, want):
    counts, _parsed, _pre = import_file(conn, data.encode(), "ledger.csv")
    assert (counts.rows_imported, counts.rows_rejected) == (3, 1)
    assert _per_client(conn) == want
