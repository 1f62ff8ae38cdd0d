"""The rules in force, said in plain words next to the charts they shape."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core.analytics.churn import lost_recently
from kam_core.config import Thresholds


def _num(value: float) -> str:
    """1.5 -> "1.5", 3.0 -> "3"."""
    return f"{value:g}"


def type_rules(t: Thresholds, measure_label: str = "revenue") -> list[tuple[str, str]]:
    """(type, rule) for each key-client type, with the thresholds in force."""
    return [
        (
            "Breadwinner",
            f"{t.breadwinner_share:.0%} or more of the profit in the window (of revenue when the "
            f"data has no profit), or class A by {measure_label} with "
            f"{t.breadwinner_months}+ months since the first purchase.",
        ),
        (
            "Prospect",
            f"first purchase within the last {t.prospect_days} days and spend in the top "
            f"{t.prospect_top_share:.0%} of those new clients, or qualified on all three P's "
            "(need, solvency, authority) in the dossier.",
        ),
        ("Image-maker", "marked as an image-maker in the client's dossier."),
        (
            "Expert",
            "marked as an expert in the client's dossier. Clients returning "
            f"{t.expert_return_share:.0%} or more of what they bought in the window are "
            "suggested below, for a manager to confirm.",
        ),
        (
            "Ordinary",
            "none of the above: not a key client. A manager's choice of types in the dossier "
            "always overrides the rules; a client may carry several types.",
        ),
    ]


def churn_rules(t: Thresholds) -> list[tuple[str, str]]:
    """(status, rule) for each churn status, checked in this order, with the thresholds."""
    return [
        (
            "Lost",
            f"no purchase for more than {_num(t.churn_lost_gaps)} x the client's median gap "
            f"between purchases, and at least {t.churn_lost_days} days.",
        ),
        ("New", f"first purchase within the last {t.churn_new_days} days."),
        (
            "At risk",
            f"no purchase for more than {_num(t.churn_risk_gaps)} x the median gap, "
            f"and at least {t.churn_risk_days} days.",
        ),
        ("Active", "buying within its usual rhythm."),
    ]


def show_rules(title: str, rules: list[tuple[str, str]], footer: str | None = None) -> None:
    """A bordered box listing the rules, with a pointer to where they are changed."""
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.markdown("\n".join(f"- **{name}**: {rule}" for name, rule in rules))
        st.caption(footer or "The thresholds are settings: change them on the Settings page.")


def trend_sentence(by_month: pd.DataFrame, trend: str, months: int = 3) -> str:
    """Whether churn is getting better or worse, with the counts behind the verdict."""
    recent, before = lost_recently(by_month, months)
    verdict = {
        "worse": "Churn is getting worse",
        "better": "Churn is getting better",
    }.get(trend, "Churn is stable")
    plural = "s" if recent != 1 else ""
    return (
        f"{verdict}: {recent} client{plural} lost in the last {months} months, "
        f"against {before} in the {months} months before."
    )
