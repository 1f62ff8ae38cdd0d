"""Dossier forms: the profile (saved only if nobody saved it since it was opened) and the
add / edit / remove forms of contacts, tenders, competitors and activities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from kam_core import dossier
from kam_core.dossier.model import ENTITY_FIELDS, Field
from kam_core.dossier.reads import record_key
from kam_core.dossier.tables import contact_names, record_label
from kam_core.i18n import _, fmt_datetime
from kam_core.services.scope import Scope, ScopeRefused
from ui.text import esc
from views.dossier.fields import field_inputs

MESSAGE_KEY = "dossier_message"
REFUSED = (dossier.StaleEdit, dossier.DossierError, ScopeRefused)


@dataclass(frozen=True)
class Editing:
    """Who edits the dossier on this run: the connection, their scope and name, and whether the
    scope may change this client's dossier (forms are shown disabled when not)."""

    conn: duckdb.DuckDBPyConnection
    scope: Scope
    user: str
    editable: bool


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
    by = d.profile.get("updated_by") or _("someone")
    at = d.profile.get("updated_at")
    saved = at is not None and not pd.isna(at)
    text = (
        _("{who} saved this client's profile at {when}, after you opened it.")
        if saved
        else _("{who} saved this client's profile after you opened it.")
    )
    st.warning(
        esc(text.format(who=by, when=fmt_datetime(at) if saved else ""))
        + " "
        + _(
            "Your form still shows the version you opened; saving it would overwrite their "
            "changes, so it is refused."
        )
    )
    if mine:
        st.caption(_("What you tried to save (copy what you need before reloading):"))
        st.dataframe(
            pd.DataFrame(
                {_("Field"): list(mine), _("Your value"): [str(v) for v in mine.values()]}
            ),
            hide_index=True,
        )
    st.button(
        _("Load the latest version"),
        key=f"dossier_reload:{client_id}",
        on_click=_reload,
        args=(client_id, d.version),
        icon=":material/refresh:",
    )


def profile_form(
    ed: Editing,
    d: dossier.Dossier,
    fields: tuple[Field, ...],
    where: str,
    columns: int = 2,
) -> None:
    """A form over some client fields, saved atomically with an optimistic version check."""
    conn, user = ed.conn, ed.user
    client_id = d.client_id
    opened = opened_version(client_id, d.version)
    stale_key = f"dossier_stale:{client_id}"
    show_message(where)
    if d.version != opened:
        _stale_notice(client_id, d, opened, st.session_state.get(stale_key))
    # Keys carry the opened version: after a save or a reload the form starts afresh.
    key = f"{where}:{client_id}:{opened}"
    with st.form(key=f"form:{key}", border=True):
        values = field_inputs(fields, d.profile, key, {}, columns, disabled=not ed.editable)
        submitted = st.form_submit_button(
            _("Save"), type="primary", key=f"save:{key}", disabled=not ed.editable
        )
    if not submitted:
        return
    try:
        new = dossier.save_profile(conn, client_id, values, opened, user, scope=ed.scope)
    except dossier.StaleEdit:
        st.session_state[stale_key] = {_(f.label): values[f.name] for f in fields}
        st.rerun()
    except (dossier.DossierError, ScopeRefused) as exc:
        st.error(esc(str(exc)))
        return
    st.session_state[f"dossier_opened:{client_id}"] = new
    st.session_state.pop(stale_key, None)
    say_later(where, _("Saved.") if new != opened else _("Nothing changed."))
    st.rerun()


def _add_form(
    ed: Editing,
    entity: str,
    client_id: str,
    people: dict[int, str],
    defaults: dict[str, Any],
    where: str,
    fields: tuple[Field, ...],
) -> None:
    gen = st.session_state.get(f"dossier_add_gen:{where}", 0)  # a fresh form after each add
    key = f"add:{where}:{client_id}:{gen}"
    with st.form(key=f"form:{key}"):
        values = field_inputs(fields, defaults, key, people)
        submitted = st.form_submit_button(_("Add"), type="primary", key=f"submit:{key}")
    if submitted:
        try:
            dossier.add(ed.conn, entity, client_id, values, ed.user, scope=ed.scope)
        except REFUSED as exc:
            st.error(esc(str(exc)))
            return
        st.session_state[f"dossier_add_gen:{where}"] = gen + 1
        say_later(where, _("Added."))
        st.rerun()


def _edit_form(
    ed: Editing,
    entity: str,
    frame: pd.DataFrame,
    contacts: pd.DataFrame,
    people: dict[int, str],
    where: str,
    fields: tuple[Field, ...],
) -> None:
    key_col = record_key(entity)
    labels = {int(r[key_col]): record_label(entity, r, contacts) for _i, r in frame.iterrows()}
    client_id = frame["client_id"].iloc[0]
    row_id = st.selectbox(
        _("Choose"), list(labels), format_func=labels.get, key=f"pick:{where}:{client_id}"
    )
    row = frame[frame[key_col] == row_id].iloc[0]
    opened_key = f"dossier_opened:{entity}:{row_id}"
    version = int(st.session_state.setdefault(opened_key, int(row["version"])))
    if version != int(row["version"]):
        by = row["updated_by"] or _("someone")
        st.warning(
            esc(
                _(
                    "{who} changed this record after you opened it; saving is refused so their "
                    "change is not overwritten."
                ).format(who=by)
            )
        )
        st.button(
            _("Load the latest version"),
            key=f"reload:{opened_key}",
            on_click=st.session_state.pop,
            args=(opened_key, None),
        )
    others = {i: n for i, n in people.items() if not (entity == "contact" and i == row_id)}
    key = f"edit:{where}:{row_id}:{version}"
    with st.form(key=f"form:{key}"):
        values = field_inputs(fields, row.to_dict(), key, others)
        left, right, _rest = st.columns([1, 1, 4])
        save = left.form_submit_button(_("Save changes"), type="primary", key=f"save:{key}")
        remove = right.form_submit_button(_("Remove"), key=f"remove:{key}")
    if not (save or remove):
        return
    try:
        if remove:
            dossier.delete(ed.conn, entity, row_id, version, ed.user, scope=ed.scope)
            st.session_state.pop(opened_key, None)
        else:
            st.session_state[opened_key] = dossier.update(
                ed.conn, entity, row_id, values, version, ed.user, scope=ed.scope
            )
    except REFUSED as exc:
        st.error(esc(str(exc)))
        return
    say_later(where, _("Removed.") if remove else _("Saved."))
    st.rerun()


def records_editor(
    ed: Editing,
    entity: str,
    client_id: str,
    frame: pd.DataFrame,
    contacts: pd.DataFrame,
    where: str,
    titles: tuple[str, str],
    defaults: dict[str, Any] | None = None,
    fields: tuple[Field, ...] | None = None,
) -> None:
    """An 'Add' form and, when there are records, an 'Edit or remove' form (titles translated);
    neither when the scope may not change this dossier."""
    if not ed.editable:
        return
    fields = fields or ENTITY_FIELDS[entity]
    people = contact_names(contacts)
    show_message(where)
    add_title, edit_title = titles
    with st.expander(add_title, icon=":material/add:"):
        _add_form(ed, entity, client_id, people, defaults or {}, where, fields)
    if len(frame):
        with st.expander(edit_title, icon=":material/edit:"):
            _edit_form(ed, entity, frame, contacts, people, where, fields)
