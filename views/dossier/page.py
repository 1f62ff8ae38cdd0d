"""Client dossier: what a key account manager needs to know about one client, in one place."""

from datetime import date

import streamlit as st

from kam_core import dossier
from kam_core.analytics.health import health_table
from kam_core.analytics.p_alive import p_alive_table
from kam_core.dossier.brief import BriefData, render_brief
from kam_core.dossier.outlook import client_outlook
from kam_core.dossier.qualification import qualification
from kam_core.dossier.reads import sales_lines
from kam_core.dossier.warnings import decision_map_warnings, relationship_risks
from kam_core.i18n import N_, _
from kam_core.services.scope import ScopeRefused
from ui.auth import session_scope
from ui.cache import remember
from ui.frame import page
from ui.params import sidebar_params
from ui.user import user_name
from views.dossier import tabs
from views.dossier.header import header, outlook_row, pick_client, warnings_box
from views.dossier.io import XLSX, master_data
from views.dossier.money import use_money_settings

HORIZON_MONTHS = 12  # the expected value looks this far ahead
TABS = [
    N_("Relationship history"),
    N_("Profile"),
    N_("Decision map"),
    N_("Tenders"),
    N_("Timeline"),
    N_("Competitors"),
    N_("Qualification"),
    N_("ABM plan"),
    N_("Notes"),
]

conn = page(_("Client dossier"))
scope = session_scope()
params = sidebar_params(conn)
user = user_name()
currency, decimals = use_money_settings(conn)
if params.filters:
    st.sidebar.caption(_("The dossier ranks a client against all clients: filters do not apply."))
client_id, _clients = pick_client(conn, scope)

if client_id:
    try:
        d = dossier.load(conn, client_id, scope=scope)
    except ScopeRefused as exc:  # the picker lists only readable clients; a race lands here
        st.error(_("This client is outside what you may see."))
        st.text(str(exc))
        st.stop()
    editable = scope.can_edit_client(conn, client_id)
    summary = dossier.client_summary(conn, params, client_id)
    sales = sales_lines(conn, client_id)
    done = dossier.completeness(conn, client_id)
    quali = qualification(d.profile)
    name = d.profile.get("client_name") or summary.client_name or client_id
    manager = d.profile.get("manager") or summary.data_manager
    header(summary, name, manager, d.profile.get("industry"), done, quali)
    alive = remember(p_alive_table, conn, summary.as_of, HORIZON_MONTHS, params.thresholds)
    health = remember(health_table, conn, params)
    outlook_row(client_outlook(alive, health, client_id), HORIZON_MONTHS)
    risks = relationship_risks(summary, sales, d.tenders, d.competitors, quali)
    warnings_box(risks + decision_map_warnings(d.contacts))
    if not editable:
        st.info(
            _("You can read this dossier but not change it: {reason}").format(
                reason=_("executives read every dossier but change none.")
                if scope.role == "executive"
                else _("it belongs to another manager's client.")
            ),
            icon=":material/lock:",
        )
    brief = render_brief(BriefData(summary, d, sales, done, user, date.today(), currency, decimals))
    stem = f"dossier-{client_id}"
    buttons = st.container(horizontal=True)  # content width: the labels are never cut
    buttons.download_button(
        _("Negotiation brief"),
        brief,
        file_name=f"negotiation-brief-{client_id}.html",
        mime="text/html",
        type="primary",
        icon=":material/description:",
        on_click="ignore",
        help=_(
            "One page to print or save as PDF: profile, history, decision map, competitors, "
            "open tenders and actions, risks, questions and offers."
        ),
    )
    buttons.download_button(
        _("Dossier (Excel)"),
        lambda: dossier.dossier_workbook(conn, client_id),
        file_name=f"{stem}.xlsx",
        mime=XLSX,
        icon=":material/download:",
        on_click="ignore",
    )
    labels = [_(label) for label in TABS]
    views = st.tabs(labels, key="tab", bind="query-params")
    shown = dict(zip(TABS, views, strict=True))
    ctx = tabs.Editing(conn, scope, user, editable)
    # Only the open tab runs (the tabs are bound to the URL), so the page stays quick.
    with shown["Relationship history"]:
        if shown["Relationship history"].open:
            tabs.purchases_tab(sales, summary.window_start, summary.as_of, stem)
    with shown["Profile"]:
        if shown["Profile"].open:
            tabs.profile_tab(ctx, d)
    with shown["Decision map"]:
        if shown["Decision map"].open:
            tabs.decision_tab(ctx, d, stem)
    with shown["Tenders"]:
        if shown["Tenders"].open:
            tabs.tenders_tab(ctx, d, stem)
    with shown["Timeline"]:
        if shown["Timeline"].open:
            tabs.timeline_tab(d, sales, stem)
    with shown["Competitors"]:
        if shown["Competitors"].open:
            tabs.competitors_tab(ctx, d, stem)
    with shown["Qualification"]:
        if shown["Qualification"].open:
            tabs.qualification_tab(ctx, d)
    with shown["ABM plan"]:
        if shown["ABM plan"].open:
            tabs.plan_tab(ctx, d, stem, date.today())
    with shown["Notes"]:
        if shown["Notes"].open:
            tabs.notes_tab(ctx, d, stem)
else:
    st.info(_("Choose a client above, or open one from any client table or the ABC-XYZ matrix."))

with st.expander(
    _("Master data: template, import, export of all dossiers"), icon=":material/sync:"
):
    master_data(conn, user, scope)
