"""The dossier header's outlook: will the client buy again, what the next months are worth, and
the account's health with its parts, each said in a manager's words."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from kam_core.analytics.health import DEFAULT_WEIGHTS, PARTS, HealthWeights
from kam_core.i18n import N_, _

# What each health part looks at, as a manager would say it (translated at display).
PART_NAMES: dict[str, str] = {
    "trend": N_("Revenue trend"),
    "p_alive": N_("Will buy again"),
    "regularity": N_("Regular buying"),
    "coverage": N_("People we know"),
    "completeness": N_("Dossier filled in"),
    "on_time": N_("Deliveries on time"),
    "risks": N_("Open risks"),
}
PART_WORDS: dict[str, str] = {
    "trend": N_(
        "Revenue in the window against the window before: full marks when it grew by a fifth "
        "or more, less the more it fell."
    ),
    "p_alive": N_("How likely the client still buys from us, from the pattern of their purchases."),
    "regularity": N_("How often they buy: often is best, now and then is weakest."),
    "coverage": N_(
        "A decision maker and a champion on the decision map, and a recent contact with a key "
        "person."
    ),
    "completeness": N_("How much of the dossier is filled in."),
    "on_time": N_("Share of lines delivered by the promised date."),
    "risks": N_("Tenders lost in the last year and overdue actions pull this down."),
}


@dataclass(frozen=True)
class HealthPart:
    """One part of the health score: its score (None without data) and its weight."""

    part: str
    score: float | None
    weight: float


@dataclass(frozen=True)
class Outlook:
    """Probability alive, expected value and health for one client (None where unknown)."""

    client_id: str
    bought: bool
    p_alive: float | None
    expected_purchases: float | None
    expected_value: float | None
    health: float | None
    parts_used: int
    parts: tuple[HealthPart, ...] = field(default_factory=tuple)

    @property
    def model_trusted(self) -> bool:
        """True when the model's figures exist for this client."""
        return self.p_alive is not None


def _value(row: pd.Series | None, column: str) -> float | None:
    if row is None or column not in row.index:
        return None
    value = row[column]
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _row(table: pd.DataFrame, client_id: str) -> pd.Series | None:
    if table is None or table.empty or "client_id" not in table.columns:
        return None
    rows = table[table["client_id"].astype(str) == str(client_id)]
    return None if rows.empty else rows.iloc[0]


def client_outlook(
    alive: pd.DataFrame,
    health: pd.DataFrame,
    client_id: str,
    weights: HealthWeights | None = None,
) -> Outlook:
    """The client's row of p_alive_table and health_table, with each health part's weight."""
    a = _row(alive, client_id)
    h = _row(health, client_id)
    w = weights or DEFAULT_WEIGHTS
    parts = tuple(HealthPart(p, _value(h, p), float(getattr(w, p))) for p in PARTS)
    used = _value(h, "parts_used")
    return Outlook(
        client_id=str(client_id),
        bought=a is not None,
        p_alive=_value(a, "p_alive"),
        expected_purchases=_value(a, "expected_purchases"),
        expected_value=_value(a, "expected_value"),
        health=_value(h, "health"),
        parts_used=int(used) if used is not None else 0,
        parts=parts,
    )


def parts_frame(outlook: Outlook) -> pd.DataFrame:
    """The health parts as rows: name, score, share of the score's weight, what it measures."""
    total = sum(p.weight for p in outlook.parts if p.score is not None)
    rows = [
        {
            "part": _(PART_NAMES[p.part]),
            "score": p.score,
            "weight": (p.weight / total) if (p.score is not None and total) else None,
            "meaning": _(PART_WORDS[p.part]),
        }
        for p in outlook.parts
    ]
    return pd.DataFrame(rows, columns=["part", "score", "weight", "meaning"])
