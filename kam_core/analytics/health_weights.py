"""The weights of the account health parts: defaults, their meaning, and the stored settings.

The weights are settings (Settings, "Health score"): kam_core.services.settings checks and
stores them; every health reader takes them through load_health_weights.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import duckdb
import numpy as np

from kam_core.i18n import N_
from kam_core.store.settings import read_settings

PARTS: tuple[str, ...] = (
    "trend",
    "p_alive",
    "regularity",
    "coverage",
    "completeness",
    "on_time",
    "risks",
)
# What each part measures, in the words the settings page shows next to its weight.
PART_RULES: dict[str, str] = {
    "trend": N_(
        "Revenue trend: revenue of the window against the previous window; 100 when it"
        " grew 20% or more, in proportion below (flat = 83, halved = 42, nothing = 0)."
    ),
    "p_alive": N_(
        "Probability alive (BG/NBD model) x 100; left out when the fit cannot be trusted."
    ),
    "regularity": N_("Regularity: XYZ class in the window; X = 100, Y = 60, Z = 20."),
    "coverage": N_(
        "Relationship coverage: a decision maker mapped (40), a champion or supporter"
        " mapped (30), a contact with a key person (decision maker, champion or influence 4-5)"
        " within 90 days (30) or 180 days (15)."
    ),
    "completeness": N_("Dossier completeness: share of the dossier's sections filled x 100."),
    "on_time": N_(
        "Delivery on time: share of lines shipped by the promised date in the window x 100."
    ),
    "risks": N_(
        "Open risks: 100, minus 35 per tender lost in the last 12 months and 20 per"
        " overdue open action, not below 0."
    ),
}


@dataclass(frozen=True)
class HealthWeights:
    """Relative weight of each part; defaults favour what predicts a lost account best."""

    trend: float = 20.0
    p_alive: float = 25.0
    regularity: float = 10.0
    coverage: float = 15.0
    completeness: float = 10.0
    on_time: float = 10.0
    risks: float = 10.0

    def __post_init__(self) -> None:
        """Refuse negative weights and an all-zero set."""
        values = list(asdict(self).values())
        if any(not np.isfinite(v) or v < 0 for v in values):
            raise ValueError("health weights must be finite and not negative")
        if sum(values) <= 0:
            raise ValueError("at least one health weight must be above zero")


DEFAULT_WEIGHTS = HealthWeights()

# Stored one setting per part, so the audit log names the weights that moved.
WEIGHT_KEY_PREFIX = "health_weight_"


def weight_key(part: str) -> str:
    """The settings key of a part's weight."""
    return WEIGHT_KEY_PREFIX + part


def weights_from(values: dict[str, float]) -> HealthWeights:
    """Weights from a part -> weight mapping; parts it leaves out keep their default."""
    known = {f.name for f in fields(HealthWeights)}
    return HealthWeights(
        **{**asdict(DEFAULT_WEIGHTS), **{k: v for k, v in values.items() if k in known}}
    )


def load_health_weights(conn: duckdb.DuckDBPyConnection) -> HealthWeights:
    """The weights in force: stored values over the defaults (the defaults if they are invalid)."""
    stored = read_settings(conn)
    values = {p: stored[weight_key(p)] for p in PARTS if weight_key(p) in stored}
    try:
        return weights_from({k: float(v) for k, v in values.items()})
    except (TypeError, ValueError):
        # Only the settings service writes them, checked; a hand-edited database falls back.
        return DEFAULT_WEIGHTS
