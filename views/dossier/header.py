"""The top of the dossier: find a client (kept in the URL), key figures and warnings."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from kam_core.dossier import ClientSummary, Completeness
from kam_core.dossier.model import TYPES
from kam_core.dossier.qualification import VERDICTS, Qualification
from kam_core.dossier.reads import client_label, client_list
from kam_core.vocabulary import DATE_FORMAT, status_label
from ui.text import esc, money


def pick_client(conn: duckdb.DuckDBPyConnection) -> tuple[str | None, pd.DataFrame]:
    """A type-ahead client picker synced with ?client=ID; return the chosen id and the list."""
    clients = client_list(conn)
    labels = {
        row.client_id: client_label(row.client_id, row.client_name)
        for row in clients.itertuples(index=False)
    }
    ids = list(labels)
    wanted = st.query_params.get("client")
    if wanted and wanted not in labels:
        st.warning("No client with this id in the data.")
        st.text(f"Asked for: {wanted}")
    chosen = st.selectbox(
        "Client",
        ids,
        index=ids.index(wanted) if wanted in labels else None,
        format_func=labels.get,
        placeholder="Type a name or id",
        help="Clients from the sales data and from imported master data, largest first.",
    )
    if chosen and st.query_params.get("client") != chosen:
        st.query_params["client"] = chosen
    return chosen, clients


def _cells(summary: ClientSummary) -> str:
    history = summary.cell_history
    if history.empty:
        return "-"
    return " → ".join(f"{row.as_of:%m.%Y} {row.cell}" for row in history.itertuples())


def header(
    summary: ClientSummary,
    name: str,
    manager: str | None,
    industry: str | None,
    done: Completeness,
    quali: Qualification,
) -> None:
    """Name, key figures, ABC-XYZ history, types and the completeness of the dossier."""
    st.header(esc(name), anchor=False)
    facts = [f"ID {summary.client_id}"]
    facts += [v for v in (industry, summary.region, summary.segment) if v]
    facts.append(f"Manager: {manager or 'not assigned'}")
    if summary.first_purchase:
        facts.append(f"client since {summary.first_purchase:{DATE_FORMAT}}")
    st.caption(esc(" · ".join(facts)))
    top = st.columns(4)
    change = None if summary.change_pct is None else f"{summary.change_pct:+.0%}"
    top[0].metric(
        "Revenue in the window",
        money(summary.revenue),
        change,
        help="Against the previous window of the same length; the line shows each period.",
        chart_data=summary.trend or None,
        chart_type="area",
    )
    previous = summary.cell_history["cell"].iloc[-2] if len(summary.cell_history) > 1 else None
    moved = None if previous in (None, summary.cell) else f"from {previous}"
    top[1].metric("ABC-XYZ", summary.cell or "-", moved, delta_color="off")
    top[2].metric("Status", status_label(summary.churn_status) if summary.churn_status else "-")
    last = f"{summary.last_purchase:{DATE_FORMAT}}" if summary.last_purchase else "-"
    ago = None if summary.days_since_last is None else f"{summary.days_since_last} days ago"
    top[3].metric("Last purchase", last, ago, delta_color="off")
    low = st.columns([1, 1, 2])
    on_time = "-" if summary.on_time is None else f"{summary.on_time:.0%}"
    lines = f"of {summary.on_time_lines} lines" if summary.on_time_lines else "no promised dates"
    low[0].metric(
        "On-time delivery",
        on_time,
        lines,
        delta_color="off",
        help="Lines ordered in the window and shipped by the promised date.",
    )
    low[1].metric(
        "Dossier complete",
        f"{done.score:.0%}",
        help="Missing: " + "; ".join(done.missing) if done.missing else "Every section filled.",
    )
    types = ", ".join(TYPES.get(t, t) for t in summary.types) or "Ordinary (not a key client)"
    if summary.types_overridden:
        types += " (set by a manager)"
    low[2].markdown(
        f"**Types:** {esc(types)}  \n**ABC-XYZ history:** {esc(_cells(summary))}"
        f"  \n**Strategy:** {esc(summary.strategy or 'no sales in the window')}"
        f"  \n**Qualification:** {esc(VERDICTS[quali.verdict])}"
    )


def warnings_box(items: list[str]) -> None:
    """The risks and decision-map gaps, one line each (user text escaped)."""
    if items:
        st.warning("  \n".join(f"• {esc(i)}" for i in items), icon=":material/warning:")
