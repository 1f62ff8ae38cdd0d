"""Dossier forms: the profile (saved only if nobody saved it since it was opened) and the
add / edit / remove forms of contacts, tenders, competitors and activities."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from kam_core import dossier
from kam_core.dossier.model import ENTITY_FIELDS, Field
from kam_core.dossier.reads import record_key
from kam_core.dossier.tables import contact_names, record_label
from kam_core.vocabulary import DATE_FORMAT
from ui.text import esc
from views.dossier.fields import field_inputs

MESSAGE_KEY = "dossier_message"


def say_later(where: str, text: str) -> None:
    """Keep a success message to show in its section after the rerun."""
    st.session_state[f"{MESSAGE_KEY}:{where}"] = text


def show_message(where: str) -> None:
    """Show the message a save left for this section, once."""
    text = st.session_state.pop(f"{MESSAGE_KEY}:{where}", None)
    if text:
        st.success(text)


def opened_version(client_id: str, stored: int) -> int:
    """The profile version this session opened (first seen), kept until it saves or reloads."""
    key = f"dossier_opened:{client_id}"
    if key not in st.session_state:
        st.session_state[key] = stored
    return int(st.session_state[key])


def _reload(client_id: str, stored: int) -> None:
    st.session_state[f"dossier_opened:{client_id}"] = stored
    st.session_state.pop(f"dossier_stale:{client_id}", None)


def _stale_notice(client_id: str, d: dossier.Dossier, opened: int, mine: dict | None) -> None:
    """Say who saved the profile since it was opened; offer to load their version."""
    by = d.profile.get("updated_by") or "someone"
    at = d.profile.get("updated_at")
    saved = at is not None and not pd.isna(at)
    when = f" at {pd.Timestamp(at):{DATE_FORMAT} %H:%M}" if saved else ""
    st.warning(
        f"{esc(by)} saved this client's profile{when}, after you opened it. Your form still shows "
        "the version you opened; saving it would overwrite their changes, so it is refused."
    )
    if mine:
        st.caption("What you tried to save (copy what you need before reloading):")
        st.dataframe(
            pd.DataFrame({"field": list(mine), "your value": [str(v) for v in mine.values()]}),
            hide_index=True,
        )
    st.button(
        "Load the latest version",
        key=f"dossier_reload:{client_id}",
        on_click=_reload,
        args=(client_id, d.version),
        icon=":material/refresh:",
    )


def profile_form(
    conn: duckdb.DuckDBPyConnection,
    d: dossier.Dossier,
    fields: tuple[Field, ...],
    where: str,
    user: str,
    columns: int = 2,
) -> None:
    """A form over some client fields, saved atomically with an optimistic version check."""
    client_id = d.client_id
    opened = opened_version(client_id, d.version)
    stale_key = f"dossier_stale:{client_id}"
    show_message(where)
    if d.version != opened:
        _stale_notice(client_id, d, opened, st.session_state.get(stale_key))
    # Keys carry the opened version: after a save or a reload the form starts afresh.
    key = f"{where}:{client_id}:{opened}"
    with st.form(key=f"form:{key}", border=True):
        values = field_inputs(fields, d.profile, key, {}, columns)
        submitted = st.form_submit_button("Save", type="primary", key=f"save:{key}")
    if not submitted:
        return
    try:
        new = dossier.save_profile(conn, client_id, values, opened, user)
    except dossier.StaleEdit:
        st.session_state[stale_key] = {f.label: values[f.name] for f in fields}
        st.rerun()
    except dossier.DossierError as exc:
        st.error(esc(str(exc)))
        return
    st.session_state[f"dossier_opened:{client_id}"] = new
    st.session_state.pop(stale_key, None)
    say_later(where, "Saved." if new != opened else "Nothing changed.")
    st.rerun()


def _add_form(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    client_id: str,
    people: dict[int, str],
    user: str,
    defaults: dict[str, Any],
    where: str,
    fields: tuple[Field, ...],
) -> None:
    gen = st.session_state.get(f"dossier_add_gen:{where}", 0)  # a fresh form after each add
    key = f"add:{where}:{client_id}:{gen}"
    with st.form(key=f"form:{key}"):
        values = field_inputs(fields, defaults, key, people)
        submitted = st.form_submit_button("Add", type="primary", key=f"submit:{key}")
    if submitted:
        try:
            dossier.add(conn, entity, client_id, values, user)
        except dossier.DossierError as exc:
            st.error(esc(str(exc)))
            return
        st.session_state[f"dossier_add_gen:{where}"] = gen + 1
        say_later(where, "Added.")
        st.rerun()


def _edit_form(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    frame: pd.DataFrame,
    contacts: pd.DataFrame,
    people: dict[int, str],
    user: str,
    where: str,
    fields: tuple[Field, ...],
) -> None:
    key_col = record_key(entity)
    labels = {int(r[key_col]): record_label(entity, r, contacts) for _, r in frame.iterrows()}
    client_id = frame["client_id"].iloc[0]
    row_id = st.selectbox(
        "Choose", list(labels), format_func=labels.get, key=f"pick:{where}:{client_id}"
    )
    row = frame[frame[key_col] == row_id].iloc[0]
    opened_key = f"dossier_opened:{entity}:{row_id}"
    version = int(st.session_state.setdefault(opened_key, int(row["version"])))
    if version != int(row["version"]):
        by = row["updated_by"] or "someone"
        st.warning(
            f"{esc(by)} changed this record after you opened it; saving is refused so their change "
            "is not overwritten."
        )
        st.button(
            "Load the latest version",
            key=f"reload:{opened_key}",
            on_click=st.session_state.pop,
            args=(opened_key, None),
        )
    others = {i: n for i, n in people.items() if not (entity == "contact" and i == row_id)}
    key = f"edit:{where}:{row_id}:{version}"
    with st.form(key=f"form:{key}"):
        values = field_inputs(fields, row.to_dict(), key, others)
        left, right, _ = st.columns([1, 1, 4])
        save = left.form_submit_button("Save changes", type="primary", key=f"save:{key}")
        remove = right.form_submit_button("Remove", key=f"remove:{key}")
    if not (save or remove):
        return
    try:
        if remove:
            dossier.delete(conn, entity, row_id, version, user)
            st.session_state.pop(opened_key, None)
        else:
            st.session_state[opened_key] = dossier.update(
                conn, entity, row_id, values, version, user
            )
    except (dossier.StaleEdit, dossier.DossierError) as exc:
        st.error(esc(str(exc)))
        return
    say_later(where, "Removed." if remove else "Saved.")
    st.rerun()


def records_editor(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    client_id: str,
    frame: pd.DataFrame,
    contacts: pd.DataFrame,
    user: str,
    where: str,
    noun: str,
    defaults: dict[str, Any] | None = None,
    fields: tuple[Field, ...] | None = None,
) -> None:
    """An 'Add' form and, when there are records, an 'Edit or remove' form."""
    fields = fields or ENTITY_FIELDS[entity]
    people = contact_names(contacts)
    show_message(where)
    with st.expander(f"Add {noun}", icon=":material/add:"):
        _add_form(conn, entity, client_id, people, user, defaults or {}, where, fields)
    if len(frame):
        with st.expander(f"Edit or remove {noun}", icon=":material/edit:"):
            _edit_form(conn, entity, frame, contacts, people, user, where, fields)
