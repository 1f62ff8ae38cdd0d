"""What a manager should worry about: gaps in the decision map and risks to the relationship."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kam_core.dossier.model import OPEN_STATUSES
from kam_core.dossier.qualification import DISQUALIFIED, Qualification
from kam_core.dossier.summary import ClientSummary

HIGH_INFLUENCE = 4
FALLING = -0.20  # revenue change against the previous window that counts as a fall
ON_TIME_TARGET = 0.90
STRONG_COMPETITOR = 0.30  # share of the client's spend
RETURNS_HIGH = 0.05  # returned value as a share of purchases


def decision_map_warnings(contacts: pd.DataFrame) -> list[str]:
    """No one mapped, no decision maker, an opposing decision maker, a strong blocker."""
    if contacts.empty:
        return ["No one is mapped yet: add the people who take part in the decision."]
    out = []
    deciders = contacts[contacts["role"] == "decision_maker"]
    if deciders.empty:
        out.append("No decision maker is mapped: find out who signs.")
    for row in deciders[deciders["attitude"] == "opponent"].itertuples():
        out.append(f"The decision maker {row.name} is an opponent: plan how to win them over.")
    strong = contacts[(contacts["role"] == "blocker") & (contacts["influence"] >= HIGH_INFLUENCE)]
    for row in strong.itertuples():
        out.append(f"{row.name} is a blocker with high influence ({row.influence} of 5).")
    friends = contacts["attitude"].eq("supporter") | contacts["role"].eq("champion")
    if not friends.any():
        out.append("No supporter or champion: nobody inside the client argues for us.")
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
        out.append(f"Lost: no purchase for {summary.days_since_last} days.")
    elif summary.churn_status == "at_risk":
        out.append(
            f"At risk: no purchase for {summary.days_since_last} days, longer than usual for "
            "this client."
        )
    if summary.change_pct is not None and summary.change_pct <= FALLING:
        out.append(f"Revenue down {-summary.change_pct:.0%} on the previous window.")
    if summary.on_time is not None and summary.on_time < ON_TIME_TARGET:
        out.append(
            f"Only {summary.on_time:.0%} of {summary.on_time_lines} lines in the window were "
            "shipped by the promised date."
        )
    bought = sales["revenue"].clip(lower=0).sum() if len(sales) else 0.0
    back = -sales["revenue"].clip(upper=0).sum() if len(sales) else 0.0
    if bought > 0 and back / bought >= RETURNS_HIGH:
        out.append(f"Returns are {back / bought:.1%} of purchases.")
    lost = tenders[tenders["result"] == "lost"] if not tenders.empty else tenders
    if len(lost):
        winners = sorted({str(w) for w in lost["winner"].dropna()})
        who = f" (won by {', '.join(winners)})" if winners else ""
        out.append(f"{len(lost)} tender(s) lost{who}.")
    if not competitors.empty:
        strong = competitors[competitors["share"].fillna(0) >= STRONG_COMPETITOR]
        for row in strong.itertuples():
            out.append(f"{row.name} holds about {row.share:.0%} of the client's spend.")
    if quali.verdict == DISQUALIFIED:
        no = [p for p, a in quali.answers.items() if a == "no"]
        out.append(f"Qualification: no on {', '.join(no)}.")
    return out
