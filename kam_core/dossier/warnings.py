"""What a manager should worry about: gaps in the decision map and risks to the relationship."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kam_core.dossier.model import OPEN_STATUSES
from kam_core.dossier.qualification import DISQUALIFIED, P_NAMES, Qualification
from kam_core.dossier.summary import ClientSummary
from kam_core.i18n import _, fmt_percent, isolate, ngettext

HIGH_INFLUENCE = 4
FALLING = -0.20  # revenue change against the previous window that counts as a fall
ON_TIME_TARGET = 0.90
STRONG_COMPETITOR = 0.30  # share of the client's spend
RETURNS_HIGH = 0.05  # returned value as a share of purchases


def decision_map_warnings(contacts: pd.DataFrame) -> list[str]:
    """No one mapped, no decision maker, an opposing decision maker, a strong blocker."""
    if contacts.empty:
        return [_("No one is mapped yet: add the people who take part in the decision.")]
    out = []
    deciders = contacts[contacts["role"] == "decision_maker"]
    if deciders.empty:
        out.append(_("No decision maker is mapped: find out who signs."))
    for row in deciders[deciders["attitude"] == "opponent"].itertuples():
        out.append(
            _("The decision maker {name} is an opponent: plan how to win them over.").format(
                name=isolate(row.name)
            )
        )
    strong = contacts[(contacts["role"] == "blocker") & (contacts["influence"] >= HIGH_INFLUENCE)]
    for row in strong.itertuples():
        out.append(
            _("{name} is a blocker with high influence ({influence} of 5).").format(
                name=isolate(row.name), influence=row.influence
            )
        )
    friends = contacts["attitude"].eq("supporter") | contacts["role"].eq("champion")
    if not friends.any():
        out.append(_("No supporter or champion: nobody inside the client argues for us."))
    return out


def overdue(activities: pd.DataFrame, today: date) -> pd.DataFrame:
    """Open activities whose due date has passed."""
    if activities.empty:
        return activities
    due = pd.to_datetime(activities["due_date"])
    late = activities["status"].isin(OPEN_STATUSES) & due.notna() & (due < pd.Timestamp(today))
    return activities[late]


def relationship_risks(
    summary: ClientSummary,
    sales: pd.DataFrame,
    tenders: pd.DataFrame,
    competitors: pd.DataFrame,
    quali: Qualification,
) -> list[str]:
    """Risks from the sales data and the dossier, most serious first."""
    out = []
    if summary.churn_status == "lost":
        days = summary.days_since_last or 0
        out.append(
            ngettext(
                "Lost: no purchase for {n} day.", "Lost: no purchase for {n} days.", days
            ).format(n=days)
        )
    elif summary.churn_status == "at_risk":
        days = summary.days_since_last or 0
        out.append(
            ngettext(
                "At risk: no purchase for {n} day, longer than usual for this client.",
                "At risk: no purchase for {n} days, longer than usual for this client.",
                days,
            ).format(n=days)
        )
    if summary.change_pct is not None and summary.change_pct <= FALLING:
        out.append(
            _("Revenue down {share} on the previous window.").format(
                share=fmt_percent(-summary.change_pct, 0)
            )
        )
    if summary.on_time is not None and summary.on_time < ON_TIME_TARGET:
        out.append(
            _("Only {share} of {n} lines in the window were shipped by the promised date.").format(
                share=fmt_percent(summary.on_time, 0), n=summary.on_time_lines
            )
        )
    bought = sales["revenue"].clip(lower=0).sum() if len(sales) else 0.0
    back = -sales["revenue"].clip(upper=0).sum() if len(sales) else 0.0
    if bought > 0 and back / bought >= RETURNS_HIGH:
        out.append(_("Returns are {share} of purchases.").format(share=fmt_percent(back / bought)))
    lost = tenders[tenders["result"] == "lost"] if not tenders.empty else tenders
    if len(lost):
        winners = sorted({str(w) for w in lost["winner"].dropna()})
        n = len(lost)
        if winners:
            text = ngettext(
                "{n} tender lost (won by {winners}).", "{n} tenders lost (won by {winners}).", n
            )
        else:
            text = ngettext("{n} tender lost.", "{n} tenders lost.", n)
        out.append(text.format(n=n, winners=", ".join(isolate(w) for w in winners)))
    if not competitors.empty:
        strong = competitors[competitors["share"].fillna(0) >= STRONG_COMPETITOR]
        for row in strong.itertuples():
            out.append(
                _("{name} holds about {share} of the client's spend.").format(
                    name=isolate(row.name), share=fmt_percent(row.share, 0)
                )
            )
    if quali.verdict == DISQUALIFIED:
        no = [_(P_NAMES[p]) for p, a in quali.answers.items() if a == "no"]
        out.append(_("Qualification: no on {ps}.").format(ps=", ".join(no)))
    return out
