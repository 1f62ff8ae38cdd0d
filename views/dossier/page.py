"""Client dossier: what a key account manager needs to know about one client, in one place."""

from datetime import date

import duckdb
import streamlit as st

from kam_core import dossier
from kam_core.analytics.health import health_table
from kam_core.analytics.p_alive import p_alive_table
from kam_core.dossier.brief import BriefData, render_brief
from kam_core.dossier.outlook import client_outlook
from kam_core.dossier.qualification import qualification
from kam_core.dossier.reads import purchase_history, sales_lines
from kam_core.dossier.warnings import decision_map_warnings, relationship_risks
from kam_core.i18n import _
from kam_core.services.scope import ScopeRefused
from kam_core.services.settings import health_weights
from ui.auth import session_scope
from ui.cache import remember
from ui.frame import page
from ui.params import sidebar_params
from ui.user import user_name
from views.dossier import tabs
from views.dossier.deferred import in_run_language
from views.dossier.header import header, outlook_row, pick_client, warnings_box
from views.dossier.io import XLSX, master_data
from views.dossier.money import use_money_settings
from views.dossier.tab_links import dossier_tabs

HORIZON_MONTHS = 12  # the expected value looks this far ahead


def _load(conn: duckdb.DuckDBPyConnection, client_id: str) -> dossier.Dossier:
    # remember() keys on the session's scope, which the read checks.
    return dossier.load(conn, client_id, scope=session_scope())


conn = page(_("Client dossier"))
scope = session_scope()
params = sidebar_params(conn)
user = user_name()
currency, decimals = use_money_settings(conn)
if params.filters:
    st.sidebar.caption(_("The dossier ranks a client against all clients: filters do not apply."))
client_id = pick_client(conn, scope)

if client_id:
    try:
        # Kept while nothing stored changes (the state covers master data and the change log).
        d = remember(_load, conn, client_id)
    except ScopeRefused as exc:  # the picker lists only readable clients; a race lands here
        st.error(_("This client is outside what you may see."))
        st.text(str(exc))
        st.stop()
    editable = scope.can_edit_client(conn, client_id)
    # Kept while nothing stored changes: a big client's lines and figures cost a second.
    summary = remember(dossier.client_summary, conn, params, client_id)
    sales = remember(sales_lines, conn, client_id)
    done = remember(dossier.completeness, conn, client_id)
    quali = qualification(d.profile)
    name = d.profile.get("client_name") or summary.client_name or client_id
    manager = d.profile.get("manager") or summary.data_manager
    header(summary, name, manager, d.profile.get("industry"), done, quali)
    alive = remember(p_alive_table, conn, summary.as_of, HORIZON_MONTHS, params.thresholds)
    health = remember(health_table, conn, params)
    weights = health_weights(conn)  # the stored weights, as the score itself used them
    outlook_row(client_outlook(alive, health, client_id, weights), HORIZON_MONTHS)
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
    brief = BriefData(summary, d, sales, done, user, date.today(), currency, decimals)
    stem = f"dossier-{client_id}"
    buttons = st.container(horizontal=True)  # content width: the labels are never cut
    buttons.download_button(
        _("Negotiation brief"),
        in_run_language(lambda: render_brief(brief)),  # built when asked, not on every view
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
        in_run_language(lambda: dossier.dossier_workbook(conn, client_id)),
        file_name=f"{stem}.xlsx",
        mime=XLSX,
        icon=":material/download:",
        on_click="ignore",
    )
    shown = dossier_tabs()
    ctx = tabs.Editing(conn, scope, user, editable)
    # Only the open tab runs (its code is in the URL), so the page stays quick.
    with shown["history"]:
        if shown["history"].open:
            bought = remember(purchase_history, conn, client_id)
            tabs.purchases_tab(bought, summary.window_start, summary.as_of, stem)
    with shown["profile"]:
        if shown["profile"].open:
            tabs.profile_tab(ctx, d)
    with shown["decision-map"]:
        if shown["decision-map"].open:
            tabs.decision_tab(ctx, d, stem)
    with shown["tenders"]:
        if shown["tenders"].open:
            tabs.tenders_tab(ctx, d, stem)
    with shown["timeline"]:
        if shown["timeline"].open:
            tabs.timeline_tab(d, sales, stem)
    with shown["competitors"]:
        if shown["competitors"].open:
            tabs.competitors_tab(ctx, d, stem)
    with shown["qualification"]:
        if shown["qualification"].open:
            tabs.qualification_tab(ctx, d)
    with shown["abm-plan"]:
        if shown["abm-plan"].open:
            tabs.plan_tab(ctx, d, stem, date.today())
    with shown["notes"]:
        if shown["notes"].open:
            tabs.notes_tab(ctx, d, stem)
else:
    st.info(_("Choose a client above, or open one from any client table or the ABC-XYZ matrix."))

with st.expander(
    _("Master data: template, import, export of all dossiers"), icon=":material/sync:"
):
    master_data(conn, user, scope)
