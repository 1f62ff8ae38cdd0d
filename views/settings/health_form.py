"""Settings: the weights of the account health score and where the churn model is said to
disagree with the rule, each with its default and its meaning in a manager's words.

The forms only draw and convert (percent on screen, share stored); kam_core.services.settings
checks the values and stores them in one transaction under the write lock, audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

import duckdb
import streamlit as st

from kam_core.analytics.health_weights import DEFAULT_WEIGHTS, PART_RULES, PARTS
from kam_core.analytics.p_alive import DisagreementCutoffs
from kam_core.dossier.outlook import PART_NAMES, PART_WORDS
from kam_core.i18n import _, fmt_number, fmt_percent
from kam_core.services.scope import Scope
from kam_core.services.settings import (
    SettingsRefused,
    disagreement_cutoffs,
    health_weights,
    reset_disagreement_cutoffs,
    reset_health_weights,
    save_disagreement_cutoffs,
    save_health_weights,
)

WEIGHT_PREFIX, CUTOFF_PREFIX = "hw_", "mc_"
DEFAULT_CUTOFFS = DisagreementCutoffs()


def _forget(prefix: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def _changed(write: Callable[[], object], prefix: str, done: str) -> None:
    """Run a settings write; on success forget the form's inputs and rerun with done."""
    try:
        write()
    except SettingsRefused as exc:
        st.error(_("Not saved: {reason}").format(reason=exc))
        return
    _forget(prefix)
    st.session_state["flash"] = done
    st.rerun()


def _share_of_default(part: str) -> str:
    """A part's default weight as a share of all the defaults: 25 of 100 reads as 25%."""
    total = sum(asdict(DEFAULT_WEIGHTS).values())
    return fmt_percent(getattr(DEFAULT_WEIGHTS, part) / total, 0)


def health_weights_form(conn: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> None:
    """One weight per health part with its default and meaning; save, or reset to defaults."""
    st.subheader(_("Health score"), anchor=False)
    st.caption(
        _(
            "Every client's health score, from 0 to 100, is an average of the parts below, "
            "each scored 0 to 100. A weight says how much a part counts against the others: "
            "only the proportions matter (doubling every weight changes nothing), and 0 leaves "
            "a part out. When a client has no data for a part (no dossier yet, no delivery "
            "dates), that part is skipped and the others share its weight; the score says how "
            "many parts it rests on."
        )
    )
    st.caption(
        _(
            "The defaults put most weight on whether the client keeps buying (probability "
            "alive and the revenue trend), then on the people we know there: these say best "
            "whether an account is slipping away."
        )
    )
    current = health_weights(conn)
    with st.form("health_weights_form"):
        values: dict[str, float] = {}
        cols = st.columns(2)
        for i, part in enumerate(PARTS):
            default = getattr(DEFAULT_WEIGHTS, part)
            label = _("{part} (default {value}, that is {share} of the score)").format(
                part=_(PART_NAMES[part]),
                value=fmt_number(default, 0),
                share=_share_of_default(part),
            )
            with cols[i % 2]:
                values[part] = st.number_input(
                    label,
                    min_value=0.0,
                    max_value=1000.0,
                    value=float(getattr(current, part)),
                    step=1.0,
                    format="%.1f",
                    key=WEIGHT_PREFIX + part,
                    help=_(PART_RULES[part]),
                )
                st.caption(_(PART_WORDS[part]))
        submitted = st.form_submit_button(_("Save health weights"), type="primary")
    if submitted:
        _changed(
            lambda: save_health_weights(conn, values, by=scope),
            WEIGHT_PREFIX,
            _("Health weights saved; every health score uses them."),
        )
    if st.button(_("Reset the health weights to their defaults"), key="hw_reset_button"):
        _changed(
            lambda: reset_health_weights(conn, by=scope),
            WEIGHT_PREFIX,
            _("Health weights reset to their defaults."),
        )


def cutoffs_form(conn: duckdb.DuckDBPyConnection, scope: Scope | None = None) -> None:
    """The two cut-offs of the Churn page's list of clients where the rule and model disagree."""
    st.subheader(_("Churn model: where the rule and the model disagree"), anchor=False)
    st.caption(
        _(
            "The Churn page lists clients the churn rule calls active although the model gives "
            "them little chance of buying again, and clients the rule calls lost although the "
            "model thinks they probably still buy. These two cut-offs decide who is listed: a "
            "lower first one or a higher second one gives a shorter list of clearer cases."
        )
    )
    current = disagreement_cutoffs(conn)
    with st.form("cutoffs_form"):
        left, right = st.columns(2)
        low = left.number_input(
            _("Rule says active, model gives under, % (default {value})").format(
                value=fmt_percent(DEFAULT_CUTOFFS.low, 0)
            ),
            min_value=0.0,
            max_value=100.0,
            value=round(current.low * 100, 4),
            step=1.0,
            format="%.1f",
            key=CUTOFF_PREFIX + "low",
            help=_("Active clients whose chance of buying again is below this are listed."),
        )
        high = right.number_input(
            _("Rule says lost, model gives over, % (default {value})").format(
                value=fmt_percent(DEFAULT_CUTOFFS.high, 0)
            ),
            min_value=0.0,
            max_value=100.0,
            value=round(current.high * 100, 4),
            step=1.0,
            format="%.1f",
            key=CUTOFF_PREFIX + "high",
            help=_("Lost clients whose chance of buying again is above this are listed."),
        )
        submitted = st.form_submit_button(_("Save the cut-offs"), type="primary")
    if submitted:
        _changed(
            lambda: save_disagreement_cutoffs(conn, low / 100, high / 100, by=scope),
            CUTOFF_PREFIX,
            _("Cut-offs saved; the Churn page uses them."),
        )
    if st.button(_("Reset the cut-offs to their defaults"), key="mc_reset_button"):
        _changed(
            lambda: reset_disagreement_cutoffs(conn, by=scope),
            CUTOFF_PREFIX,
            _("Cut-offs reset to their defaults."),
        )
