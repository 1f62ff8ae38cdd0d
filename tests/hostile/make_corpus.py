"""Write the hostile corpus: broken and malicious files, each with the outcome it must have.

Run `python -m tests.hostile.make_corpus DIR` to write the files for a look by hand; the tests
write them into a temporary folder.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from tests.conftest import write_csv, write_ods, write_xls, write_xlsx
from tests.hostile import builders as b
from tests.hostile.case import Case
from tests.hostile.eighteenth_layout_cases import eighteenth_layout_cases
from tests.hostile.eighteenth_status_cases import eighteenth_status_cases
from tests.hostile.eighth_cases import eighth_cases
from tests.hostile.eleventh_cases import eleventh_cases
from tests.hostile.fifteenth_cases import fifteenth_cases
from tests.hostile.fifth_cases import fifth_cases
from tests.hostile.fourteenth_cases import fourteenth_cases
from tests.hostile.guarded_cases import guarded_cases
from tests.hostile.later_cases import later_cases
from tests.hostile.more_cases import more_cases
from tests.hostile.new_cases import new_cases
from tests.hostile.nineteenth_label_cases import nineteenth_label_cases
from tests.hostile.round21_text_cases import round21_text_cases
from tests.hostile.round21_workbook_cases import round21_workbook_cases
from tests.hostile.round22_identity_cases import round22_identity_cases
from tests.hostile.round22_text_cases import round22_text_cases
from tests.hostile.round22_workbook_cases import round22_workbook_cases
from tests.hostile.round23_speed_cases import round23_speed_cases
from tests.hostile.round23_text_cases import round23_text_cases
from tests.hostile.round23_upload_cases import round23_upload_cases
from tests.hostile.round23_workbook_cases import round23_workbook_cases
from tests.hostile.round24_csvspeed_cases import round24_csvspeed_cases
from tests.hostile.round24_fuzz_cases import round24_fuzz_cases
from tests.hostile.round24_xlsxspeed_cases import round24_xlsxspeed_cases
from tests.hostile.round25_readspeed_cases import round25_readspeed_cases
from tests.hostile.round25_textvalues_cases import round25_textvalues_cases
from tests.hostile.round25_workbookvalues_cases import round25_workbookvalues_cases
from tests.hostile.round26_masterprobe_cases import round26_masterprobe_cases
from tests.hostile.round26_textprobe_cases import round26_textprobe_cases
from tests.hostile.round26_workbookfuzz_cases import round26_workbookfuzz_cases
from tests.hostile.round26_workbookserials_cases import round26_workbookserials_cases
from tests.hostile.round27_longids_cases import round27_longids_cases
from tests.hostile.round27_odsdurations_cases import round27_odsdurations_cases
from tests.hostile.round27_positions_cases import round27_positions_cases
from tests.hostile.round27_textshape_cases import round27_textshape_cases
from tests.hostile.round27_xlsberrors_cases import round27_xlsberrors_cases
from tests.hostile.round27_xlsbserials_cases import round27_xlsbserials_cases
from tests.hostile.round27_xmlindex_cases import round27_xmlindex_cases
from tests.hostile.round28_decimals_cases import round28_decimals_cases
from tests.hostile.round28_json_cases import round28_json_cases
from tests.hostile.round28_workbooks_cases import round28_workbooks_cases
from tests.hostile.seventeenth_cases import seventeenth_cases
from tests.hostile.seventh_cases import seventh_cases
from tests.hostile.sixth_cases import sixth_cases
from tests.hostile.status_kind_cases import status_kind_cases
from tests.hostile.tenth_cases import tenth_cases
from tests.hostile.thirteenth_cases import thirteenth_cases
from tests.hostile.twelfth_cases import twelfth_cases
from tests.hostile.twentieth_cases import twentieth_cases
from tests.hostile.twentyfirst_cases import twentyfirst_cases
from tests.hostile.twentysecond_cases import twentysecond_cases
from tests.hostile.world_format_cases import world_format_cases

FORMULA_NAMES = b.FORMULA_NAMES


def cases() -> list[Case]:
    """Every case of the corpus, in a stable order."""
    head, day = b.HEADER, b.D
    long_name = "L" * 100_000
    return [
        Case("not_a_zip.xlsx", lambda p: random.Random(1).randbytes(8192), "not a spreadsheet"),
        Case("truncated.xlsx", lambda p: b.good_xlsx()[:2500], "damaged or incomplete"),
        Case("encrypted.xlsx", lambda p: b.encrypted(), "protected with a password"),
        Case("zip_bomb.xlsx", lambda p: b.honest_bomb(), "the limit is 1,024 MB"),
        Case("zip_bomb_lying_sizes.xlsx", lambda p: b.lying_bomb(), "zip bomb"),
        Case("many_parts.xlsx", lambda p: b.many_members(), "the limit is 10,000"),
        Case("entity_bomb.xlsx", lambda p: b.entity_sheet(b.BOMB_ENTITIES, "&lol9;"), "DOCTYPE"),
        Case("xxe.xlsx", lambda p: b.entity_sheet(b.XXE, "&xxe;"), "DOCTYPE"),
        Case("xxe_shared_strings.xlsx", lambda p: b.xxe_in_shared_strings(), "DOCTYPE"),
        Case("word_document.xlsx", lambda p: b.zip_of(["word/document.xml"]), "Word document"),
        Case("zip_not_a_workbook.xlsx", lambda p: b.zip_of(["a.xml"]), "not a spreadsheet"),
        Case("pdf_named.xlsx", lambda p: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        Case("web_page.xls", lambda p: b"<html><table><tr><td>1</td></tr></table>", "web page"),
        Case("empty.csv", lambda p: b"", "the file is empty"),
        Case("empty_workbook.xlsx", b.via(write_xlsx, {"Sheet1": []}), "every sheet is empty"),
        Case("headers_only.xlsx", b.via(write_xlsx, {"Sales": [head]}), "no valid rows"),
        Case(
            "header_on_row_40.xlsx",
            b.via(write_xlsx, {"Sales": [["Report"], *[[] for _ in range(38)], head, *b.sales(3)]}),
            rows=3,
        ),
        Case(
            "merged_header.xlsx",
            b.via(
                write_xlsx,
                {
                    "Sales": [
                        ["Order Date", "Customer", None, "Amount"],
                        *[[d, c, None, a] for d, c, a in b.sales(4)],
                    ]
                },
                {"Sales": ["B1:C1"]},
            ),
            rows=4,
        ),
        Case(
            "every_date_invalid.xlsx",
            b.via(write_xlsx, {"Sales": [head, *[[f"31/02/2024 {i}", "X", 1] for i in range(4)]]}),
            "order date is not a date",
        ),
        Case(
            "mixed_date_formats.xlsx",
            b.via(
                write_xlsx,
                {
                    "Sales": [
                        head,
                        [day(2024, 1, 5), "A", 1],
                        ["2024-01-06", "B", 2],
                        ["07/01/2024", "C", 3],
                        ["8-Jan-2024", "D", 4],
                        [45300, "E", 5],
                        ["20240110", "F", 6],
                    ]
                },
            ),
            rows=6,
        ),
        Case(
            "text_in_numbers.xlsx",
            b.via(
                write_xlsx,
                {
                    "Sales": [
                        head,
                        *b.sales(2),
                        [day(2024, 1, 9), "Z", "about 5"],
                        [day(2024, 1, 9), "Y", "n/a"],
                    ]
                },
            ),
            rows=2,
            rejected=2,
            reason="revenue is not an amount",
        ),
        Case(
            "excel_errors.xlsx",
            lambda p: b.raw(
                (
                    "Sales",
                    [
                        (1, head),
                        (2, ["2024-01-05", "Ok", 5]),
                        (3, ["2024-01-06", "Div", "#DIV/0!"]),
                        (4, ["#N/A", "Na", 7]),
                    ],
                )
            ),
            rows=1,
            rejected=2,
            reason="Excel error value",
        ),
        Case(
            "duplicate_columns.xlsx",
            b.via(
                write_xlsx,
                {
                    "Sales": [
                        [*head, "Amount", "Customer"],
                        *[[*r, 1, "dup"] for r in b.sales(3)],
                    ]
                },
            ),
            # Which 'Customer' and which 'Amount' is not clear: the first was taken silently.
            "columns B, E ('Customer', 'Customer') could each be the client name",
        ),
        Case(
            "hidden_sheets.xlsx",
            b.via(
                write_xlsx,
                {"Lookup": [head, *b.sales(7, 20)], "Sales": [head, *b.sales(3)]},
                None,
                ["Lookup"],
            ),
            rows=3,
            names=frozenset({"Client 1", "Client 2", "Client 3"}),
        ),
        Case("sheet_16000_columns.xlsx", lambda p: b.wide(), rows=4, note="16,000 columns wide"),
        Case("stray_cell_at_xfd1048576.xlsx", lambda p: b.far_cell(), "cells per sheet"),
        Case("formatted_empty_cell_at_xfd1048576.xlsx", lambda p: b.formatted_far_cell(), rows=3),
        Case("stray_cell_prefixed_tags.xlsx", lambda p: b.far_cell_prefixed(), "cells per sheet"),
        Case("stray_cell_implicit_positions.xlsx", lambda p: b.far_cell_implicit(), "cells per"),
        Case("sheet_at_excel_row_limit.xlsx", lambda p: b.row_limit(), rows=4),
        Case(
            "cell_of_100k_characters.xlsx",
            # Written by hand: Excel and openpyxl cut text at 32,767 characters, other tools do not.
            lambda p: b.raw(
                ("Sales", b.numbered([head, *b.text_sales(2), ["2024-01-09", long_name, 5]]))
            ),
            rows=2,
            rejected=1,
            reason="longer than 32,767 characters",
        ),
        Case(
            "rtl_emoji_names.xlsx",
            b.via(write_xlsx, {"Sales": [head, *[[day(2024, 1, 3), n, 9] for n in b.WORLD_NAMES]]}),
            rows=4,
            names=frozenset(b.WORLD_NAMES),
        ),
        Case(
            "control_characters.xlsx",
            lambda p: b.raw(
                ("Sales", b.numbered([head, *[["2024-01-04", n, 3] for n in b.CONTROL_NAMES]]))
            ),
            rows=3,
            names=frozenset(b.STORED_CONTROL_NAMES),
        ),
        Case(
            "control_characters.csv",
            lambda p: (
                b"Order Date,Customer,Amount\r\n2024-01-04,Acme\x07 Ltd,3\r\n"
                b'2024-01-05,"Beta\x1b\tWorks",4\r\n'
            ),
            rows=2,
            names=frozenset({"Acme Ltd", "Beta Works"}),
        ),
        Case(
            "formula_names.xlsx",
            b.via(
                write_xlsx,
                {"Sales": [head, *[[day(2024, 1, 2), n, 1] for n in b.FORMULA_NAMES]]},
            ),
            rows=4,
            names=frozenset(b.FORMULA_NAMES),
        ),
        Case(
            "formula_names.csv",
            b.via(write_csv, [head, *[["2024-01-02", n, 1] for n in b.FORMULA_NAMES]]),
            rows=4,
            names=frozenset(b.FORMULA_NAMES),
        ),
        Case(
            "windows_1255.csv",
            b.via(
                write_csv,
                [["תאריך", "לקוח", "סכום"], ["05/01/2024", 'אלון בע"מ', "1,200"]],
                "cp1255",
            ),
            rows=1,
            names=frozenset({'אלון בע"מ'}),
        ),
        Case(
            "windows_1252.csv",
            b.via(
                write_csv,
                [head, ["2024-01-05", "Müller GmbH", 5], ["2024-01-06", "Café", 6]],
                "cp1252",
                ";",
            ),
            rows=2,
            names=frozenset({"Müller GmbH", "Café"}),
        ),
        Case(
            "utf16_without_bom.csv",
            b.via(write_csv, [head, *b.text_sales(3)], "utf-16-le", "\t"),
            rows=3,
        ),
        Case(
            "semicolons_and_decimal_commas.csv",
            b.via(
                write_csv,
                [head, ["05.01.2024", "Alfa", "1.234,50"], ["06.01.2024", "Beta", "2,25"]],
                "utf-8",
                ";",
            ),
            rows=2,
        ),
        Case(
            "wrong_delimiter.csv",
            lambda p: b"Order Date:Customer:Amount\n2024-01-05:Acme:5\n2024-01-06:Beta:6\n",
            "no column recognised",
        ),
        Case(
            "csv_named_xlsx.xlsx",
            b.via(write_csv, [head, *b.text_sales(2)]),
            rows=2,
            note="holds delimited text",
        ),
        Case("nul_bytes.csv", lambda p: b"Order Date,Customer,Amount\n\0\0\0\0" * 50, "not a"),
        Case(
            "csv_1500_columns.csv",
            lambda p: b.wide_csv(1_500),
            rows=3,
            note="only the first 1,000 columns are read",
        ),
        Case("ods_repeated_cells.ods", lambda p: b.ods_repeat_bomb(), "not a workbook"),
        Case(
            "legacy_forged_sector_size.xls",
            lambda p: b.forged_xls(write_xls(p, {"Sales": [head, *b.sales(3)]}).read_bytes()),
            "not a workbook",
        ),
        Case(
            "legacy_truncated.xls",
            lambda p: write_xls(p, {"Sales": [head, *b.sales(30)]}).read_bytes()[:3000],
            "workbook",
        ),
        Case("legacy.xls", b.via(write_xls, {"Sales": [head, *b.sales(3)]}), rows=3),
        Case("opendocument.ods", b.via(write_ods, {"Sales": [head, *b.sales(2)]}), rows=2),
        *guarded_cases(),
        *new_cases(),
        *more_cases(),
        *later_cases(),
        *fifth_cases(),
        *sixth_cases(),
        *seventh_cases(),
        *eighth_cases(),
        *tenth_cases(),
        *eleventh_cases(),
        *twelfth_cases(),
        *thirteenth_cases(),
        *fourteenth_cases(),
        *fifteenth_cases(),
        *seventeenth_cases(),
        *eighteenth_layout_cases(),
        *eighteenth_status_cases(),
        *nineteenth_label_cases(),
        *twentieth_cases(),
        *world_format_cases(),
        *twentyfirst_cases(),
        *twentysecond_cases(),
        *round22_identity_cases(),
        *round22_workbook_cases(),
        *round22_text_cases(),
        *round23_workbook_cases(),
        *round24_fuzz_cases(),
        *round23_text_cases(),
        *round23_speed_cases(),
        *round23_upload_cases(),
        *round24_xlsxspeed_cases(),
        *round24_csvspeed_cases(),
        *round25_textvalues_cases(),
        *round25_workbookvalues_cases(),
        *round25_readspeed_cases(),
        *round26_masterprobe_cases(),
        *round26_workbookserials_cases(),
        *round26_workbookfuzz_cases(),
        *round26_textprobe_cases(),
        *round27_longids_cases(),
        *round27_xlsbserials_cases(),
        *round27_positions_cases(),
        *round27_odsdurations_cases(),
        *round27_xmlindex_cases(),
        *round27_xlsberrors_cases(),
        *round27_textshape_cases(),
        *round28_workbooks_cases(),
        *round28_json_cases(),
        *round28_decimals_cases(),
        *round21_workbook_cases(),
        *round21_text_cases(),
        *status_kind_cases(),
    ]


def write_corpus(folder: Path) -> list[tuple[Case, Path]]:
    """Write every case's file into folder; return the cases with their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in cases():
        path = folder / case.name
        data = case.build(path)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append((case, path))
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.hostile.make_corpus DIR  (writes the files into DIR)")
    for case, path in write_corpus(Path(sys.argv[1])):
        outcome = f"refused: {case.refused}" if case.refused else f"{case.rows} rows"
        print(f"{path}  ->  {outcome}")
