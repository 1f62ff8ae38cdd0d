"""ABC-XYZ: the clickable matrix, a cell's clients, thresholds with what-if, migration."""

import streamlit as st

from kam_core.analytics.abc_xyz import abc_xyz, matrix_of
from kam_core.analytics.migration import migration_summary
from kam_core.analytics.what_if import cell_moves, move_counts
from kam_core.charts.abc_xyz import matrix_figure, migration_sankey, xyz_histogram
from kam_core.vocabulary import DATE_FORMAT
from ui.cache import memo, remember
from ui.frame import page
from ui.params import measure_label, sidebar_params
from ui.tables import client_table, downloads
from ui.text import money
from views.abc_xyz import matrix as mx
from views.abc_xyz import what_if as th

conn = page("ABC-XYZ")
base = sidebar_params(conn)
th.init_state(base)
mx.init_cell()
params = th.what_if_params(base)
result = abc_xyz(conn, params)
matrix = memo(matrix_of, result.clients)
changed = th.differs(params, base)
baseline = abc_xyz(conn, base) if changed else result
measure = measure_label(result.measure).lower()

if result.as_of is not None:
    cuts = result.xyz_cutoffs
    if params.xyz_method == "frequency":
        xyz_text = f"X from {cuts[0]:.0%} of periods, Y from {cuts[1]:.0%}" if cuts else ""
    else:
        xyz_text = f"X up to {cuts[0]:,.2f}, Y up to {cuts[1]:,.2f} variation" if cuts else ""
    st.caption(
        f"{len(result.clients):,} clients with sales from {result.window_start:{DATE_FORMAT}} to "
        f"{result.as_of:{DATE_FORMAT}} ({result.periods} {params.period}s), by {measure}. "
        f"ABC: A up to {params.thresholds.abc_a:.0%}, B up to {params.thresholds.abc_b:.0%} of "
        f"{measure}. XYZ by {th.METHODS[params.xyz_method].lower()}: {xyz_text}."
        + (" These are what-if thresholds, not the ones in force." if changed else "")
    )
for notice in result.notices:
    st.info(notice)
if result.clients.empty:
    st.warning("No client has sales in this window: choose another as-of date or window.")
    st.stop()

cell = mx.chosen_cell()
left, right = st.columns([3, 2], gap="large")
with left:
    figure = memo(
        matrix_figure,
        matrix,
        selected=cell,
        method=params.xyz_method,
        measure=result.measure,
        before=memo(matrix_of, baseline.clients) if changed else None,
    )
    mx.matrix_chart(figure)
with right:
    cell = mx.cell_picker(matrix, measure)
    if cell is None:
        st.info(
            "Click a cell of the matrix, or choose it above, to list its clients and see "
            "its suggested strategy."
        )
    else:
        row = matrix.set_index("cell").loc[cell]
        a, b = st.columns(2)
        a.metric(f"Clients in {cell}", f"{int(row['clients']):,}")
        b.metric(f"Share of {measure}", f"{row['share']:.1%}")
        shown = f"{row['value']:,.0f}" if measure == "quantity" else money(row["value"])
        st.metric(f"{measure.capitalize()} in {cell}", shown)
        st.markdown(f"**Suggested strategy for {cell}**")
        st.text(row["strategy"])

CLIENT_COLUMNS = {
    "cell": "Cell",
    "value": st.column_config.NumberColumn(measure.capitalize(), format="localized"),
    "share": st.column_config.NumberColumn(f"Share of {measure}", format="percent"),
    "cumulative_share": st.column_config.NumberColumn("Cumulative share", format="percent"),
    "xyz_metric": st.column_config.NumberColumn(
        "Frequency" if params.xyz_method == "frequency" else "Variation",
        format="percent" if params.xyz_method == "frequency" else "%.2f",
    ),
    "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
    "profit": st.column_config.NumberColumn("Profit", format="localized"),
}
if cell is not None:
    st.subheader(f"Clients in {cell}")
    # The value column is the measure; the id and name take their headers from the vocabulary.
    shown = ["client_id", "client_name", *(c for c in CLIENT_COLUMNS if c != result.measure)]
    members = result.clients[result.clients["cell"] == cell][shown]
    client_table(
        members, key="abc_cell_clients", stem=f"abc-xyz-{cell}", column_config=CLIENT_COLUMNS
    )

st.subheader("Thresholds")
controls, chart = st.columns([2, 3], gap="large")
with controls:
    th.controls(base, result.xyz_cutoffs)
with chart:
    st.plotly_chart(
        memo(xyz_histogram, result.clients, params.xyz_method, result.xyz_cutoffs),
        width="stretch",
        key="abc_histogram",
    )

st.subheader("What if: clients that change cell")
if not changed:
    st.caption(
        "The matrix uses the thresholds in force. Change a threshold above to see which "
        "clients would move, and where."
    )
else:
    moves = memo(cell_moves, baseline.clients, result.clients)
    st.caption(
        f"Against the thresholds in force: {len(moves):,} of {len(result.clients):,} clients "
        "change cell. The matrix shows each cell's gain or loss in brackets."
    )
    if not moves.empty:
        counts, listing = st.columns([1, 2], gap="large")
        with counts:
            pairs = move_counts(moves)
            st.dataframe(
                pairs,
                hide_index=True,
                width="stretch",
                column_config={
                    "cell_before": "From",
                    "cell_after": "To",
                    "clients": st.column_config.NumberColumn("Clients", format="localized"),
                    "value": st.column_config.NumberColumn(
                        measure.capitalize(), format="localized"
                    ),
                },
                key="abc_move_counts",
            )
            downloads(pairs, "abc-xyz-what-if-counts", "abc_move_counts_dl")
        with listing:
            client_table(
                moves,
                key="abc_moves",
                stem="abc-xyz-what-if",
                column_config={
                    "cell_before": "In force",
                    "cell_after": "What-if",
                    "value": st.column_config.NumberColumn(
                        measure.capitalize(), format="localized"
                    ),
                },
                height=320,
            )

st.subheader("Migration over the last quarter")
moved = remember(migration_summary, conn, params)
table = moved.table
before_label, now_label = f"{moved.before:{DATE_FORMAT}}", f"{moved.now:{DATE_FORMAT}}"
st.caption(
    f"Each client's cell in the window ending {before_label} against the window ending "
    f"{now_label}, with the thresholds above; '-' is no sales in that window."
)
if table.empty:
    st.info("No client to compare.")
else:
    sankey, listing = st.columns([3, 2], gap="large")
    with sankey:
        st.plotly_chart(
            memo(migration_sankey, table, before_label, now_label),
            width="stretch",
            key="abc_sankey",
        )
    with listing:
        st.metric("Clients that changed cell", f"{moved.changed:,}")
        st.caption("Clients per cell: rows before, columns now.")
        st.dataframe(moved.matrix, width="stretch", key="abc_transitions")
        downloads(table, "abc-xyz-migration", "abc_transitions_dl")

st.subheader("Suggested strategy per cell")
st.dataframe(
    matrix[["cell", "clients", "share", "strategy"]],
    hide_index=True,
    width="stretch",
    column_config={
        "cell": "Cell",
        "clients": st.column_config.NumberColumn("Clients", format="localized"),
        "share": st.column_config.NumberColumn(f"Share of {measure}", format="percent"),
        "strategy": st.column_config.TextColumn("Strategy", width="large"),
    },
    key="abc_strategies",
)
downloads(matrix, "abc-xyz-matrix", "abc_strategies_dl")
st.caption("Strategies follow the article's matrix; they are suggestions, not rules.")

th.write_url(base)
mx.write_url()
