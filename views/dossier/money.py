"""Amounts on the dossier screen (currency and decimals of the Settings, locale format) and the
rows of figures that show them."""

from __future__ import annotations

import duckdb
import streamlit as st

from kam_core.dossier.amounts import amount_text
from kam_core.services.settings import currency_symbol, money_decimals

MONEY_KEY = "dossier_money"


def use_money_settings(conn: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """Read the currency symbol and decimals once per run and keep them for amount()."""
    chosen = (currency_symbol(conn), money_decimals(conn))
    st.session_state[MONEY_KEY] = chosen
    return chosen


def amount(value: float | None) -> str:
    """An amount with the settings' currency and decimals; '—' when missing, never '-₪0'."""
    symbol, decimals = st.session_state.get(MONEY_KEY, ("₪", 0))
    return amount_text(value, symbol, decimals)


WIDE, NARROW = 240, 150  # px: an amount with its currency fits WIDE, a date or a share NARROW


def figure_row() -> st.delta_generator.DeltaGenerator:
    """A row of figures that wraps to the next line when the page is narrow (1024 px)."""
    return st.container(horizontal=True, gap="large")
