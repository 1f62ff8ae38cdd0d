"""Settings: every threshold of the domain with its default, and how amounts are shown.

The form only draws and converts (percent on screen, share stored); kam_core.services.settings
checks the values and stores them in one transaction under the write lock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import duckdb
import streamlit as st

from kam_core.config import Thresholds
from kam_core.i18n import N_, _, fmt_number
from kam_core.services.scope import Scope
from kam_core.services.settings import (
    DEFAULTS,
    SettingsRefused,
    reset_thresholds,
    save_thresholds,
)
from ui.params import WINDOWS

PREFIX = "th_"


@dataclass(frozen=True)
class Knob:
    """How one threshold is shown: a share as a percent, a count, or a ratio."""

    name: str
    label: str  # N_-marked; translated when drawn
    kind: str  # "share" (stored 0-1, shown in %), "days", "months", "ratio"
    help: str
    high: float = 100.0


GROUPS: list[tuple[str, list[Knob]]] = [
    (
        N_("Analysis window"),
        [
            Knob(
                "months",
                N_("Window, months"),
                "window",
                N_(
                    "The calendar months ending with the as-of date's month that every report "
                    "looks at (the sidebar starts with this window)."
                ),
            )
        ],
    ),
    (
        N_("ABC classes"),
        [
            Knob(
                "abc_a",
                N_("A: clients up to this cumulative share of value, %"),
                "share",
                N_("Clients sorted by value; A = up to and including the one that crosses it."),
            ),
            Knob("abc_b", N_("B: up to this cumulative share, %"), "share", N_("The rest are C.")),
        ],
    ),
    (
        N_("XYZ classes"),
        [
            Knob(
                "xyz_stability_x",
                N_("Stability: X up to this variation"),
                "ratio",
                N_("Coefficient of variation of revenue per period (std / mean)."),
                10,
            ),
            Knob(
                "xyz_stability_y",
                N_("Stability: Y up to this variation"),
                "ratio",
                N_("Above it: Z."),
                10,
            ),
            Knob(
                "xyz_frequency_x",
                N_("Frequency: X from this share of periods with a purchase, %"),
                "share",
                N_("Frequent buyers."),
            ),
            Knob(
                "xyz_frequency_y",
                N_("Frequency: Y from this share of periods with a purchase, %"),
                "share",
                N_("Below it: Z (irregular)."),
            ),
        ],
    ),
    (
        N_("Key clients and their types"),
        [
            Knob(
                "key_share_low",
                N_("Key clients' share of sales: band from, %"),
                "share",
                N_("The article: key clients often make 30-55% of all sales."),
            ),
            Knob(
                "key_share_high",
                N_("Key clients' share of sales: band to, %"),
                "share",
                N_("The top of that band."),
            ),
            Knob(
                "breadwinner_share",
                N_("Breadwinner: share of profit from, %"),
                "share",
                N_("Revenue share where the data has no profit."),
            ),
            Knob(
                "breadwinner_months",
                N_("Breadwinner: or class A with a relationship of at least, months"),
                "months",
                N_("Months since the first purchase."),
            ),
            Knob(
                "prospect_days",
                N_("Prospect: first purchase within, days"),
                "days",
                N_("A new client with a good budget."),
            ),
            Knob(
                "prospect_top_share",
                N_("Prospect: spend in this top share of new clients, %"),
                "share",
                N_("Among the clients whose first purchase is that recent."),
            ),
            Knob(
                "expert_return_share",
                N_("Expert hint: returns from this share of purchases, %"),
                "share",
                N_("Clients returning this much are suggested as experts; a manager confirms."),
            ),
        ],
    ),
    (
        N_("Churn"),
        [
            Knob("churn_new_days", N_("New: first purchase within, days"), "days", ""),
            Knob(
                "churn_risk_gaps",
                N_("At risk: silent longer than this many median gaps"),
                "ratio",
                N_("The client's median gap between purchases."),
                20,
            ),
            Knob("churn_risk_days", N_("At risk: and silent at least this many days"), "days", ""),
            Knob(
                "churn_lost_gaps",
                N_("Lost: silent longer than this many median gaps"),
                "ratio",
                "",
                20,
            ),
            Knob("churn_lost_days", N_("Lost: and silent at least this many days"), "days", ""),
        ],
    ),
]


def _shown(knob: Knob, value: float) -> float | int:
    return round(value * 100, 4) if knob.kind == "share" else value


def _default_text(knob: Knob) -> str:
    """The default as the input shows it: 80%, 12 months, 90 days, 1.5."""
    value = _shown(knob, getattr(DEFAULTS, knob.name))
    number = fmt_number(value, 0 if float(value).is_integer() else 1)
    if knob.kind == "share":
        return f"{number}%"  # the input is in percent: the default reads the same way
    if knob.kind in ("months", "window"):
        return _("{n} months").format(n=number)
    if knob.kind == "days":
        return _("{n} days").format(n=number)
    return number


def _input(knob: Knob, current: Thresholds) -> float | int:
    label = _("{label} (default {value})").format(label=_(knob.label), value=_default_text(knob))
    key = PREFIX + knob.name
    value = _shown(knob, getattr(current, knob.name))
    tip = _(knob.help) if knob.help else None
    if knob.kind == "window":
        index = WINDOWS.index(value) if value in WINDOWS else WINDOWS.index(DEFAULTS.months)
        return st.selectbox(label, WINDOWS, index=index, key=key, help=tip)
    if knob.kind in ("days", "months"):
        return st.number_input(
            label, min_value=1, max_value=3650, value=int(value), step=1, key=key, help=tip
        )
    share = knob.kind == "share"
    return st.number_input(
        label,
        min_value=0.0,
        max_value=float(knob.high),
        value=float(value),
        step=1.0 if share else 0.05,
        format="%.1f" if share else "%.2f",
        key=key,
        help=tip,
    )


def _stored(values: dict[str, float]) -> Thresholds:
    """Turn the form's values back into Thresholds (percent to share)."""
    knobs = {k.name: k for _, group in GROUPS for k in group}
    changes = {
        name: (value / 100 if knobs[name].kind == "share" else value)
        for name, value in values.items()
    }
    return Thresholds(**{**asdict(DEFAULTS), **changes})


def _forget_inputs() -> None:
    for key in [k for k in st.session_state if str(k).startswith(PREFIX)]:
        del st.session_state[key]


def thresholds_form(
    conn: duckdb.DuckDBPyConnection, current: Thresholds, scope: Scope | None = None
) -> None:
    """The form of every threshold; saving stores all of them, reset restores the defaults."""
    with st.form("thresholds_form"):
        values: dict[str, float] = {}
        for title, knobs in GROUPS:
            st.markdown(f"**{_(title)}**")
            cols = st.columns(2)
            for i, knob in enumerate(knobs):
                with cols[i % 2]:
                    values[knob.name] = _input(knob, current)
        submitted = st.form_submit_button(_("Save thresholds"), type="primary")
    if submitted:
        try:
            save_thresholds(conn, _stored(values), by=scope)
        except SettingsRefused as exc:
            st.error(_("Not saved: {reason}").format(reason=exc))
        else:
            _forget_inputs()
            st.session_state["flash"] = _("Thresholds saved; every page now uses them.")
            st.rerun()
    if st.button(_("Reset all thresholds to their defaults"), key="th_reset_button"):
        reset_thresholds(conn, by=scope)
        _forget_inputs()
        st.session_state["flash"] = _("Thresholds reset to their defaults.")
        st.rerun()
