"""The dossier's tabs: each draws one part of the dossier from data it is given."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kam_core import dossier
from kam_core.charts.dossier import purchases_figure
from kam_core.charts.rtl import mirror_figure
from kam_core.dossier import plan
from kam_core.dossier.figures import tender_figures
from kam_core.dossier.history import timeline
from kam_core.dossier.model import PROFILE, QUALIFICATION
from kam_core.dossier.orgchart import charted, decision_map_figure
from kam_core.dossier.qualification import VERDICTS
from kam_core.dossier.reads import PurchaseHistory, change_log
from kam_core.dossier.tables import readable
from kam_core.dossier.warnings import decision_map_warnings, overdue
from kam_core.i18n import _, fmt_number, ngettext
from kam_core.i18n.formats import date_column_format
from ui.cache import chart
from ui.rtl import rtl_column_config, rtl_columns
from ui.tables import downloads, limited, sales_columns
from ui.text import esc
from views.dossier.forms import Editing, profile_form, records_editor
from views.dossier.money import NARROW, WIDE, amount, figure_row


def _when() -> st.column_config.DatetimeColumn:
    return st.column_config.DatetimeColumn(_("Changed"), format=date_column_format(with_time=True))


def record_columns() -> dict:
    """Headers of the record tables in the current language (built per run, not at import)."""
    return {
        "name": _("Name"),
        "title": _("Job title"),
        "role": _("Role"),
        "attitude": _("Attitude"),
        "influence": st.column_config.NumberColumn(_("Influence"), format="%d / 5"),
        "reports_to": _("Reports to"),
        "email": _("Email"),
        "phone": _("Phone"),
        "notes": _("Notes"),
        "tender_date": st.column_config.DateColumn(_("Date"), format=date_column_format()),
        "subject": _("Subject"),
        "amount": st.column_config.NumberColumn(_("Amount"), format="localized"),
        "result": _("Result"),
        "reason": _("Reason"),
        "winner": _("Winner"),
        "share": st.column_config.ProgressColumn(
            _("Share of spend"), format="percent", max_value=1
        ),
        "strengths": _("Strengths"),
        "weaknesses": _("Weaknesses"),
        "activity_date": st.column_config.DateColumn(_("Date"), format=date_column_format()),
        "kind": _("Kind"),
        "text": _("What"),
        "contact_id": _("Target person"),
        "owner": _("Owner"),
        "due_date": st.column_config.DateColumn(_("Due"), format=date_column_format()),
        "status": _("Status"),
        "updated_by": _("Changed by"),
        "updated_at": _when(),
    }


def _table(frame: pd.DataFrame, config: dict, **kwargs: object) -> None:
    """A table with its first column on the right in Hebrew."""
    st.dataframe(
        rtl_columns(frame),
        hide_index=True,
        width="stretch",
        column_config=rtl_column_config(frame, config),
        **kwargs,
    )


def _records(
    entity: str,
    frame: pd.DataFrame,
    contacts: pd.DataFrame,
    stem: str,
    hide: tuple[str, ...] = (),
) -> None:
    shown = readable(entity, frame, contacts).drop(columns=list(hide))
    if shown.empty:
        st.caption(_("Nothing recorded yet."))
        return
    _table(shown, record_columns())
    downloads(shown, stem, f"dl:{stem}")


def profile_tab(ed: Editing, d: dossier.Dossier) -> None:
    """General information: description, people, structure, environment, flags, types."""
    st.caption(
        _(
            "The company as a key account manager should know it. Saved as a whole; if someone "
            "else saved it since you opened it, you are told instead of overwriting their work."
        )
    )
    profile_form(ed, d, PROFILE, "profile")


def purchases_tab(bought: PurchaseHistory, start: date | None, end: date | None, stem: str) -> None:
    """Purchases per month, products, and what was delivered when (on time, late, returned)."""
    months, figures = bought.months, bought.figures
    row = figure_row()
    row.metric(_("Revenue (all time)"), amount(figures.revenue), width=WIDE)
    row.metric(_("Order lines"), fmt_number(figures.lines), width=NARROW)
    row.metric(_("Orders"), fmt_number(figures.orders), width=NARROW)
    row.metric(
        _("Returned (revenue)"),
        amount(figures.returned),
        help=_("Revenue of the returned lines."),
        width=WIDE,
    )
    if len(months):
        st.plotly_chart(chart(purchases_figure, months, start, end), width="stretch")
    st.subheader(_("What the client buys"), anchor=False)
    top = bought.products
    _table(
        top,
        {
            "product": _("Product"),
            "category": _("Category"),
            "revenue": st.column_config.NumberColumn(_("Revenue"), format="localized"),
            "quantity": st.column_config.NumberColumn(_("Quantity"), format="localized"),
            "last": st.column_config.DateColumn(_("Last bought"), format=date_column_format()),
        },
        height=250,
    )
    downloads(top, f"{stem}-products", "dl:products")
    st.subheader(_("What was delivered and when"), anchor=False)
    lines = bought.deliveries
    late = figures.late_lines
    st.caption(
        ngettext("{n} late line", "{n} late lines", late).format(n=fmt_number(late))
        + "; "
        + _("a line is on time when shipped by the promised date.")
    )
    config = {
        **sales_columns(),  # built once, not once per key as **SALES_COLUMNS does
        "delivery": _("Delivery"),
        "days_late": st.column_config.NumberColumn(_("Days late"), format="%d"),
    }
    # A page of lines with a search: a big client's 25k lines sent whole cost every view.
    _table(limited(lines, "deliveries"), config, height=350)
    downloads(lines, f"{stem}-deliveries", "dl:deliveries")


def tenders_tab(ed: Editing, d: dossier.Dossier, stem: str) -> None:
    """Tenders the client held and we entered: results and the reasons for them."""
    t = d.tenders
    counts = tender_figures(t)
    if counts.tenders:
        st.caption(
            ngettext(
                "{n} tender: {won} won, {lost} lost.",
                "{n} tenders: {won} won, {lost} lost.",
                counts.tenders,
            ).format(n=counts.tenders, won=counts.won, lost=counts.lost)
        )
    _records("tender", t, d.contacts, f"{stem}-tenders")
    titles = (_("Add a tender"), _("Edit or remove a tender"))
    records_editor(ed, "tender", d.client_id, t, d.contacts, "tender", titles)


def timeline_tab(d: dossier.Dossier, sales: pd.DataFrame, stem: str) -> None:
    """Purchases, returns, tenders and activities in one list, newest first."""
    events = timeline(sales, d.tenders, d.activities)
    _table(
        limited(events, "timeline"),  # a page of events with a search; downloads hold all
        {
            "date": st.column_config.DateColumn(_("Date"), format=date_column_format()),
            "what": _("What"),
            "title": _("Subject"),
            "amount": st.column_config.NumberColumn(_("Amount"), format="localized"),
            "detail": _("Detail"),
        },
        height=500,
    )
    downloads(events, f"{stem}-timeline", "dl:timeline")


def decision_tab(ed: Editing, d: dossier.Dossier, stem: str) -> None:
    """The organisation chart of the people in the decision, with its gaps."""
    for text in decision_map_warnings(d.contacts):
        st.warning(esc(text), icon=":material/person_alert:")
    if len(d.contacts):
        shown = charted(d.contacts)  # the figure draws these (charted again, at once)
        st.plotly_chart(mirror_figure(decision_map_figure(shown)), width="stretch")
        st.caption(
            _(
                "Colour: attitude to us. Size: influence. Star: decision maker; diamond: "
                "champion; cross: blocker; triangle: gatekeeper."
            )
        )
        if len(shown) < len(d.contacts):
            st.caption(
                _(
                    "The chart shows the {shown} people who weigh most in the decision (role, "
                    "then influence) and whom they report to, of {count}; the table below lists "
                    "everyone."
                ).format(shown=fmt_number(len(shown)), count=fmt_number(len(d.contacts)))
            )
    _records("contact", d.contacts, d.contacts, f"{stem}-contacts")
    titles = (_("Add a contact"), _("Edit or remove a contact"))
    records_editor(ed, "contact", d.client_id, d.contacts, d.contacts, "contact", titles)


def competitors_tab(ed: Editing, d: dossier.Dossier, stem: str) -> None:
    """Competitors who are also trying to win the client."""
    _records("competitor", d.competitors, d.contacts, f"{stem}-competitors")
    titles = (_("Add a competitor"), _("Edit or remove a competitor"))
    records_editor(ed, "competitor", d.client_id, d.competitors, d.contacts, "competitor", titles)


def qualification_tab(ed: Editing, d: dossier.Dossier) -> None:
    """The three P's: need, solvency, authority, with note, source and date."""
    q = dossier.qualification(d.profile)
    (st.success if q.qualified else st.info)(_(VERDICTS[q.verdict]))
    profile_form(ed, d, QUALIFICATION, "qualification", columns=3)


def plan_tab(ed: Editing, d: dossier.Dossier, stem: str, today: date) -> None:
    """The ABM plan: actions for people of the decision map, with owners, dates and status."""
    actions = plan.plan_actions(d.activities)
    late = overdue(actions, today)
    if len(late):
        st.warning(
            ngettext(
                "{n} open action past its due date.",
                "{n} open actions past their due date.",
                len(late),
            ).format(n=len(late))
        )
    _records("activity", actions, d.contacts, f"{stem}-abm-plan")
    records_editor(
        ed,
        "activity",
        d.client_id,
        actions,
        d.contacts,
        "plan",
        (_("Add an action"), _("Edit or remove an action")),
        plan.plan_defaults(ed.user),
        plan.plan_fields(),
    )


def notes_tab(ed: Editing, d: dossier.Dossier, stem: str) -> None:
    """Notes and meetings, and the log of every change to the dossier."""
    notes = plan.notes(d.activities)
    _records("activity", notes, d.contacts, f"{stem}-notes", plan.NOTE_HIDDEN)
    records_editor(
        ed,
        "activity",
        d.client_id,
        notes,
        d.contacts,
        "notes",
        (_("Add a note"), _("Edit or remove a note")),
        plan.note_defaults(ed.user, date.today()),
        plan.note_fields(),
    )
    with st.expander(_("Change log: who changed what, and when"), icon=":material/history:"):
        log = change_log(ed.conn, d.client_id)
        _table(
            log,
            {
                "changed_at": _when(),
                "changed_by": _("By"),
                "entity": _("Record"),
                "entity_id": _("Id"),
                "action": _("Action"),
                "detail": _("Detail"),
            },
        )
        downloads(log, f"{stem}-changes", "dl:changes")
