"""Churn: the Model section (the fit, its check on held-out weeks, the caveats in plain words).

The probability-alive section and the disagreement list live in views/churn/alive.py; the page
takes both from here."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from kam_core.analytics.p_alive import (
    ModelFit,
    holdout_validation,
    model_fit,
)
from kam_core.charts.model import by_purchases_figure, cumulative_figure
from kam_core.i18n import (
    N_,
    _,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_signed_percent,
)
from ui.cache import chart, remember
from ui.rtl import rtl_column_config, rtl_columns
from views.churn.alive import p_alive_section

__all__ = ["issue_texts", "model_section", "p_alive_section"]

# Why a fit is not shown or must be read with care, in a manager's words (clv.Issue codes).
ISSUE_TEXTS: dict[str, str] = {
    "no_data": N_("There are no purchases up to the as-of date."),
    "few_repeat_buyers": N_(
        "Too few clients have bought more than once: the model has too little to learn from."
    ),
    "no_convergence": N_("The calculation did not settle on an answer."),
    "absurd_parameters": N_(
        "The calculation ran to an extreme value: the data cannot pin the model down."
    ),
    "large_parameters": N_(
        "On one side of the model the clients look alike (for instance, every client has the "
        "same small chance to stop buying after a purchase): the model uses one value for all "
        "of them there, which is what this data supports."
    ),
    "infinite_mean_value": N_(
        "The value of a purchase varies too wildly for an average to mean anything: expected "
        "values are not shown."
    ),
    "value_depends_on_frequency": N_(
        "Clients who buy more often also spend a different amount per purchase: the expected "
        "value per purchase leans on an assumption this data does not meet."
    ),
    "no_dropout_seen": N_(
        "In this history no client has yet stayed away long enough to show that clients "
        "leave: every silence still looks like an ordinary gap between orders, so the model "
        "cannot learn how clients stop buying. A longer history will allow it."
    ),
    "no_holdout": N_("The history is too short to hold part of it out."),
}


def issue_texts(fit: ModelFit) -> list[str]:
    """The fit's findings in plain words, blocking ones first."""
    ordered = sorted(fit.issues, key=lambda i: not i.blocking)
    return [_(ISSUE_TEXTS[i.code]) if i.code in ISSUE_TEXTS else i.message for i in ordered]


def _parameters(fit: ModelFit) -> pd.DataFrame:
    """The fitted parameters with one line of meaning each."""
    bg, gg = fit.bgnbd, fit.gamma_gamma
    rows: list[tuple[str, float, str]] = []
    if bg is not None:
        rows += [
            ("r", bg.r, _("Shape of how often clients buy (with alpha)")),
            ("alpha", bg.alpha, _("Scale of the weeks between purchases (with r)")),
            ("a", bg.a, _("Shape of how likely a client is to leave after a purchase (with b)")),
            ("b", bg.b, _("With a: the average chance to leave after a purchase is a / (a + b)")),
        ]
    if gg is not None and fit.value_trusted:
        rows += [
            ("p", gg.p, _("Shape of how much one purchase is worth")),
            ("q", gg.q, _("Shape of how client averages differ (with gamma)")),
            ("gamma", gg.gamma, _("Scale of the client averages (with q)")),
        ]
    return pd.DataFrame(
        {
            "parameter": [r[0] for r in rows],
            "value": [fmt_number(r[1], 3) for r in rows],
            "meaning": [r[2] for r in rows],
        }
    )


def model_section(conn: duckdb.DuckDBPyConnection, as_of: date | None) -> None:
    """The fit, its check against held-out weeks, and the caveats, in plain words."""
    fit = remember(model_fit, conn, as_of)
    st.caption(
        _(
            "Probability alive and expected purchases come from the BG/NBD model; the value "
            "of a purchase from the Gamma-Gamma model. Both are fitted on every client's "
            "purchase days up to {as_of}."
        ).format(as_of=fmt_date(fit.as_of or as_of))
    )
    findings = issue_texts(fit)
    if not fit.trusted:
        st.error(
            _("The model cannot be trusted on this data, so its figures are not shown."),
            icon=":material/block:",
        )
        for text in findings:
            st.markdown("- " + text)
        return
    bg = fit.bgnbd
    assert bg is not None
    # Two rows of two: four labels in a row were cut at 1024 px.
    cols = [*st.columns(2), *st.columns(2)]
    cols[0].metric(_("Clients"), fmt_number(bg.clients))
    cols[1].metric(_("Bought more than once"), fmt_number(bg.repeat_buyers))
    chance = bg.a / (bg.a + bg.b)
    cols[2].metric(
        _("Chance to leave after a purchase"),
        fmt_percent(chance),
        help=_("On average over the clients: a / (a + b) of the BG/NBD fit."),
    )
    corr = fit.frequency_value_correlation
    cols[3].metric(
        _("Frequency and value"),
        fmt_number(corr, 2),
        help=_(
            "The correlation between how often repeat buyers buy and what they spend per "
            "purchase. The Gamma-Gamma model assumes there is none: near 0 is what it needs."
        ),
    )
    params = _parameters(fit)
    config = {
        "parameter": _("Parameter"),
        "value": _("Value"),
        "meaning": _("What it says"),
    }
    st.dataframe(
        rtl_columns(params),
        hide_index=True,
        width="stretch",
        column_config=rtl_column_config(params, config),
    )
    if not fit.value_trusted:
        st.warning(
            _("Expected values per purchase are not shown: the value model cannot be trusted."),
            icon=":material/warning:",
        )
    st.markdown("**" + _("What to keep in mind") + "**")
    caveats = [
        *findings,
        _("The model knows only purchase days: it does not see contracts, seasons or calls."),
        _(
            "A probability alive is a chance, not a verdict: of 100 clients at 30%, about 30 "
            "still buy."
        ),
    ]
    for text in caveats:
        st.markdown("- " + text)
    _validation(conn, as_of)


def _validation(conn: duckdb.DuckDBPyConnection, as_of: date | None) -> None:
    """Fit on the history before the last weeks and compare with what happened in them."""
    check = remember(holdout_validation, conn, as_of)
    st.markdown("**" + _("Check against the last weeks") + "**")
    if check.by_week.empty:
        st.info(
            _(
                "The check cannot be made: the model fitted on the history up to {date} alone "
                "cannot be trusted."
            ).format(date=fmt_date(check.calibration_end)),
            icon=":material/info:",
        )
        for text in issue_texts(check.fit):
            st.markdown("- " + text)
        return
    st.caption(
        _(
            "The model was fitted again on the history up to {start} only, then asked how "
            "many repeat purchases the {weeks} weeks after would bring. The lines compare its "
            "answer with what happened."
        ).format(start=fmt_date(check.calibration_end), weeks=check.holdout_weeks)
    )
    for text in issue_texts(check.fit):
        st.caption(_("About the fit on the shorter history: {note}").format(note=text))
    cols = st.columns(3)
    cols[0].metric(
        _("Error at the end"),
        fmt_signed_percent(check.end_error),
        help=_("Predicted repeat purchases over the whole holdout against the actual ones."),
    )
    cols[1].metric(
        _("Average error over the weeks"),
        fmt_percent(check.curve_mape),
        help=_("The mean gap between the two lines, as a share of the actual line."),
    )
    cols[2].metric(
        _("Average error per client"),
        fmt_number(check.group_mae, 2),
        help=_("Purchases per client, predicted against actual, averaged over the groups."),
    )
    left, right = st.columns(2)
    left.plotly_chart(chart(cumulative_figure, check.by_week), width="stretch", key="holdout_weeks")
    right.plotly_chart(
        chart(by_purchases_figure, check.by_purchases),
        width="stretch",
        key="holdout_groups",
    )
