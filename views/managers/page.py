"""Managers: every portfolio at a glance, then one manager's clients, mix, health and risks."""

import streamlit as st

from kam_core.charts.churn import status_figure
from kam_core.charts.managers import (
    manager_mix_figure,
    portfolio_mix_figure,
    portfolio_revenue_figure,
)
from kam_core.charts.theme import safe
from kam_core.i18n import (
    _,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_signed_percent,
)
from kam_core.i18n import terms as t
from kam_core.services.scope import company_totals
from kam_core.services.settings import currency_symbol, money_decimals
from kam_core.vocabulary import header
from ui.auth import session_scope
from ui.cache import remember, report_chart
from ui.frame import page
from ui.params import sidebar_params
from ui.rtl import rtl_column_config, rtl_columns
from ui.tables import downloads, percent_points
from ui.text import esc
from views.managers.frames import manager_tables, mix, portfolios, rounded, statuses
from views.managers.tables import EXTRA, ORDER, clients_table, portfolio_config, risks_table

CHART_WIDTH = 440  # pixels: two fit beside each other at 1400 px
conn = page("Managers", previous_while_updating=True)
params = sidebar_params(conn)
scope = session_scope()
symbol, decimals = currency_symbol(conn), money_decimals(conn)
# A manager sees their own portfolio; the company only as totals (below).
table = portfolios(conn, params)
if table.empty:
    st.info(_("No clients for these filters: widen the sidebar's choices."))
    st.stop()


def money(value: float | None) -> str:
    """An amount with the currency and decimals chosen in Settings; a dash when missing."""
    return fmt_money(value, symbol, decimals)


def short_money(value: float | None) -> str:
    """An amount for a metric: millions as "₪6.19M", so it is never cut; smaller ones in full."""
    if value is None or value != value or abs(value) < 1_000_000:
        return money(value)
    number = fmt_number(value / 1_000_000, 2)
    return _("{symbol}{number}M").format(symbol=symbol.strip(), number=number)


def in_money(label: str) -> str:
    """A money column's header with the currency: table cells carry no symbol."""
    return f"{label} ({symbol.strip()})"


def chart_pair() -> tuple:
    """Two blocks for charts: side by side at 1400 px, one under the other at 1024 px."""
    # In halves of a 1024 px page the bars and their legends had no room.
    row = st.container(horizontal=True, wrap=True, gap="medium")
    return row.container(width=CHART_WIDTH), row.container(width=CHART_WIDTH)


HEALTH = st.column_config.ProgressColumn(
    t.term(t.HEALTH_SCORE),
    help=_("Account health, 0 to 100: the mean over the clients that have a score."),
    format="%.0f",
    min_value=0,
    max_value=100,
)

st.caption(
    _(
        "Each client belongs to its latest manager in the data. Revenue in the {months} months "
        "to {date}, against the {months} months before. Tick a row's box to see that "
        "manager's clients."
    ).format(months=params.months, date=fmt_date(params.as_of))
)
# The most read columns first; the ABC-XYZ mix after the risks.
shown = table[ORDER].reset_index(drop=True)
config = portfolio_config(in_money, HEALTH)
event = st.dataframe(
    rtl_columns(
        percent_points(rounded(shown, decimals), ["revenue_change_pct", "dossier_completeness"])
    ),
    key="portfolio",
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    column_config=rtl_column_config(shown, config),
)
downloads(table[ORDER + EXTRA], "manager-portfolios", "portfolio")

if not scope.sees_everything:
    totals = remember(company_totals, conn, params)
    st.markdown("**" + _("Company totals") + "**")
    st.caption(_("The whole company's figures for the same window, as totals only."))
    tc = st.columns(4)
    tc[0].metric(_("Company revenue"), short_money(totals.revenue), border=True)
    tc[1].metric(_("Company clients"), fmt_number(totals.clients), border=True)
    tc[2].metric(_("Company key clients"), fmt_number(totals.key_clients), border=True)
    tc[3].metric(_("Company key clients' share"), fmt_percent(totals.key_share), border=True)

left, right = chart_pair()
left.plotly_chart(
    report_chart(portfolio_revenue_figure, portfolios, conn, params),
    width="stretch",
    key="pf_revenue",
)
right.plotly_chart(
    report_chart(portfolio_mix_figure, portfolios, conn, params), width="stretch", key="pf_mix"
)

# A click in the table picks the manager below; applied once per new click, so the
# selector stays free to change afterwards.
managers = shown["manager"].tolist()
rows = event.selection.rows if event is not None else []
clicked = managers[rows[0]] if rows and rows[0] < len(managers) else None
if clicked and clicked != st.session_state.get("portfolio_clicked"):
    st.session_state["who"] = clicked
st.session_state["portfolio_clicked"] = clicked
if params.manager in managers:
    st.session_state["who"] = params.manager
if st.session_state.get("who") not in managers:
    st.session_state.pop("who", None)

st.divider()
who = st.selectbox(
    header("manager"),
    managers,
    key="who",
    bind="query-params",
    disabled=params.manager is not None or len(managers) == 1,
    help=_("Or click a row of the table above. The sidebar's manager filter fixes it."),
)
who = who or managers[0]
row = shown.set_index("manager").loc[who]
st.subheader(esc(who), anchor=False)
# Millions in short ("₪6.19M", the full amount in the help) and short labels: at 1024 px
# nothing is cut ("₪6,192..." was).
top = st.columns([1.5, 1, 1])
change = row["revenue_change_pct"]
top[0].metric(
    _("Revenue"),
    short_money(float(row["revenue"])),
    # A change against the previous window: the one metric here that is a change.
    delta=None if change != change else fmt_signed_percent(change),
    help=_("{amount}, against {previous} in the previous window of the same length.").format(
        amount=money(float(row["revenue"])), previous=money(float(row["revenue_prev"]))
    ),
    border=True,
)
top[1].metric(_("Clients"), fmt_number(int(row["clients"])), border=True)
top[2].metric(t.term(t.KEY_CLIENTS), fmt_number(int(row["key_clients"])), border=True)
low = st.columns(4)
low[0].metric(t.term(t.STATUS_AT_RISK), fmt_number(int(row["at_risk"])), border=True)
low[1].metric(t.term(t.STATUS_LOST), fmt_number(int(row["lost"])), border=True)
low[2].metric(
    _("Dossiers"),
    fmt_percent(row["dossier_completeness"], 0),
    help=_(
        "Key-client dossiers: the average share of the dossier sections filled for this "
        "manager's key clients."
    ),
    border=True,
)
low[3].metric(
    _("Health"),
    fmt_number(row["health"], 0),
    help=_("The mean account health (0 to 100) of the clients that have a score."),
    border=True,
)

left, right = chart_pair()
left.plotly_chart(
    report_chart(manager_mix_figure, mix, conn, params, who, extra=(who,)),
    width="stretch",
    key="mgr_mix",
)
right.plotly_chart(
    report_chart(
        status_figure,
        statuses,
        conn,
        params,
        who,
        extra=(_("Clients per status: {manager}").format(manager=safe(who)),),
    ),
    width="stretch",
    key="mgr_status",
)

st.markdown("**" + _("Clients") + "**")
client_rows, risk_rows = manager_tables(conn, params, who, decimals)
clients_table(client_rows, who, in_money, HEALTH)
st.markdown("**" + _("Risks: at-risk and lost clients, largest revenue at stake first") + "**")
risks_table(risk_rows, who, in_money, HEALTH)
