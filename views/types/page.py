"""Client types: how many key clients of each type, what they bring, who they are, the rules.

Counts are of the clients with sales in the window, as on every other page (the Overview's
"Clients" and "Key clients"); known clients without sales in it are said apart.
"""

import streamlit as st

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.client_types import client_types
from kam_core.analytics.concentration import concentration
from kam_core.analytics.notices import notice_text
from kam_core.charts.types import types_count_figure, types_value_figure
from kam_core.i18n import _, fmt_date, fmt_number, fmt_percent, ngettext
from kam_core.i18n.formats import date_column_format
from kam_core.services.settings import currency_symbol, money_decimals
from kam_core.vocabulary import CLIENT_TYPES, label_of
from ui.cache import remember, report_chart
from ui.frame import page
from ui.params import measure_label, sidebar_params
from ui.tables import client_table, money_column, percent_column
from views.types.rules import show_rules, type_rules
from views.types.tables import distribution, expert_rows, kind_rows, window_types

conn = page("Client types", previous_while_updating=True)
params = sidebar_params(conn)
window = abc_xyz(conn, params)
known = remember(client_types, conn, params)
types = window_types(conn, params)
if types.empty:
    st.info(_("No clients for these filters: widen the sidebar's choices."))
    st.stop()
measure = measure_label(window.measure)
summary = remember(concentration, conn, params).summary.set_index("metric")["value"]
symbol, decimals = currency_symbol(conn), money_decimals(conn)
MONEY = () if window.measure == "quantity" else ("value",)
METRIC_WIDTH = 260  # pixels, as the Overview's cards
CHART_WIDTH = 440  # pixels: two fit beside each other at 1400 px


# Client tables: amounts rounded to the currency's decimals, the symbol in the header.
def rounded(config: dict) -> tuple[str, ...]:
    """The amount columns a table shows, rounded to the currency's decimals."""
    return tuple(c for c in MONEY if c in config)


if window.as_of is not None:
    st.caption(
        _("{months} months from {start} to {end}; values are {measure} in that window.").format(
            months=fmt_number(params.months),
            start=fmt_date(window.window_start),
            end=fmt_date(window.as_of),
            measure=measure.lower(),
        )
    )
for notice in window.notices:
    st.info(notice_text(notice))

key_share = float(summary["key_clients_share"])
band_low = fmt_percent(params.thresholds.key_share_low, 0)
band_high = fmt_percent(params.thresholds.key_share_high, 0)
# Cards of a fixed width in a wrapping row, as on the Overview: in quarters of a 1024 px page
# the share's label was cut.
cards = st.container(horizontal=True, wrap=True, gap="small")
cols = [cards.container(width=METRIC_WIDTH, height="stretch") for _ in range(4)]
card = {"border": True, "height": "stretch"}
cols[0].metric(
    _("Clients"), fmt_number(len(types)), help=_("Clients with sales in the window."), **card
)
cols[1].metric(_("Key clients"), fmt_number(int(types["is_key"].sum())), **card)
cols[2].metric(
    _("Key clients' share of {measure}").format(measure=measure.lower()),
    fmt_percent(key_share),
    help=_("The article's band for key clients is {low} to {high} of all sales.").format(
        low=band_low, high=band_high
    ),
    **card,
)
cols[3].metric(_("Set by a manager"), fmt_number(int(types["overridden"].sum())), **card)
outside = len(known) - len(types)
if outside > 0:
    st.caption(
        ngettext(
            "{n} more known client has no sales in the window and is not counted here.",
            "{n} more known clients have no sales in the window and are not counted here.",
            outside,
        ).format(n=fmt_number(outside))
    )

# The two charts beside each other at 1400 px, one under the other at 1024 px, the rules under
# them: in three columns the charts were squeezed and the rules ran a few words a line.
charts_row = st.container(horizontal=True, wrap=True, gap="medium")
left, middle = charts_row.container(width=CHART_WIDTH), charts_row.container(width=CHART_WIDTH)
left.plotly_chart(
    report_chart(types_count_figure, distribution, conn, params),
    width="stretch",
    key="types_count",
)
middle.plotly_chart(
    report_chart(types_value_figure, distribution, conn, params, extra=(measure,)),
    width="stretch",
    key="types_value",
)
show_rules(_("Rules in force"), type_rules(params.thresholds, measure.lower()))
st.caption(
    _(
        "A client of several types counts under each of them, so the bars can add up to more "
        "than the total."
    )
)

HEALTH_COLUMN = st.column_config.ProgressColumn(
    _("Health"), min_value=0, max_value=100, format="%.0f", help=_("Account health, 0 to 100.")
)

suggested = types[types["expert_suggested"]]
if not suggested.empty:
    # Built only when opened: closed, its table and downloads were still sent and drawn.
    experts = st.expander(
        ngettext(
            "{n} client returns {share} or more of what it buys: perhaps an expert (demanding "
            "on quality and service)",
            "{n} clients return {share} or more of what they buy: perhaps experts (demanding "
            "on quality and service)",
            len(suggested),
        ).format(
            n=fmt_number(len(suggested)),
            share=fmt_percent(params.thresholds.expert_return_share, 0),
        ),
        key="types_experts",
        on_change="rerun",
    )
    if experts.open:
        with experts:
            st.caption(_("Mark a client as an expert in its dossier to count it as one."))
            config = {
                "health": HEALTH_COLUMN,
                "return_share": percent_column(_("Returned share")),
                "types": _("Types now"),
            }
            shown = expert_rows(conn, params, decimals, rounded(config))
            client_table(
                shown, key="expert_suggested", stem="suggested-experts", column_config=config
            )

st.subheader(_("Clients of each type"))
kind = st.segmented_control(
    _("Type"),
    list(CLIENT_TYPES),
    format_func=lambda k: label_of(CLIENT_TYPES, k),  # the label goes in the URL: ?type=Prospect
    default="breadwinner",
    required=True,
    key="type",
    bind="query-params",
)
kind = kind or "breadwinner"
kind_label = label_of(CLIENT_TYPES, kind)
config = {
    "health": HEALTH_COLUMN,
    "type_labels": _("Types"),
    "abc": "ABC",
    "value": st.column_config.NumberColumn(measure, format="localized")
    if window.measure == "quantity"
    else money_column(measure, symbol),
    "profit_share": percent_column(
        _("Share of profit"),
        help=_(
            "The client's share of the window's profit (of revenue when the data has no "
            "profit): the breadwinner rule's basis."
        ),
    ),
    "first_purchase": st.column_config.DateColumn(_("First purchase"), format=date_column_format()),
    "status": _("Churn status"),
    "qualified": st.column_config.CheckboxColumn(_("3 P's qualified")),
    "overridden": st.column_config.CheckboxColumn(
        _("Set by a manager"), help=_("The types were chosen in the dossier, not by the rules.")
    ),
}
shown = kind_rows(conn, params, kind, decimals, rounded(config))
st.caption(
    ngettext(
        "{type}: {n} client, largest {measure} first.",
        "{type}: {n} clients, largest {measure} first.",
        len(shown),
    ).format(type=kind_label, n=fmt_number(len(shown)), measure=measure.lower())
)
client_table(shown, key=f"types_clients:{kind}", stem=f"clients-{kind}", column_config=config)
