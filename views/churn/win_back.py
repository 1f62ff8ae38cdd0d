"""The win-back list as an editor: the status column is saved to the database on change."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from kam_core.analytics.columns import url_quoted
from kam_core.analytics.params import AnalysisParams
from kam_core.analytics.win_back import win_back_list
from kam_core.i18n import _, get_language, is_rtl, isolate
from kam_core.i18n.formats import date_column_format
from kam_core.services import audit
from kam_core.services.scope import ADMIN, Scope
from kam_core.services.settings import currency_symbol
from kam_core.services.win_back import record_win_back
from kam_core.vocabulary import (
    WIN_BACK_LABELS,
    header,
    label_of,
    status_label,
    type_labels,
)
from kam_core.vocabulary import WIN_BACK_OPEN as DEFAULT_STATUS
from kam_core.vocabulary import WIN_BACK_STATUSES as STATUSES
from ui.auth import session_scope
from ui.cache import remember
from ui.rtl import rtl_column_config, rtl_columns
from ui.tables import ROW_LIMIT, downloads, limited
from ui.text import esc
from ui.user import user_name

# The status a client shows before anyone records one; choosing it again clears the record.
OPTIONS = [DEFAULT_STATUS, *STATUSES]
# Column -> header of the exported file, in order (translated when exported).
EXPORT_COLUMNS = [
    "client_id",
    "client_name",
    "churn_status",
    "abc",
    "types",
    "revenue_at_stake",
    "last_purchase",
    "days_since_last",
    "manager",
    "region",
    "offer",
    "status",
    "updated_at",
    "updated_by",
]


def status_text(code: object) -> str:
    """The label of a win-back status code in the current language."""
    return label_of(WIN_BACK_LABELS, code)


def export_headers() -> dict[str, str]:
    """Column -> header of the exported file, in the current language."""
    return {
        "client_id": header("client_id"),
        "client_name": header("client_name"),
        "churn_status": _("Churn status"),
        "abc": _("ABC class"),
        "types": header("types"),
        "revenue_at_stake": header("revenue_at_stake"),
        "last_purchase": header("last_purchase"),
        "days_since_last": header("days_since_last"),
        "manager": header("manager"),
        "region": header("region"),
        "offer": header("offer"),
        "status": _("Win-back status"),
        "updated_at": _("Status set at (UTC)"),
        "updated_by": _("Status set by"),
    }


ROWS = ROW_LIMIT  # rows the editor shows before it asks for a search or "show all"


def _labelled(values: pd.Series, label: Callable[[Any], str]) -> pd.Series:
    """values with each distinct value replaced by its label (missing values labelled too)."""
    distinct = pd.unique(values)
    return values.map({v: label(v) for v in distinct if not pd.isna(v)}).where(
        values.notna(), label(None)
    )


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """The list as shown and exported: labels instead of codes, class "—" without sales."""
    out = frame.copy()
    # Labels are looked up once per distinct code: the list can hold thousands of clients.
    out["churn_status"] = _labelled(out["churn_status"], status_label)
    out["abc"] = out["abc"].fillna("—")
    out["types"] = _labelled(out["types"], type_labels)
    # Offers are English msgids from kam_core.analytics.win_back.OFFERS.
    out["offer"] = _labelled(out["offer"], lambda o: _(o) if isinstance(o, str) else "—")
    out["status"] = _labelled(out["status"].fillna(DEFAULT_STATUS), status_text)
    out["updated_by"] = out["updated_by"].fillna("")
    # A status never set is an empty cell, not "None".
    out["updated_at"] = pd.to_datetime(out["updated_at"])
    return out


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The list with the exported columns and headers."""
    return readable(frame)[EXPORT_COLUMNS].rename(columns=export_headers())


def editable_ids(conn: duckdb.DuckDBPyConnection, scope: Scope, frame: pd.DataFrame) -> set[str]:
    """The clients of the list whose win-back status this scope may change (scope.can_edit_client
    for every row, with one read of the managers instead of one per client)."""
    if scope.role == ADMIN:
        return set(frame["client_id"])
    if scope.sees_everything:  # executives read, never edit
        return set()
    return set(scope.clip(conn, frame[["client_id"]])["client_id"])


def _editor_key(digest: str) -> str:
    # A new key after every save and for every different list, so edits held by the widget
    # never apply to the wrong row.
    version = st.session_state.get("win_back_version", 0)
    return f"win_back_editor:{version}:{digest}"


def _rows(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, key_only: bool
) -> tuple[pd.DataFrame, pd.DataFrame, frozenset[str], str]:
    """The scope's list, the list as shown (labels, dossier links), the clients it may edit
    and a digest of the ids; kept per stored state, scope and language (thousands of rows)."""
    scope = session_scope()
    frame = remember(win_back_list, conn, params)
    if key_only:
        frame = frame[frame["is_key"]]
    frame = scope.clip(conn, frame).reset_index(drop=True)
    allowed = frozenset(editable_ids(conn, scope, frame)) if len(frame) else frozenset()
    shown = readable(frame)
    # Ids such as "A&B/1" must survive the URL intact.
    shown["dossier"] = "dossier?client=" + url_quoted(shown["client_id"])
    digest = hashlib.md5("|".join(frame["client_id"]).encode()).hexdigest()[:10]
    return frame, shown, allowed, digest


def _save_changes(
    conn: duckdb.DuckDBPyConnection,
    before: pd.DataFrame,
    after: pd.DataFrame,
    user: str,
    scope: Scope,
    allowed: set[str],
) -> list[str]:
    """Store every status the user changed in one transaction, audited; one line per change."""
    codes = {status_text(c): c for c in OPTIONS}
    old = before["status"].fillna(DEFAULT_STATUS).to_numpy()
    new = after["status"].map(codes).fillna(DEFAULT_STATUS).to_numpy()
    saved = []
    changes: dict[str, tuple[str, str | None]] = {}
    for i in (old != new).nonzero()[0]:
        row, code = before.iloc[i], str(new[i])
        client = str(row["client_id"])
        if client not in allowed:  # the editor only shows editable rows; never trust it
            continue
        note = row["note"] if isinstance(row["note"], str) else None
        changes[client] = (code, note)
        name = row["client_name"] if isinstance(row["client_name"], str) else client
        # Names come from workbooks: escaped, as the message is rendered as markdown.
        saved.append(
            f"{isolate(esc(name))} ({esc(client)}): {status_text(old[i])} → {status_text(code)}"
        )
    record_win_back(conn, changes, user or None)
    for client, (code, _note) in changes.items():
        detail = {"from": str(before.set_index("client_id").loc[client, "status"]), "to": code}
        audit.record(conn, user if scope.is_local else scope, "win_back.status", client, detail)
    return saved


def win_back_editor(
    conn: duckdb.DuckDBPyConnection, params: AnalysisParams, key_only: bool = False
) -> None:
    """Show the win-back list of the parameters (key clients only if asked) with an editable
    status, save changes at once, offer Excel and CSV."""
    message = st.session_state.pop("win_back_saved", None)
    if message:
        st.success(message, icon=":material/check_circle:")
        st.toast(_("Win-back status saved"), icon=":material/check_circle:")
    scope = session_scope()
    frame, shown, allowed, digest = remember(_rows, conn, params, key_only)
    if frame.empty:
        st.caption(_("No lost or at-risk clients: nobody to win back."))
        return
    # Stamped with the signed-in email in team mode; the sidebar's "Your name" when local.
    user = user_name() if scope.is_local else scope.email
    # The column to edit next to the client's name, so it shows without scrolling sideways;
    # few enough columns to fit at 1024 px (a wide table in Hebrew opens on its last columns).
    # The downloads hold every column.
    columns = [
        "client_id",
        "client_name",
        "status",
        "offer",
        "churn_status",
        "revenue_at_stake",
        "abc",
        "days_since_last",
        "manager",
        "updated_by",
        "dossier",
    ]
    pin = not is_rtl(get_language())  # pinned columns go to the left edge, even in Hebrew
    editable = {"status"} if allowed else set()
    config = {
        "client_id": st.column_config.TextColumn(header("client_id"), pinned=pin),
        "client_name": st.column_config.TextColumn(header("client_name"), pinned=pin),
        "churn_status": _("Churn status"),
        "abc": "ABC",
        "types": header("types"),
        "revenue_at_stake": st.column_config.NumberColumn(
            f"{header('revenue_at_stake')} ({currency_symbol(conn).strip()})",
            format="localized",
            help=_("What the client bought in the 12 months up to its last purchase."),
        ),
        "last_purchase": st.column_config.DateColumn(
            header("last_purchase"), format=date_column_format()
        ),
        "days_since_last": st.column_config.NumberColumn(_("Days silent"), format="%d"),
        "manager": header("manager"),
        "region": header("region"),
        "offer": st.column_config.TextColumn(header("offer"), width=250),
        "status": st.column_config.SelectboxColumn(
            _("Win-back status"),
            options=[status_text(c) for c in OPTIONS],
            required=True,
            width=140,
            help=_(
                "{open} = nothing done yet; then planned, contacted, won back or declined. "
                "Saved as soon as you pick one."
            ).format(open=status_text(DEFAULT_STATUS)),
        ),
        "updated_at": st.column_config.DatetimeColumn(
            _("Status set at (UTC)"), format=date_column_format(with_time=True)
        ),
        "updated_by": _("Status set by"),
        "dossier": st.column_config.LinkColumn(_("Dossier"), display_text=_("Open")),
    }
    # A page of rows with a search, as every long client table; the downloads hold every row.
    rows = limited(shown, "win_back", ROWS)
    before = frame
    if len(rows) < len(shown):
        before = frame.loc[rows.index].reset_index(drop=True)
        digest = hashlib.md5("|".join(before["client_id"]).encode()).hexdigest()[:10]
    view = rows[columns].reset_index(drop=True)
    height = min(38 + 35 * len(view), 460)
    if not allowed:  # an executive, or a manager without clients here: a table to read
        st.dataframe(
            rtl_columns(view),
            hide_index=True,
            width="stretch",
            height=height,
            column_config=rtl_column_config(view, config),
        )
    key = _editor_key(digest)
    after = (
        st.data_editor(
            rtl_columns(view),
            key=key,
            hide_index=True,
            width="stretch",
            height=height,
            disabled=[c for c in columns if c not in editable],
            column_config=rtl_column_config(view, config),
        )
        if allowed
        else view
    )
    # Nothing to compare while the editor holds no edit (every view but the one after a pick).
    edits = (st.session_state.get(key) or {}).get("edited_rows") if allowed else None
    saved = _save_changes(conn, before, after[columns], user, scope, set(allowed)) if edits else []
    if saved:
        st.session_state["win_back_version"] = st.session_state.get("win_back_version", 0) + 1
        st.session_state["win_back_saved"] = _("Saved: {changes}").format(changes="; ".join(saved))
        st.rerun()
    if allowed:
        st.caption(
            _(
                'Pick a status in the Win-back status column: it is saved at once. "{open}" '
                "means nothing has been done yet; choosing it again clears the record."
            ).format(open=status_text(DEFAULT_STATUS))
        )
    else:
        st.caption(_("You may read this list; only the clients' managers and admins change it."))
    # The download from the labelled rows already at hand: export_frame(frame) without labelling
    # the list a second time.
    downloads(shown[EXPORT_COLUMNS].rename(columns=export_headers()), "win-back-list", "win_back")
