"""Churn: probability alive beside the rule's status, and the clients where the two disagree."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kam_core.analytics.churn import churn
from kam_core.analytics.columns import among, map_distinct
from kam_core.analytics.p_alive import (
    ACTIVE_BUT_UNLIKELY,
    LOST_BUT_LIKELY,
    disagreements,
    p_alive_table,
)
from kam_core.analytics.params import AnalysisParams
from kam_core.charts.model import p_alive_by_status_figure
from kam_core.config import Thresholds
from kam_core.i18n import N_, _, fmt_number, fmt_percent, pgettext
from kam_core.services.settings import disagreement_cutoffs
from kam_core.vocabulary import header, status_label
from ui.cache import remember, report_chart
from ui.rtl import rtl_column_config, rtl_columns
from ui.tables import client_table, percent_points, progress_percent

HORIZON_MONTHS = 12
DISAGREEMENTS = {
    "active_but_unlikely": N_("Rule: active; model: probably gone"),
    "lost_but_likely": N_("Rule: lost; model: probably still buying"),
}


def _cut_text(share: float) -> str:
    """A cut-off in percent, with a decimal only when it has one (99.5%, not 100%)."""
    whole = abs(share * 100 - round(share * 100)) < 1e-9
    return fmt_percent(share, 0 if whole else 1)


def _alive_table(
    conn: duckdb.DuckDBPyConnection, as_of: date | None, thresholds: Thresholds
) -> pd.DataFrame:
    return p_alive_table(conn, as_of, HORIZON_MONTHS, thresholds)


def page_alive(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Probability alive of the page's clients (the sidebar's filters and the user's scope)."""
    table = remember(_alive_table, conn, params.as_of, params.thresholds)
    return table[among(table["client_id"], remember(churn, conn, params)["client_id"])]


def _summary(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    table = remember(page_alive, conn, params)
    present = set(table["status"].unique())
    summary = (
        table.groupby("status", sort=False)["p_alive"]
        .agg(["size", "median"])
        .reindex([s for s in ("new", "active", "at_risk", "lost") if s in present])
        .reset_index()
    )
    return pd.DataFrame(
        {
            "status": summary["status"].map(status_label),
            "clients": summary["size"].astype(int),
            "median": summary["median"].map(fmt_percent),
        }
    )


def _status_alive(table: pd.DataFrame) -> go.Figure:
    return p_alive_by_status_figure(table[["status", "p_alive"]])


def _odd(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> tuple[pd.DataFrame, int]:
    cut = disagreement_cutoffs(conn)
    odd = disagreements(remember(page_alive, conn, params), cut.low, cut.high)
    # For BG/NBD a client who bought once has never had a chance to leave, so it is 100% alive
    # by construction: listing such lost clients as "probably still buying" would mislead.
    once = (odd["disagreement"] == "lost_but_likely") & (odd["repeat_purchases"] == 0)
    odd = odd[~once]
    frame = percent_points(odd, ["p_alive"]).assign(
        status=map_distinct(odd["status"], status_label),
        disagreement=map_distinct(odd["disagreement"], lambda d: _(DISAGREEMENTS[d])),
    )[
        [
            "client_id",
            "client_name",
            "status",
            "p_alive",
            "disagreement",
            "repeat_purchases",
        ]
    ]
    return frame, int(once.sum())


def p_alive_section(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """Probability alive per status and the disagreement list; return the clients' table.

    The tables and the chart are kept per stored state, parameters and language: on a 10k-client
    page they cost more than the rest of the view."""
    table = remember(page_alive, conn, params)
    st.subheader(_("Will they buy again?"), anchor=False)
    if table["p_alive"].notna().sum() == 0:
        st.warning(
            _(
                "The purchase model cannot be trusted on this data, so no probability alive is "
                "shown. The Model section below says why."
            ),
            icon=":material/warning:",
        )
        return table
    st.caption(
        _(
            "Probability alive is the chance, from the model of every client's purchase days, "
            "that the client still buys from us. The churn rule looks only at the silence "
            "since the last purchase; the model also weighs how often the client used to buy."
        )
    )
    left, right = st.columns([3, 2])
    left.plotly_chart(
        report_chart(_status_alive, page_alive, conn, params),
        width="stretch",
        key="p_alive_status",
    )
    shown = remember(_summary, conn, params)
    with right:
        config = {
            "status": st.column_config.TextColumn(header("status"), width="small"),
            "clients": st.column_config.NumberColumn(_("Clients"), format="%d", width="small"),
            "median": st.column_config.TextColumn(
                pgettext("statistic", "Median"),
                help=_("Median probability alive"),
                width="small",
            ),
        }
        st.dataframe(
            rtl_columns(shown),
            hide_index=True,
            width="stretch",
            column_config=rtl_column_config(shown, config),
        )
    cut = disagreement_cutoffs(conn)
    frame, once = remember(_odd, conn, params)
    st.markdown("**" + _("Where the rule and the model disagree") + "**")
    st.caption(
        _(
            "Clients the rule calls active although the model gives them under {low}, and "
            "clients the rule calls lost although the model gives them over {high}: worth a "
            "call to find out which is right. An admin sets the two cut-offs in Settings, under "
            "Thresholds (defaults {low_default} and {high_default})."
        ).format(
            low=_cut_text(cut.low),
            high=_cut_text(cut.high),
            low_default=fmt_percent(ACTIVE_BUT_UNLIKELY, 0),
            high_default=fmt_percent(LOST_BUT_LIKELY, 0),
        )
    )
    if once:
        st.caption(
            _(
                "Lost clients who bought only once are left out ({count}): the model counts a "
                "client as alive until a second purchase shows its rhythm."
            ).format(count=fmt_number(once))
        )
    if frame.empty:
        st.caption(_("None: the rule and the model agree on every client."))
        return table
    client_table(
        frame,
        key="disagreements",
        stem="rule-and-model-disagree",
        height=min(38 + 35 * len(frame), 320),
        column_config={
            "status": _("Status by the churn rule"),
            "p_alive": progress_percent(_("Probability alive")),
            "disagreement": _("Disagreement"),
            "repeat_purchases": st.column_config.NumberColumn(_("Repeat purchases"), format="%d"),
        },
    )
    return table
