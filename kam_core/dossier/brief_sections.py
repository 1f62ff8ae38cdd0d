"""The sections of the negotiation brief: key figures, profile, history, tenders, people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kam_core.dossier.brief_html import day, e, money, table
from kam_core.dossier.completeness import Completeness
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
from kam_core.dossier.orgchart import charted, decision_map_svg
from kam_core.dossier.qualification import P_NAMES, VERDICTS, qualification
from kam_core.dossier.records import Dossier
from kam_core.dossier.summary import ClientSummary
from kam_core.i18n import (
    _,
    fmt_number,
    fmt_percent,
    fmt_signed_percent,
    get_language,
    is_rtl,
    ngettext,
)
from kam_core.i18n import terms as t
from kam_core.vocabulary import status_label, type_labels


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


def figures(d: BriefData) -> str:
    """The key figures in two rows of four."""
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


def profile(d: BriefData) -> str:
    """Short facts on one line, long texts as paragraphs, the three P's."""
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


def history(d: BriefData) -> str:
    """Revenue and orders per year, and the main products."""
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


def tenders(d: BriefData) -> str:
    """Tenders held, newest first, with results and reasons."""
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


def people(d: BriefData) -> str:
    """The decision map beside the table of its people."""
    everyone = d.dossier.contacts
    # A printed page lists the people the map draws (the most weighty, MAX_CHARTED at most):
    # a brief listing 100,000 people was 48 MB.
    c = charted(everyone)
    # Who reports to whom is drawn on the map beside the table; it is in the table only
    # when there is no map to read it from.
    rows = [
        [
            f"<b>{e(r.name)}</b>" + (f", {e(r.title)}" if e(r.title) else ""),
            ", ".join(
                e(x) for x in (label_of(ROLES, r.role), label_of(ATTITUDES, r.attitude)) if x
            ),
            e(r.influence),
            "<br>".join(
                f'<span class="ltr">{e(x)}</span>' for x in (r.email, r.phone) if isinstance(x, str)
            ),
        ]
        for r in c.itertuples()
    ]
    header = [_("Name"), _("Role, attitude"), _("Influence"), _("Contact")]
    contacts = table(rows, header, (2,))
    if len(everyone) > len(c):
        more = _("and {count} more people: see the dossier's decision map tab.").format(
            count=fmt_number(len(everyone) - len(c))
        )
        contacts += f'<p class="sub">{e(more)}</p>'
    if c.empty:
        return contacts
    return (
        f'<div class="cols"><div class="map">{decision_map_svg(c)}</div><div>{contacts}</div></div>'
    )


def open_items(d: BriefData) -> str:
    """Open tenders and open actions."""
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
