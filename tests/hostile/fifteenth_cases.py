"""Files of a fifteenth round: workbooks whose main parts sit where the relationships say, not
at the usual names, some with a stale part left at the usual name."""

from __future__ import annotations

import posixpath
from xml.sax.saxutils import escape

from tests.hostile import rawzip as rz
from tests.hostile.case import Case

_TEXT_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Client</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Revenue</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>2024-01-05</t></is></c>'
    '<c r="B2" t="s"><v>0</v></c><c r="C2"><v>100</v></c></row>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t>2024-02-05</t></is></c>'
    '<c r="B3" t="s"><v>1</v></c><c r="C3"><v>200</v></c></row>'
)
# Dates as serial numbers under style 1 (a date format when the styles say so).
_SERIAL_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Client</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Revenue</t></is></c></row>'
    '<row r="2"><c r="A2" s="1"><v>{first}</v></c>'
    '<c r="B2" t="inlineStr"><is><t>Acme</t></is></c><c r="C2"><v>100</v></c></row>'
    '<row r="3"><c r="A3" s="1"><v>{second}</v></c>'
    '<c r="B3" t="inlineStr"><is><t>Beta</t></is></c><c r="C3"><v>200</v></c></row>'
)


def _strings(items: list[str]) -> bytes:
    body = "".join(f"<si><t>{escape(s)}</t></si>" for s in items)
    return (rz.XML_DECL + f'<sst xmlns="{rz.MAIN_NS}" count="{len(items)}">{body}</sst>').encode()


def _styles(code: str) -> bytes:
    return (
        rz.XML_DECL + f'<styleSheet xmlns="{rz.MAIN_NS}"><numFmts count="1">'
        f'<numFmt numFmtId="164" formatCode="{escape(code, {chr(34): "&quot;"})}"/></numFmts>'
        '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ).encode()


def _book(
    rows: str,
    book: str = "xl/workbook.xml",
    sheet: str = "xl/worksheets/sheet1.xml",
    strings: tuple[str, bytes] | None = None,
    styles: tuple[str, bytes] | None = None,
    stale: dict[str, bytes] | None = None,
    book_pr: str = "",
    entries: int = 1,
) -> bytes:
    """A workbook with its parts at the given paths, the relationships naming them relatively."""
    folder = posixpath.dirname(book)

    def rel(path: str) -> str:
        return posixpath.relpath(path, folder)

    root_rels = (
        rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}"><Relationship Id="rId1" '
        f'Type="{rz.REL_NS}/officeDocument" Target="{book}"/></Relationships>'
    )
    sheets = "".join(
        f'<sheet name="Sales{i or ""}" sheetId="{i + 1}" r:id="rId1"/>' for i in range(entries)
    )
    book_xml = (
        rz.XML_DECL + f'<workbook xmlns="{rz.MAIN_NS}" xmlns:r="{rz.REL_NS}">{book_pr}'
        f"<sheets>{sheets}</sheets></workbook>"
    )
    rels = f'<Relationship Id="rId1" Type="{rz.REL_NS}/worksheet" Target="{rel(sheet)}"/>'
    members = [
        rz.deflated("_rels/.rels", root_rels.encode()),
        rz.deflated(book, book_xml.encode()),
        rz.deflated(sheet, rz.sheet_xml(rows).encode()),
    ]
    if strings is not None:
        rels += (
            f'<Relationship Id="rId2" Type="{rz.REL_NS}/sharedStrings" Target="{rel(strings[0])}"/>'
        )
        members.append(rz.deflated(strings[0], strings[1]))
    if styles is not None:
        rels += f'<Relationship Id="rId3" Type="{rz.REL_NS}/styles" Target="{rel(styles[0])}"/>'
        members.append(rz.deflated(styles[0], styles[1]))
    book_rels = rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}">{rels}</Relationships>'
    members.append(
        rz.deflated(
            posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels"), book_rels.encode()
        )
    )
    members += [rz.deflated(name, body) for name, body in (stale or {}).items()]
    return rz.zip_bytes(members)


def _stale_book() -> bytes:
    """A workbook part left at xl/workbook.xml that no relationship names, with its own sheet."""
    sheet = rz.sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Client</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>Revenue</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>2024-03-05</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>Stale</t></is></c><c r="C2"><v>999</v></c></row>'
    )
    book_xml = (
        rz.XML_DECL + f'<workbook xmlns="{rz.MAIN_NS}" xmlns:r="{rz.REL_NS}">'
        '<sheets><sheet name="Old" sheetId="1" r:id="rId9"/></sheets></workbook>'
    )
    rels = (
        rz.XML_DECL + f'<Relationships xmlns="{rz.PKG_REL}"><Relationship Id="rId9" '
        f'Type="{rz.REL_NS}/worksheet" Target="worksheets/old.xml"/></Relationships>'
    )
    return _book(
        _TEXT_ROWS,
        book="xl/main/workbook.xml",
        sheet="xl/main/sheets/s1.xml",
        strings=("xl/main/strings.xml", _strings(["Acme", "Beta"])),
        stale={
            "xl/workbook.xml": book_xml.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "xl/worksheets/old.xml": sheet.encode(),
        },
    )


def _amplified(cells: int, stale: bool) -> bytes:
    """One string of 30,000 characters at xl/strings.xml filling `cells` cells."""
    rows = [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Client</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>Revenue</t></is></c></row>'
    ]
    for r in range(2, cells + 2):
        rows.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>2024-01-05</t></is></c>'
            f'<c r="B{r}" t="s"><v>0</v></c><c r="C{r}"><v>1</v></c></row>'
        )
    return _book(
        "".join(rows),
        strings=("xl/strings.xml", _strings(["N" * 30_000])),
        stale={"xl/sharedStrings.xml": _strings(["Small"])} if stale else None,
    )


_TABLE = (
    "<table><tr><td>Date</td><td>Client</td><td>Revenue</td></tr>"
    "<tr><td>2024-01-05</td><td>Acme</td><td>100</td></tr>"
    "<tr><td>2024-02-05</td><td>Beta</td><td>200</td></tr></table>"
)


def _archive(first_headers: str) -> bytes:
    """A web archive (.mht) whose headers start with the given lines."""
    page = f"<html><body>{_TABLE}</body></html>"
    return (
        f"{first_headers}MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="B"; type="text/html"\r\n\r\n'
        '--B\r\nContent-Type: text/html; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
        f"{page}\r\n--B--\r\n"
    ).encode()


_XML_HEAD = (
    '<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
)
_XML_ROWS = (
    '<Row><Cell><Data ss:Type="String">Date</Data></Cell>'
    '<Cell><Data ss:Type="String">Client</Data></Cell>'
    '<Cell><Data ss:Type="String">Revenue</Data></Cell></Row>'
    '<Row><Cell><Data ss:Type="DateTime">2024-01-05T00:00:00.000</Data></Cell>'
    '<Cell><Data ss:Type="String">{first}</Data></Cell>'
    '<Cell><Data ss:Type="Number">100</Data></Cell></Row>'
    '<Row><Cell><Data ss:Type="DateTime">2024-02-05T00:00:00.000</Data></Cell>'
    '<Cell><Data ss:Type="String">{second}</Data></Cell>'
    '<Cell><Data ss:Type="Number">200</Data></Cell></Row>'
)


def _spreadsheet_2003(
    rows: str = _XML_ROWS, declaration: str = "", encoding: str = "utf-8", **names: str
) -> bytes:
    names = {"first": "Acme", "second": "Beta", **names}
    body = rows.format(**names) if "{first}" in rows else rows
    text = f'{declaration}{_XML_HEAD}<Worksheet ss:Name="Sales"><Table>{body}</Table>'
    return (text + "</Worksheet></Workbook>").encode(encoding)


def _nested_archive(depth: int) -> bytes:
    """A web archive whose parts nest `depth` levels deep, the page at the bottom."""
    lines = ["MIME-Version: 1.0", 'Content-Type: multipart/related; boundary="b0"', ""]
    for level in range(depth):
        lines += [f"--b{level}", f'Content-Type: multipart/mixed; boundary="b{level + 1}"', ""]
    lines += [f"--b{depth}", "Content-Type: text/html", "", f"<html>{_TABLE}</html>"]
    lines += [f"--b{level}--" for level in range(depth, -1, -1)]
    return "\r\n".join(lines).encode()


def _code_and_name_under_one_header() -> bytes:
    """'Client' merged over two columns: the code under its left half, the name under its right."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Client", None, "Revenue"])
    sheet.merge_cells("B1:C1")
    sheet.append(["2024-01-05", "C001", "Acme Ltd", 100])
    sheet.append(["2024-01-06", "C002", "Beta Inc", 200])
    sheet.append(["2024-01-07", "C001", "Acme Ltd", 50])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _transaction_list_by_customer() -> bytes:
    """QuickBooks Online's Transaction List by Customer: customers on group rows, each line's
    ledger account in a column labelled Account."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Craig's Design and Landscaping Services"])
    sheet.append(["Transaction List by Customer"])
    sheet.append([])
    sheet.append([None, "Date", "Transaction Type", "Num", "Account", "Amount"])
    lines = {
        "Amy's Bird Sanctuary": [
            ("01/05/2024", "Estimate", "1001", "", 600),
            ("01/12/2024", "Invoice", "1037", "Accounts Receivable (A/R)", 600),
            ("01/30/2024", "Payment", "", "Undeposited Funds", 600),
        ],
        "Cool Cars": [
            ("02/07/2024", "Sales Receipt", "1008", "Undeposited Funds", 225),
            ("03/26/2024", "Invoice", "1045", "Accounts Receivable (A/R)", 2100),
        ],
    }
    for customer, rows in lines.items():
        sheet.append([customer])
        for row in rows:
            sheet.append([None, *row])
        sheet.append([f"Total for {customer}", None, None, None, None, sum(r[4] for r in rows)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sales_on_a_hidden_sheet() -> bytes:
    """A visible cover sheet and the sales on a sheet Excel does not show."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.active.append(["Quarterly report"])
    data = book.create_sheet("Data")
    for row in (["Date", "Client", "Revenue"], ["2024-01-05", "Acme", 100]):
        data.append(row)
    data.append(["2024-01-06", "Beta", 200])
    data.sheet_state = "veryHidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _customer_job_detail() -> bytes:
    """QuickBooks Desktop's Sales by Customer Detail: customers, their jobs nested below, and
    each line's Name written 'Customer:Job'."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Sales by Customer Detail"])
    sheet.append([None, None, "Type", "Date", "Num", "Name", "Amount"])
    jobs = {
        "Kristy Abercrombie": {"Kitchen": 3000, "Remodel Bathroom": 575},
        "Doug Jacobsen": {"Kitchen": 2275},
    }
    for customer, of in jobs.items():
        sheet.append([customer])
        for job, amount in of.items():
            sheet.append([None, job])
            sheet.append([None, None, "Invoice", "01/15/2024", "1101", f"{customer}:{job}", amount])
            sheet.append([None, f"Total {job}", None, None, None, None, amount])
        sheet.append([f"Total {customer}", None, None, None, None, None, sum(of.values())])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _lines(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def fifteenth_cases() -> list[Case]:
    """Parts at the paths the relationships name."""
    acme_beta = frozenset({"Acme", "Beta"})
    dates = frozenset({"2024-01-05", "2024-02-05"})
    return [
        Case(
            "shared_text_at_another_path.xlsx",
            lambda p: _book(_TEXT_ROWS, strings=("xl/strings.xml", _strings(["Acme", "Beta"]))),
            rows=2,
            names=acme_beta,
        ),
        Case(
            "shared_text_elsewhere_stale_one_at_usual_name.xlsx",
            lambda p: _book(
                _TEXT_ROWS,
                strings=("xl/strings.xml", _strings(["Acme", "Beta"])),
                stale={"xl/sharedStrings.xml": _strings(["Evil", "Decoy"])},
            ),
            rows=2,
            names=acme_beta,
        ),
        Case(
            "styles_elsewhere_stale_one_at_usual_name.xlsx",
            lambda p: _book(
                _SERIAL_ROWS.format(first=45296, second=45327),
                styles=("xl/st.xml", _styles("dd/mm/yyyy")),
                stale={"xl/styles.xml": _styles('"K"000000')},
            ),
            rows=2,
            dates=dates,
        ),
        Case(
            "workbook_part_in_a_folder.xlsx",
            lambda p: _book(
                _TEXT_ROWS,
                book="xl/wb/workbook.xml",
                sheet="xl/wb/sheets/first.xml",
                strings=("xl/wb/strings.xml", _strings(["Acme", "Beta"])),
            ),
            rows=2,
            names=acme_beta,
            dates=dates,
        ),
        Case(
            "workbook_part_outside_xl.xlsx",
            lambda p: _book(
                _TEXT_ROWS,
                book="data/book.xml",
                sheet="data/s.xml",
                strings=("data/t.xml", _strings(["Acme", "Beta"])),
            ),
            rows=2,
            names=acme_beta,
        ),
        Case(
            "workbook_elsewhere_stale_one_at_usual_name.xlsx",
            lambda p: _stale_book(),
            rows=2,
            names=acme_beta,
        ),
        # 1904 date system in a workbook part elsewhere: serial 43834 is 2024-01-05 there
        # (1,462 days after the same serial counted from 1900: 45296).
        Case(
            "workbook_elsewhere_1904_dates.xlsx",
            lambda p: _book(
                _SERIAL_ROWS.format(first=43834, second=43865),
                book="xl/wb/workbook.xml",
                styles=("xl/wb/styles.xml", _styles("yyyy-mm-dd")),
                book_pr='<workbookPr date1904="1"/>',
            ),
            rows=2,
            dates=dates,
        ),
        Case(
            "shared_text_elsewhere_in_20000_cells.xlsx",
            lambda p: _amplified(20_000, stale=False),
            "repeat shared text",
        ),
        Case(
            "shared_text_elsewhere_stale_small_one_in_20000_cells.xlsx",
            lambda p: _amplified(20_000, stale=True),
            "repeat shared text",
        ),
        Case(
            "workbook_elsewhere_three_sheets_one_part.xlsx",
            lambda p: _book(
                _TEXT_ROWS.replace('t="s"><v>1', 't="s"><v>0'),
                book="x/b.xml",
                sheet="x/s.xml",
                strings=("x/t.xml", _strings(["Acme"])),
                entries=3,
            ),
            "point at the same part",
        ),
        # Web pages and archives that do not start as the usual ones do.
        Case(
            "web_page_after_saved_from_url_comment.xls",
            lambda p: (
                f"<!-- saved from url=(0014)about:internet -->\n<html><body>{_TABLE}</body></html>"
            ).encode(),
            rows=2,
            names=acme_beta,
        ),
        Case(
            "web_page_fragment_in_a_div.xls",
            lambda p: f'<div class="report"><center>{_TABLE}</center></div>'.encode(),
            rows=2,
            names=acme_beta,
        ),
        Case(
            "web_archive_date_header_first.mht",
            lambda p: _archive("Date: Mon, 1 Apr 2024 10:00:00 +0000\r\nSubject: Sales\r\n"),
            rows=2,
            names=acme_beta,
        ),
        # Excel's XML Spreadsheet 2003, as ERPs export it under an .xls name.
        Case(
            "xml_spreadsheet_2003_no_declaration.xls",
            lambda p: _spreadsheet_2003(),
            rows=2,
            names=acme_beta,
            dates=dates,
        ),
        Case(
            "xml_spreadsheet_2003_windows_1255.xls",
            lambda p: _spreadsheet_2003(
                declaration='<?xml version="1.0" encoding="windows-1255"?>\n',
                encoding="cp1255",
                first="אלקטרה",
                second="שופרסל",
            ),
            rows=2,
            names=frozenset({"אלקטרה", "שופרסל"}),
        ),
        Case(
            "xml_spreadsheet_2003_entity_expansion.xls",
            lambda p: _spreadsheet_2003(
                declaration='<?xml version="1.0"?><!DOCTYPE W [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
                first="&b;",
            ),
            "DOCTYPE",
        ),
        Case(
            "xml_spreadsheet_2003_row_index_2e9.xls",
            lambda p: _spreadsheet_2003(
                _XML_ROWS + '<Row ss:Index="2000000000"><Cell><Data ss:Type="String">x'
                "</Data></Cell></Row>"
            ),
            "more than",
        ),
        Case(
            "xml_spreadsheet_2003_merge_down_a_million.xls",
            lambda p: _spreadsheet_2003(
                '<Row><Cell ss:MergeDown="1048575" ss:MergeAcross="16383"><Data ss:Type="String">'
                "Report</Data></Cell></Row>" + _XML_ROWS
            ),
            # The merge covers every cell below it: the rows' cells land past the last column.
            "no column recognised",
        ),
        Case(
            "xml_spreadsheet_2003_cut_short.xls",
            lambda p: _spreadsheet_2003()[:-40],
            "damaged at line",
        ),
        Case(
            "web_archive_nested_3000_deep.mht",
            lambda p: _nested_archive(3_000),
            "hundreds of levels deep",
        ),
        Case("web_archive_nested_20_deep.mht", lambda p: _nested_archive(20), rows=2),
        # R's write.table: no label over the rows' names.
        Case(
            "r_write_table_row_names.tsv",
            lambda p: (
                b"Date\tClient\tRevenue\n1\t2024-01-05\tAcme\t100\n2\t2024-02-05\tBeta\t200\n"
            ),
            rows=2,
            names=acme_beta,
            dates=dates,
            note="R writes its tables so",
        ),
        Case(
            "r_write_csv_row_names_quoted.csv",
            lambda p: (
                b'"Date","Client","Revenue"\n"1","2024-01-05","Acme",100\n'
                b'"2","2024-02-05","Beta",200\n"3","2024-02-06","Beta",50\n'
            ),
            rows=3,
            names=acme_beta,
        ),
        # One label short, but the first fields do not number the rows: not shifted.
        Case(
            "header_one_label_short_not_numbered.csv",
            lambda p: b"Date,Client,Revenue\n2024-01-05,Acme,100,x\n2024-02-05,Beta,200,y\n",
            "no valid rows",
        ),
        # An invoicing system's documents: a deal's quote, pro forma, order and delivery note
        # beside its invoice were each counted as a sale (6 times the deal).
        Case(
            "documents_quote_proforma_order_delivery_invoice.csv",
            lambda p: _lines(
                "סוג מסמך,תאריך מסמך,שם לקוח,סכום",
                "הצעת מחיר,2024-01-02,תנובה,12000",
                "חשבון עסקה,2024-01-05,תנובה,12000",
                "הזמנה,2024-01-06,תנובה,12000",
                "תעודת משלוח,2024-01-08,תנובה,12000",
                "חשבונית מס,2024-01-10,תנובה,12000",
                "קבלה,2024-01-20,תנובה,12000",
                "חשבונית מס,2024-02-01,שטראוס,4500",
                "חשבונית זיכוי,2024-02-10,שטראוס,500",
            ),
            rows=3,
            rejected=5,
            revenue=16_000.0,
            reason="not a sale",
        ),
        Case(
            "documents_english_quote_and_proforma.csv",
            lambda p: _lines(
                "Document Type,Date,Customer,Amount",
                "Quote,2024-01-02,Acme,900",
                "Proforma Invoice,2024-01-03,Acme,900",
                "Sales Order,2024-01-04,Acme,900",
                "Invoice,2024-01-09,Acme,900",
                "Invoice,2024-01-12,Bolt,100",
            ),
            rows=2,
            rejected=3,
            revenue=1_000.0,
        ),
        # Orders with no invoice beside them are the file's sales.
        Case(
            "documents_orders_only.csv",
            lambda p: _lines(
                "Document Type,Date,Customer,Amount",
                "Sales Order,2024-01-04,Acme,900",
                "Sales Order,2024-01-09,Bolt,100",
            ),
            rows=2,
            revenue=1_000.0,
        ),
        # Odoo's sale.report: quotations are no sales.
        Case(
            "odoo_states_quotation.csv",
            lambda p: _lines(
                "Order Reference,Order Date,Customer,Untaxed Total,Status",
                "S00021,2024-01-08,Deco Addict,420,Sales Order",
                "S00022,2024-01-19,Deco Addict,300,Quotation",
                "S00023,2024-02-02,Gemini,450,Quotation Sent",
                "S00024,2024-02-14,Gemini,480,Locked",
            ),
            rows=2,
            rejected=2,
            revenue=900.0,
        ),
        # Bitrix24's deal stages, in Russian.
        Case(
            "bitrix_stages_russian.csv",
            lambda p: _lines(
                "Название,Стадия сделки,Компания,Сумма,Дата создания",
                "Поставка,Сделка успешна,ООО Ромашка,250000,10.01.2024",
                "Поставка 2,Сделка провалена,АО Вектор,90000,12.01.2024",
                "Сервис,Сделка успешна,АО Вектор,48500.50,01.02.2024",
                "Аудит,В работе,ООО Ромашка,300000,20.02.2024",
            ),
            rows=2,
            rejected=2,
            revenue=298_500.5,
        ),
        # A CRM's hoped-for date is no sale's date.
        Case(
            "deals_expected_and_actual_close_date.csv",
            lambda p: _lines(
                "Deal,Account,Expected close date,Close date,Deal value,Deal stage",
                "D1,Acme,2024-02-01,2024-02-05,100,Won",
                "D2,Bolt,2024-03-01,2024-03-07,200,Won",
            ),
            rows=2,
            dates=frozenset({"2024-02-05", "2024-03-07"}),
        ),
        # Oracle: Entered Amount in each document's currency, Accounted Amount in the ledger's.
        Case(
            "oracle_entered_and_accounted_amounts.csv",
            lambda p: _lines(
                "Transaction Number,Transaction Date,Bill-to Customer Name,Entered Currency,"
                "Entered Amount,Accounted Amount",
                "1001,2024-01-10,Acme,EUR,1000.00,1085.00",
                "1002,2024-01-11,Acme,USD,500.00,500.00",
                "1003,2024-01-12,Bolt,JPY,150000,1000.00",
            ),
            rows=3,
            revenue=2_585.0,
        ),
        # Text files that look empty: blank lines, spaces, separators.
        Case(
            "bom_and_blank_lines.csv",
            lambda p: b"\xef\xbb\xbf\r\n\r\n \r\n",
            "holds no values",
        ),
        Case("separators_only.csv", lambda p: b"  \n,,\n , \n", "holds no values"),
        # LibreOffice's flat XML (.fods), even named .ods.
        Case(
            "flat_opendocument.ods",
            lambda p: (
                b'<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office='
                b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:mimetype='
                b'"application/vnd.oasis.opendocument.spreadsheet"><office:body/></office:document>'
            ),
            "flat XML (.fods)",
        ),
        # A till's export: every sale's date with its time, each cell a text of its own.
        Case(
            "dates_with_times_day_first.csv",
            lambda p: _lines(
                "Date,Client,Revenue",
                '"01/02/2024 00:00:31",Acme,1',
                '"01/02/2024 23:59:59",Acme,2',
                '"13/02/2024 08:15:00",Bolt,3',
            ),
            rows=3,
            dates=frozenset({"2024-02-01", "2024-02-13"}),
        ),
        Case(
            "client_header_merged_over_code_and_name.xlsx",
            lambda p: _code_and_name_under_one_header(),
            rows=3,
            names=frozenset({"Acme Ltd", "Beta Inc"}),
            ids=frozenset({"C001", "C002"}),
        ),
        # Power BI's date hierarchy: Year, Quarter, Month, Day; the Day was left out (every
        # sale on the 1st of its month, noted as a monthly export).
        Case(
            "date_hierarchy_year_quarter_month_day.csv",
            lambda p: _lines(
                "Year,Quarter,Month,Day,Customer,Sum of SalesAmount",
                "2024,Qtr 1,January,3,Contoso Ltd,1520.40",
                "2024,Qtr 1,February,29,Fabrikam,415.75",
                "2024,Qtr 2,April,2,Contoso Ltd,1200",
                "Total,,,,,3136.15",
            ),
            rows=3,
            dates=frozenset({"2024-01-03", "2024-02-29", "2024-04-02"}),
            note="and the days of",
        ),
        # The ledger's accounts were stored as the clients (all revenue under 'Accounts
        # Receivable (A/R)'); the customers are the group rows.
        Case(
            "quickbooks_transaction_list_by_customer.xlsx",
            lambda p: _transaction_list_by_customer(),
            rows=3,
            rejected=2,  # the estimate and the payment: no sales
            names=frozenset({"Amy's Bird Sanctuary", "Cool Cars"}),
            revenue=2_925.0,
        ),
        Case(
            "sales_on_a_very_hidden_sheet.xlsx",
            lambda p: _sales_on_a_hidden_sheet(),
            rows=2,
            note="is hidden in the workbook",
        ),
        # Where the header was looked for, and what a header on the last row leaves.
        Case(
            "header_on_the_last_row.csv",
            lambda p: _lines("2024-01-05,Acme,100", "2024-01-06,Beta,200", "Date,Client,Revenue"),
            "has no rows below it",
        ),
        Case(
            "header_below_the_rows_looked_at.csv",
            lambda p: _lines(*(["note,x"] * 70), "Date,Client,Revenue", "2024-01-05,Acme,100"),
            "looked for in the first 60 rows",
        ),
        # Rows of one cell (notes, a title) above the table are passed over like blank ones.
        Case(
            "header_below_seventy_notes_of_one_cell.csv",
            lambda p: _lines(*(["note"] * 70), "Date,Client,Revenue", "2024-01-05,Acme,100"),
            rows=1,
            names=frozenset({"Acme"}),
        ),
        # A sales register with a column per tax rate: one was read, the other's amounts lost
        # without a word.
        Case(
            "sales_register_column_per_tax_rate.csv",
            lambda p: _lines(
                "Date,Particulars,Voucher No.,Sales @ 18%,Sales @ 5%",
                "01/04/2024,Mehta Electricals,1,1000,",
                "02/04/2024,Kapoor & Sons,2,,500",
                "03/04/2024,Mehta Electricals,3,300,",
            ),
            rows=2,
            rejected=1,
            note="were not read",
        ),
        # Each job was stored as a client ('Kitchen' of two customers one client).
        Case(
            "quickbooks_customer_job_detail.xlsx",
            lambda p: _customer_job_detail(),
            rows=3,
            names=frozenset({"Kristy Abercrombie", "Doug Jacobsen"}),
            revenue=5_850.0,
            note="Customer:Job",
        ),
        # Look-alikes that must stay as they were.
        Case(
            "numbered_rows_with_a_trailing_separator.csv",
            lambda p: _lines(
                "No;Client;Date;Revenue", "1;Acme Ltd;05.01.2024;100;", "2;Beta;06.01.2024;200;"
            ),
            rows=2,
            names=frozenset({"Acme Ltd", "Beta"}),
        ),
        Case(
            "russian_capitals_with_roubles_cp1251.csv",
            lambda p: (
                "Дата,Клиент,Сумма руб\n05.01.2024,ЗАО РОМАШКА,100\n06.01.2024,ЗАО ВЕКТОР,200\n"
            ).encode("cp1251"),
            rows=2,
            names=frozenset({"ЗАО РОМАШКА", "ЗАО ВЕКТОР"}),
        ),
        Case(
            "names_with_a_colon_and_a_space.csv",
            lambda p: _lines(
                "Date,Client ID,Name,Amount",
                "2024-01-05,C1,Customer: Acme Ltd,100",
                "2024-01-06,C2,Customer: Beta Inc,200",
            ),
            rows=2,
            names=frozenset({"Customer: Acme Ltd", "Customer: Beta Inc"}),
        ),
        Case(
            "service_types_named_like_offers.csv",
            lambda p: _lines(
                "Type,Date,Customer,Amount",
                "Proposal Writing,2024-01-05,Acme,100",
                "Cost Estimate,2024-01-06,Beta,200",
                "Invoice,2024-01-07,Acme,300",
            ),
            rows=3,
            revenue=600.0,
        ),
    ]
