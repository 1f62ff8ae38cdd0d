"""Settings: every threshold of the domain with its default, and the currency symbol.

Values are stored in the database's settings table under the Thresholds field names, the keys
the reports read (kam_core.analytics.params.thresholds_from_settings).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import duckdb
import streamlit as st

from kam_core.config import Thresholds
from kam_core.store.settings import read_settings, write_setting
from ui.params import WINDOWS

DEFAULTS = Thresholds()
CURRENCY_KEY = "currency_symbol"
DEFAULT_CURRENCY = "₪"
CURRENCIES = ["₪", "$", "€", "£", "₽", "¥", "ILS", "USD", "EUR"]
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


def problems(t: Thresholds) -> list[str]:
    """Thresholds that contradict each other, as sentences for the user."""
    rules = [
        (t.abc_a < t.abc_b <= 1, "The A share must be below the B share (at most 100%)."),
        (t.xyz_stability_x < t.xyz_stability_y, "Stability: X must be below Y."),
        (t.xyz_frequency_y < t.xyz_frequency_x, "Frequency: Y must be below X."),
        (t.key_share_low < t.key_share_high, "The key clients' band must run from low to high."),
        (t.churn_risk_gaps < t.churn_lost_gaps, "At risk must come before lost (median gaps)."),
        (t.churn_risk_days <= t.churn_lost_days, "At risk must come before lost (days)."),
    ]
    return [message for ok, message in rules if not ok]


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


def save_thresholds(conn: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> None:
    """Store every threshold in one transaction."""
    cur = conn.cursor()
    try:
        cur.begin()
        for f in fields(Thresholds):
            write_setting(cur, f.name, getattr(thresholds, f.name))
        cur.commit()
    except BaseException:
        cur.rollback()
        raise
    finally:
        cur.close()


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
        wanted = _stored(values)
        issues = problems(wanted)
        if issues:
            st.error("Not saved: " + " ".join(issues))
        else:
            save_thresholds(conn, wanted)
            _forget_inputs()
            st.session_state["flash"] = "Thresholds saved; every page now uses them."
            st.rerun()
    if st.button("Reset all thresholds to their defaults", key="th_reset_button"):
        save_thresholds(conn, DEFAULTS)
        _forget_inputs()
        st.session_state["flash"] = "Thresholds reset to their defaults."
        st.rerun()


def currency_symbol(conn: duckdb.DuckDBPyConnection) -> str:
    """The currency symbol amounts are shown with (stored; ₪ by default)."""
    value = read_settings(conn).get(CURRENCY_KEY)
    return value if isinstance(value, str) and value else DEFAULT_CURRENCY


def currency_form(conn: duckdb.DuckDBPyConnection) -> None:
    """Choose the currency symbol."""
    current = currency_symbol(conn)
    options = CURRENCIES if current in CURRENCIES else [current, *CURRENCIES]
    chosen = st.selectbox(
        f"Currency symbol (default {DEFAULT_CURRENCY})",
        options,
        index=options.index(current),
        key="currency_choice",
    )
    if chosen != current:
        write_setting(conn, CURRENCY_KEY, chosen)
        st.session_state["flash"] = f"Amounts are now shown in {chosen}."
        st.rerun()
