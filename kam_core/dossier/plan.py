"""Which activities the ABM plan shows and which the notes show, and what each tab adds.

The split is by kind, and each tab offers only its own kinds, so what a user adds on a tab
always shows on that tab. A meeting belongs to both: it is a planned interaction with people
of the decision map and a record of what was said (docs/DOMAIN.md, sections 6 and 7; the
completeness rules count it as both a plan and a note).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from kam_core.dossier.model import ENTITY_FIELDS, Field

PLAN_KINDS: tuple[str, ...] = ("abm", "win_back", "meeting")
NOTE_KINDS: tuple[str, ...] = ("note", "meeting")
# Columns the notes table leaves out: a note has no target person, due date or status.
NOTE_HIDDEN: tuple[str, ...] = ("contact_id", "due_date", "status")


def plan_actions(activities: pd.DataFrame) -> pd.DataFrame:
    """The activities the ABM plan tab lists: ABM and win-back actions, and meetings."""
    return activities[activities["kind"].isin(PLAN_KINDS)]


def notes(activities: pd.DataFrame) -> pd.DataFrame:
    """The activities the notes tab lists: notes and meetings."""
    return activities[activities["kind"].isin(NOTE_KINDS)]


def _fields(kinds: tuple[str, ...], default: str) -> tuple[Field, ...]:
    out = []
    for fld in ENTITY_FIELDS["activity"]:
        if fld.name == "kind":
            labels = dict(fld.options)
            options = tuple((k, labels[k]) for k in kinds)  # the tab's own kinds, its first first
            fld = replace(fld, options=options, default=default)
        out.append(fld)
    return tuple(out)


def plan_fields() -> tuple[Field, ...]:
    """The activity form of the ABM plan tab: only the plan's kinds."""
    return _fields(PLAN_KINDS, "abm")


def note_fields() -> tuple[Field, ...]:
    """The activity form of the notes tab: only notes and meetings."""
    return _fields(NOTE_KINDS, "note")


def plan_defaults(user: str) -> dict[str, Any]:
    """What a new plan action starts with: an ABM action, planned, owned by the user."""
    return {"kind": "abm", "status": "planned", "owner": user}


def note_defaults(user: str, today: date) -> dict[str, Any]:
    """What a new note starts with: a note, done today by the user."""
    return {"kind": "note", "status": "done", "activity_date": today, "owner": user}
