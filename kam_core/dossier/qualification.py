"""The three P's of a prospect: need, solvency, authority (DOMAIN.md section 5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kam_core.dossier.model import ANSWERS
from kam_core.i18n import N_
from kam_core.i18n import terms as t

PS: tuple[str, ...] = ("need", "solvency", "authority")
# The P's as the glossary names them (translated where shown).
P_NAMES: dict[str, str] = {"need": t.NEED, "solvency": t.SOLVENCY, "authority": t.AUTHORITY}
QUALIFIED, DISQUALIFIED, OPEN = "qualified", "disqualified", "open"
VERDICTS: dict[str, str] = {
    QUALIFIED: N_("Qualified prospect: need, solvency and authority are all confirmed."),
    DISQUALIFIED: N_("Not qualified: at least one of the three P's is a no."),
    OPEN: N_("Qualification open: some of the three P's are still unknown."),
}


@dataclass(frozen=True)
class Qualification:
    """The answers on the three P's and what they make of the client."""

    need: str
    solvency: str
    authority: str

    @property
    def answers(self) -> dict[str, str]:
        """The three answers by P."""
        return {"need": self.need, "solvency": self.solvency, "authority": self.authority}

    @property
    def qualified(self) -> bool:
        """A qualified prospect has all three P's confirmed."""
        return all(a == "yes" for a in self.answers.values())

    @property
    def verdict(self) -> str:
        """qualified, disqualified (any no) or open (something unknown)."""
        if self.qualified:
            return QUALIFIED
        if any(a == "no" for a in self.answers.values()):
            return DISQUALIFIED
        return OPEN


def qualification(profile: dict[str, Any]) -> Qualification:
    """Read the three P's from a profile; anything missing or unreadable is unknown."""
    values = []
    for p in PS:
        answer = str(profile.get(p) or "unknown").strip().lower()
        values.append(answer if answer in ANSWERS else "unknown")
    return Qualification(*values)
