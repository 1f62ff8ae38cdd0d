"""The dossier's tabs in the URL: ?tab= holds a code that reads the same in every language, so a
link made in Hebrew opens the same tab in English."""

from __future__ import annotations

import streamlit as st

from kam_core.i18n import N_, _, use_language
from kam_core.i18n.catalogs import SUPPORTED

TAB_KEY = "dossier_tab"
PARAM = "tab"
# Code -> label; the codes are part of every link ever shared: never rename one.
TABS: dict[str, str] = {
    "history": N_("Relationship history"),
    "profile": N_("Profile"),
    "decision-map": N_("Decision map"),
    "tenders": N_("Tenders"),
    "timeline": N_("Timeline"),
    "competitors": N_("Competitors"),
    "qualification": N_("Qualification"),
    "abm-plan": N_("ABM plan"),
    "notes": N_("Notes"),
}
FIRST = next(iter(TABS))


def _names() -> dict[str, str]:
    """Every way a tab was named in a link: its code and its label in each language."""
    names: dict[str, str] = {}
    for lang in SUPPORTED:
        with use_language(lang):
            names.update({_(label).casefold(): code for code, label in TABS.items()})
    names.update({code: code for code in TABS})
    return names


def tab_code(value: str | None) -> str | None:
    """The code a ?tab= value stands for (a code, or a label in any language); None if none."""
    if not value:
        return None
    return _names().get(value.strip().casefold())


def _chosen() -> None:
    """Callback of the tabs: the code of the tab just opened goes into the URL."""
    code = tab_code(st.session_state.get(TAB_KEY))
    if code is not None:
        st.query_params[PARAM] = code


def dossier_tabs() -> dict[str, st.delta_generator.DeltaGenerator]:
    """The tabs, the one the URL names open (labels of old links too); code -> tab container."""
    asked = st.query_params.get(PARAM)
    code = tab_code(asked) or FIRST
    if asked is not None and asked != code:
        # An old link named the tab by its label, or by nothing known: keep the code instead.
        if tab_code(asked) is None:
            del st.query_params[PARAM]
        else:
            st.query_params[PARAM] = code
    labels = [_(label) for label in TABS.values()]
    # The state holds the label in the run's language: a switch of language keeps the tab.
    st.session_state[TAB_KEY] = _(TABS[code])
    views = st.tabs(labels, key=TAB_KEY, on_change=_chosen)
    return dict(zip(TABS, views, strict=True))
