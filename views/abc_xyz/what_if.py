"""The ABC-XYZ page's what-if thresholds: their state, kept in the URL like the sidebar.

The values live in session state under fixed keys, read at the top of the page (the matrix is
drawn before the controls) and rendered as widgets further down (thresholds.py).
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pandas as pd
import streamlit as st

from kam_core.analytics.abc_xyz import abc_xyz
from kam_core.analytics.params import XYZ_PRESETS, AnalysisParams
from kam_core.analytics.what_if import cell_moves
from kam_core.i18n import N_, _

# The article's method (frequency, the default) first.
METHODS = {"frequency": N_("Frequency of purchases"), "stability": N_("Stability of revenue")}
PERIODS = {"month": N_("Month"), "quarter": N_("Quarter")}
PRESETS = ("settings", "sales", "classic", "relative", "custom")
# Session key -> URL key.
KEYS = ("t_method", "t_preset", "t_a", "t_b", "t_period", "t_sx", "t_sy", "t_fx", "t_fy")
URL = {
    "t_method": "xyz",
    "t_preset": "preset",
    "t_x": "x",
    "t_y": "y",
    "t_a": "a",
    "t_b": "b",
    "t_period": "period",
}
KEEP_KEY = "t_kept"  # plain copies that survive a visit to another page, unlike widget keys
# One pair of boxes per method, so each keeps its own bounds and format.
BOX = {"stability": ("t_sx", "t_sy"), "frequency": ("t_fx", "t_fy")}
# The frequency boxes hold percentages, as the chart and the caption show them.
SCALE = {"stability": 1.0, "frequency": 100.0}


def method_label(method: str) -> str:
    """How an XYZ method reads, in this language."""
    return _(METHODS[method]) if method in METHODS else method


def box_cuts(base: AnalysisParams, method: str) -> tuple[float, float]:
    """The cut-offs in force in the units of the method's boxes."""
    x, y = _in_force_cuts(base, method)
    return (round(x * SCALE[method], 6), round(y * SCALE[method], 6))


def _in_force_cuts(base: AnalysisParams, method: str) -> tuple[float, float]:
    t = base.thresholds
    if method == "frequency":
        return (t.xyz_frequency_x, t.xyz_frequency_y)
    return (t.xyz_stability_x, t.xyz_stability_y)


def preset_cuts(base: AnalysisParams, preset: str) -> tuple[float, float] | None:
    """The stability cut-offs of a preset; None for relative (computed) and custom."""
    if preset == "settings":
        return _in_force_cuts(base, "stability")
    return XYZ_PRESETS.get(preset)


def preset_label(base: AnalysisParams, preset: str) -> str:
    """How a preset reads in the select box."""
    if preset == "settings":
        x, y = _in_force_cuts(base, "stability")
        return _("In force (Settings): {x} / {y}").format(x=f"{x:g}", y=f"{y:g}")
    return {
        "sales": _("Client sales: {x} / {y}").format(x="0.5", y="1.0"),
        "classic": _("Classic: {x} / {y}").format(x="0.10", y="0.25"),
        "relative": _("Relative: tertiles of the clients"),
        "custom": _("Custom"),
    }[preset]


def _url_float(key: str) -> float | None:
    raw = st.query_params.get(key)
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def init_state(base: AnalysisParams) -> None:
    """Fill the threshold keys from the URL, the last visit or the values in force."""
    s = st.session_state
    kept = s.get(KEEP_KEY) or {}
    if kept and not any(k in st.query_params for k in URL.values()):
        for key, value in kept.items():
            s.setdefault(key, value)
    if "t_method" not in s:  # the method in force unless the URL asks for the other one
        method = st.query_params.get("xyz", base.xyz_method)
        s["t_method"] = method if method in METHODS else base.xyz_method
    if "t_period" not in s:
        period = st.query_params.get("period", base.period)
        s["t_period"] = period if period in PERIODS else base.period
    if "t_preset" not in s:
        preset = st.query_params.get("preset", "settings")
        valid = PRESETS if s["t_method"] == "stability" else ("settings", "custom")
        s["t_preset"] = preset if preset in valid else "settings"
    method = s["t_method"]
    kx, ky = BOX[method]
    if kx not in s or ky not in s:
        cuts = preset_cuts(base, s["t_preset"]) if method == "stability" else None
        cuts = cuts or _in_force_cuts(base, method)
        cuts = (cuts[0] * SCALE[method], cuts[1] * SCALE[method])
        if s["t_preset"] == "custom":
            cuts = (_url_float("x") or cuts[0], _url_float("y") or cuts[1])
        s[kx], s[ky] = round(float(cuts[0]), 6), round(float(cuts[1]), 6)
    t = base.thresholds
    if "t_a" not in s:
        s["t_a"] = float(_url_float("a") or round(t.abc_a * 100, 4))
    if "t_b" not in s:
        s["t_b"] = float(_url_float("b") or round(t.abc_b * 100, 4))


def what_if_params(base: AnalysisParams) -> AnalysisParams:
    """The sidebar's parameters with the page's thresholds applied."""
    s = st.session_state
    method = s["t_method"]
    kx, ky = BOX[method]
    x, y = float(s[kx]) / SCALE[method], float(s[ky]) / SCALE[method]
    fields = {"abc_a": s["t_a"] / 100, "abc_b": s["t_b"] / 100}
    if method == "frequency":
        fields |= {"xyz_frequency_x": x, "xyz_frequency_y": y}
    else:
        fields |= {"xyz_stability_x": x, "xyz_stability_y": y}
    relative = method == "stability" and s["t_preset"] == "relative"
    return replace(
        base,
        thresholds=replace(base.thresholds, **fields),
        xyz_method=method,
        xyz_preset="relative" if relative else "settings",
        period=s["t_period"],
    )


def differs(params: AnalysisParams, base: AnalysisParams) -> bool:
    """True when the page's thresholds classify differently from the ones in force."""
    t, b = params.thresholds, base.thresholds
    same_abc = (round(t.abc_a, 6), round(t.abc_b, 6)) == (round(b.abc_a, 6), round(b.abc_b, 6))
    if params.xyz_method != base.xyz_method or params.period != base.period or not same_abc:
        return True
    if params.xyz_preset == "relative":
        return True
    return _in_force_cuts(params, params.xyz_method) != _in_force_cuts(base, base.xyz_method)


def write_url(base: AnalysisParams) -> None:
    """Keep the thresholds in the URL, leaving out the values in force (and in the session)."""
    s = st.session_state
    s[KEEP_KEY] = {k: s[k] for k in (*URL, *BOX[s["t_method"]]) if k in s and k in KEYS}
    method = s["t_method"]
    kx, ky = BOX[method]
    t = base.thresholds
    values = {
        "xyz": (method, base.xyz_method),
        "preset": (s["t_preset"], "settings"),
        "x": (s[kx], s[kx] if s["t_preset"] != "custom" else None),
        "y": (s[ky], s[ky] if s["t_preset"] != "custom" else None),
        "a": (s["t_a"], round(t.abc_a * 100, 4)),
        "b": (s["t_b"], round(t.abc_b * 100, 4)),
        "period": (s["t_period"], base.period),
    }
    for key, (value, default) in values.items():
        text = f"{value:g}" if isinstance(value, float) else str(value)
        if value == default:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != text:
            st.query_params[key] = text


def window_clients(conn: duckdb.DuckDBPyConnection, params: AnalysisParams) -> pd.DataFrame:
    """The ABC-XYZ table of the clients of the window."""
    return abc_xyz(conn, params).clients


def moves_between(
    conn: duckdb.DuckDBPyConnection, base: AnalysisParams, params: AnalysisParams
) -> pd.DataFrame:
    """The clients that change cell from the thresholds in force to the what-if ones."""
    return cell_moves(abc_xyz(conn, base).clients, abc_xyz(conn, params).clients)
