"""What a dossier holds: the fields of each record, their vocabularies and validation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kam_core.i18n import N_, NP_, _
from kam_core.i18n import terms as t

# Vocabularies: stored values (snake case) and what the user reads: glossary terms where the
# glossary has the word, else marked text; both translated when shown (label_of).
ROLES: dict[str, str] = {
    "decision_maker": t.ROLE_DECISION_MAKER,
    "influencer": t.ROLE_INFLUENCER,
    "user": t.ROLE_USER,
    "gatekeeper": t.ROLE_GATEKEEPER,
    "champion": t.ROLE_CHAMPION,
    "blocker": t.ROLE_BLOCKER,
}
ATTITUDES: dict[str, str] = {
    "supporter": t.ATTITUDE_SUPPORTER,
    "neutral": t.ATTITUDE_NEUTRAL,
    "opponent": t.ATTITUDE_OPPONENT,
}
# 'Lost' of a tender is not 'Lost' of a client: the tender results carry their own context.
RESULTS: dict[str, str] = {
    "won": t.TENDER_WON,
    "lost": t.TENDER_LOST,
    "pending": t.Term(NP_("tender result", "Pending"), t.TENDER_RESULT),
    "declined": t.Term(NP_("tender result", "Declined"), t.TENDER_RESULT),
}
KINDS: dict[str, str] = {
    "note": N_("Note"),
    "meeting": N_("Meeting"),
    "abm": N_("ABM action"),
    "win_back": N_("Win-back action"),
}
STATUSES: dict[str, str] = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
}
ANSWERS: dict[str, str] = {"yes": N_("Yes"), "no": N_("No"), "unknown": N_("Unknown")}
TYPES: dict[str, str] = {
    "breadwinner": t.BREADWINNER,
    "prospect": t.PROSPECT,
    "image_maker": t.IMAGE_MAKER,
    "expert": t.EXPERT,
    "none": t.ORDINARY,
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
    Field("client_name", N_("Name")),
    Field("industry", N_("Industry")),
    Field("employees", N_("Employees"), "int"),
    Field("website", N_("Website")),
    Field(
        "manager", N_("Key account manager"), help=N_("Leave blank to use the manager in the data.")
    ),
    Field("description", N_("Company description"), "long"),
    Field("history", N_("History"), "long"),
    Field(
        "team",
        N_("Team"),
        "long",
        help=N_("The people we work with and how the client is staffed."),
    ),
    Field("org_structure", N_("Organisational structure"), "long"),
    Field(
        "environment", N_("Environment"), "long", help=N_("Market, partners, regulation, trends.")
    ),
    Field(
        "is_image_maker",
        N_("Image-maker"),
        "flag",
        help=N_("A famous name that brings reputation."),
    ),
    Field("is_expert", N_("Expert"), "flag", help=N_("High demands on quality and service.")),
    Field(
        "type_override",
        N_("Types (manager's choice)"),
        "types",
        _choice(TYPES),
        help=N_("Leave empty to let the rules decide; a choice here always wins."),
    ),
)
QUALIFICATION: tuple[Field, ...] = (
    Field("need", N_("Need for our offer"), "choice", _choice(ANSWERS), default="unknown"),
    Field(
        "solvency", N_("Solvency (ability to pay)"), "choice", _choice(ANSWERS), default="unknown"
    ),
    Field(
        "authority", N_("Authority of our contact"), "choice", _choice(ANSWERS), default="unknown"
    ),
    Field("qualification_note", N_("Note"), "long"),
    Field(
        "qualification_source", N_("Source"), help=N_("Trade press, media, internet, databases.")
    ),
    Field("qualification_date", N_("Checked on"), "date"),
)
CLIENT_FIELDS: tuple[Field, ...] = PROFILE + QUALIFICATION

ENTITY_FIELDS: dict[str, tuple[Field, ...]] = {
    "contact": (
        Field("name", N_("Name"), required=True),
        Field("title", N_("Job title")),
        Field("role", N_("Role in the decision"), "choice", _choice(ROLES), default="influencer"),
        Field("attitude", N_("Attitude to us"), "choice", _choice(ATTITUDES), default="neutral"),
        Field("influence", N_("Influence (1-5)"), "int", default=3, help=N_("5 = decides alone.")),
        Field("reports_to", N_("Reports to"), "contact"),
        Field("email", N_("Email")),
        Field("phone", N_("Phone")),
        Field("notes", N_("Notes"), "long"),
    ),
    "tender": (
        Field("tender_date", N_("Date"), "date"),
        Field("subject", N_("Subject"), required=True),
        Field("amount", N_("Amount"), "number"),
        Field("result", N_("Result"), "choice", _choice(RESULTS), default="pending"),
        Field("reason", N_("Reason for the result"), "long"),
        Field("winner", N_("Winning competitor")),
    ),
    "competitor": (
        Field("name", N_("Competitor"), required=True),
        Field("share", N_("Share of the client's spend (%)"), "share"),
        Field("strengths", N_("Strengths"), "long"),
        Field("weaknesses", N_("Weaknesses"), "long"),
    ),
    "activity": (
        Field("kind", N_("Kind"), "choice", _choice(KINDS), default="note"),
        Field("activity_date", N_("Date"), "date"),
        Field("owner", N_("Owner")),
        Field("status", N_("Status"), "choice", _choice(STATUSES), default="planned"),
        Field("due_date", N_("Due"), "date"),
        Field(
            "contact_id", N_("Target person"), "contact", help=N_("For ABM: who the action is for.")
        ),
        Field("text", N_("What"), "long", required=True),
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
            raise DossierError(_("{field} is required.").format(field=_(fld.label)))
        if fld.kind == "flag":
            return False
        return fld.default
    if fld.kind in ("text", "long"):
        return str(value).strip()
    if fld.kind == "choice":
        allowed = dict(fld.options)
        key = str(value).strip()
        if key not in allowed:
            raise DossierError(
                _("{field}: '{value}' is not one of {allowed}.").format(
                    field=_(fld.label), value=key, allowed=", ".join(allowed)
                )
            )
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
            raise DossierError(_("{field} must be between 0% and 100%.").format(field=_(fld.label)))
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
        raise DossierError(_("Influence must be between 1 and 5."))
    if fld.name == "employees" and number < 0:
        raise DossierError(_("Employees cannot be negative."))
    return number


def _clean_types(fld: Field, value: Any) -> str | None:
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    words = [str(w).strip().lower().replace("-", "_").replace(" ", "_") for w in items]
    words = [w for w in words if w]
    unknown = [w for w in words if w not in TYPES]
    if unknown:
        raise DossierError(
            _("{field}: unknown type {types}.").format(field=_(fld.label), types=", ".join(unknown))
        )
    if "none" in words and len(words) > 1:
        raise DossierError(_("A client cannot be ordinary (none) and of a key type at once."))
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
            raise DossierError(
                _("{field}: '{value}' cannot be read.").format(
                    field=_(fld.label), value=values.get(fld.name)
                )
            ) from exc
    return out


def field_names(entity: str) -> tuple[str, ...]:
    """The stored columns of an entity (profile for 'client')."""
    fields = CLIENT_FIELDS if entity == "client" else ENTITY_FIELDS[entity]
    return tuple(f.name for f in fields)


def label_of(vocab: dict[str, str], value: object) -> str:
    """The readable label of a stored value in the current language ('decision_maker' ->
    'Decision maker'); an unknown value shows as stored."""
    if _blank(value):
        return ""
    key = str(value)
    return t.term(vocab[key]) if key in vocab else key
