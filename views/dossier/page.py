"""Client dossier: what a key account manager needs to know about one client, in one place."""

from datetime import date

import streamlit as st

from kam_core import dossier
from kam_core.dossier.brief import BriefData, render_brief
from kam_core.dossier.qualification import qualification
from kam_core.dossier.reads import sales_lines
from kam_core.dossier.warnings import decision_map_warnings, relationship_risks
from ui.frame import page
from ui.params import sidebar_params
from ui.user import user_name
from views.dossier import tabs
from views.dossier.header import header, pick_client, warnings_box
from views.dossier.io import XLSX, master_data

TABS = [
    "Relationship history",
    "Profile",
    "Decision map",
    "Tenders",
    "Timeline",
    "Competitors",
    "Qualification",
    "ABM plan",
    "Notes",
]

conn = page("Client dossier")
params = sidebar_params(conn)
user = user_name()
if params.filters:
    st.sidebar.caption("The dossier ranks a client against all clients: filters do not apply.")
client_id, _ = pick_client(conn)

if client_id:
    summary = dossier.client_summary(conn, params, client_id)
    d = dossier.load(conn, client_id)
    sales = sales_lines(conn, client_id)
    done = dossier.completeness(conn, client_id)
    quali = qualification(d.profile)
    name = d.profile.get("client_name") or summary.client_name or client_id
    manager = d.profile.get("manager") or summary.data_manager
    header(summary, name, manager, d.profile.get("industry"), done, quali)
    risks = relationship_risks(summary, sales, d.tenders, d.competitors, quali)
    warnings_box(risks + decision_map_warnings(d.contacts))
    brief = render_brief(BriefData(summary, d, sales, done, user, date.today()))
    stem = f"dossier-{client_id}"
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(
        "Negotiation brief",
        brief,
        file_name=f"negotiation-brief-{client_id}.html",
        mime="text/html",
        type="primary",
        icon=":material/description:",
        on_click="ignore",
        help="One page to print or save as PDF: profile, history, decision map, competitors, "
        "open tenders and actions, risks, questions and offers.",
    )
    right.download_button(
        "Dossier (Excel)",
        lambda: dossier.dossier_workbook(conn, client_id),
        file_name=f"{stem}.xlsx",
        mime=XLSX,
        icon=":material/download:",
        on_click="ignore",
    )
    views = st.tabs(TABS, key="tab", bind="query-params")
    shown = dict(zip(TABS, views, strict=True))
    # Only the open tab runs (the tabs are bound to the URL), so the page stays quick.
    with shown["Relationship history"]:
        if shown["Relationship history"].open:
            tabs.purchases_tab(sales, summary.window_start, summary.as_of, stem)
    with shown["Profile"]:
        if shown["Profile"].open:
            tabs.profile_tab(conn, d, user)
    with shown["Decision map"]:
        if shown["Decision map"].open:
            tabs.decision_tab(conn, d, user, stem)
    with shown["Tenders"]:
        if shown["Tenders"].open:
            tabs.tenders_tab(conn, d, user, stem)
    with shown["Timeline"]:
        if shown["Timeline"].open:
            tabs.timeline_tab(d, sales, stem)
    with shown["Competitors"]:
        if shown["Competitors"].open:
            tabs.competitors_tab(conn, d, user, stem)
    with shown["Qualification"]:
        if shown["Qualification"].open:
            tabs.qualification_tab(conn, d, user)
    with shown["ABM plan"]:
        if shown["ABM plan"].open:
            tabs.plan_tab(conn, d, user, stem, date.today())
    with shown["Notes"]:
        if shown["Notes"].open:
            tabs.notes_tab(conn, d, user, stem)
else:
    st.info("Choose a client above, or open one from any client table or the ABC-XYZ matrix.")

with st.expander("Master data: template, import, export of all dossiers", icon=":material/sync:"):
    master_data(conn, user)
