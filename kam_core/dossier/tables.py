"""Dossier records as a reader sees them: labels for codes, names for contact ids."""

from __future__ import annotations

import pandas as pd

from kam_core.dossier.model import ATTITUDES, KINDS, RESULTS, ROLES, STATUSES, label_of
from kam_core.i18n import _, fmt_date

# Per entity: the columns shown, in order, and their vocabulary where they hold codes.
SHOWN: dict[str, list[str]] = {
    "contact": [
        "name",
        "title",
        "role",
        "attitude",
        "influence",
        "reports_to",
        "email",
        "phone",
        "notes",
    ],
    "tender": ["tender_date", "subject", "amount", "result", "reason", "winner"],
    "competitor": ["name", "share", "strengths", "weaknesses"],
    "activity": ["activity_date", "kind", "text", "contact_id", "owner", "due_date", "status"],
}
VOCABS = {"role": ROLES, "attitude": ATTITUDES, "result": RESULTS, "kind": KINDS}
VOCABS["status"] = STATUSES
STAMPS = ["updated_by", "updated_at"]


def contact_names(contacts: pd.DataFrame) -> dict[int, str]:
    """Contact id -> name, for the columns that point at a person."""
    return {int(i): str(n) for i, n in zip(contacts["contact_id"], contacts["name"], strict=True)}


def readable(entity: str, frame: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
    """The records with labels instead of codes and names instead of contact ids."""
    names = contact_names(contacts)
    out = frame[[*SHOWN[entity], *STAMPS]].copy()
    for col, vocab in VOCABS.items():
        if col in out:
            out[col] = out[col].map(lambda v, vocab=vocab: label_of(vocab, v))
    for col in ("reports_to", "contact_id"):
        if col in out:
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else names.get(int(v), ""))
    return out.reset_index(drop=True)


def record_label(entity: str, row: pd.Series, contacts: pd.DataFrame) -> str:
    """A one-line name for a record in a picker."""
    if entity == "contact":
        return f"{row['name']} - {label_of(ROLES, row['role']) or _('no role')}"
    if entity == "tender":
        day = row["tender_date"]
        when = "" if pd.isna(day) else f"{fmt_date(day)} "
        return f"{when}{row['subject']} ({label_of(RESULTS, row['result'])})"
    if entity == "competitor":
        return str(row["name"])
    text = str(row["text"] or "")
    short = text if len(text) <= 60 else text[:57] + "..."
    return f"{label_of(KINDS, row['kind'])}: {short} ({label_of(STATUSES, row['status'])})"
