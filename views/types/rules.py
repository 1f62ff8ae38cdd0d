"""The key-client type rules in force, in plain words, for the box beside the Types charts."""

from __future__ import annotations

import streamlit as st

from kam_core.analytics.params import Thresholds
from kam_core.i18n import _, fmt_percent
from kam_core.i18n import terms as t


def type_rules(th: Thresholds, measure: str) -> list[tuple[str, str]]:
    """(type, rule) for each key-client type, with the thresholds in force, in this language."""
    return [
        (
            t.term(t.BREADWINNER),
            _(
                "{share} or more of the profit in the window (of revenue when the data has no "
                "profit), or class A by {measure} with {months}+ months since the first purchase."
            ).format(
                share=fmt_percent(th.breadwinner_share, 0),
                measure=measure,
                months=th.breadwinner_months,
            ),
        ),
        (
            t.term(t.PROSPECT),
            _(
                "first purchase within the last {days} days and spend in the top {share} of "
                "those new clients, or qualified on all three P's (need, solvency, authority) in "
                "the dossier."
            ).format(days=th.prospect_days, share=fmt_percent(th.prospect_top_share, 0)),
        ),
        (t.term(t.IMAGE_MAKER), _("marked as an image-maker in the client's dossier.")),
        (
            t.term(t.EXPERT),
            _(
                "marked as an expert in the client's dossier. Clients returning {share} or more "
                "of what they bought in the window are suggested below, for a manager to confirm."
            ).format(share=fmt_percent(th.expert_return_share, 0)),
        ),
        (
            _("Ordinary"),
            _(
                "none of the above: not a key client. A manager's choice of types in the dossier "
                "always overrides the rules; a client may carry several types."
            ),
        ),
    ]


def show_rules(title: str, rules: list[tuple[str, str]]) -> None:
    """A bordered box listing the rules, with a pointer to where they are changed."""
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.markdown("\n".join(f"- **{name}**: {rule}" for name, rule in rules))
        st.caption(_("The thresholds are settings: change them on the Settings page."))
