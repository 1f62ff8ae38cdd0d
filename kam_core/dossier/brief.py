"""The negotiation brief: one self-contained HTML page that prints well."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from kam_core.analytics.params import AnalysisParams
from kam_core.dossier.advice import talking_points
from kam_core.dossier.brief_css import CSS
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
    label_of,
)
from kam_core.dossier.orgchart import decision_map_svg
from kam_core.dossier.qualification import P_NAMES, VERDICTS, qualification
from kam_core.dossier.records import Dossier, load
from kam_core.dossier.summary import ClientSummary, client_summary
from kam_core.dossier.warnings import decision_map_warnings, relationship_risks
from kam_core.i18n import (
    _,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_signed_percent,
    get_language,
    is_rtl,
    ngettext,
)
from kam_core.i18n import terms as t
from kam_core.services.settings import currency_symbol, money_decimals
from kam_core.store.reads import client_sales
from kam_core.vocabulary import status_label, type_labels

# More contacts than this start the decision map on a page of its own.
MANY_CONTACTS = 8


def e(value: object) -> str:
    """Escape any value for HTML; blanks become an empty string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def money(value: object, symbol: str = "", decimals: int = 0) -> str:
    """An amount with the currency symbol and the locale's separators, or a dash."""
    if value is None or pd.isna(value):
        return "—"
    return fmt_money(float(value), symbol, decimals) if symbol else fmt_number(value, decimals)


def day(value: object) -> str:
    """A date in the locale's short form, or a blank."""
    if value is None or pd.isna(value):
        return ""
    return fmt_date(pd.Timestamp(value))


def table(rows: list[list[str]], header: list[str], numeric: tuple[int, ...] = ()) -> str:
    """An HTML table of already escaped cells, or a note that there is nothing."""
    if not rows:
        return f'<p class="empty">{e(_("Nothing recorded."))}</p>'
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
        return f'<p class="empty">{e(_("None."))}</p>'
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
    change = (
        ""
        if s.change_pct is None
        else " "
        + _("({change} on the previous window)").format(change=fmt_signed_percent(s.change_pct))
    )
    # Oldest to newest, in reading order (the arrow points the way the page reads).
    arrow = " &larr; " if is_rtl(get_language()) else " &rarr; "
    history = s.cell_history.sort_values("as_of") if len(s.cell_history) else s.cell_history
    cells = arrow.join(e(c) for c in history.get("cell", []))
    manager = d.dossier.profile.get("manager") or s.data_manager
    on_time = (
        "—"
        if s.on_time is None
        else ngettext("{share} of {n} line", "{share} of {n} lines", s.on_time_lines).format(
            share=fmt_percent(s.on_time, 0), n=s.on_time_lines
        )
    )
    types = type_labels(",".join(s.types)) if s.types else type_labels(None)
    items = [
        (_("Revenue in the window"), f"{d.amount(s.revenue)}{e(change)}"),
        (
            "ABC-XYZ",
            f"<span class='ltr'>{e(s.cell or '—')}</span> "
            f"<span class='meta'>{e(_('history:'))} <span class='ltr'>{cells}</span></span>",
        ),
        (_("Types"), e(types)),
        (_("Status"), e(status_label(s.churn_status) if s.churn_status else "—")),
        (_("Last purchase"), e(day(s.last_purchase) or "—")),
        (_("Manager"), e(manager or "—")),
        (_("On-time delivery"), e(on_time)),
        (_("Dossier complete"), e(fmt_percent(d.done.score, 0))),
    ]
    cells_html = [f"<td>{e(label)}<b>{value}</b></td>" for label, value in items]
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
        (texts if f.kind == "long" else facts).append(f"<b>{e(_(f.label))}</b> {e(value)}")
    q = qualification(d.dossier.profile)
    p = d.dossier.profile
    note = f" {e(p.get('qualification_note'))}" if p.get("qualification_note") else ""
    answers = ", ".join(
        f"{t.term(name)}: {label_of(ANSWERS, q.answers[p])}" for p, name in P_NAMES.items()
    )
    texts.append(
        f"<b>{e(t.term(t.THREE_PS))}</b> " + e(f"{answers}. {_(VERDICTS[q.verdict])}") + note
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
        parts.append(table(rows, [_("Year"), _("Revenue"), _("Orders")], (1, 2)))
    top = products(d.sales).head(5)
    rows = [
        [e(r.product), e(r.category), d.amount(r.revenue), e(day(r.last))] for r in top.itertuples()
    ]
    parts.append(
        f'<p class="sub">{e(_("Main products"))}</p>'
        + table(rows, [_("Product"), _("Category"), _("Revenue"), _("Last bought")], (2,))
    )
    return "".join(parts)


def _tenders(d: BriefData) -> str:
    held = d.dossier.tenders.sort_values("tender_date", ascending=False, na_position="last")
    rows = []
    for r in held.itertuples():
        result = e(label_of(RESULTS, r.result))
        winner = e(_("winner {name}").format(name=r.winner)) if e(r.winner) else ""
        why = "; ".join(x for x in (e(r.reason), winner) if x)
        rows.append(
            [e(day(r.tender_date)), e(r.subject), d.amount(r.amount), f"{result} {why}".strip()]
        )
    header = [_("Date"), _("Subject"), _("Amount"), _("Result")]
    return f'<p class="sub">{e(t.term(t.TENDER))}</p>' + table(rows, header, (2,))


def _people(d: BriefData) -> str:
    c = d.dossier.contacts
    # Who reports to whom is drawn on the map beside the table; it is in the table only
    # when there is no map to read it from.
    rows = [
        [
            f"<b>{e(r.name)}</b>" + (f", {e(r.title)}" if e(r.title) else ""),
            f"{e(label_of(ROLES, r.role))}, {e(label_of(ATTITUDES, r.attitude))}",
            e(r.influence),
            "<br>".join(
                f'<span class="ltr">{e(x)}</span>' for x in (r.email, r.phone) if isinstance(x, str)
            ),
        ]
        for r in c.itertuples()
    ]
    header = [_("Name"), _("Role, attitude"), _("Influence"), _("Contact")]
    contacts = table(rows, header, (2,))
    if c.empty:
        return contacts
    return (
        f'<div class="cols"><div class="map">{decision_map_svg(c)}</div><div>{contacts}</div></div>'
    )


def _open_items(d: BriefData) -> str:
    held = d.dossier.tenders
    pending = held[held["result"] == "pending"]
    rows = [[e(day(r.tender_date)), e(r.subject), d.amount(r.amount)] for r in pending.itertuples()]
    a = d.dossier.activities
    a = a[a["status"].isin(OPEN_STATUSES)].sort_values("due_date", na_position="last")
    names = dict(zip(d.dossier.contacts["contact_id"], d.dossier.contacts["name"], strict=True))
    acts = [
        [
            f"{e(label_of(KINDS, r.kind))}: {e(r.text)}",
            e(names.get(r.contact_id, "")),
            e(r.owner),
            f"{e(day(r.due_date))} {e(label_of(STATUSES, r.status))}".strip(),
        ]
        for r in a.itertuples()
    ]
    return (
        f'<p class="sub">{e(_("Open tenders"))}</p>'
        + table(rows, [_("Date"), _("Subject"), _("Amount")], (2,))
        + f'<p class="sub">{e(_("Open actions"))}</p>'
        + table(acts, [_("What"), _("For"), _("Owner"), _("Due, status")])
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
        [
            e(r.name),
            fmt_percent(r.share, 0) if not pd.isna(r.share) else "",
            e(r.strengths),
            e(r.weaknesses),
        ]
        for r in comp.itertuples()
    ]
    notes = d.dossier.activities[d.dossier.activities["kind"].isin(["note", "meeting"])]
    notes = notes.sort_values("activity_date", ascending=False, na_position="last").head(8)
    note_rows = [
        [e(day(r.activity_date)), e(label_of(KINDS, r.kind)), e(r.text)] for r in notes.itertuples()
    ]
    window = f"{day(d.summary.window_start)} – {day(d.summary.as_of)}"
    people = "people own-page" if len(d.dossier.contacts) > MANY_CONTACTS else "people"
    lang = get_language()
    direction = "rtl" if is_rtl(lang) else "ltr"
    title = e(_("Negotiation brief: {client}").format(client=name))
    meta = e(
        _("Client {client_id} · analysis window {window} · prepared by {who} on {date}").format(
            client_id=d.dossier.client_id, window=window, who=d.prepared_by, date=day(d.today)
        )
    )
    h = {k: e(v) for k, v in _headings().items()}
    competitors = table(comp_rows, [_("Competitor"), _("Share"), _("Strengths"), _("Weaknesses")])
    notes_table = table(note_rows, [_("Date"), _("Kind"), _("Note")])
    return f"""<!DOCTYPE html>
<html lang="{e(lang)}" dir="{direction}"><head><meta charset="utf-8">
<title>{title}</title><style>{CSS}</style></head>
<body>
<div class="essentials">
<h1>{title}</h1>
<p class="meta">{meta}</p>
{_figures(d)}
<div class="cols three">
<section><h2>{h["risks"]}</h2>{bullets(risks, "risk")}</section>
<section><h2>{h["questions"]}</h2>{bullets(questions)}</section>
<section><h2>{h["offers"]}</h2>{bullets(offers)}</section>
</div>
</div>
<div class="cols">
<section><h2>{h["profile"]}</h2>{_profile(d)}</section>
<section><h2>{h["history"]}</h2>{_history(d)}</section>
</div>
<div class="cols">
<section>{_tenders(d)}
<h2>{h["competitors"]}</h2>{competitors}
</section>
<section><h2>{h["open"]}</h2>{_open_items(d)}
<h2>{h["notes"]}</h2>{notes_table}</section>
</div>
<section class="{people}"><h2>{h["map"]}</h2>{_people(d)}</section>
<p class="sign">{e(d.prepared_by)} <span class="meta">&middot; {e(day(d.today))}</span></p>
</body></html>
"""


def _headings() -> dict[str, str]:
    """The section headings in the current language."""
    return {
        "risks": _("Risks"),
        "questions": _("Questions to ask"),
        "offers": _("Offers to make"),
        "profile": _("Profile"),
        "history": _("History in brief"),
        "competitors": _("Competitors"),
        "open": _("Open tenders and actions"),
        "notes": _("Recent notes"),
        "map": t.term(t.DECISION_MAP),
    }


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
