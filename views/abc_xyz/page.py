"""ABC-XYZ: the clickable matrix, a cell's clients, thresholds with what-if, migration."""

from functools import partial

import streamlit as st

from kam_core.analytics.abc_xyz import abc_xyz, abc_xyz_matrix
from kam_core.analytics.health import health_table
from kam_core.analytics.notices import notice_text
from kam_core.analytics.overview import with_health
from kam_core.analytics.what_if import move_counts, step_counts, step_label
from kam_core.charts.abc_xyz import (
    MATRIX_WIDTH,
    matrix_figure,
    xyz_histogram,
)
from kam_core.i18n import _, fmt_date, fmt_money, fmt_number, fmt_percent, is_rtl
from kam_core.services.settings import currency_symbol, money_decimals
from ui.cache import memo, remember, report_chart
from ui.frame import page
from ui.params import measure_label, sidebar_params
from ui.rtl import rtl_column_config, rtl_columns
from ui.tables import (
    client_table,
    downloads,
    money_column,
    money_table,
    percent_column,
    percent_points,
)
from views.abc_xyz import matrix as mx
from views.abc_xyz import what_if as th
from views.abc_xyz.migration import migration_section
from views.abc_xyz.thresholds import controls as threshold_controls

conn = page("ABC-XYZ", previous_while_updating=True)
base = sidebar_params(conn)
th.init_state(base)
mx.init_cell()
params = th.what_if_params(base)
result = abc_xyz(conn, params)
# Frames and figures by (stored state, parameters): no digest of the 10k-client frame a view.
matrix = remember(abc_xyz_matrix, conn, params)
changed = th.differs(params, base)
baseline = abc_xyz(conn, base) if changed else result
measure = measure_label(result.measure).lower()
symbol, decimals = currency_symbol(conn), money_decimals(conn)
PANEL_WIDTH = 320  # the chosen cell's figures and strategy
CONTROLS_WIDTH, HISTOGRAM_WIDTH = 400, 480  # pixels: beside each other at 1400 px
# Amount columns (the measure's "value" only when it is money).
MONEY = ("revenue", "profit") if result.measure == "quantity" else ("revenue", "profit", "value")

# Client tables: amounts rounded to the currency's decimals, the symbol in the header.
table = partial(money_table, amounts=MONEY, decimals=decimals)


def pct(share: float) -> str:
    """A threshold share as a whole percentage in the locale's form."""
    return fmt_percent(share, 0)


if result.as_of is not None:
    cuts = result.xyz_cutoffs
    if not cuts:
        xyz_text = ""
    elif params.xyz_method == "frequency":
        xyz_text = _("X from {x} of periods, Y from {y}").format(x=pct(cuts[0]), y=pct(cuts[1]))
    else:
        xyz_text = _("X up to {x}, Y up to {y} variation").format(
            x=fmt_number(cuts[0], 2), y=fmt_number(cuts[1], 2)
        )
    periods = {"month": _("months"), "quarter": _("quarters")}.get(params.period, params.period)
    st.caption(
        _(
            "{n} clients with sales from {start} to {end} ({periods} {unit}), by {measure}. "
            "ABC: A up to {a}, B up to {b} of {measure}. XYZ by {method}: {xyz}."
        ).format(
            n=fmt_number(len(result.clients)),
            start=fmt_date(result.window_start),
            end=fmt_date(result.as_of),
            periods=fmt_number(result.periods),
            unit=periods,
            measure=measure,
            a=pct(params.thresholds.abc_a),
            b=pct(params.thresholds.abc_b),
            method=th.method_label(params.xyz_method).lower(),
            xyz=xyz_text,
        )
        + (" " + _("These are what-if thresholds, not the ones in force.") if changed else "")
    )
for notice in result.notices:
    st.info(notice_text(notice))
if result.clients.empty:
    st.warning(_("No client has sales in this window: choose another as-of date or window."))
    st.stop()

health = remember(health_table, conn, base)
HEALTH_COLUMN = st.column_config.ProgressColumn(
    _("Health"), min_value=0, max_value=100, format="%.0f", help=_("Account health, 0 to 100.")
)

cell = mx.chosen_cell()
# The matrix has a fixed size (its square cells tile it): beside the cell's panel when the page
# is wide enough, the panel wraps under it on a narrow screen instead of squeezing the cells.
# A medium gap: with a large one the panel wrapped under the matrix even at 1400 px.
row = st.container(horizontal=True, wrap=True, gap="medium")
left = row.container(width=MATRIX_WIDTH)
right = row.container(width=PANEL_WIDTH)
with left:
    figure = memo(
        matrix_figure,
        matrix,
        selected=cell,
        method=params.xyz_method,
        measure=result.measure,
        before=remember(abc_xyz_matrix, conn, base) if changed else None,
        rtl=is_rtl(),
    )
    mx.matrix_chart(figure)
with right:
    cell = mx.cell_picker(matrix, measure)
    if cell is None:
        st.info(
            _(
                "Click a cell of the matrix, or choose it above, to list its clients and see "
                "its suggested strategy."
            )
        )
    else:
        row = matrix.set_index("cell").loc[cell]
        a, b = st.columns(2)
        a.metric(_("Clients in {cell}").format(cell=cell), fmt_number(int(row["clients"])))
        b.metric(_("Share of {measure}").format(measure=measure), fmt_percent(row["share"]))
        shown = (
            fmt_number(row["value"])
            if result.measure == "quantity"
            else fmt_money(row["value"], symbol, decimals)
        )
        st.metric(
            _("{measure} in {cell}").format(measure=measure_label(result.measure), cell=cell),
            shown,
        )
        st.markdown("**" + _("Suggested strategy for {cell}").format(cell=cell) + "**")
        st.text(row["strategy"])

# Shares shown as percentages with one decimal (the download keeps them as shown).
SHARES = [
    "share",
    "cumulative_share",
    *(["xyz_metric"] if params.xyz_method == "frequency" else []),
]
CLIENT_COLUMNS = {
    "cell": _("Cell"),
    "health": HEALTH_COLUMN,
    "value": st.column_config.NumberColumn(measure_label(result.measure), format="localized")
    if result.measure == "quantity"
    else money_column(measure_label(result.measure), symbol),
    "share": percent_column(_("Share of {measure}").format(measure=measure)),
    "cumulative_share": percent_column(_("Cumulative share")),
    "xyz_metric": percent_column(_("Frequency"))
    if params.xyz_method == "frequency"
    else st.column_config.NumberColumn(_("Variation"), format="%.2f"),
    "revenue": money_column(_("Revenue"), symbol),
    "profit": money_column(_("Profit"), symbol),
}
if cell is not None:
    st.subheader(_("Clients in {cell}").format(cell=cell))
    # The value column is the measure; the id and name take their headers from the vocabulary.
    wanted = [
        "client_id",
        "client_name",
        *(c for c in CLIENT_COLUMNS if c not in (result.measure, "health")),
    ]
    members = result.clients[result.clients["cell"] == cell][wanted]
    shown, config = table(percent_points(with_health(members, health), SHARES), CLIENT_COLUMNS)
    client_table(shown, key="abc_cell_clients", stem=f"abc-xyz-{cell}", column_config=config)

st.subheader(_("Thresholds"))
# The widgets at a width where their labels fit on a line, the histogram beside them on a wide
# page and under them at 1024 px.
threshold_row = st.container(horizontal=True, wrap=True, gap="medium")
controls = threshold_row.container(width=CONTROLS_WIDTH)
histogram = threshold_row.container(width=HISTOGRAM_WIDTH)
with controls:
    threshold_controls(base, result.xyz_cutoffs)
with histogram:
    st.plotly_chart(
        report_chart(
            xyz_histogram,
            th.window_clients,
            conn,
            params,
            extra=(params.xyz_method, result.xyz_cutoffs),
        ),
        width="stretch",
        key="abc_histogram",
    )

STEP_COLUMN = _("Step")
st.subheader(_("What if: clients that change cell"))
if not changed:
    st.caption(
        _(
            "The matrix uses the thresholds in force. Change a threshold above to see which "
            "clients would move, and where."
        )
    )
else:
    moves = remember(th.moves_between, conn, base, params)
    steps = step_counts(moves, "cell_before", "cell_after")
    st.caption(
        _(
            "Against the thresholds in force: {moved} of {n} clients change cell ({up} a step "
            "up, {down} a step down). The matrix shows each cell's gain or loss in brackets."
        ).format(
            moved=fmt_number(len(moves)),
            n=fmt_number(len(result.clients)),
            up=fmt_number(steps["up"]),
            down=fmt_number(steps["down"]),
        )
    )
    if not moves.empty:
        # One under the other: in a third of a 1024 px page the counts and their download
        # buttons had no room.
        counts, listing = st.container(), st.container()
        with counts:
            pairs = move_counts(moves)
            pairs = pairs.assign(step=pairs["step"].map(step_label))
            st.dataframe(
                rtl_columns(pairs),
                hide_index=True,
                width="stretch",
                column_config=rtl_column_config(
                    pairs,
                    {
                        "cell_before": _("From"),
                        "cell_after": _("To"),
                        "step": STEP_COLUMN,
                        "clients": st.column_config.NumberColumn(_("Clients"), format="localized"),
                        "value": st.column_config.NumberColumn(
                            measure_label(result.measure), format="localized"
                        ),
                    },
                ),
                key="abc_move_counts",
            )
            downloads(pairs, "abc-xyz-what-if-counts", "abc_move_counts_dl")
        with listing:
            shown, config = table(
                with_health(moves.assign(step=moves["step"].map(step_label)), health),
                {
                    "health": HEALTH_COLUMN,
                    "cell_before": _("In force"),
                    "cell_after": _("What-if"),
                    "step": STEP_COLUMN,
                    "value": st.column_config.NumberColumn(
                        measure_label(result.measure), format="localized"
                    ),
                },
            )
            client_table(
                shown, key="abc_moves", stem="abc-xyz-what-if", column_config=config, height=320
            )

migration_section(conn, params)

st.subheader(_("Suggested strategy per cell"))
strategies = percent_points(matrix[["cell", "clients", "share", "strategy"]], ["share"])
st.dataframe(
    rtl_columns(strategies),
    hide_index=True,
    width="stretch",
    column_config=rtl_column_config(
        strategies,
        {
            "cell": _("Cell"),
            "clients": st.column_config.NumberColumn(_("Clients"), format="localized"),
            "share": percent_column(_("Share of {measure}").format(measure=measure)),
            "strategy": st.column_config.TextColumn(_("Strategy"), width="large"),
        },
    ),
    key="abc_strategies",
)
downloads(matrix, "abc-xyz-matrix", "abc_strategies_dl")
st.caption(_("Strategies follow the article's matrix; they are suggestions, not rules."))

th.write_url(base)
mx.write_url()
