"""File checks and reading: what a file really is, what is refused, and text grids with the
row numbers Excel shows."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from kam_core.config import ImportLimits
from kam_core.ingest import ImportRefused, read_file
from kam_core.ingest.guard import ENCRYPTED_STREAM, OLE_MAGIC, sniff
from kam_core.ingest.read import column_letter, decode_text, read_here, sniff_delimiter
from tests.conftest import SALES_HEADER, write_xlsx

HEBREW_ROWS = [
    ["תאריך", "שם לקוח", "סכום"],
    ["15/01/2024", "אלון בע״מ", "1200"],
    ["20/01/2024", "שקד", "300"],
]
RUSSIAN_ROWS = [
    ["Дата", "Контрагент", "Сумма"],
    ["15.01.2024", "Ромашка ООО", "1200"],
    ["20.01.2024", "Берёзка", "300"],
]


def cells(book, sheet: int = 0) -> list[list[str | None]]:
    table = book.sheets[sheet].table
    return [list(row.values()) for row in table.to_pylist()]


# --- refused files ---------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_naming_the_limit():
    limits = ImportLimits(max_file_bytes=2 * 1024 * 1024)
    data = b"a,b\n" * (600 * 1024)  # 2.4 MB
    with pytest.raises(ImportRefused, match=r"big\.csv: the file is 2 MB; the limit is 2 MB"):
        sniff(data, "big.csv", limits)


def test_a_workbook_whose_members_unpack_over_the_limit_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "bomb.xlsx", {"Sales": [SALES_HEADER] * 50})
    with pytest.raises(ImportRefused, match=r"unpacks to .*the limit is"):
        read_file(path.read_bytes(), path.name, ImportLimits(max_unzipped_bytes=1000))


def test_a_sheet_over_the_row_limit_is_refused(make_xlsx, make_csv):
    limits = ImportLimits(max_rows=3)
    for path in (make_xlsx({"Sales": [SALES_HEADER] * 5}), make_csv([SALES_HEADER] * 5)):
        with pytest.raises(ImportRefused, match="the limit is 3 rows"):
            read_file(path.read_bytes(), path.name, limits)


def test_an_encrypted_workbook_is_refused_with_how_to_remove_the_password():
    data = OLE_MAGIC + b"\x00" * 504 + ENCRYPTED_STREAM + b"\x00" * 1000
    with pytest.raises(ImportRefused, match="protected with a password"):
        read_file(data, "secret.xlsx")


def test_a_pdf_is_refused_as_not_a_spreadsheet():
    with pytest.raises(ImportRefused, match=r"report\.xlsx: this is a PDF document"):
        read_file(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "report.xlsx")


def test_random_binary_bytes_are_refused_as_not_a_spreadsheet():
    data = random.Random(7).randbytes(4096)
    with pytest.raises(ImportRefused, match="not a spreadsheet"):
        read_file(data, "noise.xlsx")


def test_a_web_page_named_xls_is_read_as_its_table_and_says_so():
    page = (
        b"\xef\xbb\xbf<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>"
    )
    book = read_file(page, "export.xls")
    assert [g.table.to_pylist() for g in book.sheets] == [[{"c0": "1"}]]
    assert "web page saved with a spreadsheet's name" in book.notes[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ImportRefused, match=r"empty\.csv: the file is empty"):
        read_file(b"", "empty.csv")


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportRefused, match="Word document"):
        read_file(path.read_bytes(), path.name)


def test_a_damaged_ole_file_is_refused_as_damaged():
    with pytest.raises(ImportRefused, match="damaged or not a workbook"):
        read_file(OLE_MAGIC + b"\x00" * 2000, "old.xls")


def test_a_csv_named_xlsx_is_read_as_csv_with_a_note():
    book = read_file(b"Date,Customer,Amount\n2024-01-05,Acme,100\n", "sales.xlsx")
    assert book.kind == "csv"
    assert cells(book) == [["Date", "Customer", "Amount"], ["2024-01-05", "Acme", "100"]]
    assert "named like a workbook but holds delimited text" in book.notes[0]


# --- workbooks -------------------------------------------------------------------------------


def test_an_xlsx_keeps_leading_blank_rows_so_rows_match_excel(make_xlsx):
    path = make_xlsx({"Sales": [[], ["Title"], [], SALES_HEADER]})
    grid = read_file(path.read_bytes(), path.name).sheets[0]
    assert grid.n_rows == 4
    assert cells(read_file(path.read_bytes(), path.name))[3] == SALES_HEADER


def test_an_xlsx_with_several_sheets_reads_each_sheet_in_order(make_xlsx):
    path = make_xlsx({"Instructions": [["Read me"]], "Sales": [SALES_HEADER], "People": [["x"]]})
    book = read_file(path.read_bytes(), path.name)
    assert (book.kind, [g.name for g in book.sheets]) == (
        "xlsx",
        ["Instructions", "Sales", "People"],
    )


def test_a_legacy_xls_with_several_sheets_is_read_with_its_dates(make_xls):
    path = make_xls(
        {
            "Notes": [["Exported from ERP"]],
            "Sales": [SALES_HEADER, [dt.date(2024, 1, 15), "Acme", 1234.5, "Dana"]],
        }
    )
    book = read_file(path.read_bytes(), path.name)
    assert (book.kind, [g.name for g in book.sheets]) == ("xls", ["Notes", "Sales"])
    assert cells(book, 1)[1] == ["2024-01-15 00:00:00", "Acme", "1234.5", "Dana"]


def test_an_ods_is_read(make_ods):
    path = make_ods({"Sales": [SALES_HEADER, [dt.date(2024, 1, 15), "Acme", 100, "Dana"]]})
    book = read_file(path.read_bytes(), path.name)
    assert book.kind == "ods"
    assert cells(book)[1] == ["2024-01-15", "Acme", "100", "Dana"]


def test_column_letters_follow_excel():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "encoding"),
    [
        (HEBREW_ROWS, "utf-8"),
        (HEBREW_ROWS, "utf-8-sig"),
        (HEBREW_ROWS, "cp1255"),
        (RUSSIAN_ROWS, "utf-8"),
        (RUSSIAN_ROWS, "utf-8-sig"),
        (RUSSIAN_ROWS, "cp1251"),
        (HEBREW_ROWS, "utf-16"),  # Excel's "Unicode Text"
        (RUSSIAN_ROWS, "utf-16"),
    ],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_text_is_decoded_and_split_whatever_the_encoding_and_delimiter(
    make_csv, rows, encoding, delimiter
):
    path = make_csv(rows, encoding=encoding, delimiter=delimiter)
    book = read_file(path.read_bytes(), path.name)
    assert book.kind == "csv"
    assert cells(book) == rows
    shown = {"\t": "tab"}.get(delimiter, delimiter)
    assert f"in {encoding}, columns separated by '{shown}'" in book.notes[0]


def test_short_legacy_text_is_decoded_by_its_script():
    assert decode_text("שלום".encode("cp1255")) == ("שלום", "cp1255")
    assert decode_text('בע"מ אלון בע״מ'.encode("cp1255")) == ('בע"מ אלון בע״מ', "cp1255")
    assert decode_text("Привет".encode("cp1251")) == ("Привет", "cp1251")
    assert decode_text("Дата;Клиент;Сумма".encode("cp1251")) == ("Дата;Клиент;Сумма", "cp1251")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        # Heavy in ט and ס, which are Russian's и and с: no capital, so Hebrew.
        ("2024-01-05,טבע,100\n2024-01-06,אסם,5\n2024-01-07,שטראוס,6\n2024-01-08,סנו,7\n", "cp1255"),
        ("2024-01-05,טבע,100\n", "cp1255"),
        ("2024-01-05,Пётр,100\n", "cp1251"),  # a capital before ё
        ("2024-01-05,ООО РОМАШКА,100\n2024-01-06,ЗАО ВЕКТОР,5\n", "cp1251"),  # capitals only
    ],
)
def test_hebrew_and_russian_code_pages_are_told_apart_by_capitals(text, encoding):
    data = ("Date,Client,Amount\n" + text).encode(encoding)
    assert decode_text(data) == ("Date,Client,Amount\n" + text, encoding)


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-05,شركة الأمل للتجارة,100\n2024-01-06,مؤسسة النور,200\n",
        "2024-01-05,علي,1\n2024-01-06,خالد,2\n2024-01-07,ليلى,3\n",
        "2024-01-05,Al Amal (الأمل),1\n",
    ],
)
def test_arabic_in_its_windows_code_page_is_read_as_arabic(text):
    # Read as Hebrew (Windows-1255) every Arabic name was stored as vowel points and Hebrew
    # letters, without a word.
    data = ("Date,Client,Amount\n" + text).encode("cp1256")
    assert decode_text(data) == ("Date,Client,Amount\n" + text, "cp1256")


def test_a_russian_header_without_capitals_decides_the_code_page():
    data = "дата,клиент,выручка\n2024-01-05,ромашка,100\n2024-01-06,вектор,50\n".encode("cp1251")
    book = read_file(data, "ru.csv")
    assert book.sheets[0].table.column("c1").to_pylist() == ["клиент", "ромашка", "вектор"]
    hebrew = "תאריך,לקוח,הכנסות\n2024-01-05,טבע,100\n".encode("cp1255")
    assert read_file(hebrew, "he.csv").sheets[0].table.column("c1").to_pylist()[1] == "טבע"


def test_commas_inside_names_do_not_fool_the_delimiter_sniffer():
    text = (
        "order_date;client_name;revenue\n05.01.2024;Acme, Inc, Tel Aviv;100,50\n"
        "06.02.2024;Beta, Ltd, Haifa;200,00\n07.03.2024;Gamma, LLC, Eilat;300,00\n"
    )
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("Report\n\n" + text) == ";"  # a title above: one field either way


def test_a_comma_inside_amounts_does_not_fool_the_delimiter_sniffer():
    assert (
        sniff_delimiter('Date;Customer;Amount\n05.01.2024;Acme;"1,5"\n06.01.2024;Beta;2,5\n') == ";"
    )


def test_csv_rows_keep_their_line_numbers_blank_lines_included(make_csv):
    path = make_csv([["Report"], [], ["Date", "Customer", "Amount"], ["2024-01-05", "Acme", "1"]])
    grid = read_file(path.read_bytes(), path.name).sheets[0]
    assert grid.n_rows == 4
    assert cells(read_file(path.read_bytes(), path.name))[1] == [None, None, None]


# --- issue 10: reads that cannot be bypassed or exhaust the server ------------------------------


def test_a_sheet_anywhere_the_relationships_point_is_measured():
    from tests.hostile.guarded import far_cell_at

    for member, target in [
        ("xl/sheet1.xml", "sheet1.xml"),
        ("data/s.xml", "/data/s.xml"),
        ("xl\\worksheets\\sheet1.xml", "worksheets/sheet1.xml"),
        ("XL/Worksheets/SHEET1.xml", "worksheets/sheet1.xml"),
    ]:
        with pytest.raises(ImportRefused, match=r"its cells reach XFD1048576"):
            read_file(far_cell_at(member, target), "far.xlsx")


def test_a_sheet_outside_worksheets_with_a_normal_range_is_read():
    from tests.hostile import rawzip as rz
    from tests.hostile.guarded import sheet_at

    rows = rz.rows_xml([(1, ["Date", "Customer"]), (2, ["2024-01-05", "Acme"])])
    book = read_file(sheet_at("data/s.xml", "/data/s.xml", rows), "moved.xlsx")
    assert cells(book) == [["Date", "Customer"], ["2024-01-05", "Acme"]]


def test_a_sheet_target_climbing_out_of_its_folder_and_back_in_is_read():
    from tests.hostile import rawzip as rz
    from tests.hostile.guarded import sheet_at

    rows = rz.rows_xml([(1, ["Date", "Customer"]), (2, ["2024-01-05", "Acme"])])
    for member, target in [
        ("xl/worksheets/sheet1.xml", "../xl/worksheets/sheet1.xml"),
        ("xl/worksheets/sheet1.xml", "./worksheets/../worksheets/sheet1.xml"),
        ("data/s.xml", "../data/s.xml"),
    ]:
        book = read_file(sheet_at(member, target, rows), "climbing.xlsx")
        assert cells(book) == [["Date", "Customer"], ["2024-01-05", "Acme"]]
    # Out of the package and back in: no part of it, refused as before.
    with pytest.raises(ImportRefused, match="damaged"):
        read_file(
            sheet_at("xl/worksheets/sheet1.xml", "../../xl/worksheets/sheet1.xml", rows), "out.xlsx"
        )


def test_three_hundred_thousand_unclosed_cell_tags_are_refused_as_malformed():
    from tests.hostile.guarded import unclosed_cell_tags

    with pytest.raises(ImportRefused, match="not well-formed XML"):
        read_file(unclosed_cell_tags(300_000), "tags.xlsx")


def test_shared_text_is_bounded_by_the_cells_it_fills():
    from tests.hostile.guarded import shared_string_amplified

    # 1,000 cells x 3,000 characters = 3,000,000 characters against a bound of 2,000,000.
    data = shared_string_amplified(1_000, 3_000)
    with pytest.raises(ImportRefused, match=r"shared text 3,000,000 characters long"):
        read_file(data, "amp.xlsx", ImportLimits(max_text_chars=2_000_000))
    assert read_file(data, "amp.xlsx", ImportLimits(max_text_chars=3_000_000)).sheets[0].n_rows


def test_a_csv_over_the_row_bound_is_refused_while_reading():
    data = b"Date,Customer,Amount\n" + b"\n" * 50
    with pytest.raises(
        ImportRefused, match=r"more than 20 rows \(blank lines count as rows\); the limit is 20"
    ):
        read_file(data, "blank.csv", ImportLimits(max_rows=20))


def test_a_utf8_file_with_one_stray_byte_stays_utf8_and_only_that_row_is_flagged():
    data = "Date,Customer\n2024-01-05,אלון\n".encode() + b"2024-01-06,Bad\xff\n"
    data += "2024-01-07,שקד\n".encode()
    book = read_file(data, "stray.csv")
    grid = book.sheets[0]
    assert cells(book)[1] == ["2024-01-05", "אלון"] and cells(book)[3] == ["2024-01-07", "שקד"]
    assert set(grid.problems) == {2}  # table row 2 = file row 3
    assert any("Line(s) 3 hold bytes" in n for n in book.notes)


def test_a_legacy_code_page_file_is_still_decoded_as_such():
    data = "Date,Customer\n2024-01-05,אלון\n2024-01-06,שקד\n".encode("cp1255")
    assert cells(read_file(data, "legacy.csv"))[1:] == [
        ["2024-01-05", "אלון"],
        ["2024-01-06", "שקד"],
    ]


def test_ragged_rows_keep_their_place_and_an_open_quote_is_reported_with_its_row():
    data = b'A,B,C\n1,2\n3,4,5,6\n7,"8,9\n10,11,12\n'
    book = read_file(data, "ragged.csv")
    assert cells(book) == [
        ["A", "B", "C", None],
        ["1", "2", None, None],
        ["3", "4", "5", "6"],
        ["7", '"8', "9", None],
        ["10", "11", "12", None],
    ]
    assert set(book.sheets[0].problems) == {3}
    assert "never closed" in book.sheets[0].problems[3]


def test_a_field_longer_than_the_old_csv_limit_is_read_whole():
    name = "N" * 200_000
    book = read_file(f"Date,Customer\n2024-01-05,{name}\n".encode(), "long.csv")
    assert cells(book)[1] == ["2024-01-05", name]


def test_a_stray_nul_byte_is_read_and_a_binary_file_is_refused_with_its_line():
    assert cells(read_file(b"Date,Customer\n2024-01-05,Ac\x00me\n", "nul.csv"))[1] == [
        "2024-01-05",
        "Ac\x00me",
    ]
    with pytest.raises(ImportRefused, match="binary data, from line 2"):
        read_file(b"Date,Customer\n" + b"\x00\x01\x02" * 200, "bin.csv")


def test_the_worker_s_memory_time_and_upload_size_can_be_set_for_the_machine():
    from kam_core.config import limits_from_env

    limits = limits_from_env(
        {"KAM_READ_MEMORY_MB": "450", "KAM_READ_SECONDS": "120", "KAM_MAX_UPLOAD_MB": "50"}
    )
    assert limits.max_read_bytes == 450 * 1024**2
    assert limits.max_read_seconds == 120.0
    assert limits.max_file_bytes == 50 * 1024**2
    assert limits_from_env({}).max_read_bytes == 2 * 1024**3
    for bad in ("0", "-5", "lots", "inf", "nan"):
        with pytest.raises(ValueError, match="KAM_READ_SECONDS"):
            limits_from_env({"KAM_READ_SECONDS": bad})


def test_the_database_s_memory_is_bounded_and_can_be_set_for_the_machine(monkeypatch, tmp_path):
    import dataclasses

    from kam_core import config
    from kam_core.config import limits_from_env
    from kam_core.store import connect

    assert limits_from_env({"KAM_DB_MEMORY_MB": "512"}).db_memory_bytes == 512 * 1024**2
    assert limits_from_env({}).db_memory_bytes == 1024**3
    with pytest.raises(ValueError, match="KAM_DB_MEMORY_MB"):
        limits_from_env({"KAM_DB_MEMORY_MB": "-1"})
    limits = dataclasses.replace(config.SETTINGS.limits, db_memory_bytes=300 * 1024**2)
    monkeypatch.setattr(config, "SETTINGS", dataclasses.replace(config.SETTINGS, limits=limits))
    conn = connect(tmp_path / "bounded.duckdb")
    try:
        limit = conn.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    finally:
        conn.close()
    assert limit == "300.0 MiB"


@pytest.mark.parametrize(
    "stray",
    [b"\xfe", b"\xfd", b"\xff", b"\xfe\xfe"],  # direction marks, an unassigned byte
    ids=["rlm", "lrm", "undefined", "two-rlm"],
)
def test_a_hebrew_file_with_a_stray_byte_or_direction_marks_stays_hebrew(stray):
    data = "Date,Client,Amount\n2024-01-05,שקד,".encode("cp1255") + stray + b"100\n"
    data += '2024-01-06,אלון בע"מ,5\n'.encode("cp1255")
    assert decode_text(data)[1] == "cp1255"
    book = read_file(data, "hebrew.csv")
    assert cells(book)[2][1] == 'אלון בע"מ'


def test_russian_written_in_lower_case_words_after_a_capital_is_russian():
    assert decode_text("Дата,Клиент\n2024-01-05,ООО Ромашка\n".encode("cp1251"))[1] == "cp1251"
    assert decode_text("клиент,сумма\nмы,пять\nвы,семья\n".encode("cp1251"))[1] == "cp1251"


def test_utf8_lines_in_a_windows_1255_file_are_read_in_utf8_and_said():
    data = "Date,Client,Amount\n2024-01-05,אלון,1\n".encode("cp1255")
    data += "2024-01-06,שקד בע״מ,2\n".encode()  # one export pasted into another
    data += "2024-01-07,תמר,3\n".encode("cp1255")
    book = read_file(data, "mixed.csv")
    assert [row[1] for row in cells(book)[1:]] == ["אלון", "שקד בע״מ", "תמר"]
    assert any("Line(s) 3 are written in UTF-8" in note for note in book.notes)


def test_bytes_a_legacy_code_page_does_not_define_reject_their_rows_only():
    data = "Date,Client,Amount\n2024-01-05,Caf\xe9,1\n".encode("cp1252")
    data += b"2024-01-06,M\x81ller,2\n"  # 0x81 is not a character of Windows-1252
    book = read_file(data, "western.csv")
    grid = book.sheets[0]
    assert cells(book)[1][1] == "Café"
    assert list(grid.problems) == [2]
    assert any("Line(s) 3 hold bytes that are not text in cp1252" in n for n in book.notes)


def test_codes_written_the_way_exports_keep_excel_from_reading_numbers_are_read_plain():
    data = b'Order Date,Client ID,Customer,Amount\n2024-01-05,="00123",Acme,="300"\n'
    data += b'2024-01-06,00123,Acme,"=""5"""\n2024-01-07,=x",B,1\n'
    book = read_file(data, "codes.csv")
    assert [row[1] for row in cells(book)[1:]] == ["00123", "00123", '=x"']
    assert [row[3] for row in cells(book)[1:]] == ["300", "5", "1"]


def test_lower_case_russian_is_told_from_hebrew_by_its_letters():
    lower = "дата,клиент,сумма\n2024-01-05,ооо мир,10\n2024-01-06,смирнов и сыновья,5\n"
    assert decode_text(lower.encode("cp1251"))[1] == "cp1251"
    hebrew = "תאריך,לקוח,סכום\n2024-01-05,אלון,10\n2024-01-06,שקד תעשיות,5\n"
    assert decode_text(hebrew.encode("cp1255"))[1] == "cp1255"


def test_rows_short_of_fields_keep_their_place_among_quoted_and_swallowed_ones():
    # Exports leave off empty trailing fields; a quoted short row is split by hand, the rows
    # after a quote never closed are read again after it, each in its place.
    data = b'A,B,C\n1,2\n3,4,5\n6,7\n"8,x",9,z\n"8,y",9\n10,"open\n12,13,14\n15,16,17\n18,19,20\n'
    book = read_file(data, "short.csv")
    assert cells(book) == [
        ["A", "B", "C"],
        ["1", "2", None],
        ["3", "4", "5"],
        ["6", "7", None],
        ["8,x", "9", "z"],
        ["8,y", "9", None],
        ["10", '"open', None],
        ["12", "13", "14"],
        ["15", "16", "17"],
        ["18", "19", "20"],
    ]
    assert set(book.sheets[0].problems) == {6}


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xef\xbb\xbf" + b"\0" * 5000])
def test_a_file_of_nothing_but_a_byte_order_mark_is_refused_as_empty(data):
    with pytest.raises(ImportRefused, match=r"bom\.csv: the file is empty"):
        read_file(data, "bom.csv")


def test_western_names_with_words_of_one_accented_letter_read_as_windows_1252():
    from kam_core.ingest.encoding import detect_encoding

    french = (
        "Date;Client\n2024-01-05;Vins à Paris\n2024-01-06;Café à Lyon\n2024-01-07;Hôtel à Nice\n"
    )
    assert detect_encoding(french.encode("cp1252")) == "cp1252"
    hebrew = 'Date;Client\n2024-01-05;אלקטרה בע"מ\n2024-01-06;ו שטראוס\n'
    assert detect_encoding(hebrew.encode("cp1255")) == "cp1255"
    russian = "Дата;Клиент\n2024-01-05;ООО Ромашка и К\n2024-01-06;Завод в Туле\n"
    assert detect_encoding(russian.encode("cp1251")) == "cp1251"


def test_utf8_lines_pasted_into_a_windows_1252_file_are_read_as_utf8():
    from kam_core.ingest.encoding import detect_encoding, to_utf8

    lines = ["Date,Client", "2024-01-05,Café Dupont", "2024-01-06,Crème Brûlée SA"]
    data = "\n".join(lines[:2]).encode("utf-8") + b"\n" + lines[2].encode("cp1252") + b"\n"
    data += "2024-01-07,Société Générale\n".encode("cp1252")
    encoding = detect_encoding(data)
    assert encoding == "cp1252"
    body, bad, other = to_utf8(data, encoding)
    assert bytes(body).decode("utf-8").splitlines()[1:] == [
        "2024-01-05,Café Dupont",
        "2024-01-06,Crème Brûlée SA",
        "2024-01-07,Société Générale",
    ]
    assert bad == [] and other == [2]


def test_an_xls_declaring_a_code_page_reads_its_text_as_excel_does(tmp_path):
    # BIFF8 writes text in UTF-16 and Excel ignores the code page record; some report writers
    # declare 1252, and the reader then read 'O\0r\0d\0e\0r' and Hebrew as Latin letters.
    from kam_core.ingest.legacy import biff8_as_unicode
    from tests.conftest import write_xls

    head = ["Order Date", "Customer", "Amount"]
    names = ["Müller GmbH", "Plain Ltd", 'אלקטרה בע"מ']
    rows = [[dt.date(2024, 1, 5 + i), name, 10 * (i + 1)] for i, name in enumerate(names)]
    data = write_xls(tmp_path / "q1.xls", {"Sales": [head, *rows]}).read_bytes()
    at = data.find(b"\x42\x00\x02\x00")
    declared = data[: at + 4] + (1252).to_bytes(2, "little") + data[at + 6 :]
    assert biff8_as_unicode(declared) == data  # set back to UTF-16, nothing else changed
    assert biff8_as_unicode(data) is data
    book = read_here(declared, "q1.xls", ImportLimits())
    cells = book.sheets[0].table.to_pylist()
    assert [cells[0][f"c{i}"] for i in range(3)] == head
    assert [row["c1"] for row in cells[1:]] == names


def test_fields_padded_with_nuls_by_a_fixed_width_export_are_read_without_them():
    from kam_core.ingest import choose_sheet
    from kam_core.ingest.validate import parse_sheet

    def pad(text: str, width: int) -> str:
        return text + "\0" * (width - len(text))

    rows = [("2024-01-05", "C1", "Acme Ltd", "100.50"), ("2024-02-10", "C2", "Beta Inc", "2000")]
    lines = ["Order Date,Client ID,Client Name,Revenue"]
    lines += [f"{d},{i},{pad(n, 30)},{pad(a, 12)}" for d, i, n, a in rows * 20]
    book = read_here(("\n".join(lines) + "\n").encode(), "fixed.csv", ImportLimits())
    layout = choose_sheet(book)
    parsed = parse_sheet(book.sheets[0], layout, delimited=True)
    assert parsed.rejected.empty
    assert parsed.rows["client_name"].tolist()[:2] == ["Acme Ltd", "Beta Inc"]
    assert parsed.rows["revenue"].tolist()[:2] == [100.5, 2000.0]
    with pytest.raises(ImportRefused, match="binary data"):  # NULs inside values still are
        read_here(b"Date,Client\n" + b"2024-01-05,A\0c\0m\0e\1\2\n" * 50, "x.csv", ImportLimits())


@pytest.mark.parametrize(
    ("bom", "codec", "half"),
    [
        (b"\xff\xfe", "utf-16-le", b"\x3d\xd8"),
        (b"\xfe\xff", "utf-16-be", b"\xd8\x3d"),
        (b"", "utf-16-le", b"\x3d\xd8"),
    ],
)
def test_utf16_half_a_character_rejects_its_row_with_its_line(bom, codec, half):
    # A lone surrogate (an emoji cut in two) was read as U+FFFD without a word.
    lines = ["Order Date\tClient\tRevenue\r\n", "2024-01-05\tAcme ", "\t100\r\n"]
    lines += ["2024-02-10\tBeta Inc\t2000\r\n"] * 3
    data = bom + lines[0].encode(codec) + lines[1].encode(codec) + half
    data += "".join(lines[2:]).encode(codec)
    book = read_here(data, "u16.csv", ImportLimits())
    assert any("Line(s) 2 hold bytes that are not text" in n for n in book.notes)
    assert list(book.sheets[0].problems) == [1]


def test_rows_hidden_in_a_sheet_are_read_and_named_in_a_note():
    import io

    import openpyxl

    from kam_core.ingest.guard import sniff

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    for row in (
        ["Order Date", "Customer", "Amount"],
        ["2024-01-05", "Acme", 5],
        ["2024-01-06", "Beta", 6],
    ):
        sheet.append(row)
    plain = io.BytesIO()
    book.save(plain)
    assert not any("hides" in n for n in sniff(plain.getvalue(), "a.xlsx", ImportLimits()).notes)
    sheet.row_dimensions[3].hidden = True  # filtered out before saving
    hidden = io.BytesIO()
    book.save(hidden)
    notes = sniff(hidden.getvalue(), "a.xlsx", ImportLimits()).notes
    assert any("Sheet 'Sales' hides some rows" in n for n in notes)
    grid = read_here(hidden.getvalue(), "a.xlsx", ImportLimits()).sheets[0]
    assert grid.table.num_rows == 3  # the hidden row is read


def test_tabs_and_line_breaks_in_opendocument_cells_read_as_spaces():
    import io as io_
    import zipfile

    from tests.hostile.fifth_cases import ODS_NS

    def cell(xml: str) -> str:
        cell = '<table:table-cell office:value-type="string">'
        return f"{cell}<text:p>{xml}</text:p></table:table-cell>"

    rows = "".join(
        f"<table:table-row>{''.join(cell(c) for c in row)}</table:table-row>"
        for row in (
            ["Order Date", "Customer", "Amount"],
            ["2024-01-05", "Gamma<text:tab/>Co<text:line-break/>Ltd", "5"],
            ["2024-01-06", "Beta", "6"],
        )
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body>'
        f'<office:spreadsheet><table:table table:name="Sales">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    out = io_.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
    book = read_here(out.getvalue(), "q1.ods", ImportLimits())
    assert book.sheets[0].table.column("c1").to_pylist()[1] == "Gamma Co Ltd"


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
    'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
    'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
    'manifest:media-type="text/xml"/></manifest:manifest>'
)
