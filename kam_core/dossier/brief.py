"""The negotiation brief: one self-contained HTML page that prints well."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from kam_core.analytics.params import AnalysisParams
from kam_core.dossier.advice import talking_points
from kam_core.dossier.brief_css import CSS
from kam_core.dossier.brief_html import bullets, day, e, money, table
from kam_core.dossier.brief_sections import (
    BriefData,
    figures,
    history,
    open_items,
    people,
    profile,
    tenders,
)
from kam_core.dossier.completeness import completeness
from kam_core.dossier.model import KINDS, label_of
from kam_core.dossier.qualification import qualification
from kam_core.dossier.records import load
from kam_core.dossier.summary import client_summary
from kam_core.dossier.warnings import decision_map_warnings, relationship_risks
from kam_core.i18n import _, fmt_percent, get_language, is_rtl
from kam_core.i18n import terms as t
from kam_core.services.settings import currency_symbol, money_decimals
from kam_core.store.reads import client_sales

__all__ = ["BriefData", "e", "money", "negotiation_brief", "render_brief"]

# More contacts than this start the decision map on a page of its own.
MANY_CONTACTS = 8


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
    people_css = "people own-page" if len(d.dossier.contacts) > MANY_CONTACTS else "people"
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
{figures(d)}
<div class="cols three">
<section><h2>{h["risks"]}</h2>{bullets(risks, "risk")}</section>
<section><h2>{h["questions"]}</h2>{bullets(questions)}</section>
<section><h2>{h["offers"]}</h2>{bullets(offers)}</section>
</div>
</div>
<div class="cols">
<section><h2>{h["profile"]}</h2>{profile(d)}</section>
<section><h2>{h["history"]}</h2>{history(d)}</section>
</div>
<div class="cols">
<section>{tenders(d)}
<h2>{h["competitors"]}</h2>{competitors}
</section>
<section><h2>{h["open"]}</h2>{open_items(d)}
<h2>{h["notes"]}</h2>{notes_table}</section>
</div>
<section class="{people_css}"><h2>{h["map"]}</h2>{people(d)}</section>
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
