"""Churn and win-back: statuses, probability alive, losses per month and by direction, at-risk
and win-back lists, and the purchase model behind probability alive."""

import duckdb
import pandas as pd
import streamlit as st

from kam_core.analytics.churn import at_risk_clients, churn, revenue_at_stake, status_counts
from kam_core.analytics.losses import TREND_MONTHS, losses
from kam_core.analytics.params import AnalysisParams
from kam_core.charts.churn import losses_figure, status_figure
from kam_core.i18n import _, fmt_date, fmt_money, fmt_number
from kam_core.i18n import terms as t
from kam_core.i18n.formats import date_column_format
from kam_core.services.settings import currency_symbol, money_decimals
from ui.cache import chart, remember
from ui.frame import page
from ui.params import sidebar_params
from ui.rules import churn_rules, show_rules, trend_sentence
from ui.tables import client_table, money_column, percent_points, progress_percent
from views.churn.alive import page_alive
from views.churn.losses_by import losses_breakdown
from views.churn.model import model_section, p_alive_section
from views.churn.win_back import win_back_editor

conn = page("Churn and win-back", previous_while_updating=True)
params = sidebar_params(conn)
th = params.thresholds
symbol, decimals = currency_symbol(conn), money_decimals(conn)
COUNT_WIDTH, STAKE_WIDTH = 140, 240  # pixels: a count of clients; an amount in millions
CHART_WIDTH, RULES_WIDTH = 500, 400  # pixels: beside each other at 1400 px


def short_money(value: float) -> str:
    """An amount for a metric: millions as "₪3.65M" so it is never cut; smaller ones in full."""
    if value != value or abs(value) < 1_000_000:
        return fmt_money(value, symbol, decimals)
    number = fmt_number(value / 1_000_000, 2)
    return _("{symbol}{number}M").format(symbol=symbol.strip(), number=number)


def _status_counts(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    return status_counts(remember(churn, conn, params))


def _at_risk(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """The at-risk list as shown: probability alive beside each client, in percentage points."""
    alive = remember(page_alive, conn, params)[["client_id", "p_alive"]]
    at_risk = at_risk_clients(remember(churn, conn, params)).merge(
        alive, on="client_id", how="left"
    )
    return percent_points(at_risk, ["p_alive"])[
        [
            "client_id",
            "client_name",
            "last_purchase",
            "days_since_last",
            "p_alive",
            "revenue_at_stake",
            "manager",
            "region",
        ]
    ]


table = remember(churn, conn, params)
if table.empty:
    st.info(_("No clients for these filters: widen the sidebar's choices."))
    st.stop()
by_status = remember(_status_counts, conn, params)
counts = by_status.set_index("status")
lost = remember(losses, conn, params)

st.caption(
    _(
        "The status of every client who ever bought, as of {date}, by the thresholds in force "
        "(listed with the chart)."
    ).format(date=fmt_date(params.as_of))
)
stake = revenue_at_stake(by_status)
# Cards of a fixed width in a wrapping row, as on the Overview: in fractions of the page the
# amount was cut at 1024 px, and its label in Hebrew at 1400 px.
cards = st.container(horizontal=True, wrap=True, gap="small")
for _code, row in counts.iterrows():
    cards.container(width=COUNT_WIDTH, height="stretch").metric(
        row["label"], fmt_number(int(row["clients"])), border=True, height="stretch"
    )
cards.container(width=STAKE_WIDTH, height="stretch").metric(
    _("Revenue at stake"),
    short_money(stake),
    help=_(
        "{amount}: what the at-risk and lost clients bought in the 12 months up to their last "
        "purchase."
    ).format(amount=fmt_money(stake, symbol, decimals)),
    border=True,
    height="stretch",
)

# The chart and the rules beside each other at 1400 px, one under the other at 1024 px.
status_row = st.container(horizontal=True, wrap=True, gap="medium")
left, right = status_row.container(width=CHART_WIDTH), status_row.container(width=RULES_WIDTH)
left.plotly_chart(chart(status_figure, by_status), width="stretch", key="churn_status")
with right:
    show_rules(
        _("Thresholds in force"),
        churn_rules(th),
        _(
            "Checked in this order. The median gap is the client's median number of days "
            "between purchases. The thresholds are settings: change them on the Settings page."
        ),
    )

p_alive_section(conn, params)

st.subheader(_("Losses per month"), anchor=False)
sentence = trend_sentence(lost.by_month, lost.trend, TREND_MONTHS)
if lost.trend == "worse":
    st.warning(sentence, icon=":material/trending_up:")
elif lost.trend == "better":
    st.success(sentence, icon=":material/trending_down:")
else:
    st.info(sentence, icon=":material/trending_flat:")
if lost.by_month.empty:
    st.caption(_("No client has been lost yet."))
else:
    # The note under the chart: in a fifth of a 1024 px page it ran a word a line.
    graph, note = st.container(), st.container()
    graph.plotly_chart(
        chart(losses_figure, lost.by_month, TREND_MONTHS),
        width="stretch",
        key="losses",
    )
    note.caption(
        _(
            "A lost client counts in the month it passed the lost threshold: its last purchase "
            "plus {gaps} x its median gap, at least {days} days. Revenue lost is what it bought "
            "in the 12 months up to its last purchase. The dotted line is the {months}-month "
            "average."
        ).format(gaps=f"{th.churn_lost_gaps:g}", days=th.churn_lost_days, months=TREND_MONTHS)
    )

    st.subheader(_("Where losses come from"), anchor=False)
    losses_breakdown(lost, symbol, decimals)

st.subheader(t.term(t.STATUS_AT_RISK), anchor=False)
at_risk = remember(_at_risk, conn, params)
st.caption(
    _(
        "{count} clients silent longer than their usual rhythm allows, largest revenue first. "
        "Tick a row's box to open the client's dossier."
    ).format(count=fmt_number(len(at_risk)))
)
client_table(
    at_risk,
    key="at_risk",
    stem="clients-at-risk",
    height=320,
    column_config={
        "last_purchase": st.column_config.DateColumn(
            _("Last purchase"), format=date_column_format()
        ),
        "days_since_last": st.column_config.NumberColumn(_("Days silent"), format="%d"),
        "p_alive": progress_percent(t.term(t.PROBABILITY_ALIVE)),
        "revenue_at_stake": money_column(_("Revenue at stake"), symbol),
        "manager": _("Manager"),
        "region": _("Region"),
        "segment": _("Segment"),
    },
)

st.subheader(t.term(t.WIN_BACK_LIST), anchor=False)
st.caption(
    _(
        "Lost and at-risk clients, largest revenue at stake first, with an offer that grows "
        "with what is at stake: a personal meeting for a client the size of an A client, a "
        "discount for a B-sized one, a campaign for the rest."
    )
)
key_only = st.toggle(_("Key clients only"), key="key_only", bind="query-params")
win_back_editor(conn, params, bool(key_only))

# Built only when opened: its fit, holdout check and two charts were drawn in every browser on
# every view, closed (a third of the page's charts) for the few who read about the model.
model = st.expander(
    _("The model behind probability alive, and how far to trust it"),
    key="churn_model",
    on_change="rerun",
)
if model.open:
    with model:
        model_section(conn, params.as_of)
