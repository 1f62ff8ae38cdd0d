"""The clickable ABC-XYZ matrix: a plotly chart whose click chooses a cell, and a cell picker.

A click and the picker write the same session key, so a keyboard user (and a test) can choose
a cell without the mouse; the chosen cell is kept in the URL as ?cell=AX.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kam_core.analytics.abc_xyz import CELLS
from kam_core.charts.abc_xyz import MATRIX_WIDTH
from kam_core.i18n import _, fmt_number, fmt_percent, ngettext, strip_isolates

CELL_KEY = "abc_cell"
CHART_KEY = "abc_matrix"
KEEP_KEY = "abc_cell_kept"  # a plain key: survives a visit to another page, unlike a widget's
GEN_KEY = "abc_matrix_gen"  # a new chart key after a pick, so the chart forgets its selection
URL_KEY = "cell"


def init_cell() -> None:
    """Take the chosen cell from the URL, or the one chosen before leaving the page."""
    if CELL_KEY not in st.session_state:
        wanted = (st.query_params.get(URL_KEY) or "").upper()
        if wanted not in CELLS:
            wanted = st.session_state.get(KEEP_KEY)
        st.session_state[CELL_KEY] = wanted if wanted in CELLS else None


def chosen_cell() -> str | None:
    """The cell chosen by a click or by the picker, if any."""
    return st.session_state.get(CELL_KEY)


def _cell_of(point: dict) -> str | None:
    custom = point.get("customdata")
    if isinstance(custom, list | tuple) and custom and strip_isolates(str(custom[0])) in CELLS:
        return strip_isolates(str(custom[0]))
    cell = strip_isolates(f"{point.get('y', '')}{point.get('x', '')}")
    return cell if cell in CELLS else None


def _chart_key() -> str:
    return f"{CHART_KEY}_{st.session_state.get(GEN_KEY, 0)}"


def _picked() -> None:
    st.session_state[GEN_KEY] = st.session_state.get(GEN_KEY, 0) + 1


def _clicked() -> None:
    event = st.session_state.get(_chart_key())
    points = []
    if event is not None:
        selection = event.get("selection", {}) if isinstance(event, dict) else event.selection
        points = selection.get("points", []) if isinstance(selection, dict) else selection.points
    cells = [c for c in (_cell_of(p) for p in points) if c]
    if cells:  # a click on the chosen cell again unselects it in plotly: keep the choice
        st.session_state[CELL_KEY] = cells[-1]


def matrix_chart(fig: go.Figure) -> None:
    """Draw the matrix; a click on a cell chooses it."""
    st.plotly_chart(
        fig,
        key=_chart_key(),
        on_select=_clicked,
        selection_mode="points",
        width=MATRIX_WIDTH,
        theme=None,
        config={"displayModeBar": False},
    )


def cell_picker(matrix: pd.DataFrame, measure: str) -> str | None:
    """The same choice without the mouse: a select box of the nine cells with their size."""
    rows = matrix.set_index("cell")

    def label(cell: str) -> str:
        row = rows.loc[cell]
        clients = int(row["clients"])
        return ngettext(
            "{cell}: {n} client, {share} of {measure}",
            "{cell}: {n} clients, {share} of {measure}",
            clients,
        ).format(
            cell=cell,
            n=fmt_number(clients),
            share=fmt_percent(row["share"]),
            measure=measure,
        )

    return st.selectbox(
        _("Cell"),
        list(CELLS),
        key=CELL_KEY,
        format_func=label,
        on_change=_picked,
        placeholder=_("Choose a cell"),
        help=_("Click a cell of the matrix, or choose it here, to list its clients."),
    )


def write_url() -> None:
    """Keep the chosen cell in the URL (and in the session, for the next visit)."""
    cell = chosen_cell()
    st.session_state[KEEP_KEY] = cell
    if cell is None:
        if URL_KEY in st.query_params:
            del st.query_params[URL_KEY]
    elif st.query_params.get(URL_KEY) != cell:
        st.query_params[URL_KEY] = cell
