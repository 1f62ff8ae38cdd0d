"""The shared sidebar parameters, kept in the URL so a view can be shared and survives reload."""

from __future__ import annotations

from datetime import date

import duckdb
import streamlit as st

from kam_core.analytics.params import AnalysisParams, load_thresholds
from kam_core.i18n import _
from kam_core.i18n.formats import date_column_format
from kam_core.services.scope import ScopeRefused, data_spelling
from kam_core.vocabulary import MEASURES, header, label_of
from ui.auth import session_scope
from ui.cache import sidebar_inputs
from ui.language import formatter

WINDOWS = [3, 6, 12, 18, 24, 36]
FILTERS = ("manager", "region", "segment")  # headers from kam_core.vocabulary
ALL = "All"  # the stored value of "no filter"; shown translated
# URL key -> session key; short URL keys keep shared links readable.
URL_KEYS = ("as_of", "months", "measure", "manager", "region", "segment")


def _option(value: object) -> str:
    """How a filter's option reads: 'All' in the current language, data as it is."""
    return _("All") if value == ALL else str(value)


def measure_label(code: str) -> str:
    """How a measure reads: revenue -> Revenue."""
    return label_of(MEASURES, code)


def _from_url(key: str, default: object, options: list | None = None) -> object:
    """Read one parameter from the URL, falling back to the default when absent or invalid."""
    raw = st.query_params.get(key)
    if raw is None:
        return default
    try:
        if isinstance(default, date):
            value: object = date.fromisoformat(raw)
        elif isinstance(default, int):
            value = int(raw)
        else:
            value = raw
    except ValueError:
        return default
    if options is not None and value not in options:
        return default
    return value


def _to_url(key: str, value: object, default: object) -> None:
    """Write one parameter to the URL, leaving defaults out to keep links short."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    if value == default or value in (None, ALL):
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text


def _follow_the_data(first: date, latest: date) -> None:
    """Move the session's as-of date with the data: to the new latest date while it is the
    default, into the data's range when the data no longer reaches it."""
    previous = st.session_state.get("p_as_of_latest")
    st.session_state["p_as_of_latest"] = latest
    chosen = st.session_state.get("p_as_of")
    if not isinstance(chosen, date):
        return
    if previous is not None and chosen == previous and latest != previous:
        # The user kept the default: another user's import of a later quarter (or the
        # removal of one) moves it, as a fresh visit would.
        st.session_state["p_as_of"] = latest
    elif not first <= chosen <= latest:
        # A date the data no longer reaches (an import removed): the widget refuses a value
        # outside its bounds, so the nearest date in range takes its place.
        st.session_state["p_as_of"] = min(max(chosen, first), latest)


def sidebar_params(conn: duckdb.DuckDBPyConnection) -> AnalysisParams:
    """Render the shared parameters in the sidebar and return them as AnalysisParams."""
    # Read once per stored state, not on every view: two scans of the whole sales table.
    (first, latest), dims = sidebar_inputs(conn)
    latest = latest or date.today()
    first = first or latest
    # Streamlit forgets a widget's value when another page renders; storing the values again
    # keeps the sidebar's choices when the user moves between screens.
    for key in URL_KEYS:
        if f"p_{key}" in st.session_state:
            st.session_state[f"p_{key}"] = st.session_state[f"p_{key}"]
    _follow_the_data(first, latest)
    side = st.sidebar
    side.subheader(_("Analysis"))
    thresholds = load_thresholds(conn)
    window = thresholds.months if thresholds.months in WINDOWS else 12  # the Settings default
    defaults: dict[str, object] = {"as_of": latest, "months": window, "measure": "revenue"}
    for key, default, options in (
        ("as_of", latest, None),
        ("months", window, WINDOWS),
        ("measure", "revenue", list(MEASURES)),
    ):
        if f"p_{key}" not in st.session_state:
            st.session_state[f"p_{key}"] = _from_url(key, default, options)
    as_of = side.date_input(
        _("As of"),
        key="p_as_of",
        min_value=first,
        max_value=latest,
        format=date_column_format(),
        help=_("The end of the analysis window. By default the latest date in the data."),
    )
    months = side.selectbox(
        _("Window (months)"),
        WINDOWS,
        key="p_months",
        help=_("Calendar months ending with the as-of month."),
    )
    measure = side.selectbox(
        _("Measure"), list(MEASURES), key="p_measure", format_func=formatter(measure_label)
    )
    chosen: dict[str, str | None] = {}
    scope = session_scope()
    for key in FILTERS:
        options = [ALL, *dims[key]]
        fixed = key == "manager" and not scope.sees_everything
        if fixed:
            # A manager reads their own portfolio: the filter holds their name and nothing else.
            options = [data_spelling(conn, str(scope.manager_name).strip())]
        if st.session_state.get(f"p_{key}") not in options:  # new, or gone from the data
            st.session_state[f"p_{key}"] = _from_url(key, options[0] if fixed else ALL, options)
        value = side.selectbox(
            header(key),
            options,
            key=f"p_{key}",
            format_func=formatter(_option),
            disabled=fixed,
            help=_("A manager sees their own clients only.") if fixed else None,
        )
        chosen[key] = None if value == ALL else value
        defaults[key] = ALL
    values = {"as_of": as_of, "months": months, "measure": measure, **chosen}
    for key in URL_KEYS:
        _to_url(key, values[key], defaults[key])
    params = AnalysisParams(
        as_of=as_of,  # explicit, so a filter never moves the as-of date
        months=int(months),
        measure=measure,
        thresholds=thresholds,
        **chosen,
    )
    try:
        return scope.restrict(params, conn)
    except ScopeRefused as exc:
        st.error(_("These reports are outside what you may see."))
        st.text(str(exc))  # text: it holds names
        st.stop()
