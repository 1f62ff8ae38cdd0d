"""Settings: every threshold of the domain with its default, and the currency symbol.

The form only draws and converts (percent on screen, share stored); kam_core.services.settings
checks the values and stores them in one transaction under the write lock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import duckdb
import streamlit as st

from kam_core.config import Thresholds
from kam_core.services.settings import (
    CURRENCIES,
    DEFAULT_CURRENCY,
    DEFAULTS,
    SettingsRefused,
    currency_symbol,
    reset_thresholds,
    save_display,
    save_thresholds,
)
from ui.params import WINDOWS

PREFIX = "th_"


@dataclass(frozen=True)
class Knob:
    """How one threshold is shown: a share as a percent, a count, or a ratio."""

    name: str
    label: str
    kind: str  # "share" (stored 0-1, shown in %), "days", "months", "ratio"
    help: str
    high: float = 100.0


GROUPS: list[tuple[str, list[Knob]]] = [
    (
        "Analysis window",
        [
            Knob(
                "months",
                "Window, months",
                "window",
                "The calendar months ending with the as-of date's month that every report "
                "looks at (the sidebar starts with this window).",
            )
        ],
    ),
    (
        "ABC classes",
        [
            Knob(
                "abc_a",
                "A: clients up to this cumulative share of value, %",
                "share",
                "Clients sorted by value; A = up to and including the one that crosses it.",
            ),
            Knob("abc_b", "B: up to this cumulative share, %", "share", "The rest are C."),
        ],
    ),
    (
        "XYZ classes",
        [
            Knob(
                "xyz_stability_x",
                "Stability: X up to this variation",
                "ratio",
                "Coefficient of variation of revenue per period (std / mean).",
                10,
            ),
            Knob("xyz_stability_y", "Stability: Y up to", "ratio", "Above it: Z.", 10),
            Knob(
                "xyz_frequency_x",
                "Frequency: X from this share of periods with a purchase, %",
                "share",
                "Frequent buyers.",
            ),
            Knob("xyz_frequency_y", "Frequency: Y from, %", "share", "Below it: Z (irregular)."),
        ],
    ),
    (
        "Key clients and their types",
        [
            Knob(
                "key_share_low",
                "Key clients' share of sales: band from, %",
                "share",
                "The article: key clients often make 30-55% of all sales.",
            ),
            Knob("key_share_high", "Band to, %", "share", "The top of that band."),
            Knob(
                "breadwinner_share",
                "Breadwinner: share of profit from, %",
                "share",
                "Revenue share where the data has no profit.",
            ),
            Knob(
                "breadwinner_months",
                "Breadwinner: or class A with a relationship of at least, months",
                "months",
                "Months since the first purchase.",
            ),
            Knob(
                "prospect_days",
                "Prospect: first purchase within, days",
                "days",
                "A new client with a good budget.",
            ),
            Knob(
                "prospect_top_share",
                "Prospect: spend in this top share of new clients, %",
                "share",
                "Among the clients whose first purchase is that recent.",
            ),
            Knob(
                "expert_return_share",
                "Expert hint: returns from this share of purchases, %",
                "share",
                "Clients returning this much are suggested as experts; a manager confirms.",
            ),
        ],
    ),
    (
        "Churn",
        [
            Knob("churn_new_days", "New: first purchase within, days", "days", ""),
            Knob(
                "churn_risk_gaps",
                "At risk: silent longer than this many median gaps",
                "ratio",
                "The client's median gap between purchases.",
                20,
            ),
            Knob("churn_risk_days", "At risk: and at least, days", "days", ""),
            Knob(
                "churn_lost_gaps",
                "Lost: silent longer than this many median gaps",
                "ratio",
                "",
                20,
            ),
            Knob("churn_lost_days", "Lost: and at least, days", "days", ""),
        ],
    ),
]


def _shown(knob: Knob, value: float) -> float | int:
    return round(value * 100, 4) if knob.kind == "share" else value


def _default_text(knob: Knob) -> str:
    value = getattr(DEFAULTS, knob.name)
    unit = {"share": "%", "days": " days", "months": " months", "window": " months"}
    return f"{_shown(knob, value):g}{unit.get(knob.kind, '')}"


def _input(knob: Knob, current: Thresholds) -> float | int:
    label = f"{knob.label} (default {_default_text(knob)})"
    key = PREFIX + knob.name
    value = _shown(knob, getattr(current, knob.name))
    tip = knob.help or None
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


def thresholds_form(conn: duckdb.DuckDBPyConnection, current: Thresholds) -> None:
    """The form of every threshold; saving stores all of them, reset restores the defaults."""
    with st.form("thresholds_form"):
        values: dict[str, float] = {}
        for title, knobs in GROUPS:
            st.markdown(f"**{title}**")
            cols = st.columns(2)
            for i, knob in enumerate(knobs):
                with cols[i % 2]:
                    values[knob.name] = _input(knob, current)
        submitted = st.form_submit_button("Save thresholds", type="primary")
    if submitted:
        try:
            save_thresholds(conn, _stored(values))
        except SettingsRefused as exc:
            st.error(f"Not saved: {exc}")
        else:
            _forget_inputs()
            st.session_state["flash"] = "Thresholds saved; every page now uses them."
            st.rerun()
    if st.button("Reset all thresholds to their defaults", key="th_reset_button"):
        reset_thresholds(conn)
        _forget_inputs()
        st.session_state["flash"] = "Thresholds reset to their defaults."
        st.rerun()


def currency_form(conn: duckdb.DuckDBPyConnection) -> None:
    """Choose the currency symbol."""
    current = currency_symbol(conn)
    options = list(CURRENCIES) if current in CURRENCIES else [current, *CURRENCIES]
    chosen = st.selectbox(
        f"Currency symbol (default {DEFAULT_CURRENCY})",
        options,
        index=options.index(current),
        key="currency_choice",
    )
    if chosen != current:
        save_display(conn, currency=chosen)
        st.session_state["flash"] = f"Amounts are now shown in {chosen}."
        st.rerun()
