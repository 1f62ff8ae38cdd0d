"""Text files of a twenty-first round: CSV in East Asian code pages, KOI8-R in capitals,
Czech in Windows-1250, ledgers of debit and credit columns."""

from __future__ import annotations

from tests.hostile.case import Case

_JAPANESE = (
    "Date,Client,Amount\r\n"
    "2024-01-05,株式会社山田商事,1200\r\n"
    "2024-01-06,トヨタ自動車株式会社,800\r\n"
)
_CHINESE = (
    "Date,Client,Amount\r\n2024-01-05,北京华为技术有限公司,1200\r\n2024-01-06,上海贸易公司,800\r\n"
)
_KOREAN = "Date,Client,Amount\r\n2024-01-05,삼성전자 주식회사,1200\r\n2024-01-06,현대자동차,800\r\n"

_RUSSIAN_CAPITALS = "ДАТА;КЛИЕНТ;СУММА\r\n2024-01-05;ООО РОМАШКА;1200\r\n2024-01-06;ГАЗПРОМ;800\r\n"

_CZECH = "Date,Client,Amount\r\n2024-01-05,Černý a syn,1200\r\n2024-01-06,Nováček,800\r\n"

_LEDGER = (
    "Date,Customer,Type,Document,Debit,Credit,Balance\r\n"
    "2024-01-05,Acme Ltd,Invoice,INV-1,1200.00,,1200.00\r\n"
    "2024-01-20,Acme Ltd,Credit Note,CN-1,,200.00,1000.00\r\n"
    "2024-01-25,Acme Ltd,Payment,PMT-1,,1000.00,0.00\r\n"
    "2024-02-01,Beta GmbH,Invoice,INV-2,800.00,0.00,800.00\r\n"
)
_STATEMENT = (
    "Date,Customer,Debit,Credit,Balance\r\n"
    "2024-01-05,Acme Ltd,1200.00,,1200.00\r\n"
    "2024-01-25,Acme Ltd,,1200.00,0.00\r\n"
)

_FIXED_WIDTH = (
    "Sales Register\n\n"
    "Date        Customer                 Amount\n"
    "2024-01-05  Acme Ltd                1200.00\n"
    "2024-01-06  Delta Widgets Corp       800.00\n"
    "\nPage 1 of 1\n"
)


def _gbk_stray_byte() -> bytes:
    """A GBK export of 100 rows of 20, a stray byte inside the name on line 11."""
    names = ["北京华为技术有限公司", "上海贸易公司", "阿里巴巴集团", "腾讯科技"]
    rows = [f"2024-01-{i % 28 + 1:02d},{names[i % 4]},20" for i in range(100)]
    data = ("Date,Client,Amount\n" + "\n".join(rows) + "\n").encode("gbk")
    at = data.index(b"\n", data.index(b"2024-01-10,")) - 4
    return data[:at] + b"\xff" + data[at:]


def round21_text_cases() -> list[Case]:
    return [
        Case(
            "japanese_export_shift_jis.csv",
            lambda p: _JAPANESE.encode("shift_jis"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"株式会社山田商事", "トヨタ自動車株式会社"}),
            note="cp932",
        ),
        Case(
            "chinese_export_gbk.csv",
            lambda p: _CHINESE.encode("gbk"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"北京华为技术有限公司", "上海贸易公司"}),
            note="gb18030",
        ),
        Case(
            "korean_export_euc_kr.csv",
            lambda p: _KOREAN.encode("euc_kr"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"삼성전자 주식회사", "현대자동차"}),
            note="cp949",
        ),
        Case(
            "unix_export_koi8_r_capitals.csv",
            lambda p: _RUSSIAN_CAPITALS.encode("koi8_r"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"ООО РОМАШКА", "ГАЗПРОМ"}),
            note="koi8_r",
        ),
        Case(
            "czech_export_cp1250_plain_accents.csv",
            lambda p: _CZECH.encode("cp1250"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"Černý a syn", "Nováček"}),
            note="cp1250",
        ),
        Case(
            "receivables_ledger_debit_credit.csv",
            lambda p: _LEDGER.encode(),
            rows=3,
            rejected=1,
            revenue=1800.0,
            reason="payment received",
            note="less F (Credit)",
        ),
        Case(
            "statement_debit_credit_no_type.csv",
            lambda p: _STATEMENT.encode(),
            "hold a ledger's two sides",
        ),
        Case(
            "rows_wrapped_in_quotes.csv",
            lambda p: (
                b'"Date,Client,Amount"\r\n"2024-01-05,""Acme, Inc"",1200"\r\n'
                b'"2024-01-06,Beta GmbH,800"\r\n'
            ),
            rows=2,
            revenue=2000.0,
            names=frozenset({"Acme, Inc", "Beta GmbH"}),
            note="quotes around the lines",
        ),
        Case(
            "json_lines_named.csv",
            lambda p: (
                b'{"Date": "2024-01-05", "Client": "Acme Ltd", "Amount": 1200}\n'
                b'{"Date": "2024-01-06", "Client": "Beta GmbH", "Amount": 800}\n'
            ),
            rows=2,
            revenue=2000.0,
            names=frozenset({"Acme Ltd", "Beta GmbH"}),
            note="JSON records",
        ),
        Case(
            "json_array_named.csv",
            lambda p: b'[{"Date": "2024-01-05", "Client": "Acme Ltd", "Amount": 1200}]',
            rows=1,
            revenue=1200.0,
            note="Read as one JSON document",
        ),
        Case(
            "printed_report_fixed_width.txt",
            lambda p: _FIXED_WIDTH.encode(),
            rows=2,
            revenue=2000.0,
            names=frozenset({"Acme Ltd", "Delta Widgets Corp"}),
            note="fixed width",
        ),
        Case(
            "bank_export_half_width_kana.csv",
            lambda p: (
                "Date,Client,Amount\r\n2024-01-05,ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ,1200\r\n"
                "2024-01-06,ｿﾆｰ(ｶ,800\r\n".encode("cp932")
            ),
            rows=2,
            revenue=2000.0,
            names=frozenset({"ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ", "ｿﾆｰ(ｶ"}),
            note="cp932",
        ),
        Case(
            "russian_quoted_name_cp1251.csv",
            lambda p: "Date;Client;Amount\r\n2024-01-05;ООО «Ромашка»;2000\r\n".encode("cp1251"),
            rows=1,
            revenue=2000.0,
            names=frozenset({"ООО «Ромашка»"}),
            note="cp1251",
        ),
        Case(
            "chinese_export_gbk_stray_byte.csv",
            lambda p: _gbk_stray_byte(),
            rows=99,
            rejected=1,
            revenue=1980.0,
            names=frozenset({"北京华为技术有限公司", "上海贸易公司", "阿里巴巴集团", "腾讯科技"}),
            reason="not text in the file's encoding",
            note="gb18030",
        ),
    ]
