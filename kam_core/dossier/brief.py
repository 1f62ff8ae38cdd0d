"""The negotiation brief: one self-contained HTML page that prints well."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from kam_core.analytics.params import AnalysisParams
from kam_core.dossier.advice import talking_points
from kam_core.dossier.completeness import Completeness, completeness
from kam_core.dossier.history import monthly_purchases, products
from kam_core.dossier.model import (
    ANSWERS,
    ATTITUDES,
    KINDS,
    OPEN_STATUSES,
    PROFILE,
    RESULTS,
    ROLES,
    STATUSES,
    TYPES,
    label_of,
)
from kam_core.dossier.orgchart import decision_map_svg
from kam_core.dossier.qualification import VERDICTS, qualification
from kam_core.dossier.records import Dossier, load
from kam_core.dossier.summary import ClientSummary, client_summary
from kam_core.dossier.warnings import decision_map_warnings, relationship_risks
from kam_core.i18n import fmt_money
from kam_core.services.settings import currency_symbol, money_decimals
from kam_core.store.reads import client_sales
from kam_core.vocabulary import status_label

# Printed by Chromium on A4, a typical key client fits one page: compact type, essentials
# (figures, risks, questions, offers) first and side by side, the decision map and contact
# list last, so a long contact list flows to page 2 while page 1 keeps the essentials.
CSS = """
@page { size: A4; margin: 8mm 10mm; }
* { box-sizing: border-box; }
body { font: 8pt/1.25 Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif; color: #222;
       max-width: 188mm; margin: 0 auto; padding: 4mm 0; }
h1 { font-size: 14pt; margin: 0 0 1mm; }
h2 { font-size: 9.5pt; margin: 2mm 0 0.8mm; border-bottom: 1px solid #1f4e79; color: #1f4e79;
     break-after: avoid; page-break-after: avoid; }
.meta { color: #666; font-size: 8pt; margin: 0 0 2mm; }
table { border-collapse: collapse; width: 100%; font-size: 7.5pt; margin: 0.5mm 0; }
th, td { border: 1px solid #ccc; padding: 0.3mm 1mm; text-align: left; vertical-align: top; }
th { background: #eef3f8; } tr { break-inside: avoid; page-break-inside: avoid; }
td.n { text-align: right; white-space: nowrap; }
.kpi td { width: 25%; } .kpi b { display: block; font-size: 9.5pt; }
.cols { display: grid; grid-template-columns: 1fr 1fr; column-gap: 5mm; }
.cols.three { grid-template-columns: 1fr 1fr 1fr; }
.cols > section { min-width: 0; }
.essentials { break-inside: avoid; page-break-inside: avoid; }
ul { margin: 0.5mm 0 0.5mm 4mm; padding: 0; } li { margin: 0.3mm 0; }
.risk li { color: #9c1c1c; } .empty { color: #888; font-style: italic; margin: 0.5mm 0; }
p.sub { font-weight: bold; margin: 1.5mm 0 0.5mm; }
p.fact { margin: 0 0 0.8mm; }
.people .cols { grid-template-columns: 1fr 2fr; }
.people td:nth-child(4) { font-size: 7pt; white-space: nowrap; }
.map svg { display: block; max-width: 100%; max-height: 40mm; width: auto; height: auto; }
.people.own-page { break-before: page; page-break-before: always; }
.sign { margin: 3mm 0 0; padding-top: 0.5mm; border-top: 1px solid #888; width: 70mm; }
@media print { body { padding: 0; } }
"""
# More contacts than this start the decision map on a page of its own.
MANY_CONTACTS = 8


def e(value: object) -> str:
    """Escape any value for HTML; blanks become an empty string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def money(value: object, symbol: str = "", decimals: int = 0) -> str:
    """An amount with the currency symbol and thousands separators, or a dash."""
    if value is None or pd.isna(value):
        return "-"
    return fmt_money(float(value), symbol, decimals) if symbol else f"{float(value):,.{decimals}f}"


def day(value: object) -> str:
    """A date as dd.mm.yyyy, or a blank."""
    if value is None or pd.isna(value):
        return ""
    return f"{pd.Timestamp(value):%d.%m.%Y}"


def table(rows: list[list[str]], header: list[str], numeric: tuple[int, ...] = ()) -> str:
    """An HTML table of already escaped cells, or a note that there is nothing."""
    if not rows:
        return '<p class="empty">Nothing recorded.</p>'
    head = "<tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>" if any(header) else ""
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table>{head}{body}</table>"


def bullets(items: list[str], css: str = "") -> str:
    """A list of escaped items, or a note that there is nothing."""
    if not items:
        return '<p class="empty">None.</p>'
    return f'<ul class="{css}">' + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>"


@dataclass
class BriefData:
    """Everything the brief shows, gathered once."""

    summary: ClientSummary
    dossier: Dossier
    sales: pd.DataFrame
    done: Completeness
    prepared_by: str
    today: date
    currency: str = "₪"
    decimals: int = 0

    def amount(self, value: object) -> str:
        """An amount with the currency symbol, escaped for HTML."""
        return e(money(value, self.currency, self.decimals))


def _figures(d: BriefData) -> str:
    s = d.summary
    change = "" if s.change_pct is None else f" ({s.change_pct:+.0%} on the previous window)"
    # Oldest to newest, in reading order.
    cells = " &rarr; ".join(e(c) for c in s.cell_history.get("cell", []))
    manager = d.dossier.profile.get("manager") or s.data_manager
    on_time = "-" if s.on_time is None else f"{s.on_time:.0%} of {s.on_time_lines} lines"
    items = [
        ("Revenue in the window", f"{d.amount(s.revenue)}{change}"),
        ("ABC-XYZ", f"{e(s.cell or '-')} <span class='meta'>history: {cells}</span>"),
        ("Types", e(", ".join(TYPES.get(t, t) for t in s.types) or "Ordinary")),
        ("Status", e(status_label(s.churn_status) if s.churn_status else "-")),
        ("Last purchase", e(day(s.last_purchase) or "-")),
        ("Manager", e(manager or "-")),
        ("On-time delivery", e(on_time)),
        ("Dossier complete", f"{d.done.score:.0%}"),
    ]
    cells_html = [f"<td>{label}<b>{value}</b></td>" for label, value in items]
    rows = "".join("<tr>" + "".join(cells_html[i : i + 4]) + "</tr>" for i in (0, 4))
    return f'<table class="kpi">{rows}</table>'


def _profile(d: BriefData) -> str:
    # Short facts share one line; long texts are paragraphs without table borders (they
    # take half the height of a two-column table on paper).
    facts, texts = [], []
    for f in PROFILE:
        value = d.dossier.profile.get(f.name)
        if f.kind == "flag" or f.name in ("client_name", "type_override") or value in (None, ""):
            continue
        (texts if f.kind == "long" else facts).append(f"<b>{e(f.label)}</b> {e(value)}")
    q = qualification(d.dossier.profile)
    p = d.dossier.profile
    note = f" {e(p.get('qualification_note'))}" if p.get("qualification_note") else ""
    texts.append(
        "<b>Three P's</b> "
        + e(
            f"need {label_of(ANSWERS, q.need)}, solvency {label_of(ANSWERS, q.solvency)}, "
            f"authority {label_of(ANSWERS, q.authority)}. {VERDICTS[q.verdict]}"
        )
        + note
    )
    lines = [" &middot; ".join(facts)] if facts else []
    return "".join(f'<p class="fact">{line}</p>' for line in lines + texts)


def _history(d: BriefData) -> str:
    months = monthly_purchases(d.sales)
    parts = []
    if len(months):
        years = months.assign(year=pd.to_datetime(months["month"]).dt.year)
        per_year = years.groupby("year").agg(revenue=("revenue", "sum"), orders=("orders", "sum"))
        rows = [[e(y), d.amount(r.revenue), e(int(r.orders))] for y, r in per_year.iterrows()]
        parts.append(table(rows, ["Year", "Revenue", "Orders"], (1, 2)))
    top = products(d.sales).head(5)
    rows = [
        [e(r.product), e(r.category), d.amount(r.revenue), e(day(r.last))] for r in top.itertuples()
    ]
    parts.append(
        '<p class="sub">Main products</p>'
        + table(rows, ["Product", "Category", "Revenue", "Last"], (2,))
    )
    return "".join(parts)


def _tenders(d: BriefData) -> str:
    t = d.dossier.tenders.sort_values("tender_date", ascending=False, na_position="last")
    rows = []
    for r in t.itertuples():
        result = e(label_of(RESULTS, r.result))
        winner = f"winner {e(r.winner)}" if e(r.winner) else ""
        why = "; ".join(x for x in (e(r.reason), winner) if x)
        rows.append(
            [e(day(r.tender_date)), e(r.subject), d.amount(r.amount), f"{result} {why}".strip()]
        )
    header = ["Date", "Subject", "Amount", "Result"]
    return '<p class="sub">Tenders</p>' + table(rows, header, (2,))


def _people(d: BriefData) -> str:
    c = d.dossier.contacts
    # Who reports to whom is drawn on the map beside the table; it is in the table only
    # when there is no map to read it from.
    rows = [
        [
            f"<b>{e(r.name)}</b>" + (f", {e(r.title)}" if e(r.title) else ""),
            f"{e(label_of(ROLES, r.role))}, {e(label_of(ATTITUDES, r.attitude)).lower()}",
            e(r.influence),
            "<br>".join(e(x) for x in (r.email, r.phone) if isinstance(x, str)),
        ]
        for r in c.itertuples()
    ]
    header = ["Name", "Role, attitude", "Influence", "Contact"]
    contacts = table(rows, header, (2,))
    if c.empty:
        return contacts
    return (
        f'<div class="cols"><div class="map">{decision_map_svg(c)}</div><div>{contacts}</div></div>'
    )


def _open_items(d: BriefData) -> str:
    t = d.dossier.tenders
    pending = t[t["result"] == "pending"]
    rows = [[e(day(r.tender_date)), e(r.subject), d.amount(r.amount)] for r in pending.itertuples()]
    a = d.dossier.activities
    a = a[a["status"].isin(OPEN_STATUSES)].sort_values("due_date", na_position="last")
    names = dict(zip(d.dossier.contacts["contact_id"], d.dossier.contacts["name"], strict=True))
    acts = [
        [
            f"{e(label_of(KINDS, r.kind))}: {e(r.text)}",
            e(names.get(r.contact_id, "")),
            e(r.owner),
            f"{e(day(r.due_date))} {e(label_of(STATUSES, r.status)).lower()}".strip(),
        ]
        for r in a.itertuples()
    ]
    return (
        '<p class="sub">Open tenders</p>'
        + table(rows, ["Date", "Subject", "Amount"], (2,))
        + '<p class="sub">Open actions</p>'
        + table(acts, ["What", "For", "Owner", "Due, status"])
    )


def render_brief(d: BriefData) -> str:
    """The brief as one HTML document; every user value is escaped."""
    name = d.summary.client_name or d.dossier.profile.get("client_name") or d.dossier.client_id
    q = qualification(d.dossier.profile)
    risks = relationship_risks(
        d.summary, d.sales, d.dossier.tenders, d.dossier.competitors, q
    ) + decision_map_warnings(d.dossier.contacts)
    questions, offers = talking_points(d.summary, q)
    comp = d.dossier.competitors
    comp_rows = [
        [e(r.name), "" if pd.isna(r.share) else f"{r.share:.0%}", e(r.strengths), e(r.weaknesses)]
        for r in comp.itertuples()
    ]
    notes = d.dossier.activities[d.dossier.activities["kind"].isin(["note", "meeting"])]
    notes = notes.sort_values("activity_date", ascending=False, na_position="last").head(8)
    note_rows = [
        [e(day(r.activity_date)), e(label_of(KINDS, r.kind)), e(r.text)] for r in notes.itertuples()
    ]
    window = f"{day(d.summary.window_start)} - {day(d.summary.as_of)}"
    people = "people own-page" if len(d.dossier.contacts) > MANY_CONTACTS else "people"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Negotiation brief: {e(name)}</title><style>{CSS}</style></head>
<body>
<div class="essentials">
<h1>Negotiation brief: {e(name)}</h1>
<p class="meta">Client {e(d.dossier.client_id)} &middot; analysis window {e(window)} &middot;
prepared by {e(d.prepared_by)} on {e(day(d.today))}</p>
{_figures(d)}
<div class="cols three">
<section><h2>Risks</h2>{bullets(risks, "risk")}</section>
<section><h2>Questions to ask</h2>{bullets(questions)}</section>
<section><h2>Offers to make</h2>{bullets(offers)}</section>
</div>
</div>
<div class="cols">
<section><h2>Profile</h2>{_profile(d)}</section>
<section><h2>History in brief</h2>{_history(d)}</section>
</div>
<div class="cols">
<section>{_tenders(d)}
<h2>Competitors</h2>{table(comp_rows, ["Competitor", "Share", "Strengths", "Weaknesses"])}
</section>
<section><h2>Open tenders and actions</h2>{_open_items(d)}
<h2>Recent notes</h2>{table(note_rows, ["Date", "Kind", "Note"])}</section>
</div>
<section class="{people}"><h2>Decision map</h2>{_people(d)}</section>
<p class="sign">{e(d.prepared_by)} <span class="meta">&middot; {e(day(d.today))}</span></p>
</body></html>
"""


def negotiation_brief(
    conn: duckdb.DuckDBPyConnection,
    params: AnalysisParams,
    client_id: str,
    prepared_by: str,
    today: date | None = None,
) -> str:
    """Gather one client's dossier and figures and render the brief."""
    data = BriefData(
        summary=client_summary(conn, params, client_id),
        dossier=load(conn, client_id),
        sales=client_sales(conn, client_id),
        done=completeness(conn, client_id),
        prepared_by=prepared_by,
        today=today or date.today(),
        currency=currency_symbol(conn),
        decimals=money_decimals(conn),
    )
    return render_brief(data)
