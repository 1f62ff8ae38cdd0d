"""The ABC-XYZ page's migration section: each client's cell a quarter ago against now."""

from __future__ import annotations

import duckdb
import streamlit as st

from kam_core.analytics.migration import migration_summary
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.what_if import step_counts
from kam_core.charts.abc_xyz_migration import migration_sankey
from kam_core.i18n import _, fmt_date, fmt_number
from ui.cache import chart, remember
from ui.rtl import rtl_columns
from ui.tables import downloads

SANKEY_WIDTH, LISTING_WIDTH = 480, 400  # pixels: both fit beside each other at 1400 px


def migration_section(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> None:
    """The Sankey of moves between cells, the counts of steps, and the cell-to-cell table."""
    st.subheader(_("Migration over the last quarter"))
    moved = remember(migration_summary, conn, params)
    migrations = moved.table
    before_label, now_label = fmt_date(moved.before), fmt_date(moved.now)
    st.caption(
        _(
            "Each client's cell in the window ending {before} against the window ending {now}, "
            "with the thresholds above; '-' is no sales in that window."
        ).format(before=before_label, now=now_label)
    )
    if migrations.empty:
        st.info(_("No client to compare."))
        return
    # Side by side on a wide page, one under the other at 1024 px (the counts' table and its
    # download buttons had no room in two fifths of a narrow page).
    row = st.container(horizontal=True, wrap=True, gap="medium")
    sankey, listing = row.container(width=SANKEY_WIDTH), row.container(width=LISTING_WIDTH)
    with sankey:
        st.plotly_chart(
            chart(migration_sankey, migrations, before_label, now_label),
            width="stretch",
            key="abc_sankey",
        )
    with listing:
        steps = step_counts(migrations, "cell_before", "cell_now", "clients")
        st.metric(_("Clients that changed cell"), fmt_number(moved.changed))
        st.caption(
            _(
                "{up} stepped up, {down} stepped down, {new} new in the matrix, {out} left it."
            ).format(
                up=fmt_number(steps["up"]),
                down=fmt_number(steps["down"]),
                new=fmt_number(steps["in"]),
                out=fmt_number(steps["out"]),
            )
        )
        st.caption(_("Clients per cell: rows before, columns now."))
        cross = moved.matrix.rename_axis(index=_("before"), columns=_("now"))
        st.dataframe(rtl_columns(cross), width="stretch", key="abc_transitions")
    # Under the row: in the narrow block the buttons lost their labels.
    downloads(migrations, "abc-xyz-migration", "abc_transitions_dl")
