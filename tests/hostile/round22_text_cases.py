"""Text files of a twenty-second round: Western text saved by Excel for DOS and for the Mac,
Polish in Windows-1250 whose accents Windows-1252 also has, East Asian names after 200 KB of
ASCII, order dates as Unix times, Chinese headers."""

from __future__ import annotations

from tests.hostile.case import Case

_WESTERN = (
    "Date,Client,Amount\r\n"
    "2024-01-05,Müller GmbH,1200\r\n"
    "2024-01-06,Café Zürich,800\r\n"
    "2024-01-07,Peña Ibáñez,300\r\n"
)
_NAMES = frozenset({"Müller GmbH", "Café Zürich", "Peña Ibáñez"})
_SWEDISH = "Date,Client,Amount\r\n2024-01-05,Göteborg AB,1200\r\n2024-01-06,Brûlée,800\r\n"
_POLISH = "Date,Client,Amount\r\n2024-01-05,Gdańsk Port,1200\r\n2024-01-06,Częstochowa Stal,800\r\n"


def _late_korean() -> bytes:
    """An EUC-KR export whose first 250 KB are Latin names, two Korean clients after them."""
    rows = [f"2024-01-{i % 28 + 1:02d},Client {i % 40:02d},10" for i in range(10_000)]
    rows += ["2024-02-01,삼성전자 주식회사,1200", "2024-02-02,현대자동차,800"]
    return ("Date,Client,Amount\n" + "\n".join(rows) + "\n").encode("euc_kr")


def round22_text_cases() -> list[Case]:
    return [
        Case(
            "excel_text_ms_dos_cp850.csv",
            lambda p: _WESTERN.encode("cp850"),
            rows=3,
            revenue=2300.0,
            names=_NAMES,
            note="cp850",
        ),
        Case(
            "excel_csv_macintosh_mac_roman.csv",
            lambda p: _WESTERN.replace("\r\n", "\r").encode("mac_roman"),
            rows=3,
            revenue=2300.0,
            names=_NAMES,
            note="mac_roman",
        ),
        Case(
            "excel_text_ms_dos_pairs_as_shift_jis.csv",
            lambda p: _SWEDISH.encode("cp850"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"Göteborg AB", "Brûlée"}),
            note="cp850",
        ),
        Case(
            "polish_cp1250_accents_1252_has.csv",
            lambda p: _POLISH.encode("cp1250"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"Gdańsk Port", "Częstochowa Stal"}),
            note="cp1250",
        ),
        Case(
            "order_dates_as_unix_times.csv",
            lambda p: (
                b"Order Date,Client,Amount\r\n1704448800,Acme Ltd,1200\r\n"
                b"1704542399000,Beta GmbH,800\r\n"
            ),
            rows=2,
            revenue=2000.0,
            names=frozenset({"Acme Ltd", "Beta GmbH"}),
            note="Unix times",
        ),
        Case(
            "chinese_headers_gbk.csv",
            lambda p: (
                "订单日期,客户名称,销售额,订单号\r\n2024-01-05,北京华为技术有限公司,1200,A-1\r\n"
                "2024-01-06,上海贸易公司,800,A-2\r\n"
            ).encode("gbk"),
            rows=2,
            revenue=2000.0,
            names=frozenset({"北京华为技术有限公司", "上海贸易公司"}),
        ),
        Case(
            "korean_names_after_250_kb_ascii.csv",
            lambda p: _late_korean(),
            rows=10_002,
            revenue=102_000.0,
            names=frozenset(
                {"삼성전자 주식회사", "현대자동차", *(f"Client {i:02d}" for i in range(40))}
            ),
            note="cp949",
        ),
    ]
