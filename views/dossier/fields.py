"""One widget per dossier field, so every form is drawn from the same field list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from kam_core.dossier.model import Field, label_of
from kam_core.i18n import _
from kam_core.i18n.formats import date_column_format


def _value(value: Any) -> Any:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    return value


def _date(value: Any) -> date | None:
    value = _value(value)
    return None if value is None else pd.Timestamp(value).date()


def field_input(
    fld: Field, value: Any, key: str, people: dict[int, str], disabled: bool = False
) -> Any:
    """Draw the widget for one field with the stored value; return what the user entered."""
    value = _value(value)
    label = _(fld.label) + (" *" if fld.required else "")
    kind = fld.kind
    common: dict[str, Any] = {"key": key, "help": _(fld.help) if fld.help else None}
    common["disabled"] = disabled
    if kind == "long":
        return st.text_area(label, value or "", height=90, **common)
    if kind in ("choice", "types"):
        names = dict(fld.options)
        shown = {k: label_of(names, k) for k in names}  # translated at display
        if kind == "types":
            chosen = [w for w in str(value or "").split(",") if w in names]
            return st.multiselect(
                label, list(names), default=chosen, format_func=shown.get, **common
            )
        options = list(names)
        current = value if value in options else fld.default
        return st.selectbox(
            label,
            options,
            index=options.index(current) if current in options else 0,
            format_func=shown.get,
            **common,
        )
    if kind == "flag":
        return st.checkbox(label, bool(value), **common)
    if kind == "int":
        low, high = (1, 5) if fld.name == "influence" else (0, None)
        start = int(value) if value is not None else fld.default
        return st.number_input(label, min_value=low, max_value=high, value=start, step=1, **common)
    if kind == "number":
        start = float(value) if value is not None else None
        return st.number_input(
            label, min_value=0.0, value=start, step=1000.0, format="%.0f", **common
        )
    if kind == "share":
        start = round(float(value) * 100, 1) if value is not None else None
        percent = st.number_input(
            label, min_value=0.0, max_value=100.0, value=start, step=5.0, **common
        )
        return None if percent is None else percent / 100
    if kind == "date":
        return st.date_input(label, _date(value), format=date_column_format(), **common)
    if kind == "contact":
        options: list[int | None] = [None, *people]
        current = int(value) if value is not None and int(value) in people else None
        return st.selectbox(
            label,
            options,
            index=options.index(current),
            format_func=lambda i: _("(nobody)") if i is None else people[i],
            **common,
        )
    return st.text_input(label, value or "", **common)


def field_inputs(
    fields: tuple[Field, ...],
    values: dict[str, Any],
    key: str,
    people: dict[int, str],
    columns: int = 2,
    disabled: bool = False,
) -> dict[str, Any]:
    """Draw a grid of fields (long texts span the width); return the entered values."""
    out: dict[str, Any] = {}
    short = [f for f in fields if f.kind != "long"]
    long = [f for f in fields if f.kind == "long"]
    cols = st.columns(columns)
    for i, fld in enumerate(short):
        with cols[i % columns]:
            out[fld.name] = field_input(
                fld, values.get(fld.name), f"{key}:{fld.name}", people, disabled
            )
    for fld in long:
        out[fld.name] = field_input(
            fld, values.get(fld.name), f"{key}:{fld.name}", people, disabled
        )
    return out
