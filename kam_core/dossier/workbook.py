"""Dossiers as workbooks: the master-data template, one dossier, all dossiers."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import xlsxwriter

from kam_core.dossier.history import monthly_purchases
from kam_core.dossier.model import ANSWERS, ATTITUDES, KINDS, RESULTS, ROLES, STATUSES
from kam_core.export import to_excel_bytes
from kam_core.i18n import get_language, is_rtl
from kam_core.services.scope import Scope, scoped_export
from kam_core.store.db import query_df
from kam_core.store.dossier import list_records
from kam_core.store.reads import client_sales

# Sheet -> (field, header): headers the importer recognises, so an export imports back.
# fmt: off
SHEETS: dict[str, list[tuple[str, str]]] = {
    "Clients": [
        ("client_id", "Client ID"), ("client_name", "Client name"), ("industry", "Industry"),
        ("employees", "Employees"), ("website", "Website"), ("manager", "Account manager"),
        ("description", "Description"), ("history", "History"), ("team", "Team"),
        ("org_structure", "Organisational structure"), ("environment", "Environment"),
        ("is_image_maker", "Image maker"), ("is_expert", "Expert"), ("type_override", "Types"),
        ("need", "Need"), ("solvency", "Solvency"), ("authority", "Authority"),
        ("qualification_note", "Qualification note"), ("qualification_source", "Source"),
        ("qualification_date", "Qualification date"),
    ],
    "Contacts": [
        ("client_id", "Client ID"), ("name", "Name"), ("title", "Job title"), ("role", "Role"),
        ("attitude", "Attitude"), ("influence", "Influence"), ("reports_to", "Reports to"),
        ("email", "Email"), ("phone", "Phone"), ("notes", "Notes"),
    ],
    "Tenders": [
        ("client_id", "Client ID"), ("tender_date", "Date"), ("subject", "Subject"),
        ("amount", "Amount"), ("result", "Result"), ("reason", "Reason"), ("winner", "Winner"),
    ],
    "Competitors": [
        ("client_id", "Client ID"), ("name", "Competitor"), ("share", "Share of spend"),
        ("strengths", "Strengths"), ("weaknesses", "Weaknesses"),
    ],
    "Activities": [
        ("client_id", "Client ID"), ("kind", "Kind"), ("activity_date", "Date"),
        ("owner", "Owner"), ("status", "Status"), ("due_date", "Due date"),
        ("contact", "Target person"), ("text", "What"),
    ],
    "People": [("region", "Region"), ("manager", "Manager")],
}
CHOICES: dict[tuple[str, str], dict[str, str]] = {
    ("Contacts", "role"): ROLES, ("Contacts", "attitude"): ATTITUDES,
    ("Tenders", "result"): RESULTS, ("Activities", "kind"): KINDS,
    ("Activities", "status"): STATUSES, ("Clients", "need"): ANSWERS,
    ("Clients", "solvency"): ANSWERS, ("Clients", "authority"): ANSWERS,
}
INSTRUCTIONS = (
    "KAM Analytics: master data for the client dossiers",
    "Fill the sheets you have; leave the others empty. One row per record.",
    "Clients: one row per client (Client ID as in the sales data, or the client's name).",
    "Contacts: the people in the client's decision; 'Reports to' is another contact's name.",
    "Role: decision maker, influencer, user, gatekeeper, champion or blocker.",
    "Attitude: supporter, neutral or opponent. Influence: 1 (little) to 5 (decides alone).",
    "Tenders: result won, lost, pending or declined; the reason and the winner if lost.",
    "Competitors: share of the client's spend as a percentage (30%) or a fraction (0.3).",
    "Activities: note, meeting, ABM action or win-back action, with owner, status and dates.",
    "People: Region and Manager; clients of a region get its manager when they have none.",
    "Need, Solvency, Authority (the three P's): yes, no or unknown.",
    "Blank cells never erase what is already stored; importing twice changes nothing.",
)
# fmt: on


def template_workbook() -> bytes:
    """An empty master-data workbook with headers, instructions and drop-down lists."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#eef3f8", "border": 1})
    rtl = is_rtl(get_language())  # the sheets read right to left in Hebrew
    info = wb.add_worksheet("Instructions")
    if rtl:
        info.right_to_left()
    for r, text in enumerate(INSTRUCTIONS):
        info.write_string(r, 0, text, bold if r == 0 else None)
    info.set_column(0, 0, 100)
    for sheet, columns in SHEETS.items():
        ws = wb.add_worksheet(sheet)
        if rtl:
            ws.right_to_left()
        for c, (fld, header) in enumerate(columns):
            ws.write_string(0, c, header, bold)
            ws.set_column(c, c, 28 if fld in ("description", "text", "notes") else 16)
            vocab = CHOICES.get((sheet, fld))
            if vocab:
                ws.data_validation(
                    1, c, 1000, c, {"validate": "list", "source": list(vocab.values())}
                )
        ws.freeze_panes(1, 0)
    wb.close()
    return buffer.getvalue()


def _labelled(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Choice values as the words a reader (and the importer) understands."""
    out = frame.copy()
    for (name, fld), vocab in CHOICES.items():
        if name == sheet and fld in out:
            out[fld] = out[fld].map(
                lambda v, vocab=vocab: vocab.get(v, v) if isinstance(v, str) else v
            )
    return out


def _sheet(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    columns = SHEETS[sheet]
    out = _labelled(frame, sheet)
    for fld, _ in columns:
        if fld not in out:
            out[fld] = None
    out = out[[f for f, _ in columns]]
    out.columns = [h for _, h in columns]
    return out


def dossier_sheets(conn: duckdb.DuckDBPyConnection, client_id: str | None) -> dict:
    """The master-data sheets for one client (or every client) as DataFrames."""
    cols = ", ".join(f for f, _ in SHEETS["Clients"])
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
    months = monthly_purchases(client_sales(conn, client_id))
    sheets["Purchases by month"] = months.rename(columns=str.capitalize)
    return to_excel_bytes(sheets)


def all_dossiers_workbook(conn: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> bytes:
    """Every dossier the scope may read in one workbook, in the template's layout (it imports
    back unchanged); the export is recorded in the audit log in team mode."""
    sheets = dossier_sheets(conn, None)
    if scope is not None:
        ids = sorted({i for f in sheets.values() if "Client ID" in f for i in f["Client ID"]})
        kept = scoped_export(conn, scope, pd.DataFrame({"client_id": ids}), "dossiers")
        allowed = set(kept["client_id"])
        sheets = {
            name: frame[frame["Client ID"].isin(allowed)].reset_index(drop=True)
            if "Client ID" in frame
            else frame
            for name, frame in sheets.items()
        }
    return to_excel_bytes(sheets)
