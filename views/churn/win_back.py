"""The win-back list as an editor: the status column is saved to the database on change."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import duckdb
import pandas as pd
import streamlit as st

from kam_core.services.win_back import record_win_back
from kam_core.vocabulary import DATE_FORMAT_TABLE, header, status_label, type_labels
from kam_core.vocabulary import WIN_BACK_OPEN as DEFAULT_STATUS
from kam_core.vocabulary import WIN_BACK_STATUSES as STATUSES
from ui.tables import downloads
from ui.text import esc
from ui.user import user_name

# The status a client shows before anyone records one; choosing it again clears the record.
OPEN_LABEL = DEFAULT_STATUS
OPTIONS = [DEFAULT_STATUS, *STATUSES]
# Column -> header of the exported file, in order.
EXPORT_HEADERS = {
    "client_id": "Client ID",
    "client_name": "Client",
    "churn_status": "Churn status",
    "abc": "ABC class",
    "types": "Types",
    "revenue_at_stake": "Revenue at stake",
    "last_purchase": "Last purchase",
    "days_since_last": "Days since last purchase",
    "manager": "Manager",
    "region": "Region",
    "offer": "Suggested offer",
    "status": "Win-back status",
    "updated_at": "Status set at (UTC)",
    "updated_by": "Status set by",
}


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """The list as shown and exported: labels instead of codes, class "-" without sales."""
    out = frame.copy()
    out["churn_status"] = out["churn_status"].map(status_label)
    out["abc"] = out["abc"].fillna("-")
    out["types"] = out["types"].map(type_labels)
    out["updated_by"] = out["updated_by"].fillna("")
    return out


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The list with the exported columns and headers."""
    return readable(frame)[list(EXPORT_HEADERS)].rename(columns=EXPORT_HEADERS)


def _editor_key(frame: pd.DataFrame) -> str:
    # A new key after every save and for every different list, so edits held by the widget
    # never apply to the wrong row.
    version = st.session_state.get("win_back_version", 0)
    digest = hashlib.md5("|".join(frame["client_id"]).encode()).hexdigest()[:10]
    return f"win_back_editor:{version}:{digest}"


def _save_changes(
    conn: duckdb.DuckDBPyConnection, before: pd.DataFrame, after: pd.DataFrame, user: str
) -> list[str]:
    """Store every status the user changed in one transaction; return one line per change."""
    saved = []
    changes: dict[str, tuple[str, str | None]] = {}
    changed = before["status"].to_numpy() != after["status"].fillna(DEFAULT_STATUS).to_numpy()
    for i in changed.nonzero()[0]:
        row, new = before.iloc[i], str(after["status"].iloc[i] or DEFAULT_STATUS)
        note = row["note"] if isinstance(row["note"], str) else None
        changes[str(row["client_id"])] = (new, note)
        name = row["client_name"] if isinstance(row["client_name"], str) else row["client_id"]
        # Names come from workbooks: escaped, as the message is rendered as markdown.
        saved.append(f"{esc(name)} ({esc(row['client_id'])}): {row['status']} → {new}")
    record_win_back(conn, changes, user or None)
    return saved


def win_back_editor(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Show the list with an editable status, save changes at once, offer Excel and CSV."""
    message = st.session_state.pop("win_back_saved", None)
    if message:
        st.success(message, icon=":material/check_circle:")
        st.toast("Win-back status saved", icon=":material/check_circle:")
    if frame.empty:
        st.caption("No lost or at-risk clients: nobody to win back.")
        return
    user = user_name()  # the one "Your name" field in the sidebar, shared with the dossier
    frame = frame.reset_index(drop=True)
    shown = readable(frame)
    # Ids such as "A&B/1" must survive the URL intact.
    shown["dossier"] = [f"dossier?client={quote(str(c), safe='')}" for c in shown["client_id"]]
    # The column to edit next to the client's name, so it shows without scrolling sideways.
    columns = [
        "client_id",
        "client_name",
        "status",
        "offer",
        "churn_status",
        "revenue_at_stake",
        "abc",
        "types",
        "days_since_last",
        "last_purchase",
        "manager",
        "region",
        "updated_at",
        "updated_by",
        "dossier",
    ]
    editable = {"status"}
    after = st.data_editor(
        shown[columns],
        key=_editor_key(frame),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(shown), 460),
        disabled=[c for c in columns if c not in editable],
        column_config={
            "client_id": st.column_config.TextColumn(header("client_id"), pinned=True),
            "client_name": st.column_config.TextColumn(header("client_name"), pinned=True),
            "churn_status": "Churn status",
            "abc": "ABC",
            "types": "Types",
            "revenue_at_stake": st.column_config.NumberColumn(
                "Revenue at stake",
                format="localized",
                help="What the client bought in the 12 months up to its last purchase.",
            ),
            "last_purchase": st.column_config.DateColumn("Last purchase", format=DATE_FORMAT_TABLE),
            "days_since_last": st.column_config.NumberColumn("Days silent", format="%d"),
            "manager": "Manager",
            "region": "Region",
            "offer": st.column_config.TextColumn("Suggested offer", width=250),
            "status": st.column_config.SelectboxColumn(
                "Win-back status",
                options=OPTIONS,
                required=True,
                width=140,
                help=f"{OPEN_LABEL} = nothing done yet; then planned, contacted, won back or "
                "declined. Saved as soon as you pick one.",
            ),
            "updated_at": st.column_config.DatetimeColumn(
                "Status set at (UTC)", format=f"{DATE_FORMAT_TABLE} HH:mm"
            ),
            "updated_by": "Status set by",
            "dossier": st.column_config.LinkColumn("Dossier", display_text="Open"),
        },
    )
    saved = _save_changes(conn, frame, after, user)
    if saved:
        st.session_state["win_back_version"] = st.session_state.get("win_back_version", 0) + 1
        st.session_state["win_back_saved"] = "Saved: " + "; ".join(saved)
        st.rerun()
    st.caption(
        f"Pick a status in the Win-back status column: it is saved at once. "
        f'"{OPEN_LABEL}" means nothing has been done yet; choosing it again clears the record.'
    )
    downloads(export_frame(frame), "win-back-list", "win_back")
