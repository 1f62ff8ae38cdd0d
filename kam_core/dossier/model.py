"""What a dossier holds: the fields of each record, their vocabularies and validation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# Vocabularies: stored values (snake case) and what the user reads.
ROLES: dict[str, str] = {
    "decision_maker": "Decision maker",
    "influencer": "Influencer",
    "user": "User",
    "gatekeeper": "Gatekeeper",
    "champion": "Champion",
    "blocker": "Blocker",
}
ATTITUDES: dict[str, str] = {"supporter": "Supporter", "neutral": "Neutral", "opponent": "Opponent"}
RESULTS: dict[str, str] = {
    "won": "Won",
    "lost": "Lost",
    "pending": "Pending",
    "declined": "Declined",
}
KINDS: dict[str, str] = {
    "note": "Note",
    "meeting": "Meeting",
    "abm": "ABM action",
    "win_back": "Win-back action",
}
STATUSES: dict[str, str] = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "cancelled": "Cancelled",
}
ANSWERS: dict[str, str] = {"yes": "Yes", "no": "No", "unknown": "Unknown"}
TYPES: dict[str, str] = {
    "breadwinner": "Breadwinner",
    "prospect": "Prospect",
    "image_maker": "Image-maker",
    "expert": "Expert",
    "none": "Ordinary (none)",
}
OPEN_STATUSES: tuple[str, ...] = ("planned", "in_progress")


class DossierError(ValueError):
    """A value the dossier cannot take; the message is meant for the user."""


@dataclass(frozen=True)
class Field:
    """One editable field of a dossier record."""

    name: str
    label: str
    kind: str = "text"  # text, long, choice, int, number, share, date, flag, contact, types
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False
    help: str | None = None
    default: Any = None


def _choice(vocab: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(vocab.items())


PROFILE: tuple[Field, ...] = (
    Field("client_name", "Name"),
    Field("industry", "Industry"),
    Field("employees", "Employees", "int"),
    Field("website", "Website"),
    Field("manager", "Key account manager", help="Leave blank to use the manager in the data."),
    Field("description", "Company description", "long"),
    Field("history", "History", "long"),
    Field("team", "Team", "long", help="The people we work with and how the client is staffed."),
    Field("org_structure", "Organisational structure", "long"),
    Field("environment", "Environment", "long", help="Market, partners, regulation, trends."),
    Field("is_image_maker", "Image-maker", "flag", help="A famous name that brings reputation."),
    Field("is_expert", "Expert", "flag", help="High demands on quality and service."),
    Field(
        "type_override",
        "Types (manager's choice)",
        "types",
        _choice(TYPES),
        help="Leave empty to let the rules decide; a choice here always wins.",
    ),
)
QUALIFICATION: tuple[Field, ...] = (
    Field("need", "Need for our offer", "choice", _choice(ANSWERS), default="unknown"),
    Field("solvency", "Solvency (ability to pay)", "choice", _choice(ANSWERS), default="unknown"),
    Field("authority", "Authority of our contact", "choice", _choice(ANSWERS), default="unknown"),
    Field("qualification_note", "Note", "long"),
    Field("qualification_source", "Source", help="Trade press, media, internet, databases."),
    Field("qualification_date", "Checked on", "date"),
)
CLIENT_FIELDS: tuple[Field, ...] = PROFILE + QUALIFICATION

ENTITY_FIELDS: dict[str, tuple[Field, ...]] = {
    "contact": (
        Field("name", "Name", required=True),
        Field("title", "Job title"),
        Field("role", "Role in the decision", "choice", _choice(ROLES), default="influencer"),
        Field("attitude", "Attitude to us", "choice", _choice(ATTITUDES), default="neutral"),
        Field("influence", "Influence (1-5)", "int", default=3, help="5 = decides alone."),
        Field("reports_to", "Reports to", "contact"),
        Field("email", "Email"),
        Field("phone", "Phone"),
        Field("notes", "Notes", "long"),
    ),
    "tender": (
        Field("tender_date", "Date", "date"),
        Field("subject", "Subject", required=True),
        Field("amount", "Amount", "number"),
        Field("result", "Result", "choice", _choice(RESULTS), default="pending"),
        Field("reason", "Reason for the result", "long"),
        Field("winner", "Winning competitor"),
    ),
    "competitor": (
        Field("name", "Competitor", required=True),
        Field("share", "Share of the client's spend (%)", "share"),
        Field("strengths", "Strengths", "long"),
        Field("weaknesses", "Weaknesses", "long"),
    ),
    "activity": (
        Field("kind", "Kind", "choice", _choice(KINDS), default="note"),
        Field("activity_date", "Date", "date"),
        Field("owner", "Owner"),
        Field("status", "Status", "choice", _choice(STATUSES), default="planned"),
        Field("due_date", "Due", "date"),
        Field("contact_id", "Target person", "contact", help="For ABM: who the action is for."),
        Field("text", "What", "long", required=True),
    ),
}
ENTITY_LABELS: dict[str, str] = {
    "contact": "contact",
    "tender": "tender",
    "competitor": "competitor",
    "activity": "activity",
}


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        if value is pd.NaT or value is pd.NA:
            return True
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return isinstance(value, str) and not value.strip()


def _clean_one(fld: Field, value: Any) -> Any:
    """Return the stored form of one value, or raise DossierError saying what is wrong."""
    if _blank(value):
        if fld.required:
            raise DossierError(f"{fld.label} is required.")
        if fld.kind == "flag":
            return False
        return fld.default
    if fld.kind in ("text", "long"):
        return str(value).strip()
    if fld.kind == "choice":
        allowed = dict(fld.options)
        key = str(value).strip()
        if key not in allowed:
            raise DossierError(f"{fld.label}: '{key}' is not one of {', '.join(allowed)}.")
        return key
    if fld.kind == "types":
        return _clean_types(fld, value)
    if fld.kind == "flag":
        return bool(value)
    if fld.kind in ("int", "contact"):
        return _clean_int(fld, value)
    if fld.kind == "number":
        return float(value)
    if fld.kind == "share":
        share = float(value)
        if not 0 <= share <= 1:
            raise DossierError(f"{fld.label} must be between 0% and 100%.")
        return share
    if fld.kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])
    raise AssertionError(fld.kind)


def _clean_int(fld: Field, value: Any) -> int:
    number = int(value)
    if fld.name == "influence" and not 1 <= number <= 5:
        raise DossierError("Influence must be between 1 and 5.")
    if fld.name == "employees" and number < 0:
        raise DossierError("Employees cannot be negative.")
    return number


def _clean_types(fld: Field, value: Any) -> str | None:
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    words = [str(w).strip().lower().replace("-", "_").replace(" ", "_") for w in items]
    words = [w for w in words if w]
    unknown = [w for w in words if w not in TYPES]
    if unknown:
        raise DossierError(f"{fld.label}: unknown type {', '.join(unknown)}.")
    if "none" in words and len(words) > 1:
        raise DossierError("A client cannot be ordinary (none) and of a key type at once.")
    return ",".join(w for w in TYPES if w in words) or None


def clean(fields: tuple[Field, ...], values: dict[str, Any], partial: bool = False) -> dict:
    """Validate and normalise a record; partial keeps only the fields given."""
    out: dict[str, Any] = {}
    for fld in fields:
        if partial and fld.name not in values:
            continue
        try:
            out[fld.name] = _clean_one(fld, values.get(fld.name))
        except (TypeError, ValueError) as exc:
            if isinstance(exc, DossierError):
                raise
            raise DossierError(f"{fld.label}: '{values.get(fld.name)}' cannot be read.") from exc
    return out


def field_names(entity: str) -> tuple[str, ...]:
    """The stored columns of an entity (profile for 'client')."""
    fields = CLIENT_FIELDS if entity == "client" else ENTITY_FIELDS[entity]
    return tuple(f.name for f in fields)


def label_of(vocab: dict[str, str], value: object) -> str:
    """The readable label of a stored value ('decision_maker' -> 'Decision maker')."""
    if _blank(value):
        return ""
    return vocab.get(str(value), str(value))
