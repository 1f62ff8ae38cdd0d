"""Dossier completeness: which sections a manager has filled, and the share filled."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from kam_core.i18n import N_
from kam_core.store.dossier_reads import section_counts

# Each section with the rule that makes it count as filled (translated where it is shown).
SECTIONS: dict[str, str] = {
    "general": N_("General information: at least 4 of the 8 profile fields"),
    "decision_map": N_("Decision map: a decision maker among the contacts"),
    "competitors": N_("Competitors: at least one"),
    "tenders": N_("Tenders: at least one recorded"),
    "qualification": N_("Qualification: need, solvency and authority all answered"),
    "plan": N_("Plan: an open ABM action, win-back action or meeting"),
    "notes": N_("Notes: at least one note or meeting"),
}
GENERAL_MIN_FIELDS = 4


@dataclass(frozen=True)
class Completeness:
    """The filled sections of one dossier and the share of sections filled."""

    client_id: str
    sections: dict[str, bool]

    @property
    def score(self) -> float:
        """Share of sections filled, 0 to 1."""
        return sum(self.sections.values()) / len(self.sections)

    @property
    def missing(self) -> list[str]:
        """The rules of the sections still empty, in display order."""
        return [SECTIONS[k] for k, filled in self.sections.items() if not filled]


def sections_filled(counts: pd.DataFrame) -> pd.DataFrame:
    """Per client (rows of section_counts), one boolean column per section."""
    answered = [counts[p] != "unknown" for p in ("need", "solvency", "authority")]
    return pd.DataFrame(
        {
            "client_id": counts["client_id"],
            "general": counts["general_fields"] >= GENERAL_MIN_FIELDS,
            "decision_map": counts["decision_makers"] > 0,
            "competitors": counts["competitors"] > 0,
            "tenders": counts["tenders"] > 0,
            "qualification": answered[0] & answered[1] & answered[2],
            "plan": counts["open_plans"] > 0,
            "notes": counts["notes"] > 0,
        }
    )


def completeness(conn: duckdb.DuckDBPyConnection, client_id: str) -> Completeness:
    """Which sections of one client's dossier are filled."""
    filled = sections_filled(section_counts(conn, client_id))
    if filled.empty:
        return Completeness(client_id, dict.fromkeys(SECTIONS, False))
    row = filled.iloc[0]
    return Completeness(client_id, {k: bool(row[k]) for k in SECTIONS})


def completeness_by_client(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every known client (sales or dossier) with its completeness, 0 to 1."""
    filled = sections_filled(section_counts(conn))
    score = filled[list(SECTIONS)].sum(axis=1) / len(SECTIONS)
    return pd.DataFrame({"client_id": filled["client_id"], "completeness": score.astype(float)})
