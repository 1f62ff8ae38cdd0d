"""Dossiers as workbooks: the master-data template, one dossier, all dossiers."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import xlsxwriter

from kam_core.dossier.history import monthly_purchases
from kam_core.dossier.model import (
    ANSWERS,
    ATTITUDES,
    KINDS,
    RESULTS,
    ROLES,
    STATUSES,
    label_of,
)
from kam_core.export import to_excel_bytes
from kam_core.i18n import N_, NP_, _, get_language, is_rtl, pgettext
from kam_core.services.scope import Scope, scoped_export
from kam_core.store.db import query_df
from kam_core.store.dossier import list_records
from kam_core.store.reads import client_sales

SHEET_CONTEXT = "dossier sheet"
# Sheet -> (field, header): headers the importer recognises in English and in Hebrew
# (ingest/master_fields.py holds the Hebrew of each), so an export imports back.
# fmt: off
SHEETS: dict[str, list[tuple[str, str]]] = {
    N_("Clients"): [
        ("client_id", N_("Client ID")), ("client_name", N_("Client name")),
        ("industry", N_("Industry")), ("employees", N_("Employees")),
        ("website", N_("Website")), ("manager", N_("Account manager")),
        ("description", N_("Description")), ("history", N_("History")), ("team", N_("Team")),
        ("org_structure", N_("Organisational structure")),
        ("environment", N_("Environment")), ("is_image_maker", N_("Image maker")),
        ("is_expert", N_("Expert")), ("type_override", N_("Types")), ("need", N_("Need")),
        ("solvency", N_("Solvency")), ("authority", N_("Authority")),
        ("qualification_note", N_("Qualification note")),
        ("qualification_source", N_("Source")),
        ("qualification_date", N_("Qualification date")),
    ],
    N_("Contacts"): [
        ("client_id", N_("Client ID")), ("name", N_("Name")), ("title", N_("Job title")),
        ("role", NP_("dossier sheet", "Role")), ("attitude", N_("Attitude")),
        ("influence", N_("Influence")), ("reports_to", N_("Reports to")),
        ("email", N_("Email")), ("phone", N_("Phone")), ("notes", N_("Notes")),
    ],
    N_("Tenders"): [
        ("client_id", N_("Client ID")), ("tender_date", N_("Date")),
        ("subject", N_("Subject")), ("amount", N_("Amount")), ("result", N_("Result")),
        ("reason", N_("Reason")), ("winner", N_("Winner")),
    ],
    N_("Competitors"): [
        ("client_id", N_("Client ID")), ("name", N_("Competitor")),
        ("share", N_("Share of spend")), ("strengths", N_("Strengths")),
        ("weaknesses", N_("Weaknesses")),
    ],
    N_("Activities"): [
        ("client_id", N_("Client ID")), ("kind", N_("Kind")), ("activity_date", N_("Date")),
        ("owner", N_("Owner")), ("status", N_("Status")),
        ("due_date", NP_("dossier sheet", "Due date")), ("contact", N_("Target person")),
        ("text", N_("What")),
    ],
    N_("People"): [("region", N_("Region")), ("manager", N_("Manager"))],
}
# Headers whose English word means something else elsewhere ("Role" of a user, "Due date" of
# a delivery): translated in their own context.
IN_CONTEXT = frozenset({"Role", "Due date"})
CHOICES: dict[tuple[str, str], dict[str, str]] = {
    ("Contacts", "role"): ROLES, ("Contacts", "attitude"): ATTITUDES,
    ("Tenders", "result"): RESULTS, ("Activities", "kind"): KINDS,
    ("Activities", "status"): STATUSES, ("Clients", "need"): ANSWERS,
    ("Clients", "solvency"): ANSWERS, ("Clients", "authority"): ANSWERS,
}
INSTRUCTIONS_SHEET = N_("Instructions")
INSTRUCTIONS = (
    N_("KAM Analytics: master data for the client dossiers"),
    N_("Fill the sheets you have; leave the others empty. One row per record."),
    N_("Clients: one row per client (Client ID as in the sales data, or the client's name)."),
    N_("Contacts: the people in the client's decision; 'Reports to' is another contact's name."),
    N_("Role: decision maker, influencer, user, gatekeeper, champion or blocker."),
    N_("Attitude: supporter, neutral or opponent. Influence: 1 (little) to 5 (decides alone)."),
    N_("Tenders: result won, lost, pending or declined; the reason and the winner if lost."),
    N_("Competitors: share of the client's spend as a percentage (30%) or a fraction (0.3)."),
    N_("Activities: note, meeting, ABM action or win-back action, with owner, status and dates."),
    N_("People: Region and Manager; clients of a region get its manager when they have none."),
    N_("Need, Solvency, Authority (the three P's): yes, no or unknown."),
    N_("Blank cells never erase what is already stored; importing twice changes nothing."),
)
PURCHASES_SHEET = N_("Purchases by month")
PURCHASE_HEADERS = {
    "month": N_("Month"), "revenue": N_("Revenue"), "orders": N_("Orders"),
    "lines": N_("Lines"), "returns": N_("Returns"),
}
# fmt: on


def header_text(header: str) -> str:
    """A sheet's header in the current language."""
    return pgettext(SHEET_CONTEXT, header) if header in IN_CONTEXT else _(header)


def template_workbook() -> bytes:
    """An empty master-data workbook with headers, instructions and drop-down lists, in the
    current language (right to left in Hebrew)."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#eef3f8", "border": 1})
    rtl = is_rtl(get_language())  # the sheets read right to left in Hebrew
    info = wb.add_worksheet(_(INSTRUCTIONS_SHEET))
    if rtl:
        info.right_to_left()
    for r, text in enumerate(INSTRUCTIONS):
        info.write_string(r, 0, _(text), bold if r == 0 else None)
    info.set_column(0, 0, 100)
    for sheet, columns in SHEETS.items():
        ws = wb.add_worksheet(_(sheet))
        if rtl:
            ws.right_to_left()
        for c, (fld, header) in enumerate(columns):
            ws.write_string(0, c, header_text(header), bold)
            ws.set_column(c, c, 28 if fld in ("description", "text", "notes") else 16)
            vocab = CHOICES.get((sheet, fld))
            if vocab:
                words = [label_of(vocab, v) for v in vocab]
                ws.data_validation(1, c, 1000, c, {"validate": "list", "source": words})
        ws.freeze_panes(1, 0)
    wb.close()
    return buffer.getvalue()


def _labelled(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Choice values as the words a reader (and the importer) understands."""
    out = frame.copy()
    for (name, fld), vocab in CHOICES.items():
        if name == sheet and fld in out:
            out[fld] = out[fld].map(
                lambda v, vocab=vocab: label_of(vocab, v) if isinstance(v, str) else v
            )
    return out


def _sheet(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """The sheet's fields in order, choices as words; headers stay field names until written."""
    columns = SHEETS[sheet]
    out = _labelled(frame, sheet)
    for fld, _h in columns:
        if fld not in out:
            out[fld] = None
    return out[[f for f, _h in columns]]


def _written(sheets: dict[str, pd.DataFrame]) -> bytes:
    """The sheets as a workbook, their names and headers in the current language."""
    out = {}
    for name, frame in sheets.items():
        headers = {f: header_text(h) for f, h in SHEETS.get(name, [])}
        if name == PURCHASES_SHEET:
            headers = {f: _(h) for f, h in PURCHASE_HEADERS.items()}
        out[_(name)] = frame.rename(columns=headers)
    return to_excel_bytes(out)


def dossier_sheets(conn: duckdb.DuckDBPyConnection, client_id: str | None) -> dict:
    """The master-data sheets for one client (or every client), columns named by field."""
    cols = ", ".join(f for f, _h in SHEETS["Clients"])
    where, args = ("WHERE client_id = ?", [client_id]) if client_id else ("", [])
    clients = query_df(conn, f"SELECT {cols} FROM clients {where} ORDER BY client_id", args)
    contacts = list_records(conn, "contact", client_id)
    names = dict(zip(contacts["contact_id"], contacts["name"], strict=True))
    contacts["reports_to"] = contacts["reports_to"].map(names)
    activities = list_records(conn, "activity", client_id)
    activities["contact"] = activities["contact_id"].map(names)
    return {
        "Clients": _sheet(clients, "Clients"),
        "Contacts": _sheet(contacts, "Contacts"),
        "Tenders": _sheet(list_records(conn, "tender", client_id), "Tenders"),
        "Competitors": _sheet(list_records(conn, "competitor", client_id), "Competitors"),
        "Activities": _sheet(activities, "Activities"),
    }


def dossier_workbook(conn: duckdb.DuckDBPyConnection, client_id: str) -> bytes:
    """One client's dossier as a workbook, with its purchases per month."""
    sheets = dossier_sheets(conn, client_id)
    sheets[PURCHASES_SHEET] = monthly_purchases(client_sales(conn, client_id))
    return _written(sheets)


def all_dossiers_workbook(conn: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> bytes:
    """Every dossier the scope may read in one workbook, in the template's layout (it imports
    back unchanged); the export is recorded in the audit log in team mode."""
    sheets = dossier_sheets(conn, None)
    if scope is not None:
        ids = sorted({i for f in sheets.values() if "client_id" in f for i in f["client_id"]})
        kept = scoped_export(conn, scope, pd.DataFrame({"client_id": ids}), "dossiers")
        allowed = set(kept["client_id"])
        sheets = {
            name: frame[frame["client_id"].isin(allowed)].reset_index(drop=True)
            if "client_id" in frame
            else frame
            for name, frame in sheets.items()
        }
    return _written(sheets)
