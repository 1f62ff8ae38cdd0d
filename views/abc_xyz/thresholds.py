"""The ABC-XYZ page's threshold widgets (what-if); their state lives in what_if.py.

Callbacks keep the boxes and the preset in step: choosing a preset fills the boxes; typing in a
box makes it "custom".
"""

from __future__ import annotations

import streamlit as st

from kam_core.analytics.params import AnalysisParams
from kam_core.i18n import _
from views.abc_xyz.what_if import (
    BOX,
    METHODS,
    PERIODS,
    PRESETS,
    box_cuts,
    method_label,
    preset_cuts,
    preset_label,
)


def _method_changed(base: AnalysisParams) -> None:
    s = st.session_state
    s["t_preset"] = "settings"
    kx, ky = BOX[s["t_method"]]
    s[kx], s[ky] = box_cuts(base, s["t_method"])


def _preset_changed(base: AnalysisParams) -> None:
    s = st.session_state
    cuts = preset_cuts(base, s["t_preset"])
    if cuts is not None:
        s["t_sx"], s["t_sy"] = cuts


def _box_changed() -> None:
    st.session_state["t_preset"] = "custom"


def reset(base: AnalysisParams) -> None:
    """Back to the thresholds in force (Settings)."""
    s = st.session_state
    s["t_method"], s["t_preset"], s["t_period"] = base.xyz_method, "settings", base.period
    for method, (kx, ky) in BOX.items():
        s[kx], s[ky] = box_cuts(base, method)
    s["t_a"], s["t_b"] = (
        round(base.thresholds.abc_a * 100, 4),
        round(base.thresholds.abc_b * 100, 4),
    )


def controls(base: AnalysisParams, computed: tuple[float, float] | None) -> None:
    """Render the threshold widgets; `computed` are the cut-offs the last run used."""
    s = st.session_state
    method = s["t_method"]
    st.radio(
        _("XYZ method"),
        list(METHODS),
        format_func=method_label,
        key="t_method",
        horizontal=True,
        on_change=_method_changed,
        args=(base,),
        help=_(
            "Frequency: share of periods with at least one purchase. Stability: coefficient of "
            "variation of revenue per period (zero periods included)."
        ),
    )
    kx, ky = BOX[method]
    if method == "stability":
        st.selectbox(
            _("Preset"),
            PRESETS,
            key="t_preset",
            format_func=lambda p: preset_label(base, p),
            on_change=_preset_changed,
            args=(base,),
        )
        relative = s["t_preset"] == "relative"
        if relative and computed is not None:
            s[kx], s[ky] = round(computed[0], 4), round(computed[1], 4)
        left, right = st.columns(2)
        left.number_input(
            _("X: variation up to"),
            min_value=0.0,
            max_value=10.0,
            step=0.05,
            format="%.2f",
            key=kx,
            disabled=relative,
            on_change=_box_changed,
        )
        right.number_input(
            _("Y: variation up to"),
            min_value=0.0,
            max_value=10.0,
            step=0.05,
            format="%.2f",
            key=ky,
            disabled=relative,
            on_change=_box_changed,
            help=_("Above it: Z. A client whose mean is zero or less is Z."),
        )
        if s[kx] >= s[ky] and not relative:
            st.warning(_("The X cut-off should be below the Y cut-off."))
    else:
        left, right = st.columns(2)
        left.number_input(
            _("X: share of periods from (%)"),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            format="%.0f",
            key=kx,
            on_change=_box_changed,
            help=_("At or above it: X (frequent)."),
        )
        right.number_input(
            _("Y: share of periods from (%)"),
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            format="%.0f",
            key=ky,
            on_change=_box_changed,
            help=_("Below it: Z (irregular)."),
        )
        if s[kx] <= s[ky]:
            st.warning(_("The X share should be above the Y share."))
    left, right = st.columns(2)
    left.number_input(
        _("A: clients up to (% of value)"),
        min_value=1.0,
        max_value=99.9,
        step=1.0,
        format="%.1f",
        key="t_a",
        help=_("A = the clients up to and including the one that crosses this share."),
    )
    right.number_input(
        _("B: clients up to (% of value)"),
        min_value=1.0,
        max_value=100.0,
        step=1.0,
        format="%.1f",
        key="t_b",
    )
    if s["t_a"] >= s["t_b"]:
        st.warning(_("The A share should be below the B share."))
    st.radio(
        _("Period"),
        list(PERIODS),
        format_func=lambda p: _(PERIODS[p]),
        key="t_period",
        horizontal=True,
    )
    st.button(_("Back to the thresholds in force"), on_click=reset, args=(base,), key="t_reset")
