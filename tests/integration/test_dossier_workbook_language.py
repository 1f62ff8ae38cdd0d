"""Dossier workbooks in the interface language: Hebrew sheet names, headers and choice words,
right to left; a workbook exported in either language imports back to the same dossiers."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from kam_core import dossier
from kam_core.i18n import use_language
from kam_core.store import connect
from kam_core.store.dossier import list_records, read_profile
from tests.integration.test_dossier_import import SHEETS

# Every choice word of every vocabulary appears at least once, so each must import back.
MORE = {
    "Clients": [
        ["Client ID", "Need", "Solvency", "Authority", "Website", "Description", "Types"],
        ["C3", "unknown", "no", "yes", "https://three.example", "Makes things", "expert"],
    ],
    "Contacts": [
        ["Client ID", "Name", "Role", "Attitude", "Influence", "Email", "Notes"],
        ["C2", "Cat Champion", "champion", "supporter", 4, "cat@two.example", "Ally"],
        ["C2", "Dan Decides", "decision maker", "opponent", 5, None, None],
        ["C2", "Eve User", "user", "neutral", 1, None, None],
        ["C2", "Fay Blocks", "blocker", "opponent", 3, None, None],
        ["C2", "Gil Sways", "influencer", "neutral", 2, None, None],
    ],
    "Tenders": [
        ["Client ID", "Date", "Subject", "Amount", "Result"],
        ["C2", "2025-04-01", "Pallets", 1000, "won"],
        ["C2", "2025-05-01", "Crates", 2000, "pending"],
        ["C2", "2025-06-01", "Sacks", 300, "declined"],
    ],
    "Activities": [
        ["Client ID", "Kind", "Date", "Owner", "Status", "What", "Target person"],
        ["C2", "meeting", "2025-07-01", "Dana", "done", "Met the buyer", "Cat Champion"],
        ["C2", "note", "2025-07-02", "Dana", "cancelled", "Call off", None],
        ["C2", "win back", "2025-07-03", "Ori", "in progress", "Offer a discount", None],
    ],
}
SALES = (
    "INSERT INTO sales (row_key, upload_id, order_date, client_id, client_name, revenue,"
    " manager, region) VALUES (1, 1, DATE '2025-01-05', 'C1', 'Client One', 100, 'Dana',"
    " 'North'), (2, 1, DATE '2025-01-06', 'C2', 'Client Two', 50, 'Maria', 'Center'),"
    " (3, 1, DATE '2025-01-07', 'C3', 'Client Three', 20, 'Ori', 'Center')"
)
ENTITIES = ("contact", "tender", "competitor", "activity")
KEEP_OUT = {"updated_by", "updated_at", "version", "contact_id", "tender_id", "competitor_id"}
KEEP_OUT |= {"activity_id", "reports_to", "created_at", "created_by"}


def fresh():
    conn = connect(":memory:")
    conn.execute(SALES)
    return conn


@pytest.fixture
def filled(make_xlsx):
    conn = fresh()
    for sheets, name in ((SHEETS, "master.xlsx"), (MORE, "more.xlsx")):
        dossier.import_master(conn, make_xlsx(sheets, name=name).read_bytes(), name, "dana")
    yield conn
    conn.close()


def contents(conn) -> dict[str, object]:
    """Every stored dossier value a workbook carries (ids and who/when left out), in order."""
    out: dict[str, object] = {}
    for client in ("C1", "C2", "C3"):
        profile = read_profile(conn, client) or {}
        out[client] = {k: v for k, v in profile.items() if k not in KEEP_OUT}
    for entity in ENTITIES:
        frame = list_records(conn, entity).drop(columns=list(KEEP_OUT), errors="ignore")
        names = dict(
            zip(
                list_records(conn, "contact")["contact_id"],
                list_records(conn, "contact")["name"],
                strict=True,
            )
        )
        if "contact_id" in list_records(conn, entity):
            frame["contact"] = list_records(conn, entity)["contact_id"].map(names)
        rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
        out[entity] = sorted(rows, key=repr)
    return out


@pytest.mark.parametrize("lang", ["he", "en"])
def test_all_dossiers_exported_in_a_language_import_into_an_empty_database_unchanged(filled, lang):
    with use_language(lang):
        exported = dossier.all_dossiers_workbook(filled)
        other = fresh()
        result = dossier.import_master(other, exported, "kam-dossiers.xlsx", "ori")
    assert len(result.rejected) == 0, result.rejected.to_dict("records")
    assert len(contents(filled)["contact"]) == 7 and len(contents(filled)["activity"]) == 4
    assert contents(other) == contents(filled)
    # And into the database it came from: nothing to add or update.
    with use_language(lang):
        again = dossier.import_master(filled, exported, "kam-dossiers.xlsx", "ori")
    assert all(c["added"] == 0 and c["updated"] == 0 for c in again.counts.values())


def test_the_hebrew_export_has_hebrew_sheets_headers_and_choice_words_right_to_left(filled):
    with use_language("he"):
        book = openpyxl.load_workbook(io.BytesIO(dossier.dossier_workbook(filled, "C2")))
    assert book.sheetnames == [
        "לקוחות",
        "אנשי קשר",
        "מכרזים",
        "מתחרים",
        "פעילויות",
        "רכישות לפי חודש",
    ]
    assert all(ws.sheet_view.rightToLeft for ws in book.worksheets)
    contacts = book["אנשי קשר"]
    header = [c.value for c in contacts[1]]
    assert header[:4] == ["מזהה לקוח", "שם", "תפקיד בארגון", "תפקיד בהחלטה"]
    roles = {row[3] for row in contacts.iter_rows(min_row=2, values_only=True)}
    assert roles == {"שגריר פנימי", "מקבל החלטות", "משתמש", "חוסם", "משפיע"}
    tenders = {row[4] for row in book["מכרזים"].iter_rows(min_row=2, values_only=True)}
    assert tenders == {"זכייה", "ממתין", "לא הגשנו"}
    assert [c.value for c in book["רכישות לפי חודש"][1]] == [
        "חודש",
        "הכנסות",
        "הזמנות",
        "שורות",
        "החזרות",
    ]


def test_the_english_export_keeps_english_names_left_to_right(filled):
    with use_language("en"):
        book = openpyxl.load_workbook(io.BytesIO(dossier.dossier_workbook(filled, "C2")))
    assert (
        book.sheetnames[:2] == ["Clients", "Contacts"] and "Purchases by month" in book.sheetnames
    )
    assert not any(ws.sheet_view.rightToLeft for ws in book.worksheets)
    assert [c.value for c in book["Contacts"][1]][3] == "Role"


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_template_in_a_language_is_recognised_sheet_by_sheet_and_header_by_header(lang):
    with use_language(lang):
        data = dossier.template_workbook()
        preview = dossier.preview_master(data, "template.xlsx")
    kinds = [layout.kind for layout in preview.layouts]
    assert kinds == ["client", "contact", "tender", "competitor", "activity", "people"]
    for layout in preview.layouts:
        assert len(layout.mapping) == len(layout.columns), (layout.sheet, layout.columns)
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert names[0] == ("הוראות" if lang == "he" else "Instructions")


def test_a_hebrew_workbook_typed_by_hand_is_read_with_its_choice_words():
    rows = pd.DataFrame(
        {"מזהה לקוח": ["C1"], "שם": ["רונית"], "תפקיד בהחלטה": ["שגריר פנימי"], "יחס": ["תומך"]}
    )
    conn = fresh()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as writer:
        rows.to_excel(writer, sheet_name="אנשי קשר", index=False)
    dossier.import_master(conn, buffer.getvalue(), "hebrew.xlsx")
    person = list_records(conn, "contact", "C1").iloc[0]
    assert (person["name"], person["role"], person["attitude"]) == (
        "רונית",
        "champion",
        "supporter",
    )
