"""The dossier's tabs: each draws one part of the dossier from data it is given."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from kam_core import dossier
from kam_core.charts.dossier import purchases_figure
from kam_core.dossier import plan
from kam_core.dossier.figures import purchase_figures, tender_figures
from kam_core.dossier.history import deliveries, monthly_purchases, products, timeline
from kam_core.dossier.model import PROFILE, QUALIFICATION
from kam_core.dossier.orgchart import decision_map_figure
from kam_core.dossier.qualification import VERDICTS
from kam_core.dossier.reads import change_log
from kam_core.dossier.tables import readable
from kam_core.dossier.warnings import decision_map_warnings, overdue
from kam_core.vocabulary import DATE_FORMAT_TABLE as _DATE
from ui.tables import SALES_COLUMNS, downloads
from ui.text import esc, money
from views.dossier.forms import profile_form, records_editor

_WHEN = st.column_config.DatetimeColumn("Changed", format=f"{_DATE} HH:mm")
COLUMNS = {
    "name": "Name",
    "title": "Job title",
    "role": "Role",
    "attitude": "Attitude",
    "influence": st.column_config.NumberColumn("Influence", format="%d / 5"),
    "reports_to": "Reports to",
    "email": "Email",
    "phone": "Phone",
    "notes": "Notes",
    "tender_date": st.column_config.DateColumn("Date", format=_DATE),
    "subject": "Subject",
    "amount": st.column_config.NumberColumn("Amount", format="localized"),
    "result": "Result",
    "reason": "Reason",
    "winner": "Winner",
    "share": st.column_config.ProgressColumn("Share of spend", format="percent", max_value=1),
    "strengths": "Strengths",
    "weaknesses": "Weaknesses",
    "activity_date": st.column_config.DateColumn("Date", format=_DATE),
    "kind": "Kind",
    "text": "What",
    "contact_id": "Target person",
    "owner": "Owner",
    "due_date": st.column_config.DateColumn("Due", format=_DATE),
    "status": "Status",
    "updated_by": "Changed by",
    "updated_at": _WHEN,
}


def _records(
    entity: str,
    frame: pd.DataFrame,
    contacts: pd.DataFrame,
    stem: str,
    hide: tuple[str, ...] = (),
) -> None:
    shown = readable(entity, frame, contacts).drop(columns=list(hide))
    if shown.empty:
        st.caption("Nothing recorded yet.")
        return
    st.dataframe(shown, hide_index=True, width="stretch", column_config=COLUMNS)
    downloads(shown, stem, f"dl:{stem}")


def profile_tab(conn: duckdb.DuckDBPyConnection, d: dossier.Dossier, user: str) -> None:
    """General information: description, people, structure, environment, flags, types."""
    st.caption(
        "The company as a key account manager should know it. Saved as a whole; if someone "
        "else saved it since you opened it, you are told instead of overwriting their work."
    )
    profile_form(conn, d, PROFILE, "profile", user)


def purchases_tab(sales: pd.DataFrame, start: date | None, end: date | None, stem: str) -> None:
    """Purchases per month, products, and what was delivered when (on time, late, returned)."""
    months = monthly_purchases(sales)
    figures = purchase_figures(sales)
    cols = st.columns(4)
    cols[0].metric("Revenue (all time)", money(figures.revenue))
    cols[1].metric("Order lines", f"{figures.lines:,}")
    cols[2].metric("Orders", f"{figures.orders:,}")
    cols[3].metric(
        "Returned (revenue)", money(figures.returned), help="Revenue of the returned lines."
    )
    if len(months):
        st.plotly_chart(purchases_figure(months, start, end), width="stretch")
    st.subheader("What the client buys", anchor=False)
    top = products(sales)
    st.dataframe(
        top,
        hide_index=True,
        width="stretch",
        height=250,
        column_config={
            "product": "Product",
            "category": "Category",
            "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
            "quantity": st.column_config.NumberColumn("Quantity", format="localized"),
            "last": st.column_config.DateColumn("Last bought", format=_DATE),
        },
    )
    downloads(top, f"{stem}-products", "dl:products")
    st.subheader("What was delivered and when", anchor=False)
    lines = deliveries(sales)
    st.caption(
        f"{figures.late_lines:,} late line(s); a line is on time when shipped by the promised date."
    )
    config = {
        **SALES_COLUMNS,
        "delivery": "Delivery",
        "days_late": st.column_config.NumberColumn("Days late", format="%d"),
    }
    st.dataframe(lines, hide_index=True, width="stretch", height=350, column_config=config)
    downloads(lines, f"{stem}-deliveries", "dl:deliveries")


def tenders_tab(conn: duckdb.DuckDBPyConnection, d: dossier.Dossier, user: str, stem: str) -> None:
    """Tenders the client held and we entered: results and the reasons for them."""
    t = d.tenders
    counts = tender_figures(t)
    if counts.tenders:
        st.caption(f"{counts.tenders} tender(s): {counts.won} won, {counts.lost} lost.")
    _records("tender", t, d.contacts, f"{stem}-tenders")
    records_editor(conn, "tender", d.client_id, t, d.contacts, user, "tender", "a tender")


def timeline_tab(d: dossier.Dossier, sales: pd.DataFrame, stem: str) -> None:
    """Purchases, returns, tenders and activities in one list, newest first."""
    events = timeline(sales, d.tenders, d.activities)
    st.dataframe(
        events,
        hide_index=True,
        width="stretch",
        height=500,
        column_config={
            "date": st.column_config.DateColumn("Date", format=_DATE),
            "what": "What",
            "title": "Subject",
            "amount": st.column_config.NumberColumn("Amount", format="localized"),
            "detail": "Detail",
        },
    )
    downloads(events, f"{stem}-timeline", "dl:timeline")


def decision_tab(conn: duckdb.DuckDBPyConnection, d: dossier.Dossier, user: str, stem: str) -> None:
    """The organisation chart of the people in the decision, with its gaps."""
    for text in decision_map_warnings(d.contacts):
        st.warning(esc(text), icon=":material/person_alert:")
    if len(d.contacts):
        st.plotly_chart(decision_map_figure(d.contacts), width="stretch")
        st.caption(
            "Colour: attitude to us. Size: influence. Star: decision maker; diamond: "
            "champion; cross: blocker; triangle: gatekeeper."
        )
    _records("contact", d.contacts, d.contacts, f"{stem}-contacts")
    records_editor(
        conn, "contact", d.client_id, d.contacts, d.contacts, user, "contact", "a contact"
    )


def competitors_tab(
    conn: duckdb.DuckDBPyConnection, d: dossier.Dossier, user: str, stem: str
) -> None:
    """Competitors who are also trying to win the client."""
    _records("competitor", d.competitors, d.contacts, f"{stem}-competitors")
    records_editor(
        conn,
        "competitor",
        d.client_id,
        d.competitors,
        d.contacts,
        user,
        "competitor",
        "a competitor",
    )


def qualification_tab(conn: duckdb.DuckDBPyConnection, d: dossier.Dossier, user: str) -> None:
    """The three P's: need, solvency, authority, with note, source and date."""
    q = dossier.qualification(d.profile)
    (st.success if q.qualified else st.info)(VERDICTS[q.verdict])
    profile_form(conn, d, QUALIFICATION, "qualification", user, columns=3)


def plan_tab(
    conn: duckdb.DuckDBPyConnection, d: dossier.Dossier, user: str, stem: str, today: date
) -> None:
    """The ABM plan: actions for people of the decision map, with owners, dates and status."""
    actions = plan.plan_actions(d.activities)
    late = overdue(actions, today)
    if len(late):
        st.warning(f"{len(late)} open action(s) past their due date.")
    _records("activity", actions, d.contacts, f"{stem}-abm-plan")
    records_editor(
        conn,
        "activity",
        d.client_id,
        actions,
        d.contacts,
        user,
        "plan",
        "an action",
        plan.plan_defaults(user),
        plan.plan_fields(),
    )


def notes_tab(conn: duckdb.DuckDBPyConnection, d: dossier.Dossier, user: str, stem: str) -> None:
    """Notes and meetings, and the log of every change to the dossier."""
    notes = plan.notes(d.activities)
    _records("activity", notes, d.contacts, f"{stem}-notes", plan.NOTE_HIDDEN)
    records_editor(
        conn,
        "activity",
        d.client_id,
        notes,
        d.contacts,
        user,
        "notes",
        "a note",
        plan.note_defaults(user, date.today()),
        plan.note_fields(),
    )
    with st.expander("Change log: who changed what, and when", icon=":material/history:"):
        log = change_log(conn, d.client_id)
        st.dataframe(
            log,
            hide_index=True,
            width="stretch",
            column_config={
                "changed_at": _WHEN,
                "changed_by": "By",
                "entity": "Record",
                "entity_id": "Id",
                "action": "Action",
                "detail": "Detail",
            },
        )
        downloads(log, f"{stem}-changes", "dl:changes")
