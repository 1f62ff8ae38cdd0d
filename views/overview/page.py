"""Overview: key figures of the window, the Pareto curve, revenue per period, movers, alerts."""

import streamlit as st

from kam_core.analytics.health import HEALTH_FALL_POINTS
from kam_core.analytics.overview import (
    ALERT_DAYS,
    LOST_MONTHS,
    at_risk_alerts,
    biggest_movers,
    health_alerts,
    key_clients_at_risk,
    key_figures,
    pareto_curve,
    revenue_per_period,
)
from kam_core.charts.overview import movers_figure, pareto_figure, revenue_period_figure
from kam_core.charts.rtl import strip_isolates
from kam_core.i18n import _, fmt_date, fmt_growth, fmt_money, fmt_number, fmt_percent, ngettext
from kam_core.i18n.formats import date_column_format
from kam_core.services.scope import Scope, company_totals
from kam_core.services.settings import currency_symbol, money_decimals
from ui.cache import remember, report_chart
from ui.frame import page
from ui.params import measure_label, sidebar_params
from ui.screens import page_file
from ui.tables import client_table, money_column
from views.overview.tables import table_rows

GOTO_KEY = "overview_goto"
MONEY = ("revenue", "revenue_prev", "change", "revenue_at_stake")
METRIC_WIDTH = 260
CHART_WIDTH = 440  # two fit beside each other at 1400 px, one a row at 1024 px

conn = page("Overview", previous_while_updating=True)
params = sidebar_params(conn)
symbol, decimals = currency_symbol(conn), money_decimals(conn)


def money(value: float | None) -> str:
    """An amount with the currency and decimals chosen in Settings."""
    return fmt_money(value, symbol, decimals)


def table(kind: str, config: dict) -> tuple:
    """A client table's rows (kept between views) with its amounts rounded to the currency's
    decimals, the symbol in the header; and its column config."""
    rounded = tuple(c for c in MONEY if c in config)
    return table_rows(conn, params, kind, decimals, rounded), dict(config)


# A click on a mover's bar (handled before this run) opens that client's dossier.
goto = st.session_state.pop(GOTO_KEY, None)
if goto:
    st.switch_page(page_file("dossier"), query_params={"client": goto})

figures = remember(key_figures, conn, params)
if figures.as_of is None:
    st.warning(_("No sales match these filters."))
    st.stop()
measure = measure_label(figures.measure)
st.caption(
    _(
        "Window: {start} to {end} ({months} months), compared with the {months} months before."
    ).format(
        start=fmt_date(figures.window_start),
        end=fmt_date(figures.as_of),
        months=fmt_number(figures.months),
    )
)

scope = st.session_state.get("scope")
if isinstance(scope, Scope) and not scope.sees_everything:
    st.caption(_("Your portfolio: {manager}").format(manager=scope.manager_name))

BAND = {
    "below": _("Key clients' share is below the usual band of {low} to {high}."),
    "within": _("Key clients' share is within the usual band of {low} to {high}."),
    "above": _("Key clients' share is above the usual band of {low} to {high}."),
}
# Metrics of a fixed width in a wrapping row: three a row on a wide page, two at 1024 px, so
# an amount such as ₪22,748,656 is never cut.
metrics_row = st.container(horizontal=True, wrap=True, gap="small")
cols = [metrics_row.container(width=METRIC_WIDTH, height="stretch") for _ in range(6)]
change = figures.revenue_change_pct
growth = fmt_growth(figures.revenue_prev, figures.revenue)
cols[0].metric(
    _("Revenue"),
    money(figures.revenue),
    delta=growth if growth != "—" else None,
    delta_description=_("vs previous window") if growth != "—" else None,
    border=True,
    height="stretch",
    help=_("Revenue in the window; the previous window had {amount}.").format(
        amount=money(figures.revenue_prev)
    ),
)
cols[1].metric(
    _("Clients"),
    fmt_number(figures.clients),
    delta=f"{figures.clients - figures.clients_prev:+,}",
    delta_description=_("vs previous window"),
    border=True,
    height="stretch",
    help=_("Clients with sales in the window."),
)
cols[2].metric(
    _("Key clients"),
    fmt_number(figures.key_clients),
    border=True,
    height="stretch",
    help=_(
        "Clients with sales in the window and at least one key-client type (breadwinner, "
        "prospect, image-maker, expert)."
    ),
)
band_text = BAND[figures.key_band].format(
    low=fmt_percent(figures.key_band_low, 0), high=fmt_percent(figures.key_band_high, 0)
)
cols[3].metric(
    _("Key clients' share of {measure}").format(measure=measure.lower()),
    fmt_percent(figures.key_share),
    border=True,
    height="stretch",
    help=_("Key clients usually bring 30-55% of sales (the band is a setting)."),
)
cols[4].metric(
    _("Clients at risk"),
    fmt_number(figures.at_risk),
    border=True,
    height="stretch",
    help=_(
        "Silent for longer than 1.5 times their usual gap between purchases (at least 60 "
        "days), as of the as-of date."
    ),
)
cols[5].metric(
    _("Lost in the last quarter"),
    fmt_number(figures.lost_last_quarter),
    border=True,
    height="stretch",
    help=_(
        "Clients whose lost threshold passed in the last {months} calendar months up to the "
        "as-of date."
    ).format(months=LOST_MONTHS),
)
# The band is a reading of the share, not a change: a caption, not a delta arrow.
st.caption(band_text)

if isinstance(scope, Scope) and not scope.sees_everything:
    totals = remember(company_totals, conn, params)
    st.markdown("**" + _("Company totals") + "**")
    st.caption(_("The whole company's figures for the same window, as totals only."))
    totals_row = st.container(horizontal=True, wrap=True, gap="small")
    tc = [totals_row.container(width=METRIC_WIDTH) for _ in range(4)]
    tc[0].metric(_("Company revenue"), money(totals.revenue), border=True)
    tc[1].metric(_("Company clients"), fmt_number(totals.clients), border=True)
    tc[2].metric(_("Company key clients"), fmt_number(totals.key_clients), border=True)
    tc[3].metric(_("Company key clients' share"), fmt_percent(totals.key_share), border=True)

HEALTH_COLUMN = st.column_config.ProgressColumn(
    _("Health"), min_value=0, max_value=100, format="%.0f", help=_("Account health, 0 to 100.")
)

alerts = remember(at_risk_alerts, conn, params)
all_at_risk = remember(key_clients_at_risk, conn, params)
st.subheader(_("Alerts"))
if alerts.empty:
    st.success(
        _(
            "No key client turned at risk in the last {days} days. {total} key clients are at "
            "risk in all."
        ).format(days=ALERT_DAYS, total=fmt_number(len(all_at_risk)))
    )
else:
    st.warning(
        ngettext(
            "{n} key client turned at risk in the last {days} days ({total} key clients are "
            "at risk in all).",
            "{n} key clients turned at risk in the last {days} days ({total} key clients are "
            "at risk in all).",
            len(alerts),
        ).format(n=fmt_number(len(alerts)), days=ALERT_DAYS, total=fmt_number(len(all_at_risk)))
    )
    shown, config = table(
        "alerts",
        {
            "types": _("Types"),
            "health": HEALTH_COLUMN,
            "at_risk_since": st.column_config.DateColumn(
                _("At risk since"), format=date_column_format()
            ),
            "days_at_risk": st.column_config.NumberColumn(_("Days at risk"), format="%d"),
            "last_purchase": st.column_config.DateColumn(
                _("Last purchase"), format=date_column_format()
            ),
            "days_since_last": st.column_config.NumberColumn(_("Days silent"), format="%d"),
            "median_gap_days": st.column_config.NumberColumn(_("Usual gap (days)"), format="%.0f"),
            "revenue_at_stake": money_column(_("Revenue at stake"), symbol),
            "manager": _("Manager"),
            "region": _("Region"),
        },
    )
    client_table(
        shown, key="overview_alerts", stem="key-clients-turned-at-risk", column_config=config
    )

fallen = remember(health_alerts, conn, params)
if fallen.empty:
    st.success(
        _(
            "No key client's health fell by {points} points or more since the previous quarter."
        ).format(points=f"{HEALTH_FALL_POINTS:.0f}")
    )
else:
    st.warning(
        ngettext(
            "{n} key client's health fell by {points} points or more since the previous quarter.",
            "{n} key clients' health fell by {points} points or more since the previous quarter.",
            len(fallen),
        ).format(n=fmt_number(len(fallen)), points=f"{HEALTH_FALL_POINTS:.0f}")
    )
    shown, config = table(
        "fallen",
        {
            "types": _("Types"),
            "health": HEALTH_COLUMN,
            "health_prev": st.column_config.NumberColumn(_("Health a quarter ago"), format="%.0f"),
            "change": st.column_config.NumberColumn(_("Change (points)"), format="%+.0f"),
            "manager": _("Manager"),
        },
    )
    client_table(
        shown, key="overview_health_alerts", stem="key-clients-health-fell", column_config=config
    )

# Two charts side by side where the page is wide (1400 px), one under the other at 1024 px:
# in half of a narrow page their axes and legends had no room.
charts_row = st.container(horizontal=True, wrap=True, gap="medium")
left, right = (charts_row.container(width=CHART_WIDTH) for _ in range(2))
with left:
    st.plotly_chart(
        report_chart(pareto_figure, pareto_curve, conn, params, extra=(measure.lower(),)),
        width="stretch",
        key="pareto",
    )
with right:
    st.plotly_chart(
        report_chart(revenue_period_figure, revenue_per_period, conn, params),
        width="stretch",
        key="periods",
    )


def _open_mover() -> None:
    event = st.session_state.get("movers_chart")
    points = event["selection"]["points"] if event else []
    if points:
        st.session_state[GOTO_KEY] = strip_isolates(str(points[0]["customdata"][0]))


st.subheader(_("Biggest movers"))
movers = remember(biggest_movers, conn, params)
if movers.empty:
    st.caption(_("No client's revenue changed against the previous window."))
else:
    st.plotly_chart(
        report_chart(movers_figure, biggest_movers, conn, params),
        width="stretch",
        key="movers_chart",
        on_select=_open_mover,
        selection_mode="points",
    )
    st.caption(_("Click a bar or a row to open the client's dossier."))
    columns = {
        "manager": _("Manager"),
        "health": HEALTH_COLUMN,
        "revenue": money_column(_("Revenue"), symbol),
        "revenue_prev": money_column(_("Previous window"), symbol),
        "change": money_column(_("Change"), symbol),
        "change_pct": None,  # shown as "growth": from nothing it reads "new"
        "growth": _("Change %"),
    }
    up, down = st.tabs([_("Growing most"), _("Falling most")])
    for tab, direction, stem in ((up, "up", "movers-up"), (down, "down", "movers-down")):
        with tab:
            shown, config = table(direction, columns)
            client_table(shown, key=f"movers_{direction}", stem=stem, column_config=config)
