"""The rules in force, said in plain words next to the charts they shape."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kam_core.analytics.churn import lost_recently
from kam_core.config import Thresholds
from kam_core.i18n import _, fmt_number, fmt_percent, ngettext
from kam_core.vocabulary import CHURN_STATUSES, CLIENT_TYPES, label_of


def _num(value: float) -> str:
    """1.5 -> "1.5", 3.0 -> "3", in the current language's digits."""
    return fmt_number(value, 0 if float(value).is_integer() else 1)


def _pct(share: float) -> str:
    """A threshold share as a percentage without needless decimals: 0.1 -> 10%."""
    return fmt_percent(share, 0 if round(share * 100, 6).is_integer() else 1)


def type_rules(t: Thresholds, measure_label: str = "revenue") -> list[tuple[str, str]]:
    """(type, rule) for each key-client type, with the thresholds in force."""
    return [
        (
            label_of(CLIENT_TYPES, "breadwinner"),
            _(
                "{share} or more of the profit in the window (of revenue when the data has no "
                "profit), or class A by {measure} with {months}+ months since the first purchase."
            ).format(
                share=_pct(t.breadwinner_share), measure=measure_label, months=t.breadwinner_months
            ),
        ),
        (
            label_of(CLIENT_TYPES, "prospect"),
            _(
                "first purchase within the last {days} days and spend in the top {share} of "
                "those new clients, or qualified on all three P's (need, solvency, authority) "
                "in the dossier."
            ).format(days=t.prospect_days, share=_pct(t.prospect_top_share)),
        ),
        (
            label_of(CLIENT_TYPES, "image_maker"),
            _("marked as an image-maker in the client's dossier."),
        ),
        (
            label_of(CLIENT_TYPES, "expert"),
            _(
                "marked as an expert in the client's dossier. Clients returning {share} or more "
                "of what they bought in the window are suggested below, for a manager to confirm."
            ).format(share=_pct(t.expert_return_share)),
        ),
        (
            label_of(CLIENT_TYPES, "ordinary"),
            _(
                "none of the above: not a key client. A manager's choice of types in the dossier "
                "always overrides the rules; a client may carry several types."
            ),
        ),
    ]


def churn_rules(t: Thresholds) -> list[tuple[str, str]]:
    """(status, rule) for each churn status, checked in this order, with the thresholds."""
    return [
        (
            label_of(CHURN_STATUSES, "lost"),
            _(
                "no purchase for more than {gaps} x the client's median gap between purchases, "
                "and at least {days} days."
            ).format(gaps=_num(t.churn_lost_gaps), days=t.churn_lost_days),
        ),
        (
            label_of(CHURN_STATUSES, "new"),
            _("first purchase within the last {days} days.").format(days=t.churn_new_days),
        ),
        (
            label_of(CHURN_STATUSES, "at_risk"),
            _(
                "no purchase for more than {gaps} x the median gap, and at least {days} days."
            ).format(gaps=_num(t.churn_risk_gaps), days=t.churn_risk_days),
        ),
        (label_of(CHURN_STATUSES, "active"), _("buying within its usual rhythm.")),
    ]


def show_rules(title: str, rules: list[tuple[str, str]], footer: str | None = None) -> None:
    """A bordered box listing the rules, with a pointer to where they are changed."""
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.markdown("\n".join(f"- **{name}**: {rule}" for name, rule in rules))
        st.caption(footer or _("The thresholds are settings: change them on the Settings page."))


def trend_sentence(by_month: pd.DataFrame, trend: str, months: int = 3) -> str:
    """Whether churn is getting better or worse, with the counts behind the verdict."""
    recent, before = lost_recently(by_month, months)
    verdict = {
        "worse": _("Churn is getting worse"),
        "better": _("Churn is getting better"),
    }.get(trend, _("Churn is stable"))
    counts = ngettext(
        "{n} client lost in the last {months} months",
        "{n} clients lost in the last {months} months",
        recent,
    ).format(n=recent, months=months)
    return _("{verdict}: {counts}, against {before} in the {months} months before.").format(
        verdict=verdict, counts=counts, before=before, months=months
    )
